"""The bundled sample's TAU Urban Acoustic Scenes 2022 Mobile copy: ``meta.csv`` and the ``evaluation_setup``
fold1 lists (TAB-separated) and short 24-bit 44.1 kHz clips of synthetic scenes, in the development set's layout."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import soundfile as sf

from tests.corpora import tau_urban as layout

FOLDERS = (layout.FOLDER,)
SR = 44100
# (file stem, scene, identifier, device, fold, sound maker)
FILES = [
    ("street_traffic-lisbon-1-30-0-a", "street_traffic", "lisbon-1", "a", "train", "traffic"),
    ("park-helsinki-4-70-2-s2", "park", "helsinki-4", "s2", "train", "park"),
    ("metro_station-prague-2-15-1-a", "metro_station", "prague-2", "a", "evaluate", "metro"),
]


def wav24(x: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    sf.write(buffer, 0.5 * x / max(1e-9, float(np.abs(x).max())), SR, format="WAV", subtype="PCM_24")
    return buffer.getvalue()


def make(sample: Path, tools: ModuleType) -> None:
    seconds = 0.25
    n = int(seconds * SR)
    traffic = tools.engine(seconds, SR, 71) + 0.3 * tools.band(tools.rng(72).randn(n), SR, 50, 1500)
    park = tools.birds(seconds, SR, 73) + 0.3 * tools.wind(seconds, SR, 74)
    metro = tools.chimes(1.0, SR)[:n] + 0.4 * tools.band(tools.rng(75).randn(n), SR, 80, 800)
    sounds = {"traffic": traffic, "park": park, "metro": metro}
    rows = [(stem, scene, ident, device, fold, wav24(sounds[kind])) for stem, scene, ident, device, fold, kind in FILES]
    layout.write(sample / FOLDERS[0], rows)
