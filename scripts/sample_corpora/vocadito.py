"""The bundled sample's Vocadito copy: two excerpts (three notes, about 0.6 s each) sung by fluidsynth's voice patch
at annotator A1's notes, as 44.1 kHz 16-bit mono WAVs, with both annotators' note CSVs, the f0 CSV, lyrics and
``vocadito_metadata.csv``, in the layout ``tests/corpora/vocadito.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from audio_flan.sources.vocadito import split_of
from tests.corpora import vocadito as layout

FOLDERS = ("vocadito",)
VOICE = 53  # General MIDI "Voice Oohs"
#: (track, singer, language cell, lyric lines, MIDI pitches); both singers hash to the train split
EXCERPTS = [
    (1, "S1", "Tagalog", ["ako ay may lobo"], [50, 52, 54]),
    (4, "S3", "Catalan/Valencian", ["el gall i la gallina"], [55, 57, 59]),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    for track, _, _, lyrics, pitches in EXCERPTS:
        a1 = layout.timed([(p, 0) for p in pitches])
        seconds = max(onset + duration for onset, _, duration in a1) + 0.1
        notes = [(0, onset, onset + duration, p, 100) for (onset, _, duration), p in zip(a1, pitches)]
        sung = tools.synth(notes, {0: VOICE}, seconds, layout.RATE)
        layout.write_track(root, track, lyrics, a1, audio=0.85 * sung / max(1e-9, float(abs(sung).max())))
    layout.write_metadata(root, [(t, singer, pitches[0], language) for t, singer, language, _, pitches in EXCERPTS])


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    problems = [f"no WAV for track {t}" for t, *_ in EXCERPTS if not (root / "Audio" / f"vocadito_{t}.wav").is_file()]
    problems += [f"singer {s} is not in the train split" for _, s, *_ in EXCERPTS if split_of(s) != "train"]
    return problems
