"""FMA, the Free Music Archive dataset (Defferrard et al., ISMIR 2017): 106,574 tracks of 16,341 artists with
their metadata; ``fma_small``/``fma_medium``/``fma_large`` hold 30 s clips, ``fma_full`` the whole tracks (MP3).

Licence: the metadata CC BY 4.0; each track under the licence its artist chose (``track.license``: mostly CC BY,
BY-NC, BY-NC-ND, BY-SA), so export treats the corpus as not redistributable.

Layout, as the ``fma_metadata.zip`` and ``fma_<size>.zip`` archives extract (read from GitHub ``mdeff/fma``,
snapshot ``607364e``: README, ``utils.py``, ``creation.ipynb``)::

    fma_metadata/tracks.csv  genres.csv  features.csv  echonest.csv  ...
    fma_small/000/000002.mp3 ...        the folder is the first 3 digits of the 6-digit track id
    fma_small/README.txt  fma_small/checksums
    fma_medium/ fma_large/ fma_full/    the same layout

``tracks.csv`` has a **three-row header** (``pd.read_csv(index_col=0, header=[0, 1])``): the top-level name of
each column (``album``, ``artist``, ``set``, ``track``), its sub-name (``title``, ``name``, ``split``, ...), then
``track_id`` and empty cells. After the index come 52 columns in sorted order; quoted free-text cells hold commas
and newlines; rows are sorted by track id. Columns are found by their two names, never by position.

Fields: ``artist`` (``artist.name``), ``artist_id``, ``title``, ``genre_top`` (``track.genre_top``, set only when
the track has exactly one root genre; spelled as every parser spells genres, ``Soul-RnB`` is ``soul and r&b``),
``subset`` and ``license``. Splits: FMA's own ``set.split`` (training, validation, test), assigned **per artist**,
so an artist's tracks stay in one split; artist identification therefore asks to pick the artist among
candidates drawn from the same split (the registry binds a number of candidates).

Which audio is read: the largest ``fma_*`` folder present (full, large, medium, small), for the tracks whose
``set.subset`` it holds (``small`` is within ``medium`` within ``large``; ``full`` holds every track). A track
of that subset whose MP3 is absent is skipped and counted; the three MP3s of ``fma_small`` known to hold no
decodable audio (``099134``, ``108925``, ``133297``: mdeff/fma issues #36, #44, #70) are skipped and counted
whatever the policy. Shards cut a split by a BLAKE2 hash of the track id, about one per 32 MiB of tracks.csv
(judged by its size), at most 8.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

TRACKS = ("fma_metadata", "tracks.csv")
AUDIO_DIRS = ("fma_full", "fma_large", "fma_medium", "fma_small")
SUBSETS = ("small", "medium", "large")  # cumulative
SPLITS = {"training": "train", "validation": "validation", "test": "test"}
MAX_SHARDS = 8
BYTES_PER_SHARD = 32 * 1024 * 1024
NEEDED = (
    ("artist", "name"),
    ("artist", "id"),
    ("track", "title"),
    ("track", "genre_top"),
    ("track", "license"),
    ("set", "split"),
    ("set", "subset"),
)
#: the 16 top-level genres of genres.csv, as every parser spells genres
TOP_GENRES = tuple(
    music.genre(g)
    for g in (
        "Blues",
        "Classical",
        "Country",
        "Easy Listening",
        "Electronic",
        "Experimental",
        "Folk",
        "Hip-Hop",
        "Instrumental",
        "International",
        "Jazz",
        "Old-Time / Historic",
        "Pop",
        "Rock",
        "Soul-RnB",
        "Spoken",
    )
)
UNDECODABLE = ("099134", "108925", "133297")
FIELDS = ("id", "audio", "artist", "artist_id", "title", "genre_top", "subset", "license")


class FMAFormatError(CorpusFormatError):
    """A tracks.csv that is not what FMA's README and utils.py say."""


def detect(root: Path) -> bool:
    return root.joinpath(*TRACKS).is_file() and any((root / d).is_dir() for d in AUDIO_DIRS)


def audio_dir(root: Path) -> Path:
    return next(root / d for d in AUDIO_DIRS if (root / d).is_dir())


def shard_of(track: str, count: int) -> int:
    return stable_hash(track) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split, index, count]`` per shard of each FMA split; the count is judged by tracks.csv's size."""
    count = max(1, min(MAX_SHARDS, root.joinpath(*TRACKS).stat().st_size // BYTES_PER_SHARD))
    return {split: [[split, i, count] for i in range(count)] for split in SPLITS.values()}


def read_tracks(path: Path, skips: Skips | None = None) -> Iterator[tuple[int, dict[tuple[str, str], str]]]:
    """(line, row by (top, sub) column name) for every track of tracks.csv, after its three header rows."""
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in text_lines(path, FMAFormatError, skips=skips):
            numbers.append(number)
            yield text + "\n"

    reader = csv.reader(feed(), strict=True)
    header: list[list[str]] = []
    names: list[tuple[str, str]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise FMAFormatError(
                f"{path}:{numbers[-1] if numbers else 1}: not valid comma-separated text ({err})"
            ) from None
        line_no = numbers[-1]
        if len(header) < 3:
            header.append(values)
            if len(header) == 3:
                names = _columns(path, header)
            continue
        if not values or values == [""]:
            continue
        if len(values) != len(names):
            bad = FMAFormatError(f"{path}:{line_no}: expected {len(names)} comma-separated fields, got {len(values)}")
            if skips is None:
                raise bad
            skips.bad(bad)
            continue
        yield line_no, dict(zip(names, values))
    if len(header) < 3:
        raise FMAFormatError(
            f"{path}:{len(header) + 1}: expected FMA's three header rows (top names, sub-names, track_id)"
        )


def _columns(path: Path, header: list[list[str]]) -> list[tuple[str, str]]:
    top, sub, index = header
    if not (len(top) == len(sub) == len(index)) or index[:1] != ["track_id"] or any(index[1:]):
        raise FMAFormatError(
            f"{path}:3: expected the third header row 'track_id' then empty cells, as wide as the first two "
            f"(got {len(top)}, {len(sub)} and {len(index)} fields)"
        )
    names = [("", "track_id")] + list(zip(top[1:], sub[1:]))
    lacking = [f"{a}.{b}" for a, b in NEEDED if (a, b) not in names]
    if lacking:
        raise FMAFormatError(f"{path}:1: the header lacks the columns {', '.join(lacking)}")
    return names


def _record(path: Path, line_no: int, row: dict, folder: Path) -> tuple[str, str, dict]:
    """(split, subset, record) of one row; raises naming the line when a value is not what FMA writes."""
    where = f"{path}:{line_no}"
    raw_id = row[("", "track_id")].strip()
    if not raw_id.isdigit():
        raise FMAFormatError(f"{where}: track_id {raw_id!r} is not a number")
    split = SPLITS.get(row[("set", "split")].strip())
    if split is None:
        raise FMAFormatError(f"{where}: set.split is {row[('set', 'split')]!r}; expected training, validation or test")
    subset = row[("set", "subset")].strip()
    if subset not in SUBSETS:
        raise FMAFormatError(f"{where}: set.subset is {subset!r}; expected small, medium or large")
    artist = row[("artist", "name")].strip()
    if not artist:
        raise FMAFormatError(f"{where}: artist.name is empty")
    genre = row[("track", "genre_top")].strip()
    genre_top = music.genre(genre) if genre else None
    if genre_top is not None and genre_top not in TOP_GENRES:
        raise FMAFormatError(f"{where}: track.genre_top {genre!r} is not one of FMA's 16 top-level genres")
    track = f"{int(raw_id):06d}"
    record = {
        "id": track,
        "audio": os.fspath(folder / track[:3] / f"{track}.mp3"),
        "artist": artist,
        "artist_id": row[("artist", "id")].strip(),
        "title": row[("track", "title")].strip() or None,
        "genre_top": genre_top,
        "subset": subset,
        "license": row[("track", "license")].strip() or None,
    }
    return split, subset, record


def _holds(folder: Path, subset: str) -> bool:
    size = folder.name[len("fma_") :]
    return size == "full" or SUBSETS.index(subset) <= SUBSETS.index(size)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SPLITS.values()):
        raise FMAFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise FMAFormatError(f"shard {shard!r} is not [split, index, count]")
    path = root.joinpath(*TRACKS)
    folder = audio_dir(root)
    skips = Skips(f"FMA {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    rows = Skips(f"FMA {path}", SOURCE.missing_audio)  # every shard checks (and counts) every row
    for line_no, row in read_tracks(path, rows):
        try:
            row_split, subset, record = _record(path, line_no, row, folder)
        except FMAFormatError as err:
            rows.bad(err)
            continue
        if row_split != split or shard_of(record["id"], count) != index or not _holds(folder, subset):
            continue
        if folder.name == "fma_small" and record["id"] in UNDECODABLE:
            skips.add("track(s) whose MP3 holds no decodable audio (known)", record["id"], always=True)
            continue
        if not os.path.isfile(record["audio"]):
            skips.add(f"track(s) of {folder.name} whose MP3 is missing", f"line {line_no}: {record['id']}")
            continue
        yield record
    skips.report()
    rows.report()


SOURCE = Source(
    name="fma",
    corpus="FMA",
    license="metadata CC BY 4.0; audio per-track licences (track.license)",
    redistributable=False,
    homepage="https://github.com/mdeff/fma",
    layout="a folder with fma_metadata/tracks.csv and fma_small/ (or fma_medium/, fma_large/, fma_full/) NNN/NNNNNN.mp3",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="FMA",
    labels={"genre_top": TOP_GENRES},
    languages=(),
)
