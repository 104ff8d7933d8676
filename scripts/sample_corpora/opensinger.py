"""The bundled sample's OpenSinger copy: three takes of about 0.4 s sung by fluidsynth's voice patch at 24 kHz: one
line sung by ``ManRaw`` singer 5 and ``WomanRaw`` singer 5 (ids restart per gender folder: two singers, a conversion
pair) and a line of another song by the first (the reference), with ``.txt`` lyrics and ``.lab`` labels, in the layout
``tests/corpora/opensinger.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import opensinger as layout

FOLDERS = ("OpenSinger",)
RATE = 24000
VOICE = 53  # General MIDI "Voice Oohs"
#: gender folder, singer id, song, line number, lyrics, MIDI notes (0.1 s each)
TAKES = [
    ("ManRaw", "5", "光年之外", 0, "光年之外", [55, 57, 59, 60]),
    ("WomanRaw", "5", "光年之外", 0, "光年之外", [67, 69, 71, 72]),
    ("ManRaw", "5", "鼓楼", 0, "从前的鼓楼", [52, 55, 57, 55]),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    root.mkdir(parents=True, exist_ok=True)
    (root / "LICENSE").write_text("CC BY-NC-SA 4.0 (placeholder: the sample's audio is synthetic)\n", encoding="utf-8")
    (root / "README.md").write_text("# OpenSinger (synthetic sample)\n", encoding="utf-8")
    for gender, singer, song, number, lyrics, notes in TAKES:
        wav = layout.write_take(root, gender, singer, song, number, lyrics, True, None)
        events = [(0, 0.1 * k, 0.1 * (k + 1), pitch, 100) for k, pitch in enumerate(notes)]
        tools.write_wav(wav, tools.synth(events, {0: VOICE}, 0.1 * len(notes), RATE), RATE)
