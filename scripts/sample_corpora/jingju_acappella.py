"""The bundled sample's Jingju a cappella copy: one laosheng aria opening, a 3.1 s pentatonic phrase sung by
fluidsynth's voice patch, as a mono WAV in ``wav/laosheng/`` under its catalogue name, with ``catalogue -
laosheng.csv`` (header, quoted legend cell, no final newline), in the layout ``tests/corpora/jingju_acappella.py``
writes. Text-guided continuation needs a 2 s prompt and 1 s after it, so this is one of the sample's few long clips;
like Saraga's it saves bytes on the rate (16 kHz, where the corpus has 44.1 kHz: 99 KB instead of 273 KB)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import jingju_acappella as layout

FOLDERS = ("jingju_a_cappella",)
RATE = 16000
SECONDS = 3.1
VOICE = 53  # General MIDI "Voice Oohs"
PHRASE = [57, 60, 62, 64, 62, 60, 57, 60, 62]  # a pentatonic (gong-shang-jue) run, as an erhuang line might go
ROW = layout.ROWS["laosheng"][0]  # lseh-Tan_Yang_jia-Hong_yang_dong-qm with its legend cell


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    step = SECONDS / len(PHRASE)
    notes = [(0, k * step, (k + 1) * step, p, 100) for k, p in enumerate(PHRASE)]
    x = tools.synth(notes, {0: VOICE}, SECONDS, RATE)
    layout.write_catalogue(root, "laosheng", [ROW], final_newline=False)
    layout.write_wav(root, "laosheng", ROW[0], 0.85 * x / max(1e-9, float(abs(x).max())), RATE)


def check(sample: Path) -> list[str]:
    wav = sample / FOLDERS[0] / "wav" / "laosheng" / f"{ROW[0]}.wav"
    return [] if wav.is_file() else [f"no WAV at {wav}"]
