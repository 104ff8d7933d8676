"""MusicCaps (Agostinelli et al., 2023, with MusicLM): 5,521 ten-second music clips of AudioSet, each with a
caption and an aspect list written by musicians. Google releases the text only; the audio is the user's own
download of the YouTube clips.

Licence: the captions CC BY-SA 4.0 (Kaggle ``googleai/musiccaps``, HF ``google/MusicCaps``); the audio belongs to
its YouTube uploaders, so export treats the corpus as not redistributable.

Layout::

    <root>/musiccaps-public.csv       ytid,start_s,end_s,audioset_positive_labels,aspect_list,caption,author_id,
                                      is_balanced_subset,is_audioset_eval
    <root>/<any folder>/<clip>        the user's clips, found by name (``readers.YouTubeClips``): ``<ytid>.wav``
                                      (the usual download scripts, e.g. nateraw/download-musiccaps-dataset, cut
                                      the 10 s segment and name it by its id), ``<ytid>_<start>_<end>.wav``,
                                      ``Y<ytid>_<start>.000_<end>.000.wav``, ... in wav, flac, mp3, ogg, opus

The CSV has a header and one row per clip; ``aspect_list`` is a Python list written as text
(``"['low quality', 'sustained strings melody']"``), ``audioset_positive_labels`` a quoted comma-separated list of
AudioSet ids, the ``is_*`` columns ``True``/``False``; captions are quoted and may hold commas and quotes. A row
that is not so (a field count, a flag, a list that does not parse, times that are not 10 s apart at most) is an
error naming the file and line. The header was confirmed by several public loaders; the file was not seen whole.

Splits: ``is_audioset_eval`` (the 2,858 clips of AudioSet's eval segments) is ``test``, the rest ``train``, as
MusicLM's evaluation uses it. A row whose clip the user does not have is skipped and counted (one warning per
shard): YouTube clips go missing. Shards cut a split by a BLAKE2 hash of the ytid (about one per 512 KiB of the
CSV, judged by its size, at most 4). The clip is taken to be the 10 s segment itself (as the download scripts
write it), not the whole video.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, YouTubeClips, csv_rows, visible_names

CSV = "musiccaps-public.csv"
COLUMNS = (
    "ytid",
    "start_s",
    "end_s",
    "audioset_positive_labels",
    "aspect_list",
    "caption",
    "author_id",
    "is_balanced_subset",
    "is_audioset_eval",
)
BOOLS = {"True": True, "False": False}
MAX_SHARDS = 4
BYTES_PER_SHARD = 512 * 1024
FIELDS = ("id", "audio", "caption", "aspects", "start", "end", "author_id", "balanced")


class MusicCapsFormatError(CorpusFormatError):
    """A musiccaps-public.csv that is not what its documentation says."""


def detect(root: Path) -> bool:
    return (root / CSV).is_file()


def shard_of(ytid: str, count: int) -> int:
    return stable_hash(ytid) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    count = max(1, min(MAX_SHARDS, (root / CSV).stat().st_size // BYTES_PER_SHARD))
    return {split: [[split, i, count] for i in range(count)] for split in ("train", "test")}


def _row(path: Path, line_no: int, row: dict) -> dict:
    where = f"{path}:{line_no}"
    flags = {}
    for name in ("is_balanced_subset", "is_audioset_eval"):
        if row[name] not in BOOLS:
            raise MusicCapsFormatError(f"{where}: {name} is {row[name]!r}; expected True or False")
        flags[name] = BOOLS[row[name]]
    try:
        start, end = float(row["start_s"]), float(row["end_s"])
    except ValueError:
        raise MusicCapsFormatError(
            f"{where}: start_s/end_s {row['start_s']!r}, {row['end_s']!r} are not seconds"
        ) from None
    if not 0 <= start < end <= start + 10:
        raise MusicCapsFormatError(f"{where}: the clip {start}-{end} s is not a segment of at most 10 s")
    try:
        aspects = ast.literal_eval(row["aspect_list"])
    except (ValueError, SyntaxError):
        aspects = None
    if not isinstance(aspects, list) or not all(isinstance(a, str) for a in aspects):
        raise MusicCapsFormatError(f"{where}: aspect_list {row['aspect_list'][:60]!r} is not a list of strings")
    caption = row["caption"].strip()
    if not caption:
        raise MusicCapsFormatError(f"{where}: the caption is empty")
    ytid = row["ytid"].strip()
    if len(ytid) != 11:
        raise MusicCapsFormatError(f"{where}: ytid {ytid!r} is not an 11-character YouTube id")
    return {
        "id": ytid,
        "caption": caption,
        "aspects": ", ".join(aspects),
        "start": start,
        "end": end,
        "author_id": row["author_id"].strip(),
        "balanced": flags["is_balanced_subset"],
        "split": "test" if flags["is_audioset_eval"] else "train",
    }


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in ("train", "test")):
        raise MusicCapsFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise MusicCapsFormatError(f"shard {shard!r} is not [split, index, count]")
    path = root / CSV
    clips = YouTubeClips([root / n for n in visible_names(root, strict=True) if (root / n).is_dir()])
    skips = Skips(f"MusicCaps {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    rows = Skips(f"MusicCaps {path}", SOURCE.missing_audio)
    for line_no, raw in csv_rows(path, MusicCapsFormatError, required=COLUMNS, skips=rows):
        try:
            row = _row(path, line_no, raw)
        except MusicCapsFormatError as err:
            rows.bad(err)
            continue
        if row.pop("split") != split or shard_of(row["id"], count) != index:
            continue
        audio = clips.find(row["id"], row["start"])
        if audio is None:
            skips.add("clip(s) the user has not downloaded", f"line {line_no}: {row['id']}")
            continue
        yield {**row, "audio": os.fspath(audio)}
    skips.report()
    rows.report()


SOURCE = Source(
    name="musiccaps",
    corpus="MusicCaps",
    license="captions CC BY-SA 4.0; audio from YouTube (the user's own download)",
    redistributable=False,
    homepage="https://www.kaggle.com/datasets/googleai/musiccaps",
    layout="a folder with musiccaps-public.csv and the downloaded clips (<ytid>.wav, ...) in any subfolder",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MusicCaps",
    languages=("en",),
)
