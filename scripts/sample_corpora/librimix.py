"""The bundled sample's generated Libri2Mix copy (wav16k/max, mix_clean, train-100): two mixtures of two espeak-ng
readers, each reader in both, so every source has an enrollment utterance of its speaker; the mixtures are the sum
of the sources, in the layout ``tests/corpora/librimix.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import librimix as layout

FOLDERS = ("Libri2Mix",)
RATE = 16000
MIXTURES = [
    (("19-198-0003", "en+f3", "good morning"), ("26-495-0002", "en+m3", "the train is late")),
    (("19-198-0004", "en+f3", "see you soon"), ("26-495-0005", "en+m3", "open the window")),
]


def pcm(tools: ModuleType, text: str, voice: str) -> np.ndarray:
    x = tools.speak(text, voice, RATE)[: int(0.5 * RATE)]
    return np.round(x / np.abs(x).max() * 0.4 * 32767).astype(np.int16)


def make(sample: Path, tools: ModuleType) -> None:
    mixtures = [(u1, u2, pcm(tools, t1, v1), pcm(tools, t2, v2)) for (u1, v1, t1), (u2, v2, t2) in MIXTURES]
    layout.write_subset(sample / FOLDERS[0], "train-100", mixtures)


def check(sample: Path) -> list[str]:
    wavs = sorted((sample / FOLDERS[0]).rglob("*.wav"))
    return [] if len(wavs) == 3 * len(MIXTURES) else [f"expected {3 * len(MIXTURES)} WAVs, found {len(wavs)}"]
