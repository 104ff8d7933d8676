"""The bundled sample's VGGSound copy: ``vggsound.csv`` (no header) and four synthetic 0.8-second clips of two
classes (two each, so an audio query always has another clip of the target's class), named ``<ytid>_<start:06d>``
as the official repo's preprocessing names them, in the layout ``tests/corpora/vggsound.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import librispeech as flac
from tests.corpora import vggsound as layout

FOLDERS = ("VGGSound",)
RATE = 16000
SECONDS = 0.8
# (youtube id, start, label, split): invented ids in the YouTube alphabet, real VGGSound class names
ROWS = [
    ("-4mJhBHBZXc", 30, "dog barking", "train"),
    ("0aHzRdYq_pk", 10, "dog barking", "train"),
    ("3qRbWy-vZ1s", 120, "raining", "train"),
    ("Zx9_kLp2Q0w", 0, "raining", "train"),
]


def sound(tools: ModuleType, label: str, k: int) -> np.ndarray:
    if label == "dog barking":
        x = np.zeros(int(SECONDS * RATE))
        for j, at in enumerate((0.05, 0.35)):
            tools.place(x, tools.dog_bark(seed=10 * k + j, f0=480.0 + 60 * k, sr=RATE), at, RATE)
    else:
        x = tools.rain(SECONDS, RATE, seed=k)
    return (0.7 * x / np.abs(x).max()).astype(np.float32)


def make(sample: Path, tools: ModuleType) -> None:
    audio = {
        f"audio/{layout.clip_name(ytid, start, '.flac')}": flac.flac_bytes(sound(tools, label, k), RATE)
        for k, (ytid, start, label, _split) in enumerate(ROWS)
    }
    layout.write(sample / FOLDERS[0], ROWS, audio)


def check(sample: Path) -> list[str]:
    clips = sorted(p.name for p in (sample / FOLDERS[0] / "audio").iterdir())
    want = sorted(layout.clip_name(ytid, start, ".flac") for ytid, start, _, _ in ROWS)
    return [] if clips == want else [f"audio/ holds {clips}, vggsound.csv lists {want}"]
