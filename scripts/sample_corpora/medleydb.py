"""The bundled sample's MedleyDB copy: one track of under a second (FluidSynth piano melody over an electric bass,
stereo), its METADATA.yaml, mix (the sum of the stems) and stems, the MELODY2 annotation of the piano's notes and
the v2 activation-confidence annotation of both stems; in the layout ``tests/corpora/medleydb.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import medleydb as layout

FOLDERS = ("MedleyDB",)
SECONDS = 0.9
MELODY = [(0.05, 0.45, 69), (0.45, 0.85, 72)]  # (start, end, MIDI): A4, C5
BASS = [(0.0, 0.9, 45)]  # A2


def _stereo(x: np.ndarray) -> np.ndarray:
    return np.stack([x, 0.9 * x], axis=1)


def make(sample: Path, tools: ModuleType) -> None:
    rate = layout.RATE
    piano = tools.synth([(0, s, e, p, 100) for s, e, p in MELODY], {0: 0}, SECONDS, rate)
    bass = tools.synth([(1, s, e, p, 100) for s, e, p in BASS], {1: 33}, SECONDS, rate)
    notes = [(s, e, 440.0 * 2 ** ((p - 69) / 12)) for s, e, p in MELODY]
    track = {
        "id": "MusicDelta_Pachelbel",
        "seconds": SECONDS,
        "genre": "Classical",
        "stems": [("piano", "melody", _stereo(0.4 * piano)), ("electric bass", "bass", _stereo(0.4 * bass))],
        "gains": [1.0, 1.0],
        "melody": "Melody/Melody2",
        "notes": notes,
        "activation": "Activation_Confidence/v2",
    }
    layout.write_track(sample / FOLDERS[0], track)


def check(sample: Path) -> list[str]:
    annotations = sample / FOLDERS[0] / "Annotations"
    wanted = [
        annotations / "Melody" / "Melody2" / "MusicDelta_Pachelbel_MELODY2.csv",
        annotations / "Activation_Confidence" / "v2" / "MusicDelta_Pachelbel_ACTIVATION_CONF.lab",
    ]
    return [f"{path} is missing" for path in wanted if not path.is_file()]
