"""AudioCaps (Kim et al., NAACL 2019): human captions of 10-second AudioSet segments.

Licence: the caption CSVs are MIT (GitHub ``cdjkim/audiocaps``); the audio belongs to the YouTube uploaders, so
the clips a user downloaded are never redistributable (export leaves them out unless told otherwise).

Layout, as the GitHub repository distributes the captions (its ``dataset/README.md`` and ``dataset2.0/README.md``;
the files' bytes seen through the code search), with the user's clips anywhere below the root::

    audiocaps/
      dataset/train.csv  val.csv  test.csv          AudioCaps 1.0
      dataset2.0/train.csv  val.csv  test.csv       AudioCaps 2.0 (91,256 / 2,475 / 4,875 captions)
      <any folders>/<clips>                          see readers.YouTubeClips for the names accepted
                                                     (commonly <ytid>_<start>.wav or Y<ytid>.wav)

Each CSV has the header ``audiocap_id,youtube_id,start_time,caption``; only captions holding a comma are quoted;
``start_time`` is whole seconds and the clip is the 10 s from it. Train has one caption per clip, val and test
five (five rows sharing ``youtube_id`` and ``start_time``). Clips may be WAV/FLAC/MP3/Ogg or, through the
``video`` extra, m4a/mp4/webm.

Decisions: a record is one caption row (``id`` = ``audiocap_id``), so a clip of val/test gives five; its ``clip``
is the AudioSet segment id ``<ytid>_<start ms>``. When both versions are present, ``dataset2.0/`` is read.
train.csv -> train, val.csv -> validation, test.csv -> test. A row whose clip is not in the folder is skipped
and counted in one warning per shard (users rarely hold every clip). Rows are dealt into shards by a stable hash
of the clip, so a clip's captions stay together.

Every shard of a CSV reads every row (the shard needs the clip), so every shard checks every row: a malformed one
(a field count other than four, not UTF-8, an ``audiocap_id`` that is not a number or repeats one above, a
``youtube_id`` that is not 11 characters, a ``start_time`` that is not seconds, an empty caption) is an error naming
file and line by default, and under ``on_error="skip"`` is skipped and counted by every shard (once per split loaded).
A header that is not AudioCaps's stays an error under every policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._audioset import YTID, check_shard, file_shards, seconds, segment_id, shard_of
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, YouTubeClips, csv_rows, visible_names

VERSIONS = ("dataset2.0", "dataset")  # the newest first
FILES = {"train.csv": "train", "val.csv": "validation", "test.csv": "test"}
COLUMNS = ("audiocap_id", "youtube_id", "start_time", "caption")
FIELDS = ("id", "audio", "ytid", "start", "clip", "caption", "language")  # language: the captions'


class AudioCapsFormatError(CorpusFormatError):
    """An AudioCaps caption CSV that is not what the repository's README describes."""


def _folder(root: Path) -> Optional[Path]:
    """The caption folder read: ``dataset2.0/`` or ``dataset/`` holding val.csv and test.csv."""
    for version in VERSIONS:
        names = set(visible_names(root / version))
        if {"val.csv", "test.csv"} <= names:
            return root / version
    return None


def detect(root: Path) -> bool:
    return _folder(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[csv name, index, count]`` per shard; nothing is read (the count comes from each file's size)."""
    folder = _folder(root)
    shards: dict[str, list[Shard]] = {}
    if folder is not None:
        for name, split in FILES.items():
            if (folder / name).is_file():
                shards[split] = file_shards(folder / name, name)
    return shards


def read_rows(path: Path, skips: Optional[Skips] = None) -> Iterator[tuple[int, str, str, float, str]]:
    """(line, audiocap_id, YouTube id, start seconds, caption) per row, each checked; a malformed row raises, naming
    file and line (given ``skips`` of a load that skips bad items, it is skipped and counted there instead)."""
    seen: dict[str, int] = {}
    for line_no, row in csv_rows(path, AudioCapsFormatError, required=COLUMNS, skips=skips):
        try:
            checked = _row(f"{path}:{line_no}", row, seen)
        except AudioCapsFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        seen[checked[0]] = line_no
        yield (line_no, *checked)


def _row(where: str, row: dict[str, str], seen: dict[str, int]) -> tuple[str, str, float, str]:
    cap_id, ytid, start = row["audiocap_id"].strip(), row["youtube_id"].strip(), row["start_time"].strip()
    if not cap_id.isdigit():
        raise AudioCapsFormatError(f"{where}: audiocap_id {cap_id!r} is not a number")
    if cap_id in seen:
        raise AudioCapsFormatError(f"{where}: audiocap_id {cap_id} is also on line {seen[cap_id]}")
    if not YTID.fullmatch(ytid):
        raise AudioCapsFormatError(f"{where}: youtube_id {ytid!r} is not an 11-character YouTube id")
    caption = row["caption"].strip()
    if not caption:
        raise AudioCapsFormatError(f"{where}: the caption is empty")
    return cap_id, ytid, seconds(start, "start_time", where, AudioCapsFormatError), caption


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    name, index, count = check_shard(shard, FILES, AudioCapsFormatError, "caption csv")
    folder = _folder(root)
    if folder is None:
        raise AudioCapsFormatError(f"{root}: no dataset2.0/ or dataset/ folder with val.csv and test.csv")
    path = folder / name
    found = YouTubeClips([root])  # listed anew per shard: clips come and go between reads
    skips = Skips(f"AudioCaps {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    rows = Skips(f"AudioCaps {path}", SOURCE.missing_audio)  # malformed rows
    records: dict[int, Record] = {}
    for _, cap_id, ytid, start, caption in read_rows(path, rows):
        clip = segment_id(ytid, start)
        if shard_of(clip, count) != index:
            continue
        audio = found.find(ytid, start)
        if audio is None:
            skips.add("caption row(s) whose clip is not in the folder", f"{cap_id} ({clip})")
            continue
        records[int(cap_id)] = {
            "id": cap_id,
            "audio": audio,
            "ytid": ytid,
            "start": start,
            "clip": clip,
            "caption": caption,
            "language": "en",
        }
    yield from (records[k] for k in sorted(records))
    skips.report()
    rows.report()


SOURCE = Source(
    name="audiocaps",
    corpus="AudioCaps",
    license="captions MIT; audio owned by the YouTube uploaders",
    redistributable=False,
    homepage="https://audiocaps.github.io/",
    layout="dataset/ or dataset2.0/ with train.csv, val.csv, test.csv beside a folder of 10-s YouTube clips",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AudioCaps",
    languages=("en",),
    labels={"language": ("en",)},
)
