"""The bundled sample's FMA copy: ``fma_metadata/tracks.csv`` (three header rows, 52 columns) and ``genres.csv``
for eight tracks of four artists, with ``fma_small/NNN/NNNNNN.mp3``: 0.5 s fluidsynth phrases, in the layout
``tests/corpora/fma.py`` writes."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import fma as layout

FOLDERS = ("fma",)
RATE = 44100
SECONDS = 0.5
#: (track id, artist id, artist, split, top genre, General MIDI program)
TRACKS = [
    (2, 1, "AWOL", "training", "Hip-Hop", 38),
    (3, 1, "AWOL", "training", "Hip-Hop", 38),
    (140, 6, "Kurt Vile", "training", "Folk", 25),
    (141, 6, "Kurt Vile", "training", "Folk", 25),
    (148, 4, "Nicky Cook", "training", "Electronic", 81),
    (182, 4, "Nicky Cook", "training", "Electronic", 81),
    (190, 12, "Sigur Rós, and friends", "training", "Rock", 30),
    (193, 12, "Sigur Rós, and friends", "training", "", 30),
]


def phrase(track: int, program: int, tools: ModuleType) -> bytes:
    root = 50 + track % 10
    notes = [(0, 0.1 * i, 0.1 * (i + 1), root + step, 90) for i, step in enumerate((0, 3, 7, 10, 12))]
    x = tools.synth(notes, {0: program}, SECONDS, RATE)
    buffer = io.BytesIO()
    sf.write(buffer, x.astype("float32") * 0.8, RATE, format="MP3")
    return buffer.getvalue()


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    rows = []
    for k, (track, artist_id, artist, split, genre, program) in enumerate(TRACKS):
        rows.append(layout.row(track, artist_id, artist, split, "small", genre, f"Sample song {k + 1}"))
        tid = f"{track:06d}"
        mp3 = root / "fma_small" / tid[:3] / f"{tid}.mp3"
        mp3.parent.mkdir(parents=True, exist_ok=True)
        mp3.write_bytes(phrase(track, program, tools))
    layout.write_tracks(root / "fma_metadata" / "tracks.csv", rows)
    layout.write_genres(root / "fma_metadata" / "genres.csv")
