"""The bundled sample's Four-way Tabla copy: one train solo of 3.02 s (a 2 s prompt and a 1 s continuation, and
20 ms to spare: ``audio_flan/shapes/continuation.py``) and one test solo of half a second, both mono 16-bit WAVs at
the corpus's 44.1 kHz with their onset files per stroke class (the test solo without an ``rt`` file, as the real
``binati_SRC``), in the layout ``tests/corpora/four_way_tabla.py`` writes. The strokes are that fixture's numpy
sounds (a damped click, a ringing treble, a gliding bass, both) at the annotated onsets. The test solo is too short
to continue: text-guided continuation counts it as such and reads the train solo."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import four_way_tabla as layout

FOLDERS = (layout.ROOT,)
RATE = layout.RATE
#: split -> (solo id, seconds, {class: onset times}), a theka-like pattern of strokes
SOLOS = {
    "train": (
        "AHK_solo-tintal-1",
        3.02,
        {"d": [0.1, 0.55, 1.0, 1.45, 2.35, 2.8], "rt": [0.32, 1.22, 2.12], "rb": [1.9], "b": [0.78]},
    ),
    "test": ("binati_SRC", 0.5, {"b": [0.05], "d": [0.2, 0.32], "rb": [0.4]}),
}


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / layout.ROOT
    for split, (solo, seconds, onsets) in SOLOS.items():
        layout.write_solo(root, split, solo, seconds, onsets)


def check(sample: Path) -> list[str]:
    problems = []
    for split, (solo, seconds, _) in SOLOS.items():
        wav = sample / layout.ROOT / split / "audios" / f"{solo}.wav"
        if not wav.is_file():
            problems.append(f"no WAV at {wav}")
            continue
        info = sf.info(str(wav))
        if info.samplerate != RATE:
            problems.append(f"{wav}: {info.samplerate} Hz, the corpus has {RATE} Hz")
        if abs(info.duration - seconds) > 0.001:
            problems.append(f"{wav}: {info.duration:.3f} s, its onsets were written for {seconds} s")
        if split == "train" and info.duration < 3.0:
            problems.append(f"{wav}: {info.duration:.3f} s, continuation needs 3 s (a 2 s prompt and 1 s after it)")
    return problems
