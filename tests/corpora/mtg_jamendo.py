"""MTG-Jamendo autotagging as the GitHub repository's ``data/`` folder and ``download.py --unpack`` lay it out:
``data/autotagging.tsv`` and ``data/splits/split-0/autotagging-{train,validation,test}.tsv`` (CRLF, a variable
number of ``<category>---<tag>`` columns), and ``audio/NN/<id>.mp3`` (real MP3, one ``.low.mp3`` only, macOS
debris)."""

from __future__ import annotations

import io
from pathlib import Path

import soundfile as sf

from .common import Corpus, apple_double, replace_line, signal

RATE = 44100
ROOT = "mtg-jamendo-dataset"
HEADER = "TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS"
GENRES = ["rock", "hiphop", "electronic", "pop", "rnb"]
INSTRUMENTS = ["guitar", "acousticguitar", "piano", "drums", "voice"]
MOODS = ["happy", "sad", "calm", "film", "energetic"]
COUNTS = {"train": 24, "validation": 8, "test": 8}
GENRE_WORDS = {"hiphop": "hip-hop", "rnb": "r&b"}
INSTRUMENT_WORDS: dict[str, str] = {}


def mp3_bytes(freq: float, seconds: float = 0.2) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, seconds, freq), RATE, format="MP3")
    return buffer.getvalue()


def row(track: int, artist: int, album: int, duration: float, tags: list[str]) -> str:
    return "\t".join(
        [f"track_{track:07d}", f"artist_{artist:06d}", f"album_{album:06d}", path_of(track), f"{duration:.1f}", *tags]
    )


def path_of(track: int) -> str:
    return f"{track % 100:02d}/{track}.mp3"


def write_tsv(path: Path, rows: list[str]) -> None:
    """CRLF line endings, as the repository's TSVs have."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8"))


def tags_of(k: int) -> tuple[list[str], list[str], list[str]]:
    genres = sorted({GENRES[k % 5]} | ({GENRES[(k + 2) % 5]} if k % 3 == 0 else set()))
    instruments = sorted({INSTRUMENTS[k % 5]} | ({INSTRUMENTS[(k + 1) % 5]} if k % 4 == 0 else set()))
    moods = [] if k % 7 == 6 else sorted({MOODS[k % 5]} | ({MOODS[(k + 1) % 5]} if k % 2 == 0 else set()))
    return genres, instruments, moods


def build(base: Path) -> Corpus:
    """``base/mtg-jamendo-dataset/data/...`` with ``data/audio/NN/<id>.mp3``; root is ``data/``, data_dir the
    checkout."""
    checkout = base / ROOT
    data = checkout / "data"
    audio = data / "audio"
    expected, every, k = {}, [], 0
    per_split: dict[str, list[str]] = {}
    for split, count in COUNTS.items():
        rows = []
        for _ in range(count):
            track = 1000 + 37 * k
            genres, instruments, moods = tags_of(k)
            tags = [f"genre---{g}" for g in genres] + [f"instrument---{i}" for i in instruments]
            tags += [f"mood/theme---{m}" for m in moods]
            rows.append(row(track, 100 + k % 6, 200 + k % 9, 120.0 + k, tags))
            mp3 = audio / path_of(track)
            mp3.parent.mkdir(parents=True, exist_ok=True)
            if k == 5:  # an audio-low download: only the .low.mp3 is there
                mp3 = mp3.with_name(f"{track}.low.mp3")
            mp3.write_bytes(mp3_bytes(220.0 * 2 ** ((k % 12) / 12)))
            genre_words = [GENRE_WORDS.get(g, g) for g in genres]
            instrument_words = [INSTRUMENT_WORDS.get(i, i) for i in instruments]
            expected[f"track_{track:07d}"] = {
                "audio": str(mp3),
                "artist_id": f"artist_{100 + k % 6:06d}",
                "album_id": f"album_{200 + k % 9:06d}",
                "duration": 120.0 + k,
                "tags": ", ".join(genre_words + instrument_words + moods),
                "genre": genre_words[0] if len(genres) == 1 else None,
                "instrument": instrument_words[0] if len(instruments) == 1 else None,
                "moods": ", ".join(moods) if moods else None,
                "emotion_tags": [m for m in moods if m != "film"],
                "split": split,
            }
            k += 1
        per_split[split] = rows
        every += rows
        write_tsv(data / "splits" / "split-0" / f"autotagging-{split}.tsv", rows)
    write_tsv(data / "autotagging.tsv", every)
    apple_double(Path(next(iter(expected.values()))["audio"]))
    return Corpus(data, checkout, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "splits" / "split-0" / "autotagging-train.tsv"
    replace_line(path, 3, "track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0\tgenre:rock\r")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    track = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[track]["audio"]).unlink()
    return "train", track
