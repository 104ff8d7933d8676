"""AudioSet strong labels (Hershey et al., ICASSP 2021): timed sound events over AudioSet's 10-second YouTube
segments.

Licence: the labels are CC BY 4.0 (Google); the audio belongs to the YouTube uploaders, so the clips a user
scraped are never redistributable (export leaves them out unless told otherwise).

Layout, as ``research.google.com/audioset/download_strong.html`` distributes it, with the user's clips beside::

    <root>/
      audioset_train_strong.tsv    segment_id<TAB>start_time_seconds<TAB>end_time_seconds<TAB>label  (header)
      audioset_eval_strong.tsv     same columns
      mid_to_display_name.tsv      mid<TAB>display_name, no header
      <any folders>/<clips>        see readers.YouTubeClips for the names accepted

``segment_id`` is ``<YouTube id>_<start in ms>``; YouTube ids may hold ``_``, so it is split at its last ``_``.
Event times are seconds from the start of the 10-second segment, the audio the model hears. The
``*_framed_posneg.tsv`` files (five columns) are not read. ``train`` -> train, ``eval`` -> test.

A segment whose clip is not in the folder is skipped and counted in one warning per shard. Rows are dealt into
shards by a stable hash of the segment id (up to 16 per file, fewer for small files, judged by size).

Every shard reads the whole label file (a segment's rows may be anywhere in it). A malformed row (a
``segment_id`` that is not ``<YouTube id>_<ms>``, times outside 0-10 s or ending before they start, a label not
in mid_to_display_name.tsv, a row that is not four tab-separated UTF-8 fields) is an error naming file and line
by default; under ``on_error="skip"`` it is counted (once per split loaded) and the segment it belongs to is
left out whole, since a segment missing one of its events would be mislabelled: for a row the TSV reader
refuses (a wrong field count, not UTF-8), the segment its line begins with (a line that begins with no segment id
names no segment, and nothing more is left out). A malformed row of
mid_to_display_name.tsv is counted the same way (the events naming its mid are then malformed rows too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, YouTubeClips, csv_rows, text_lines, visible_names

FILES = {"audioset_train_strong.tsv": "train", "audioset_eval_strong.tsv": "test"}
SEGMENT = re.compile(r"[A-Za-z0-9_-]{11}_\d+")  # <YouTube id>_<start in ms>
NAMES = "mid_to_display_name.tsv"
COLUMNS = ("segment_id", "start_time_seconds", "end_time_seconds", "label")
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 20
FIELDS = ("id", "audio", "ytid", "start", "segments", "event_sequence", "timed_events", "subset")


class AudioSetStrongFormatError(CorpusFormatError):
    """An AudioSet strong-label file that is not what the download page describes."""


def detect(root: Path) -> bool:
    names = set(visible_names(root))
    return NAMES in names and any(f in names for f in FILES)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[file, index, count]`` per shard; nothing is read (the count comes from each file's size)."""
    shards: dict[str, list[Shard]] = {}
    for name, split in FILES.items():
        path = root / name
        if path.is_file():
            count = max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))
            shards.setdefault(split, []).extend([name, i, count] for i in range(count))
    return shards


def shard_of(segment_id: str, count: int) -> int:
    return stable_hash(segment_id) % count


def read_names(path: Path, skips: Optional[Skips] = None) -> dict[str, str]:
    """mid -> display name. A malformed row raises (given ``skips`` of a load that skips bad items: counted)."""
    names = {}
    rows = csv_rows(path, AudioSetStrongFormatError, delimiter="\t", columns=("mid", "display_name"), skips=skips)
    for line_no, row in rows:
        mid, name = row["mid"].strip(), row["display_name"].strip()
        if not mid.startswith("/") or not name:
            bad = AudioSetStrongFormatError(f"{path}:{line_no}: expected '<mid like /m/09x0r><TAB><display name>'")
            if skips is None:
                raise bad
            skips.bad(bad)
            continue
        names[mid] = name
    return names


def _seconds(value: str, name: str, where: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0.0 <= seconds <= 10.0 + 1e-6:
        raise AudioSetStrongFormatError(f"{where}: {name} is {value!r}; expected seconds from 0 to 10")
    return seconds


def read_events(
    path: Path, names: dict[str, str], skips: Optional[Skips] = None
) -> dict[str, list[tuple[float, float, str]]]:
    """segment id -> its (start, end, display name) events, each row checked. A malformed row raises (given
    ``skips`` of a load that skips bad items: it is counted, and its segment left out whole)."""
    events: dict[str, list[tuple[float, float, str]]] = {}
    broken: set[str] = set()
    returned: set[int] = set()
    refused = skips.malformed if skips is not None else 0
    for line_no, row in csv_rows(path, AudioSetStrongFormatError, delimiter="\t", required=COLUMNS, skips=skips):
        returned.add(line_no)
        segment = row["segment_id"].strip()
        try:
            events.setdefault(segment, []).append(_event(f"{path}:{line_no}", segment, row, names))
        except AudioSetStrongFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            refused -= 1
            broken.add(segment)
    if skips is not None and skips.malformed > refused:  # rows the TSV reader refused (field count, not UTF-8)
        broken |= _leading_segments(path, returned)
    return {segment: found for segment, found in events.items() if segment not in broken}


def _leading_segments(path: Path, returned: set[int]) -> set[str]:
    """The segment ids that begin the lines of ``path`` the TSV reader returned no row for (segment_id is the
    first column): the segments of rows it refused. A line whose first field is no segment id names none."""
    found = set()
    for line_no, line in text_lines(path, AudioSetStrongFormatError, errors="replace"):
        head = line.split("\t", 1)[0].strip()
        if line_no not in returned and SEGMENT.fullmatch(head):
            found.add(head)
    return found


def _event(where: str, segment: str, row: dict[str, str], names: dict[str, str]) -> tuple[float, float, str]:
    ytid, _, ms = segment.rpartition("_")
    if len(ytid) != 11 or not ms.isdigit():
        raise AudioSetStrongFormatError(f"{where}: segment_id {segment!r} is not '<YouTube id>_<start in ms>'")
    start = _seconds(row["start_time_seconds"], "start_time_seconds", where)
    end = _seconds(row["end_time_seconds"], "end_time_seconds", where)
    if end < start:
        raise AudioSetStrongFormatError(f"{where}: the event ends ({end}) before it starts ({start})")
    mid = row["label"].strip()
    if mid not in names:
        raise AudioSetStrongFormatError(f"{where}: label {mid!r} is not in {NAMES}")
    return start, end, names[mid]


def describe(events: list[tuple[float, float, str]]) -> tuple[str, str]:
    """The events in onset order (consecutive repeats once), and as timed text for time-grounded generation."""
    order: list[str] = []
    for _, _, label in events:
        if not order or order[-1] != label:
            order.append(label)
    timed = "; ".join(f"{label} from {start:.2f} to {end:.2f} s" for start, end, label in events)
    return "; ".join(order), timed


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in FILES):
        raise AudioSetStrongFormatError(f"shard {shard!r} is not [strong-label file, index, count]")
    name, index, count = shard
    path = root / name
    skips = Skips(f"AudioSet strong {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    # every shard reads (and checks, and counts) every row: the load's report counts a bad one once
    rows, names = None, None
    if skips.skipping:
        rows = Skips(f"AudioSet strong {path}", SOURCE.missing_audio)
        names = Skips(f"AudioSet strong {root / NAMES}", SOURCE.missing_audio)
    events = read_events(path, read_names(root / NAMES, names), rows)
    found = YouTubeClips([root])  # listed anew per shard: clips come and go between reads
    for segment in sorted(events):
        if shard_of(segment, count) != index:
            continue
        ytid, _, ms = segment.rpartition("_")
        audio = found.find(ytid, int(ms) / 1000)
        if audio is None:
            skips.add("segment(s) whose clip is not in the folder", segment)
            continue
        ordered = sorted(events[segment])
        sequence, timed = describe(ordered)
        yield {
            "id": segment,
            "audio": audio,
            "ytid": ytid,
            "start": int(ms) / 1000,
            "segments": [[s, e, label] for s, e, label in ordered],
            "event_sequence": sequence,
            "timed_events": timed,
            "subset": name[: -len(".tsv")],
        }
    skips.report()
    for counted in (rows, names):
        if counted is not None:
            counted.report()


SOURCE = Source(
    name="audioset_strong",
    corpus="AudioSet",
    license="labels CC BY 4.0; audio owned by the YouTube uploaders",
    redistributable=False,
    homepage="https://research.google.com/audioset/download_strong.html",
    layout="audioset_{train,eval}_strong.tsv and mid_to_display_name.tsv beside a folder of 10-s YouTube clips",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AudioSet",
)
