"""The bundled sample's M4Singer copy: three sentences of 0.4 s or less sung by fluidsynth's voice patch at the
notes and phoneme durations of their ``meta.json`` entries, at 16 kHz, in ``<Singer>#<Song>/<n>.wav``: one line
sung by two singers (a conversion pair) and a second line of one of them (the reference), in two song folders (as
few folders as the layout allows), in the layout ``tests/corpora/m4singer.py`` writes."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

FOLDERS = ("m4singer",)
RATE = 16000
VOICE = 53  # General MIDI "Voice Oohs"
#: item name, txt, phonemes, MIDI note per phoneme, seconds per phoneme
ENTRIES = [
    ("Alto-1#童话#0000", "忘了", ["w", "ang", "l", "e"], [62, 62, 64, 64], [0.05, 0.15, 0.05, 0.15]),
    ("Alto-1#童话#0001", "再没", ["z", "ai", "m", "ei"], [60, 60, 62, 62], [0.05, 0.15, 0.05, 0.15]),
    ("Tenor-3#童话#0000", "忘了", ["w", "ang", "l", "e"], [50, 50, 52, 52], [0.05, 0.15, 0.05, 0.15]),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    rows = []
    for name, txt, phs, notes, ph_dur in ENTRIES:
        events, t = [], 0.0
        for k in range(0, len(phs), 2):  # initial + final: one note
            d = ph_dur[k] + ph_dur[k + 1]
            events.append((0, t, t + d, notes[k], 100))
            t += d
        folder, sentence = name.rsplit("#", 1)
        tools.write_wav(root / folder / f"{sentence}.wav", tools.synth(events, {0: VOICE}, t, RATE), RATE)
        rows.append(
            {
                "item_name": name,
                "txt": txt,
                "phs": phs,
                "notes": notes,
                "notes_dur": [ph_dur[k - k % 2] + ph_dur[k - k % 2 + 1] for k in range(len(phs))],
                "ph_dur": ph_dur,
                "is_slur": [0] * len(phs),
            }
        )
    text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"
    (root / "meta.json").write_text(text, encoding="utf-8")
