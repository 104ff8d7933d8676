"""AISHELL-3 (OpenSLR 93; Shi et al. 2021): about 85 h of Mandarin read by 218 speakers, for multi-speaker TTS,
44.1 kHz 16-bit mono WAV, with character and tone-numbered pinyin transcripts.

Licence: Apache 2.0 (the OpenSLR 93 page; the corpus ``ReadMe.txt``), so the audio may be redistributed with
attribution.

Layout, as ``data_aishell3.tgz`` extracts (NVIDIA NeMo's ``scripts/dataset_processing/tts/aishell3/get_data.py``
and lhotse's ``recipes/aishell3.py`` read the same files)::

    data_aishell3/
      ReadMe.txt  phone_set.txt  spk-info.txt
      train/content.txt  train/label_train-set.txt  train/wav/<spk>/<utt>.wav
      test/content.txt   test/wav/<spk>/<utt>.wav

``content.txt``: ``<utt>.wav<TAB><char> <pinyin> <char> <pinyin> ...`` (characters and tone-numbered pinyin
alternate; an erhua token may be two characters with one pinyin, ``点儿 dianr3``); its first line starts with a
UTF-8 byte-order mark (NeMo strips ``\\ufeff``). ``spk-info.txt``: ``#`` comment lines (the header ``# voice-file
name; age group; gender; accent``), then ``<spk> <A|B|C|D> <female|male> <north|south|others>`` rows, split here
on any whitespace (lhotse splits on tabs, other readers on spaces). ``label_train-set.txt`` (prosody labels,
train only) is not read. The speaker is the first 7 characters of the utterance id (``SSB0005``), which is also
its ``wav/`` folder.

Records: one ``content.txt`` row. ``text`` is the characters joined without spaces; ``pinyin`` the syllables
joined by spaces (lhotse overwrites the text before deriving pinyin and loses it: not copied). Labels: ``gender``
female/male; ``age_group`` the corpus's four groups as words (A ``under 14``, B ``14 to 25``, C ``26 to 40``, D
``over 40``: ReadMe.txt's bins, which do not align with the decades of VCTK and KeSpeech, so they keep their own
names); ``accent`` ``northern Mandarin``/``southern Mandarin``/``other``; ``language`` ``zh`` ("Mandarin
Chinese"). Gender totals in ReadMe.txt (43 M / 175 F) disagree with spk-info.txt (42 M / 176 F): spk-info.txt is
what is read. ``prompt_audio`` is the next utterance of the same speaker (id order, cyclically; never itself).

Splits: the corpus's ``train`` and ``test`` (it has no validation; speakers may appear in both, as distributed).
Shards: per split, the speaker folders under ``wav/`` in groups of up to 8 (listing opens no file), so a
speaker's utterances and its pairs stay in one shard. Rows whose WAV is absent are skipped and counted once per
shard; a speaker without a ``spk-info.txt`` row has its labels unset (the label tasks leave it out, counted).

Bad lines: a ``content.txt`` row that is not ``<utt>.wav<TAB>`` then characters and pinyin in turn, or repeats an
id; a ``spk-info.txt`` row without four fields, with a value outside the corpus's labels, or repeating a speaker;
a line that is not UTF-8: errors naming file and line. Under ``on_error="skip"`` each is skipped and counted once
per split loaded (every shard reading the file counts it; the load's report holds it once). The
rows of a speaker whose ``spk-info.txt`` row was skipped are left out too, counted under their own reason by
their shard (kept, their labels would pass for unknown ones). A repeated ``content.txt`` id keeps its first row.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._kaldi import reject
from ._speaker_prompts import with_next_prompt
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

SPLITS = {"train": "train", "test": "test"}
SPEAKER_INFO = "spk-info.txt"
AGE_GROUPS = {"A": "under 14", "B": "14 to 25", "C": "26 to 40", "D": "over 40"}
GENDERS = {"female": "female", "male": "male"}
ACCENTS = {"north": "northern Mandarin", "south": "southern Mandarin", "others": "other"}
SPEAKERS_PER_SHARD = 8
UTTERANCE = re.compile(r"(?P<spk>SSB\d{4})\d{4}")
PINYIN = re.compile(r"[A-Za-z:]+[0-9]?")
FIELDS = (
    "id",
    "audio",
    "text",
    "pinyin",
    "speaker",
    "gender",
    "age_group",
    "accent",
    "prompt_audio",
    "prompt_audio_id",
    "language",
    "language_name",
)


class Aishell3FormatError(CorpusFormatError):
    """An AISHELL-3 file that is not what the corpus's ReadMe says."""


def detect(root: Path) -> bool:
    return (root / SPEAKER_INFO).is_file() and any((root / s / "content.txt").is_file() for s in SPLITS)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to 8 speakers; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for folder, split in SPLITS.items():
        if not (root / folder / "content.txt").is_file():
            continue
        speakers = [n for n in visible_names(root / folder / "wav") if (root / folder / "wav" / n).is_dir()]
        count = max(1, math.ceil(len(speakers) / SPEAKERS_PER_SHARD))
        shards[split] = [[folder, speakers[i::count]] for i in range(count)]
    return shards


def read_speaker_info(path: Path, lines: Skips | None = None, lost: set[str] | None = None) -> dict[str, dict]:
    """Speaker -> labels; a malformed row is an error, or (given ``lines`` of a load that skips) counted, its
    speaker put in ``lost``."""
    info: dict[str, dict] = {}
    if not path.is_file():
        raise Aishell3FormatError(f"{path}: the file does not exist; expected the speaker table")
    seen: dict[str, int] = {}
    for line_no, line in text_lines(path, Aishell3FormatError, skips=lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split()
        where = f"{path}:{line_no}"
        if len(fields) != 4:
            err = Aishell3FormatError(f"{where}: expected '<speaker> <age group> <gender> <accent>', got {line!r}")
            reject(err, lines, lost, fields[0])
            continue
        speaker, age, gender, accent = fields
        if age not in AGE_GROUPS:
            err = Aishell3FormatError(f"{where}: age group of {speaker} is {age!r}; expected A, B, C or D")
        elif gender not in GENDERS:
            err = Aishell3FormatError(f"{where}: gender of {speaker} is {gender!r}; expected female or male")
        elif accent not in ACCENTS:
            err = Aishell3FormatError(f"{where}: accent of {speaker} is {accent!r}; expected north, south or others")
        elif speaker in seen:
            err = Aishell3FormatError(f"{where}: {speaker} is listed twice (first at line {seen[speaker]})")
        else:
            seen[speaker] = line_no
            info[speaker] = {"gender": GENDERS[gender], "age_group": AGE_GROUPS[age], "accent": ACCENTS[accent]}
            continue
        reject(err, lines, lost, speaker)
        info.pop(speaker, None)
    return info


def parse_content(path: Path, line_no: int, line: str) -> tuple[str, str, str]:
    """(utterance id, characters, pinyin) of one ``content.txt`` line."""
    where = f"{path}:{line_no}"
    name, sep, rest = line.partition("\t")
    utt = name.strip()[:-4] if name.strip().endswith(".wav") else ""
    if not sep or not UTTERANCE.fullmatch(utt):
        raise Aishell3FormatError(f"{where}: expected '<SSBxxxxxxxx>.wav<TAB><char> <pinyin> ...', got {line!r}")
    tokens = rest.split()
    if not tokens or len(tokens) % 2:
        raise Aishell3FormatError(f"{where}: expected characters and pinyin in turn, got {len(tokens)} tokens")
    chars, pinyin = tokens[0::2], tokens[1::2]
    for k, syllable in enumerate(pinyin):
        if not PINYIN.fullmatch(syllable):
            raise Aishell3FormatError(
                f"{where}: token {2 * k + 2} is {syllable!r}; expected a tone-numbered pinyin syllable after {chars[k]!r}"
            )
    return utt, "".join(chars), " ".join(pinyin)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in SPLITS and isinstance(shard[1], list)):
        raise Aishell3FormatError(f"shard {shard!r} is not [split folder, speakers]")
    folder, speakers = shard
    wanted = set(speakers)
    badly_described: set[str] = set()  # speakers whose spk-info.txt row is malformed
    info = read_speaker_info(root / SPEAKER_INFO, Skips(f"AISHELL-3 {root}", SOURCE.missing_audio), badly_described)
    path = root / folder / "content.txt"
    skips = Skips(f"AISHELL-3 {folder} shard of {len(speakers)} speakers in {root}", SOURCE.missing_audio)
    rows = Skips(f"AISHELL-3 {path}", SOURCE.missing_audio)
    listed: dict[str, set[str]] = {s: set(visible_names(root / folder / "wav" / s)) for s in speakers}
    by_speaker: dict[str, list[dict]] = {}
    seen: dict[str, int] = {}
    for line_no, line in text_lines(path, Aishell3FormatError, skips=rows):
        if not line.strip():
            continue
        try:
            utt, text, pinyin = parse_content(path, line_no, line)
        except Aishell3FormatError as err:
            reject(err, rows)
            continue
        if utt in seen:
            reject(Aishell3FormatError(f"{path}:{line_no}: {utt} is listed twice (first at line {seen[utt]})"), rows)
            continue
        seen[utt] = line_no
        speaker = utt[:7]
        if speaker not in wanted:
            continue
        if f"{utt}.wav" not in listed[speaker]:
            skips.add("row(s) whose WAV is missing", f"line {line_no}: {utt}")
            continue
        if speaker in badly_described:
            reason = "row(s) of speakers whose spk-info.txt row was skipped as malformed"
            skips.add(reason, f"line {line_no}: {utt}", always=True, audio=False)
            continue
        labels = info.get(speaker) or {"gender": None, "age_group": None, "accent": None}
        by_speaker.setdefault(speaker, []).append(
            {
                "id": utt,
                "audio": os.fspath(root / folder / "wav" / speaker / f"{utt}.wav"),
                "text": text,
                "pinyin": pinyin,
                "speaker": speaker,
                **labels,
                "language": "zh",
                "language_name": "Mandarin Chinese",
            }
        )
    yield from with_next_prompt(by_speaker)
    skips.report()
    rows.report()


SOURCE = Source(
    name="aishell3",
    corpus="AISHELL-3",
    license="Apache 2.0",
    redistributable=True,
    homepage="https://www.openslr.org/93/",
    layout="data_aishell3/ with spk-info.txt and {train,test}/content.txt, {train,test}/wav/<spk>/<utt>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AISHELL3",
    languages=("zh",),
    audio_fields=frozenset({"audio", "prompt_audio"}),
    labels={
        "gender": tuple(GENDERS.values()),
        "age_group": tuple(AGE_GROUPS.values()),
        "accent": tuple(ACCENTS.values()),
        "language": ("zh",),
        "language_name": ("Mandarin Chinese",),
    },
)
