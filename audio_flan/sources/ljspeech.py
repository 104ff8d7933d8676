"""LJSpeech 1.1 (Keith Ito, 2017): 13,100 clips of one female reader of English non-fiction, 22.05 kHz mono WAV.

Licence: public domain, so the audio may be redistributed.

Layout, as ``LJSpeech-1.1.tar.bz2`` extracts::

    LJSpeech-1.1/
      README
      metadata.csv          id|transcription|normalized transcription, no header, UTF-8
      wavs/LJ001-0001.wav ...

``metadata.csv`` is ``|``-separated with no quoting (transcripts hold unbalanced ``"``, so it is read with
``QUOTE_NONE``, as torchaudio does). The normalized transcription (numbers and abbreviations spelled out) is
the ``text``; the raw one is ``text_original``. One speaker, female, English.

There is no official split and one speaker, so everything is ``train`` (a split by speaker cannot separate
one reader). Shards: ids are dealt into up to 8 shards by a stable hash, the count judged by the size of
metadata.csv (nothing is read while listing). Rows whose WAV is absent are skipped and counted once per shard.

Every shard reads every row (the hash needs the id), so every shard checks every row: a malformed one (other
than three fields, not UTF-8, an id not ``LJ<3 digits>-<4 digits>``, an id repeated, an empty normalized
transcription) is an error naming file and line by default, and under ``on_error="skip"`` is skipped and counted
by every shard (the load's report holds it once per split loaded).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows

METADATA = "metadata.csv"
COLUMNS = ("id", "transcription", "normalized transcription")
MAX_SHARDS = 8
BYTES_PER_SHARD = 64 * 1024
CLIP_ID = re.compile(r"LJ\d{3}-\d{4}")
FIELDS = ("id", "audio", "text", "text_original", "speaker", "gender", "language", "language_name")


class LJSpeechFormatError(CorpusFormatError):
    """A metadata.csv that is not what LJSpeech's README says."""


def detect(root: Path) -> bool:
    return (root / METADATA).is_file() and (root / "wavs").is_dir() and (root / "README").is_file()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    count = max(1, min(MAX_SHARDS, (root / METADATA).stat().st_size // BYTES_PER_SHARD))
    return {"train": [[i, count] for i in range(count)]}


def shard_of(clip: str, count: int) -> int:
    return stable_hash(clip) % count


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]):
        raise LJSpeechFormatError(f"shard {shard!r} is not [index, count]")
    index, count = shard
    path = root / METADATA
    present = set(os.listdir(root / "wavs"))
    skips = Skips(f"LJSpeech {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    rows = Skips(f"LJSpeech {path}", SOURCE.missing_audio)
    seen: dict[str, int] = {}
    table = csv_rows(path, LJSpeechFormatError, delimiter="|", columns=COLUMNS, quoting=csv.QUOTE_NONE, skips=rows)
    for line_no, row in table:
        clip = row["id"].strip()
        text = row["normalized transcription"].strip()
        try:
            _check(path, line_no, clip, text, seen)
        except LJSpeechFormatError as err:
            rows.bad(err)
            continue
        seen[clip] = line_no
        if shard_of(clip, count) != index:
            continue
        if f"{clip}.wav" not in present:
            skips.add("row(s) whose wavs/<id>.wav is missing", f"line {line_no}: {clip}")
            continue
        yield {
            "id": clip,
            "audio": os.path.join(root, "wavs", f"{clip}.wav"),
            "text": text,
            "text_original": row["transcription"].strip(),
            "speaker": "LJ",
            "gender": "female",
            "language": "en",
            "language_name": "English",
        }
    skips.report()
    rows.report()


def _check(path: Path, line_no: int, clip: str, text: str, seen: dict[str, int]) -> None:
    where = f"{path}:{line_no}"
    if not CLIP_ID.fullmatch(clip):
        raise LJSpeechFormatError(f"{where}: id {clip!r} is not 'LJ<3 digits>-<4 digits>'")
    if clip in seen:
        raise LJSpeechFormatError(f"{where}: id {clip} repeats line {seen[clip]}")
    if not text:
        raise LJSpeechFormatError(f"{where}: the normalized transcription of {clip} is empty")


SOURCE = Source(
    name="ljspeech",
    corpus="LJSpeech",
    license="public domain",
    redistributable=True,
    homepage="https://keithito.com/LJ-Speech-Dataset/",
    layout="LJSpeech-1.1/ with README, metadata.csv (id|transcription|normalized) and wavs/LJ001-0001.wav ...",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="LJSpeech",
    languages=("en",),
    labels={"gender": ("female",), "language": ("en",), "language_name": ("English",)},
)
