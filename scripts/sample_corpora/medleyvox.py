"""The bundled sample's MedleyVox copy: one duet segment of under a second (two espeak-ng voices singing "la" at
different pitches), its gt voices and their mix, and the song's segment config; in the layout
``tests/corpora/medleyvox.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import medleyvox as layout

FOLDERS = ("MedleyVox",)
SONG = "LizNelson_Rainfall"
SECONDS = 0.9
VOICES = {"LizNelson_Rainfall_RAW_01_01": ("en+f2", 60), "LizNelson_Rainfall_RAW_03_01": ("en+f5", 85)}


def make(sample: Path, tools: ModuleType) -> None:
    rate, n = layout.RATE, round(SECONDS * layout.RATE)
    voices = {}
    for name, (voice, pitch) in VOICES.items():
        x = tools.speak("la la la", voice, rate, speed=180, pitch=pitch)[:n]
        voices[name] = (np.pad(x, (0, n - len(x))) * 0.35 / max(1e-9, np.abs(x).max())).astype(np.float32)
    root = sample / FOLDERS[0]
    layout.write_segment(root, "duet", SONG, "seg_1", voices)
    main = next(iter(VOICES))
    config = {"seg_1": layout.segment_config(SONG, "duet", 43, 43.9, main, list(VOICES))}
    layout.write_config(root, "V1_rest_vocals_only_config", SONG, config)
