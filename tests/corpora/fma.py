"""FMA as ``fma_metadata.zip`` and ``fma_small.zip`` extract: ``fma_metadata/tracks.csv`` with its three header rows
and 52 columns in sorted order (quoted free text holding commas and newlines, UTF-8 names), ``genres.csv``, and
``fma_small/NNN/NNNNNN.mp3`` (real MP3) with ``README.txt`` and ``checksums``; one ``medium`` track (not in
fma_small), one track with no single root genre, one of the known undecodable MP3s (``099134``)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import soundfile as sf

from .common import Corpus, apple_double, replace_line, signal

RATE = 44100
COLUMNS = {
    "album": "comments date_created date_released engineer favorites id information listens producer tags title "
    "tracks type",
    "artist": "active_year_begin active_year_end associated_labels bio comments date_created favorites id latitude "
    "location longitude members name related_projects tags website wikipedia_page",
    "set": "split subset",
    "track": "bit_rate comments composer date_created date_recorded duration favorites genre_top genres genres_all "
    "information interest language_code license listens lyricist number publisher tags title",
}
HEADER = [(top, sub) for top, subs in COLUMNS.items() for sub in subs.split()]
ARTISTS = [
    (1, "AWOL", "training"),
    (6, "Kurt Vile", "training"),
    (4, "Nicky Cook", "training"),
    (12, "Sigur Rós, and friends", "training"),  # a name holding a comma
    (20, "Ars Sonor", "validation"),
    (21, "Airway", "validation"),
    (22, "Blue Dot", "validation"),
    (30, "Mia Doi Todd", "test"),
    (31, "Chris Zabriskie", "test"),
    (32, "Kosta T", "test"),
]
GENRES = ["Hip-Hop", "Soul-RnB", "Old-Time / Historic", "Rock", "Electronic", "Folk", "Pop", "Experimental"]
UNDECODABLE = 99134
MEDIUM_ONLY = 5


def mp3_bytes(freq: float, seconds: float = 0.2) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, seconds, freq), RATE, format="MP3")
    return buffer.getvalue()


def row(track: int, artist_id: int, artist: str, split: str, subset: str, genre: str, title: str) -> list[str]:
    values = {
        ("album", "date_created"): "2008-11-26 01:44:45",
        ("album", "id"): str(100 + artist_id),
        ("album", "title"): f"Album {artist_id}",
        ("album", "type"): "Album",
        ("album", "tracks"): "7",
        ("artist", "bio"): f'<p>{artist} plays, sings\nand records "live".</p>',  # commas, a newline, quotes
        ("artist", "id"): str(artist_id),
        ("artist", "name"): artist,
        ("artist", "location"): "New Jersey",
        ("artist", "tags"): "['awol']",
        ("set", "split"): split,
        ("set", "subset"): subset,
        ("track", "bit_rate"): "256000",
        ("track", "date_created"): "2008-11-26 01:48:12",
        ("track", "duration"): "168",
        ("track", "genre_top"): genre,
        ("track", "genres"): "[21]",
        ("track", "genres_all"): "[21]",
        ("track", "interest"): "4656",
        ("track", "license"): "Attribution-NonCommercial-ShareAlike 3.0 International",
        ("track", "listens"): "1293",
        ("track", "number"): "3",
        ("track", "tags"): "[]",
        ("track", "title"): title,
    }
    return [str(track)] + [values.get(c, "") for c in HEADER]


def write_tracks(path: Path, rows: list[list[str]]) -> None:
    """tracks.csv as pandas writes a two-level header with a named index."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([""] + [top for top, _ in HEADER])
    writer.writerow([""] + [sub for _, sub in HEADER])
    writer.writerow(["track_id"] + [""] * len(HEADER))
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_genres(path: Path) -> None:
    lines = ["genre_id,#tracks,parent,title,top_level"] + [
        f"{i + 1},{100 - i},0,{g},{i + 1}" for i, g in enumerate(GENRES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(base: Path) -> Corpus:
    """``base/fma_metadata/`` and ``base/fma_small/``; root and data_dir are ``base``."""
    small = base / "fma_small"
    rows, expected, checksums = [], {}, []
    k = 0
    for artist_id, artist, split in ARTISTS:
        for n in range(3):
            track = 2 + 13 * k
            k += 1
            subset = "medium" if k == MEDIUM_ONLY else "small"
            genre = "" if k % 6 == 0 else GENRES[k % len(GENRES)]
            title = f"Track {n}, take {k}"
            rows.append(row(track, artist_id, artist, split, subset, genre, title))
            tid = f"{track:06d}"
            if subset == "medium":
                continue  # not in fma_small
            mp3 = small / tid[:3] / f"{tid}.mp3"
            mp3.parent.mkdir(parents=True, exist_ok=True)
            data = mp3_bytes(200.0 + 20 * k)
            mp3.write_bytes(data)
            checksums.append(f"{hashlib.sha1(data).hexdigest()}  {tid[:3]}/{tid}.mp3")
            expected[tid] = {
                "audio": str(mp3),
                "artist": artist,
                "artist_id": str(artist_id),
                "title": title,
                "genre_top": None
                if not genre
                else genre.lower()
                .replace("soul-rnb", "soul and r&b")
                .replace("old-time / historic", "old-time and historic"),
                "subset": "small",
                "license": "Attribution-NonCommercial-ShareAlike 3.0 International",
                "split": {"training": "train"}.get(split, split),
            }
    rows.append(row(UNDECODABLE, 40, "Broken Files", "training", "small", "Rock", "No audio"))
    bad = small / "099" / "099134.mp3"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00")
    rows.sort(key=lambda r: int(r[0]))
    write_tracks(base / "fma_metadata" / "tracks.csv", rows)
    write_genres(base / "fma_metadata" / "genres.csv")
    (small / "README.txt").write_text("This .zip archive is part of the FMA, a dataset for music analysis.\n")
    (small / "checksums").write_text("\n".join(checksums) + "\n")
    apple_double(Path(next(iter(expected.values()))["audio"]))
    return Corpus(base, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "fma_metadata" / "tracks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    # the first data row starts on line 4; its quoted bio spans two lines, so set.split and set.subset are on line 5
    assert ",training,small," in lines[4]
    replace_line(path, 5, lines[4].replace(",training,small,", ",training,tiny,", 1))
    return path, 5


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    track = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[track]["audio"]).unlink()
    return "train", track
