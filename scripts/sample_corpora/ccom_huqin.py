"""The bundled sample's CCOM-HuQin copy: four 0.2 s fiddle notes rendered by fluidsynth (General MIDI fiddle; the
vibrato clips with modulation, pizzicato on the pizzicato-strings patch), at 16 kHz to stay small, in
``SinglePT/Erhu-1/<technique>/`` with ``metadata-v2.0.csv``: the layout ``tests/corpora/ccom_huqin.py`` writes, in
one instrument folder and two technique folders (as few folders as the layout allows) so that both comparison
answers can be drawn."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

FOLDERS = ("CCOM-HuQin-v2.0.1-audios",)
RATE = 16000
SECONDS = 0.2
FIDDLE, PIZZICATO = 110, 45
#: (technique folder, file name, notes as (start, end, MIDI pitch), General MIDI program, modulation)
CLIPS = [
    ("Vibrato", "1_1_8_1_1_1_1_1_1.wav", [(0.0, SECONDS, 69)], FIDDLE, 127),
    ("Vibrato", "1_1_8_1_2_1_1_1_1.wav", [(0.0, SECONDS, 74)], FIDDLE, 127),
    ("Pizz", "1_5_1_1_1_1_1_1_1.wav", [(0.0, 0.15, 67)], PIZZICATO, 0),
    ("Pizz", "1_5_2_1_1_1_1_1_1.wav", [(0.0, 0.15, 72)], PIZZICATO, 0),
]
METADATA = "Name(CH),Filename(Pinyin),Region,Date,Instrument,Duration,Performer,Composers,Description\n"


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    for technique, name, notes, program, modulation in CLIPS:
        controls = [(0, 0.0, 1, modulation)] if modulation else []
        events = [(0, start, end, pitch, 100) for start, end, pitch in notes]
        x = tools.synth(events, {0: program}, SECONDS, RATE, controls=controls)
        tools.write_wav(root / "SinglePT" / "Erhu-1" / technique / name, x, RATE)
    (root / "metadata-v2.0.csv").write_text(METADATA, encoding="utf-8")
