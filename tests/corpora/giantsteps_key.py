"""GiantSteps Key as its GitHub repository ships it and ``audio_dl.sh`` fills it: ``annotations/key/<id>.LOFI.key``
(one line, no final newline, naturals and flats only), ``annotations/genre/<id>.LOFI.genre``, ``md5/<id>.LOFI.md5``
and ``audio/<id>.LOFI.mp3`` (real MP3: the tonic triad of the annotated key), with one id whose download failed
its md5 check (annotations, no MP3)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import soundfile as sf

from audio_flan.sources import _music_labels as music

from .common import Corpus, apple_double, replace_line

RATE = 44100
ROOT = "giantsteps-key-dataset"
KEYS = [
    "C minor",
    "Ab major",
    "Bb minor",
    "Db major",
    "Eb minor",
    "Gb major",
    "F minor",
    "A major",
    "E minor",
    "G major",
    "B minor",
    "D major",
]
GENRES = ["tech-house", "techno", "drum-and-bass", "deep-house", "dubstep", "trance"]
FAILED_MD5 = "9999999"


def triad(key: str, seconds: float = 0.3) -> np.ndarray:
    """The tonic triad of ``key`` (root in octave 4), as float32."""
    tonic, mode = music.key_parts(music.key(key))
    third = 4 if mode == "major" else 3
    t = np.arange(int(seconds * RATE)) / RATE
    notes = [60 + tonic, 60 + tonic + third, 60 + tonic + 7]
    return (0.2 * sum(np.sin(2 * np.pi * music.frequency(n) * t) for n in notes)).astype(np.float32)


def mp3_bytes(data: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, data, RATE, format="MP3")
    return buffer.getvalue()


def write_track(root: Path, track: str, key: str, genre: str, audio: bytes | None) -> None:
    """The annotation and md5 files of one id, and its MP3 unless ``audio`` is None (a download that failed)."""
    for folder in ("annotations/key", "annotations/genre", "md5", "audio"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "annotations" / "key" / f"{track}.LOFI.key").write_text(key, encoding="utf-8")  # no final newline
    (root / "annotations" / "genre" / f"{track}.LOFI.genre").write_text(genre, encoding="utf-8")
    data = audio if audio is not None else mp3_bytes(triad(key))
    (root / "md5" / f"{track}.LOFI.md5").write_text(hashlib.md5(data).hexdigest(), encoding="utf-8")
    if audio is not None:
        (root / "audio" / f"{track}.LOFI.mp3").write_bytes(audio)


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for k, key in enumerate(KEYS):
        track = str(1000000 + 7919 * k)
        genre = GENRES[k % len(GENRES)]
        write_track(root, track, key, genre, mp3_bytes(triad(key)))
        expected[track] = {
            "audio": str(root / "audio" / f"{track}.LOFI.mp3"),
            "key": music.key(key),
            "genre": genre,
            "annotated": key,
            "split": "train",
        }
    write_track(root, FAILED_MD5, "C major", "techno", None)
    apple_double(root / "annotations" / "key" / f"{next(iter(expected))}.LOFI.key")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    track = sorted(corpus.expected)[0]
    path = corpus.root / "annotations" / "key" / f"{track}.LOFI.key"
    path.write_text("C minor\n")
    replace_line(path, 1, "C lydian")
    return path, 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    track = sorted(corpus.expected)[1]
    Path(corpus.expected[track]["audio"]).unlink()
    return "train", track
