"""The bundled sample's MoisesDB copy: one track of under a second with two stems, vocals (espeak-ng) and guitar
(FluidSynth), each one source file, and its data.json; in the layout ``tests/corpora/moisesdb.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import moisesdb as layout

FOLDERS = ("moisesdb",)
SECONDS = 0.9


def make(sample: Path, tools: ModuleType) -> None:
    rate = layout.RATE
    n = round(SECONDS * rate)
    voice = tools.speak("la la la", "en+f3", rate, speed=200)[:n]
    voice = np.pad(voice, (0, n - len(voice))) * 0.4 / max(1e-9, np.abs(voice).max())
    guitar = 0.4 * tools.synth([(0, 0.0, 0.4, 64, 100), (0, 0.4, 0.85, 67, 100)], {0: 25}, SECONDS, rate)
    track = {
        "id": "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        "artist": "Keane",
        "song": "Sample Song",
        "genre": "Pop",
        "stems": {
            "vocals": [("0e1f2a3b-0000-4000-8000-000000000001", "lead female singer", False, np.stack([voice] * 2, 1))],
            "guitar": [("0e1f2a3b-0000-4000-8000-000000000002", "acoustic guitar", False, np.stack([guitar] * 2, 1))],
        },
    }
    layout.write_track(sample / FOLDERS[0], track)
