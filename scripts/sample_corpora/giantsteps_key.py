"""The bundled sample's GiantSteps Key copy: five 0.5 s piano chords rendered by fluidsynth, the tonic triad of
each annotated key (naturals and flats, as the corpus spells them), as ``audio/<id>.LOFI.mp3`` with
``annotations/key``, ``annotations/genre`` and ``md5/``, in the layout ``tests/corpora/giantsteps_key.py``
writes."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from audio_flan.sources import _music_labels as music
from tests.corpora import giantsteps_key as layout

FOLDERS = ("giantsteps-key-dataset",)
RATE = 44100
SECONDS = 0.5
TRACKS = [
    ("1021394", "C minor", "tech-house"),
    ("1130447", "Ab major", "techno"),
    ("1247783", "Eb minor", "deep-house"),
    ("1390125", "G major", "progressive-house"),
    ("1502317", "Bb minor", "drum-and-bass"),
]


def chord(key: str, tools: ModuleType) -> bytes:
    tonic, mode = music.key_parts(music.key(key))
    root = 60 + tonic
    notes = [(0, 0.0, SECONDS, p, 90) for p in (root, root + (4 if mode == "major" else 3), root + 7)]
    x = tools.synth(notes, {0: 0}, SECONDS, RATE)
    buffer = io.BytesIO()
    sf.write(buffer, x.astype("float32") * 0.8, RATE, format="MP3")
    return buffer.getvalue()


def make(sample: Path, tools: ModuleType) -> None:
    for track, key, genre in TRACKS:
        layout.write_track(sample / FOLDERS[0], track, key, genre, chord(key, tools))
