"""Fluent Speech Commands (Fluent.ai, Lugosch et al., Interspeech 2019): 30,043 English smart-home commands
(248 phrasings, 31 intents) from 97 speakers, 16 kHz mono WAV.

Licence: the "Fluent Speech Commands Public License" (a PDF in the archive): academic, non-commercial use; the
audio may not be redistributed.

Layout, as the archive extracts::

    fluent_speech_commands_dataset/
      readme.md  "Fluent Speech Commands Public License.pdf"
      data/train_data.csv  valid_data.csv  test_data.csv  speaker_demographics.csv
      wavs/speakers/<speakerId>/<uuid>.wav

The split CSVs are comma-separated with a header whose first column is unnamed (a pandas index):
``,path,speakerId,transcription,action,object,location``; ``path`` is relative to the root, and slot value
``none`` means empty. ``speaker_demographics.csv`` has a header starting ``speakerId`` and six columns: the
speaker, self-reported fluency, first language, current language at work or school, gender (``male`` /
``female``) and age range (``22-40``, ``41-65``, ``65+``); its header spellings vary in the loaders we read,
so the columns are taken by position once the header's first field is checked. Looked up in torchaudio's
``fluentcommands.py`` (columns by name) and audiomate's ``fluent_speech.py`` (the demographics by position)
and summarised in our corpus notes (speech.md §13).

What a record is: one command, its id ``<speakerId>_<file stem>``. ``intent`` is ``<action>_<object>_<location>`` with the corpus's own values
(``activate_lights_kitchen``, ``change language_Chinese_none``), the spelling of the corpus's 31 intents;
``gender`` ``female``/``male`` (a speaker whose demographics row lacks it has None: gender recognition leaves
their commands out, counted); ``prompt_audio`` another command of the same speaker in the same split with a
different transcription (the next one in path order, cyclically), for zero-shot TTS, None when there is none.

Splits: the corpus's train/valid/test CSVs (``valid`` -> ``validation``). Shards: the rows of one CSV dealt
by a stable hash of the speaker into ``ceil(size / 256 KiB)`` shards (at most 16), so that a speaker's commands
stay together (zero-shot prompts) and a shard holds several speakers (speaker verification). Rows whose WAV
is absent are skipped and counted once per shard; a row whose speaker has no demographics row is an error.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, text_lines

SPLIT_FILES = {"train_data.csv": "train", "valid_data.csv": "validation", "test_data.csv": "test"}
DEMOGRAPHICS = "speaker_demographics.csv"
COLUMNS = ("path", "speakerId", "transcription", "action", "object", "location")
GENDERS = {"male": "male", "female": "female"}
BYTES_PER_SHARD = 256 << 10
MAX_SHARDS = 16
FIELDS = (
    "id",
    "audio",
    "text",
    "speaker",
    "intent",
    "action",
    "object",
    "location",
    "gender",
    "age_range",
    "first_language",
    "prompt_audio",
    "prompt_audio_id",
    "language",
    "language_name",
)


class FluentSpeechCommandsFormatError(CorpusFormatError):
    """A Fluent Speech Commands CSV that is not what the corpus's readme and loaders show."""


def detect(root: Path) -> bool:
    return (root / "data" / DEMOGRAPHICS).is_file() and (root / "wavs" / "speakers").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[csv name, k, n]``: the k-th of n speaker groups of one split CSV. Reads nothing."""
    shards: dict[str, list[Shard]] = {}
    for name, split in SPLIT_FILES.items():
        path = root / "data" / name
        if path.is_file():
            count = min(MAX_SHARDS, max(1, math.ceil(os.path.getsize(path) / BYTES_PER_SHARD)))
            shards[split] = [[name, k, count] for k in range(count)]
    return shards


def read_demographics(path: Path) -> dict[str, dict[str, str | None]]:
    """speakerId -> gender, age range and first language, from the six columns of speaker_demographics.csv."""
    speakers: dict[str, dict[str, str | None]] = {}
    header_seen = False
    for line_no, line in text_lines(path, FluentSpeechCommandsFormatError, errors="replace"):
        if not line.strip():
            continue
        try:
            values = next(csv.reader([line], strict=True))
        except csv.Error as err:
            raise FluentSpeechCommandsFormatError(f"{path}:{line_no}: not valid comma-separated text ({err})") from None
        if not header_seen:
            if not values or values[0].strip() != "speakerId" or len(values) != 6:
                raise FluentSpeechCommandsFormatError(
                    f"{path}:{line_no}: expected a header of 6 columns starting 'speakerId' (speaker, fluency, first "
                    "language, current language, gender, age range)"
                )
            header_seen = True
            continue
        if len(values) != 6:
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: expected 6 comma-separated fields (speakerId, fluency, first language, current "
                f"language, gender, ageRange), got {len(values)}"
            )
        speaker, _, first, _, gender, age = (v.strip() for v in values)
        if gender and gender.lower() not in GENDERS:
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: gender of {speaker} is {gender!r}; expected male or female"
            )
        speakers[speaker] = {
            "gender": GENDERS[gender.lower()] if gender else None,
            "age_range": age or None,
            "first_language": first or None,
        }
    if not header_seen:
        raise FluentSpeechCommandsFormatError(f"{path}: empty; expected a header starting 'speakerId'")
    return speakers


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SPLIT_FILES):
        raise FluentSpeechCommandsFormatError(f"shard {shard!r} is not [split csv, part, parts]")
    name, part, parts = str(shard[0]), int(shard[1]), int(shard[2])
    path = root / "data" / name
    demographics = read_demographics(root / "data" / DEMOGRAPHICS)
    skips = Skips(f"Fluent Speech Commands {name} part {part + 1}/{parts} in {root}", SOURCE.missing_audio)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for line_no, row in csv_rows(path, FluentSpeechCommandsFormatError, required=COLUMNS, skips=skips):
        speaker = row["speakerId"].strip()
        if stable_hash(speaker) % parts != part:
            continue
        rel = row["path"].strip()
        parts_of_path = rel.split("/")
        if len(parts_of_path) != 4 or parts_of_path[:2] != ["wavs", "speakers"] or not rel.endswith(".wav"):
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: path {rel!r} is not 'wavs/speakers/<speakerId>/<name>.wav'"
            )
        if parts_of_path[2] != speaker:
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: path {rel!r} is not in the folder of speaker {speaker!r}"
            )
        if speaker not in demographics:
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: speaker {speaker!r} has no row in {root / 'data' / DEMOGRAPHICS}"
            )
        text = row["transcription"].strip()
        slots = [row[c].strip() for c in ("action", "object", "location")]
        if not text or not all(slots):
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: empty transcription or slot; expected a text and action, object, location "
                "('none' for an empty slot)"
            )
        utt = f"{speaker}_{parts_of_path[3][:-4]}"
        if utt in seen:
            raise FluentSpeechCommandsFormatError(
                f"{path}:{line_no}: {rel} is listed twice (first at line {seen[utt]})"
            )
        seen[utt] = line_no
        audio = os.path.join(root, *parts_of_path)
        if not os.path.isfile(audio):
            skips.add("CSV row(s) whose .wav file is missing", f"{name}:{line_no}")
            continue
        rows.append({"id": utt, "audio": audio, "text": text, "speaker": speaker, "slots": slots})
    rows.sort(key=lambda r: r["id"])
    by_speaker: dict[str, list[dict]] = {}
    for r in rows:
        by_speaker.setdefault(r["speaker"], []).append(r)
    position = {r["id"]: k for mine in by_speaker.values() for k, r in enumerate(mine)}
    for r in rows:
        mine = by_speaker[r["speaker"]]
        k = position[r["id"]]
        prompt = next((o for o in mine[k + 1 :] + mine[:k] if o["text"] != r["text"]), None)
        action, obj, location = r["slots"]
        yield {
            "id": r["id"],
            "audio": r["audio"],
            "text": r["text"],
            "speaker": r["speaker"],
            "intent": f"{action}_{obj}_{location}",
            "action": action,
            "object": None if obj == "none" else obj,
            "location": None if location == "none" else location,
            **demographics[r["speaker"]],
            "prompt_audio": prompt["audio"] if prompt else None,
            "prompt_audio_id": prompt["id"] if prompt else None,
            "language": "en",
            "language_name": "English",
        }
    skips.report()


SOURCE = Source(
    name="fluent_speech_commands",
    corpus="Fluent Speech Commands",
    license="Fluent Speech Commands Public License (academic, non-commercial)",
    redistributable=False,
    homepage="https://fluent.ai/fluent-speech-commands-a-dataset-for-spoken-language-understanding-research/",
    layout="fluent_speech_commands_dataset/ with data/{train,valid,test}_data.csv, data/speaker_demographics.csv "
    "and wavs/speakers/<speakerId>/<uuid>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="FSC",
    languages=("en",),
    audio_fields=frozenset({"audio", "prompt_audio"}),
    labels={"gender": ("female", "male"), "language": ("en",), "language_name": ("English",)},
)
