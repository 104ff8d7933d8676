"""KeSpeech (Tang et al., NeurIPS 2021 Datasets and Benchmarks): 1,542 h of Mandarin and eight Mandarin
subdialects read by 27,237 speakers in 34 Chinese cities, 16 kHz WAV.

Licence: the KeSpeech dataset licence (``KeSpeech/KeSpeech`` ``dataset_license.md``): non-commercial research,
no adaptations, no distribution to third parties; access is by signed application to kespeech@ke.com. So the
audio is never re-hosted (``redistributable=False``).

Layout, as the download link delivers it (the ``Tasks/ASR`` part as lhotse's ``recipes/kespeech.py`` reads it;
``Metadata/`` as several third-party readers of the real release read it, e.g. a balanced-subset script that
needs ``phase1.{text,wav.scp,utt2style,utt2subdialect}``, ``phase2.{text,wav.scp}``, ``utt2spk``, ``spk2age``,
``spk2city``, ``spk2gender``)::

    KeSpeech/
      Audio/<spk>/phase1/<utt>.wav   Audio/<spk>/phase2/<utt>.wav
      Metadata/{phase1.text, phase1.wav.scp, phase1.utt2style, phase1.utt2subdialect,
                phase2.text, phase2.wav.scp, utt2spk, spk2age, spk2gender, spk2city, ...}
      Tasks/ASR/{train_phase1, train_phase2, dev_phase1, dev_phase2, test}/{wav.scp, text, utt2spk, utt2subdialect}

Every table is Kaldi-style, ``<key> <value>`` split at the first whitespace, UTF-8. ``wav.scp`` values are paths
relative to the corpus root (``Audio/<spk>/phase1/<utt>.wav``); utterance ids are ``<7-digit speaker>_<8 hex>``.
``utt2subdialect`` holds ``Mandarin`` or one of the eight subdialects (Beijing, Ji-Lu, Jiang-Huai, Jiao-Liao,
Lan-Yin, Northeastern, Southwestern, Zhongyuan); ``spk2gender`` ``Female``/``Male``; ``spk2age`` an integer age.

What a record is: one utterance of a ``Tasks/ASR`` subset, its four tables joined by id (lhotse zips them line
by line and asserts equal ids; joining is what survives a reordered file). Speaker labels come from
``Metadata/spk2{gender,age,city}``; a speaker missing there has those labels unset (None), so the label tasks
leave the record out, counted. ``dialect_text`` is the transcript of an utterance read in a subdialect and None
for Mandarin ones, so dialect ASR takes only dialect speech while ASR takes all. ``prompt_audio`` is the next
utterance of the same speaker in id order within the shard (cyclically; None for a speaker with one, whom
zero-shot TTS then leaves out): never the utterance itself. Phase 1 and 2 may hold the same sentence read by
the same speaker in dialect and in Mandarin; they are separate records.

Labels: ``gender`` female/male; ``age_group`` by decade, spelled as VCTK and Common Voice spell theirs
(``twenties``, ``thirties``, ...); ``dialect`` the corpus's English subdialect names, ``Mandarin`` included;
``language`` ``zh`` (ISO 639-1; the subdialects are varieties of Mandarin Chinese), ``language_name`` "Mandarin
Chinese".

Splits: the official ``Tasks/ASR`` subsets: ``train_phase1``/``train_phase2`` -> train, ``dev_phase1``/
``dev_phase2`` -> validation, ``test`` -> test. Shards: per subset, speakers are dealt by a stable hash of their
id into up to 16 shards (the count judged by the size of the subset's ``wav.scp``; nothing is read while
listing), so a speaker's utterances stay in one shard (prompts and speaker pairs are drawn within a shard).

Pitfalls handled: ``<SPOKEN_NOISE>`` marks are removed from the text (as lhotse does; an utterance left with
no text is skipped and counted); a ``wav.scp`` value that is a command (ends with ``|``) is skipped and counted;
a path that leaves the corpus root is an error; an id of ``wav.scp`` missing from another table of its subset
is an error naming the ``wav.scp`` line. Not read: ``phase1.utt2style`` and ``phase2.utt2env`` (values not
pinned down), and the other ``Tasks/`` folders (their layout could not be verified).

Bad lines: a table line without a value, an id or speaker listed twice, a line that is not UTF-8, a gender other
than ``Female``/``Male``, an age that is not a number, a subdialect outside the list, a ``wav.scp`` path leaving
the root, a ``wav.scp`` id missing from another table of its subset: errors naming file and line. Under
``on_error="skip"`` each is skipped and counted once per split loaded: a subset table's line or a
``Metadata/`` row by every shard reading it (the load's report holds it once), a line about one utterance (its
subdialect, its path) by that utterance's shard. What depends on a skipped line is left out too, counted under its own reason: an utterance
with a skipped line in any table of its subset (by its shard, or the subset's first shard when its speaker is
not known), and every utterance of a speaker with a skipped ``Metadata/spk2*`` row (its labels would pass for
unknown ones).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._age_groups import DECADES, age_group
from ._kaldi import Entry, read_table, reject, shard_count
from ._speaker_prompts import with_next_prompt
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips

PARTS = {
    "train_phase1": "train",
    "train_phase2": "train",
    "dev_phase1": "validation",
    "dev_phase2": "validation",
    "test": "test",
}
MAX_SHARDS = 16
BYTES_PER_SHARD = 256 * 1024
TABLES = ("text", "utt2spk", "utt2subdialect")
DIALECTS = (
    "Mandarin",
    "Beijing",
    "Ji-Lu",
    "Jiang-Huai",
    "Jiao-Liao",
    "Lan-Yin",
    "Northeastern",
    "Southwestern",
    "Zhongyuan",
)
GENDERS = {"Female": "female", "Male": "male"}
NOISE = re.compile(r"<SPOKEN_NOISE>", re.IGNORECASE)
FIELDS = (
    "id",
    "audio",
    "text",
    "dialect_text",
    "speaker",
    "gender",
    "age",
    "age_group",
    "city",
    "dialect",
    "phase",
    "subset",
    "prompt_audio",
    "prompt_audio_id",
    "language",
    "language_name",
)


class KeSpeechFormatError(CorpusFormatError):
    """A KeSpeech table that is not what the release's layout says."""


def detect(root: Path) -> bool:
    return (root / "Tasks" / "ASR").is_dir() and (root / "Metadata").is_dir() and (root / "Audio").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[subset, index, count]`` per shard, for the subsets present; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for part, split in PARTS.items():
        scp = root / "Tasks" / "ASR" / part / "wav.scp"
        if scp.is_file():
            count = shard_count(scp, BYTES_PER_SHARD, MAX_SHARDS)
            shards.setdefault(split, []).extend([part, i, count] for i in range(count))
    return shards


def read_speakers(metadata: Path, lines: Skips | None = None, lost: set[str] | None = None) -> dict[str, dict]:
    """Speaker -> gender, age, age_group, city from ``Metadata/spk2*`` (a file absent leaves its label unset). A
    malformed row is an error, or (given ``lines`` of a load that skips) counted, its speaker put in ``lost``."""
    speakers: dict[str, dict] = {}

    def slot(spk: str) -> dict:
        return speakers.setdefault(spk, {"gender": None, "age": None, "age_group": None, "city": None})

    def rows(name: str, what: str) -> dict[str, Entry]:
        path = metadata / name
        return read_table(path, KeSpeechFormatError, what, None, lines, lost) if path.is_file() else {}

    path = metadata / "spk2gender"
    for spk, entry in rows("spk2gender", "'<speaker> <Female|Male>'").items():
        if entry.value not in GENDERS:
            err = KeSpeechFormatError(
                f"{path}:{entry.line}: gender of {spk} is {entry.value!r}; expected Female or Male"
            )
            reject(err, lines, lost, spk)
            continue
        slot(spk)["gender"] = GENDERS[entry.value]
    path = metadata / "spk2age"
    for spk, entry in rows("spk2age", "'<speaker> <age in years>'").items():
        if not entry.value.isdigit():
            err = KeSpeechFormatError(
                f"{path}:{entry.line}: age of {spk} is {entry.value!r}; expected a number of years"
            )
            reject(err, lines, lost, spk)
            continue
        slot(spk).update(age=int(entry.value), age_group=age_group(int(entry.value)))
    for spk, entry in rows("spk2city", "'<speaker> <city>'").items():
        slot(spk)["city"] = entry.value
    return speakers


def _audio(root: Path, scp: Path, entry: Entry) -> str | None:
    """The audio path of a ``wav.scp`` value, inside the root; None for a command (``... |``)."""
    value = entry.value
    if value.endswith("|"):
        return None
    rel = Path(value)
    if rel.is_absolute() or ".." in rel.parts:
        raise KeSpeechFormatError(f"{scp}:{entry.line}: {value!r} is not a path relative to the corpus root")
    return os.fspath(root / rel)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in PARTS):
        raise KeSpeechFormatError(f"shard {shard!r} is not [Tasks/ASR subset, index, count]")
    part, index, count = shard
    folder = root / "Tasks" / "ASR" / part
    scp_path = folder / "wav.scp"
    first_of_part = index == 0  # counts the utterances of skipped lines whose speaker is not known
    lines = Skips(f"KeSpeech {folder}", SOURCE.missing_audio)
    lost: set[str] = set()  # ids with a malformed line in a table of the subset
    scp = read_table(scp_path, KeSpeechFormatError, "'<utterance id> <path>'", None, lines, lost)
    tables = {
        name: read_table(
            folder / name, KeSpeechFormatError, f"'<utterance id> <{name[4:] or name}>'", None, lines, lost
        )
        for name in TABLES
    }
    badly_described: set[str] = set()  # speakers with a malformed Metadata/spk2* row
    meta_lines = Skips(f"KeSpeech {root / 'Metadata'}", SOURCE.missing_audio)
    speakers = read_speakers(root / "Metadata", meta_lines, badly_described)
    skips = Skips(f"KeSpeech {part} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    by_speaker: dict[str, list[dict]] = {}
    unlisted = {u for u in lost - set(scp) if any(u in tables[name] for name in TABLES)}  # a bad wav.scp line
    for utt in sorted(unlisted):
        if first_of_part:
            skips.add("utterance(s) with a line of the subset skipped as malformed", utt, always=True, audio=False)
    for utt, entry in scp.items():
        where = f"{scp_path}:{entry.line}"
        owner = tables["utt2spk"][utt].value if utt in tables["utt2spk"] else None
        mine = stable_hash(owner) % count == index if owner is not None else first_of_part
        if utt in lost:
            if mine:
                skips.add("utterance(s) with a line of the subset skipped as malformed", utt, always=True, audio=False)
            continue
        lacking = [name for name in TABLES if utt not in tables[name]]
        if lacking:
            err = KeSpeechFormatError(f"{where}: {utt} has no line in {', '.join(lacking)} of {folder}")
            reject(err, skips if mine else lines)
            continue
        speaker = tables["utt2spk"][utt].value
        if stable_hash(speaker) % count != index:
            continue
        dialect = tables["utt2subdialect"][utt].value
        if dialect not in DIALECTS:
            line = tables["utt2subdialect"][utt].line
            err = KeSpeechFormatError(
                f"{folder / 'utt2subdialect'}:{line}: subdialect {dialect!r}; expected one of {', '.join(DIALECTS)}"
            )
            reject(err, skips)
            continue
        try:
            audio = _audio(root, scp_path, entry)
        except KeSpeechFormatError as err:
            reject(err, skips)
            continue
        if audio is None:
            skips.add("wav.scp entries that are commands, not files", f"line {entry.line}: {utt}", always=True)
            continue
        if not os.path.isfile(audio):
            skips.add("utterance(s) whose wav is missing", f"line {entry.line}: {utt}")
            continue
        if speaker in badly_described:
            reason = "utterance(s) of speakers whose Metadata/ row was skipped as malformed"
            skips.add(reason, utt, always=True, audio=False)
            continue
        text = " ".join(NOISE.sub(" ", tables["text"][utt].value).split())
        if not text:
            skips.add("utterance(s) whose text is only <SPOKEN_NOISE>", utt, always=True, audio=False)
            continue
        phase = Path(audio).parent.name if Path(audio).parent.name in ("phase1", "phase2") else part.rsplit("_", 1)[-1]
        info = speakers.get(speaker) or {"gender": None, "age": None, "age_group": None, "city": None}
        by_speaker.setdefault(speaker, []).append(
            {
                "id": utt,
                "audio": audio,
                "text": text,
                "dialect_text": None if dialect == "Mandarin" else text,
                "speaker": speaker,
                **info,
                "dialect": dialect,
                "phase": phase,
                "subset": part,
                "language": "zh",
                "language_name": "Mandarin Chinese",
            }
        )
    yield from with_next_prompt(by_speaker)
    skips.report()
    lines.report()
    meta_lines.report()


SOURCE = Source(
    name="kespeech",
    corpus="KeSpeech",
    license="KeSpeech dataset licence (non-commercial, no adaptations, no redistribution)",
    redistributable=False,
    homepage="https://github.com/KeSpeech/KeSpeech",
    layout="KeSpeech/ with Audio/<spk>/phase{1,2}/*.wav, Metadata/spk2gender ... and Tasks/ASR/<subset>/{wav.scp,text,utt2spk,utt2subdialect}",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="KeSpeech",
    languages=("zh",),
    audio_fields=frozenset({"audio", "prompt_audio"}),
    labels={
        "gender": tuple(GENDERS.values()),
        "age_group": DECADES,
        "dialect": DIALECTS,
        "language": ("zh",),
        "language_name": ("Mandarin Chinese",),
    },
)
