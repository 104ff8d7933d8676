"""The bundled sample's Mridangam Stroke copy: four strokes in the ``B`` tonic folder, two ``bheem`` (rendered as
fluidsynth's low conga left ringing) and two ``tha`` (its muted high conga), each a quarter second at the corpus's
44.1 kHz 16-bit mono, under the corpus's Freesound-style names (the layout ``tests/corpora/mridangam_stroke.py``
writes). Two strokes of each kind let technique comparison draw both a same and a different pair."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import mridangam_stroke as layout

FOLDERS = (layout.ROOT,)
RATE = layout.RATE
SECONDS = 0.25
LOW_CONGA, MUTE_HI_CONGA = 64, 62  # General MIDI percussion keys
STROKES = [
    ("224030__akshaylaya__bheem-b-001.wav", LOW_CONGA, 110),
    ("224031__akshaylaya__bheem-b-002.wav", LOW_CONGA, 90),
    ("224100__akshaylaya__tha-b-010.wav", MUTE_HI_CONGA, 110),
    ("224101__akshaylaya__tha-b-011.wav", MUTE_HI_CONGA, 90),
]


def make(sample: Path, tools: ModuleType) -> None:
    folder = sample / layout.ROOT / "B"
    folder.mkdir(parents=True, exist_ok=True)
    for name, key, velocity in STROKES:
        x = tools.synth([(tools.DRUMS, 0.0, 0.2, key, velocity)], {tools.DRUMS: 0}, SECONDS, RATE)
        sf.write(folder / name, 0.85 * x / max(1e-9, float(abs(x).max())), RATE, subtype="PCM_16")
