"""The bundled sample's Jingju a cappella copy: one laosheng aria opening, a 3.02 s pentatonic phrase sung by
fluidsynth's voice patch, as a mono 16-bit WAV at the corpus's 44.1 kHz in ``wav/laosheng/`` under its catalogue
name, with ``catalogue - laosheng.csv`` (header, quoted legend cell, no final newline), in the layout
``tests/corpora/jingju_acappella.py`` writes. Text-guided continuation needs a 2 s prompt and 1 s after it
(``audio_flan/shapes/continuation.py``), so this is one of the sample's few long clips: as short as that allows
(266 KB), rather than at a lower rate than the corpus's."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import jingju_acappella as layout

FOLDERS = ("jingju_a_cappella",)
RATE = 44100  # the corpus's rate (its WAVs are 44.1 kHz)
SECONDS = 3.02  # a 2 s prompt and a 1 s continuation, and 20 ms to spare
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
    if not wav.is_file():
        return [f"no WAV at {wav}"]
    info = sf.info(str(wav))
    problems = [] if info.samplerate == RATE else [f"{wav}: {info.samplerate} Hz, the corpus has {RATE} Hz"]
    if info.duration < 3.0:
        problems.append(f"{wav}: {info.duration:.3f} s, continuation needs 3 s (a 2 s prompt and 1 s after it)")
    return problems
