"""The bundled sample's VocalSet copy: five 0.3 s sung vowels rendered by fluidsynth (choir and voice patches; the
vibrato clips with modulation), at 22,050 Hz to stay small, in ``FULL/<singer>/<context>/<technique>/`` with the
singer lists, in the layout ``tests/corpora/vocalset.py`` writes (one file without its singer prefix, as in the
corpus)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

FOLDERS = ("VocalSet",)
RATE = 22050
SECONDS = 0.3
#: (singer folder, context, technique, file name, MIDI pitch, General MIDI program, modulation)
CLIPS = [
    ("female1", "long_tones", "straight", "f1_long_straight_a.wav", 72, 53, 0),
    ("female1", "long_tones", "vibrato", "f1_long_vibrato_a.wav", 72, 53, 127),
    ("female1", "arpeggios", "breathy", "arpeggios_breathy_a.wav", 69, 91, 0),
    ("male1", "long_tones", "belt", "m1_long_belt_o.wav", 57, 52, 0),
    ("female2", "long_tones", "vibrato", "f2_long_vibrato_e.wav", 74, 53, 127),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    for singer, context, technique, name, pitch, program, modulation in CLIPS:
        controls = [(0, 0.0, 1, modulation)] if modulation else []
        x = tools.synth([(0, 0.0, SECONDS, pitch, 100)], {0: program}, SECONDS, RATE, controls=controls)
        tools.write_wav(root / "FULL" / singer / context / technique / name, x, RATE)
    (root / "test_singers_technique.txt").write_text("female2\nfemale8\nmale3\nmale5\nmale10\n", encoding="utf-8")
    (root / "train_singers_technique.txt").write_text("female1\nmale1\n", encoding="utf-8")
