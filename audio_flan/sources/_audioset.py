"""What the parsers of corpora over AudioSet's YouTube segments share (AudioSet weak labels, AudioCaps): YouTube
id checks, shards cut from one metadata file by a stable hash of the segment, and AudioSet's class list.

The user's clips are found by :class:`audio_flan.sources.readers.YouTubeClips` (the naming conventions it
accepts are listed there). Not a parser: the leading underscore keeps it out of discovery.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Shard
from .readers import Skips, csv_rows

YTID = re.compile(r"[A-Za-z0-9_-]{11}")
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 20
CLASS_COLUMNS = ("index", "mid", "display_name")


def shard_count(path: Path) -> int:
    """Shards for one metadata file, judged by its size (no read): up to 16, one per MiB."""
    return max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))


def file_shards(path: Path, key: str) -> list[Shard]:
    """``[key, index, count]`` for each shard of one metadata file."""
    count = shard_count(path)
    return [[key, i, count] for i in range(count)]


def shard_of(segment: str, count: int) -> int:
    """The shard a segment falls in: a stable hash, the same whatever ``PYTHONHASHSEED`` says."""
    return stable_hash(segment) % count


def check_shard(shard: Shard, keys, error: type[CorpusFormatError], what: str) -> tuple[str, int, int]:
    if not (
        isinstance(shard, list)
        and len(shard) == 3
        and shard[0] in keys
        and isinstance(shard[1], int)
        and isinstance(shard[2], int)
        and 0 <= shard[1] < shard[2]
    ):
        raise error(f"shard {shard!r} is not [{what}, index, count]")
    return shard[0], shard[1], shard[2]


def segment_id(ytid: str, start_seconds: float) -> str:
    """``<YouTube id>_<start in ms>``, as AudioSet's strong labels name a segment."""
    return f"{ytid}_{round(start_seconds * 1000)}"


def seconds(value: str, name: str, where: str, error: type[CorpusFormatError]) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number < 1e6:
        raise error(f"{where}: {name} is {value!r}; expected seconds, a number from 0")
    return number


def read_classes(path: Path, error: type[CorpusFormatError], skips: Optional[Skips] = None) -> dict[str, str]:
    """``class_labels_indices.csv`` (``index,mid,display_name``, display names quoted): mid -> display name. A
    malformed row raises unless ``skips`` is of a load that skips bad items; then it is counted there (the rows that
    name its mid are the caller's to leave out)."""
    names: dict[str, str] = {}
    for line_no, row in csv_rows(path, error, required=CLASS_COLUMNS, skips=skips):
        mid, name = row["mid"].strip(), row["display_name"].strip()
        try:
            if not row["index"].strip().isdigit() or not mid.startswith("/") or not name:
                raise error(f"{path}:{line_no}: expected '<index>,<mid like /m/09x0r>,\"<display name>\"'")
            if mid in names:
                raise error(f"{path}:{line_no}: mid {mid} is listed twice")
        except CorpusFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        names[mid] = name
    return names
