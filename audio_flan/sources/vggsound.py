"""VGGSound (Chen et al., ICASSP 2020): about 200,000 ten-second YouTube clips in 309 sound classes.

Licence: the annotations are CC BY 4.0 (VGG, Oxford); the audio belongs to the YouTube uploaders, so the clips a
user scraped are never redistributable (export leaves them out unless told otherwise).

Layout: the corpus is distributed as one CSV (www.robots.ox.ac.uk/~vgg/data/vggsound/; GitHub ``hche11/VGGSound``;
/work/shared/corpora/music_sound.md B6); the audio is the user's, beside it::

    <root>/
      vggsound.csv            youtube_id,start_seconds,label,split   -- no header, one row per clip
      <any folders>/<clips>   see readers.YouTubeClips: the official repo's <ytid>_<start:06d>.{mp4,wav}, ...

``start_seconds`` is an integer; the clip is the 10 s from there. Only labels holding a comma are quoted
(``"bee, wasp, etc. buzzing"``); labels are the corpus's display names (``people marching``) and are given as
they are. They form a closed set of 309 (``_vggsound_labels.LABELS``, the corpus repository's ``data/stat.csv``,
declared in ``Source.labels``): a row with any other label is an error naming file and line (or, under
``on_error="skip"``, a counted bad row), so a typo is not taken for a 310th class. ``split`` is ``train`` or ``test`` (the corpus's own split; VGGSound has no validation set). YouTube ids
may begin with ``-`` and hold ``_``. A row whose clip is not in the folder is skipped and counted in one warning
per shard (many videos are gone). Rows are dealt into shards by a stable hash of the clip id (up to 16 per split,
fewer for small files, judged by size), so a shard holds many classes: what mixtures of two classes draw on.
Clips stored as m4a/mp4/webm need the ``video`` extra to decode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from ._vggsound_labels import LABELS
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, YouTubeClips, csv_rows, visible_names

CSV = "vggsound.csv"
COLUMNS = ("youtube_id", "start_seconds", "label", "split")
SPLITS = {"train": "train", "test": "test"}
MAX_SHARDS = 16
BYTES_PER_SHARD = 256 * 1024
YTID = re.compile(r"[A-Za-z0-9_-]{11}")
FIELDS = ("id", "audio", "ytid", "start", "label")
KNOWN_LABELS = frozenset(LABELS)


class VGGSoundFormatError(CorpusFormatError):
    """A vggsound.csv that is not what the corpus's page describes."""


def detect(root: Path) -> bool:
    return CSV in visible_names(root) and (root / CSV).is_file()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split, index, count]`` per shard of each split; nothing is read (the count comes from the file's size)."""
    count = max(1, min(MAX_SHARDS, (root / CSV).stat().st_size // BYTES_PER_SHARD))
    return {split: [[split, i, count] for i in range(count)] for split in SPLITS.values()}


def shard_of(clip_id: str, count: int) -> int:
    return stable_hash(clip_id) % count


def read_rows(path: Path, skips: Skips) -> Iterator[tuple[int, dict]]:
    """(line, checked row) of every row; a bad row is an error naming file and line (or, when the load skips
    bad items, counted)."""
    for line_no, row in csv_rows(path, VGGSoundFormatError, columns=COLUMNS, skips=skips):
        where = f"{path}:{line_no}"
        ytid, start, label, split = (row[c].strip() for c in COLUMNS)
        problem = None
        if not YTID.fullmatch(ytid):
            problem = f"youtube_id {ytid!r} is not an 11-character YouTube id"
        elif not start.isdigit():
            problem = f"start_seconds {start!r} is not a whole number of seconds"
        elif not label:
            problem = "label is empty"
        elif label not in KNOWN_LABELS:
            problem = f"label {label!r} is not one of VGGSound's 309 classes"
        elif split not in SPLITS:
            problem = f"split {split!r} is not train or test"
        if problem:
            skips.bad(VGGSoundFormatError(f"{where}: {problem}; expected youtube_id,start_seconds,label,split"))
            continue
        yield line_no, {"ytid": ytid, "start": int(start), "label": label, "split": SPLITS[split]}


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SPLITS.values()):
        raise VGGSoundFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    path = root / CSV
    skips = Skips(f"VGGSound {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    # every row is checked by every shard; each counts a skipped bad row, the load's report once
    rows = Skips(f"VGGSound {path}", SOURCE.missing_audio)
    found = YouTubeClips([root])  # listed anew per shard: clips come and go between reads
    records: dict[str, Record] = {}
    for line_no, row in read_rows(path, rows):
        clip = f"{row['ytid']}_{row['start']:06d}"
        if row["split"] != split or shard_of(clip, count) != index:
            continue
        if clip in records:
            skips.bad(VGGSoundFormatError(f"{path}:{line_no}: clip {clip} repeats an earlier row"))
            continue
        audio = found.find(row["ytid"], row["start"])
        if audio is None:
            skips.add("row(s) whose clip is not in the folder", f"line {line_no}: {clip}")
            continue
        records[clip] = {"id": clip, "audio": audio, "ytid": row["ytid"], "start": row["start"], "label": row["label"]}
    yield from (records[k] for k in sorted(records))
    skips.report()
    rows.report()


SOURCE = Source(
    name="vggsound",
    corpus="VGGSound",
    license="annotations CC BY 4.0; audio owned by the YouTube uploaders",
    redistributable=False,
    homepage="https://www.robots.ox.ac.uk/~vgg/data/vggsound/",
    layout="vggsound.csv (youtube_id,start_seconds,label,split; no header) beside a folder of 10-s YouTube clips",
    fields=frozenset(FIELDS),
    labels={"label": LABELS},
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="VGGSound",
)
