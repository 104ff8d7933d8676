"""GTZAN (Tzanetakis and Cook, 2002): 1000 clips of 30 s in 10 genres, 22,050 Hz mono 16-bit, with the tempo
annotations of GTZAN-Rhythm (Marchand and Peeters, 2015) when they lie beside it.

Licence: none is known (mirdata's ``LICENSE_INFO`` says it could not find one); the clips are copyrighted
recordings, so export treats the corpus as not redistributable. GTZAN-Rhythm asks for a citation.

Layout, as the copies in use extract::

    <root>/genres/<genre>/<genre>.000NN.wav         the Marsyas ``genres.tar.gz``; older copies hold Sun ``.au``
    <root>/genres_original/<genre>/<genre>.000NN.wav  the Kaggle copy (its ``Data/`` folder is the root)
    <root>/GTZAN-Rhythm*/stats.csv                   optional: GTZAN-Rhythm v2 (``GTZAN-Rhythm_v2_ismir2015_lbd``)

with the genres ``blues classical country disco hiphop jazz metal pop reggae rock`` and NN from 00 to 99. The
genre is the folder and file name; it is spelled as every parser spells genres (``hiphop`` is ``hip-hop``,
as mirdata writes it; ``audio_flan.sources._music_labels``).

``stats.csv`` (GTZAN-Rhythm, mirrored in ``seungheondoh/gtzan-bind`` ``dataset/rhythm/marchand2015swing/``) is
comma-separated with the header ``filename,artist,title,tempo mean,tempo std,swing ?,swing ratio median,swing
ratio iqr,swing confidence,meter,ternary ?,beat by measure``, one row per clip (``blues.00000.wav,...``); titles
holding commas are double-quoted and empty cells occur. The tempo is ``tempo mean`` in BPM. A clip without a
row has no tempo (None), and tempo comparison leaves it out; a row that is not what the header says is an error
naming the file and line. Under ``on_error="skip"`` the row is counted by every shard (each reads the file; the
load's report holds it once per split loaded) and skipped; the clip it names, when its filename is a GTZAN clip, is then left out too
(its annotation is unknown, and reading it as unannotated would be wrong), counted under its own reason by the
shard that holds it. A header that is not GTZAN-Rhythm's stays an error under every policy.

Splits: the fault-filtered split of Kereliuk, Sturm and Larsen (2015), as jordipons/sklearn-audio-transfer-
learning and torchaudio's ``GTZAN(subset=...)`` list it: 443 train, 197 validation and 290 test clips, with no
artist in two splits; the 70 clips it leaves out (repeats, distortions, mislabellings found by Sturm) are
counted and reported, never read. Copies set up for that split often carry its three lists beside ``genres/``
(``train_filtered.txt``, ``valid_filtered.txt``, ``test_filtered.txt``, as Kereliuk's ``coreyker/dnn-mgr`` wrote
them and as READMEs of public GTZAN trainers ask: one ``<genre>/<genre>.000NN.wav`` per line, ``.au`` in older
copies). When all three lie in the root, the split is read from them, so a copy may carry the lists of the clips it
holds (the bundled sample does, and so loads without a warning about the hundreds of clips it does not copy);
every clip they list and the folder lacks is still skipped, counted and reported, and the clips they leave out
are those on disk that no list names. Without them (or with only some of them) the built-in split applies. A
line that is not a GTZAN clip, or a clip in two lists, is an error naming the file and line under every policy
(the split would be wrong, not just short). ``jazz.00054.wav`` of the Kaggle copy is corrupt (no decodable audio): that
one file's header is read, and when it does not open the clip is skipped, counted and reported (a sound copy,
the Marsyas one, keeps it). Each split is cut into shards by a BLAKE2 hash of the clip name, so every shard
mixes genres and tempi; listing reads nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import soundfile as sf

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, text_lines, visible_names

#: the genre folders as distributed, in order
GENRE_FOLDERS = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")
GENRES = tuple(music.genre(g) for g in GENRE_FOLDERS)
AUDIO_DIRS = ("genres", "genres_original")
SUFFIXES = (".wav", ".au")
RHYTHM_PREFIX = "GTZAN-Rhythm"
STATS = "stats.csv"
STATS_COLUMNS = ("filename", "artist", "title", "tempo mean")
#: the files known to ship broken in some copies: their header is checked before they are handed on
KNOWN_CORRUPT = ("jazz.00054",)
SHARDS = {"train": 4, "validation": 2, "test": 2}
FIELDS = ("id", "audio", "genre", "tempo", "artist", "title")

#: the fault-filtered split, per genre folder: clip numbers as ranges
_FILTERED = {
    "train": {
        "blues": "29-49 73-97",
        "classical": "30-33 43-48 50-67 80-99",
        "country": "19-26 28-29 65-99",
        "disco": "5 15-20 22-37 39-45 47 49 53-54 56-57 59 61 70 73-74 89",
        "hiphop": "2-25 28-29 31-38 41-42 55-61 77-80",
        "jazz": "0-1 11-24 41 47-72",
        "metal": "2-3 5 21 24 35 46-57 59-66 69 71-72 79-80 84 86 89-99",
        "pop": "2-9 11-12 16-20 23-29 31-36 38-42 44 46 49-50 80 97-99",
        "reggae": "0-2 4 6 9 11-12 14-32 42-45 49-51 54-60 63 69",
        "rock": "0-9 16-26 57-70 91-99",
    },
    "validation": {
        "blues": "0-11 50-60",
        "classical": "0-10 68-76",
        "country": "0-7 9-18 27 41-42 45 49",
        "disco": "0 2-4 6-14 46 48 52 67-68 72 75 90 95",
        "hiphop": "81-98",
        "jazz": "2-10 25-32",
        "metal": "0-1 6-11 16-20 36-37 68 76-77 81-82",
        "pop": "10 53 55 58-62 81 83-86",
        "reggae": "61-62 70 72 74 76-78 85 92-99",
        "rock": "38 49-56 71-85",
    },
    "test": {
        "blues": "12-28 61-72 98-99",
        "classical": "11-29 34-41 49 77-79",
        "country": "30-40 43-44 46-48 50-51 53-64",
        "disco": "1 21 58 62-66 69 76-88 91-94 96-97 99",
        "hiphop": "0 26-27 30 40 43-45 51-54 62-75 99",
        "jazz": "73-99",
        "metal": "12-15 22-23 25-33 38-39 67 70 73-75 78 83 85 87-88",
        "pop": "0-1 13-14 43 63-66 69-79 82 88-96",
        "reggae": "34-40 46-48 52-53 64-68 71 79 82-84 87-90",
        "rock": "10-15 27-37 39-48 86-90",
    },
}


def _expand(ranges: str) -> list[int]:
    numbers: list[int] = []
    for part in ranges.split():
        low, _, high = part.partition("-")
        numbers.extend(range(int(low), int(high or low) + 1))
    return numbers


#: clip name (``blues.00029``) -> split, for the 930 clips of the fault-filtered split
SPLIT_OF = {
    f"{genre}.{n:05d}": split for split, genres in _FILTERED.items() for genre, r in genres.items() for n in _expand(r)
}
ALL_CLIPS = tuple(f"{genre}.{n:05d}" for genre in GENRE_FOLDERS for n in range(100))
_CLIPS = frozenset(ALL_CLIPS)


#: the fault-filtered split's list files, as copies in use carry them beside ``genres/``
SPLIT_FILES = {"train": "train_filtered.txt", "validation": "valid_filtered.txt", "test": "test_filtered.txt"}


class GTZANFormatError(CorpusFormatError):
    """A GTZAN-Rhythm stats.csv or a split list that is not what its README says."""


def audio_dir(root: Path) -> Path | None:
    for name in AUDIO_DIRS:
        if (root / name / "blues").is_dir() and (root / name / "rock").is_dir():
            return root / name
    return None


def detect(root: Path) -> bool:
    return audio_dir(root) is not None


def shard_of(clip: str, count: int) -> int:
    return stable_hash(clip) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split, index, count]`` per shard; the split is fixed, so nothing is read."""
    return {split: [[split, i, count] for i in range(count)] for split, count in SHARDS.items()}


def stats_file(root: Path) -> Path | None:
    """GTZAN-Rhythm's stats.csv, in the first ``GTZAN-Rhythm*`` folder of the root that holds one."""
    for name in visible_names(root):
        if name.startswith(RHYTHM_PREFIX) and (root / name / STATS).is_file():
            return root / name / STATS
    return None


def read_stats(path: Path, skips: Skips | None = None) -> dict[str, dict]:
    """Clip name -> ``{"tempo", "artist", "title"}`` from GTZAN-Rhythm's stats.csv; with ``skips`` of a load that
    skips bad rows, a clip named by a malformed row maps to None (its annotation is unknown)."""
    return {clip: row for clip, row in read_stats_rows(path, skips).items() if row is not None}


def read_stats_rows(path: Path, skips: Skips | None = None) -> dict[str, dict | None]:
    """As :func:`read_stats`, keeping the clips of malformed rows as None (skipped under ``skips``)."""
    rows: dict[str, dict | None] = {}
    lines: dict[str, int] = {}
    for line_no, row in csv_rows(path, GTZANFormatError, required=STATS_COLUMNS, skips=skips):
        where = f"{path}:{line_no}"
        clip = ""
        try:
            name = row["filename"].strip()
            clip = name[: -len(".wav")] if name.endswith(".wav") else ""
            if clip not in _CLIPS:
                raise GTZANFormatError(f"{where}: filename {name!r} is not a GTZAN clip (<genre>.000NN.wav)")
            if clip in rows:
                raise GTZANFormatError(f"{where}: {name} is listed twice (first at line {lines[clip]})")
            try:
                tempo = music.bpm(row["tempo mean"])
            except ValueError as err:
                raise GTZANFormatError(f"{where}: {err}") from None
        except GTZANFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            if clip in _CLIPS:
                rows[clip] = None  # the clip's annotation is unknown: its record depends on this row
                lines.setdefault(clip, line_no)
            continue
        lines[clip] = line_no
        rows[clip] = {"tempo": tempo, "artist": row["artist"].strip() or None, "title": row["title"].strip() or None}
    return rows


def read_split_files(root: Path) -> dict[str, str] | None:
    """Clip name -> split from the root's three fault-filtered split lists, or None when they are not all there."""
    paths = {split: root / name for split, name in SPLIT_FILES.items()}
    if not all(p.is_file() for p in paths.values()):
        return None
    split_of: dict[str, str] = {}
    where_listed: dict[str, str] = {}
    for split, path in paths.items():
        for line_no, text in text_lines(path, GTZANFormatError):
            entry = text.strip()
            if not entry:
                continue
            genre, _, name = entry.partition("/")
            clip, suffix = os.path.splitext(name)
            if (
                genre not in GENRE_FOLDERS
                or suffix not in SUFFIXES
                or clip not in _CLIPS
                or clip.split(".")[0] != genre
            ):
                raise GTZANFormatError(f"{path}:{line_no}: {entry!r} is not a GTZAN clip (<genre>/<genre>.000NN.wav)")
            if clip in split_of:
                raise GTZANFormatError(f"{path}:{line_no}: {entry} is listed before (at {where_listed[clip]})")
            split_of[clip] = split
            where_listed[clip] = f"{path.name}:{line_no}"
    return split_of


def _audio(folder: Path, clip: str) -> Path | None:
    genre = clip.split(".")[0]
    for suffix in SUFFIXES:
        path = folder / genre / f"{clip}{suffix}"
        if path.is_file():
            return path
    return None


def _readable(path: Path) -> bool:
    try:
        sf.info(os.fspath(path))
    except (RuntimeError, sf.LibsndfileError, OSError):
        return False
    return True


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SHARDS):
        raise GTZANFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise GTZANFormatError(f"shard {shard!r} is not [split, index, count]")
    folder = audio_dir(root)
    if folder is None:
        raise GTZANFormatError(f"{root}: no genres/<genre>/ (or genres_original/<genre>/) folders")
    skips = Skips(f"GTZAN {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    stats_path = stats_file(root)
    stats = read_stats_rows(stats_path, Skips(f"GTZAN-Rhythm {stats_path}")) if stats_path else {}
    split_of = read_split_files(root) or SPLIT_OF
    if split == "train" and index == 0:  # clips of no split: counted by the train split's first shard
        for clip in ALL_CLIPS:
            if clip not in split_of and _audio(folder, clip) is not None:
                skips.add("clip(s) the fault-filtered split leaves out", clip, always=True, audio=False)
    for clip in sorted(c for c, s in split_of.items() if s == split and shard_of(c, count) == index):
        path = _audio(folder, clip)
        if path is None:
            skips.add(f"clip(s) whose {folder.name}/<genre>/<clip>.wav is missing", clip)
            continue
        if clip in KNOWN_CORRUPT and not _readable(path):
            skips.add("clip(s) whose audio does not decode (a known corrupt file)", str(path), always=True)
            continue
        if clip in stats and stats[clip] is None:
            skips.add(f"clip(s) whose row of {STATS} is malformed", clip, always=True, audio=False)
            continue
        annotation = stats.get(clip) or {}
        yield {
            "id": clip,
            "audio": os.fspath(path),
            "genre": music.genre(clip.split(".")[0]),
            "tempo": annotation.get("tempo"),
            "artist": annotation.get("artist"),
            "title": annotation.get("title"),
        }
    skips.report()


SOURCE = Source(
    name="gtzan",
    corpus="GTZAN",
    license="unknown (copyrighted recordings); GTZAN-Rhythm: citation requested",
    redistributable=False,
    homepage="http://marsyas.info/downloads/datasets.html",
    layout="a folder with genres/<genre>/<genre>.000NN.wav (or Kaggle's genres_original/), optionally GTZAN-Rhythm*/stats.csv and {train,valid,test}_filtered.txt",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="GTZAN",
    labels={"genre": GENRES},
    languages=(),
)
