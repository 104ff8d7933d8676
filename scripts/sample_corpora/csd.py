"""The bundled sample's CSD copy: one English and one Korean song opening (five notes, about 0.6 s) sung by
fluidsynth's voice patch at the notes of their CSVs, at 16 kHz, with lyrics, phonemes, a placeholder score MIDI and
the note CSVs, in the layout ``tests/corpora/csd.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import csd as layout

FOLDERS = ("CSD",)
RATE = 16000
SONGS = {
    "english": (
        "en001a",
        ["twinkle twinkle little"],
        [("twin", 60), ("kle", 60), ("twin", 67), ("kle", 67), ("lit", 69)],
    ),
    "korean": ("kr001a", ["산토끼 토끼"], [("산", 67), ("토", 64), ("끼", 64), ("토", 67), ("끼", 64)]),
}


def make(sample: Path, tools: ModuleType) -> None:
    for language, (song, lyrics, notes) in SONGS.items():
        timed = layout.timed(notes, 0)
        wav = layout.write_song(sample / FOLDERS[0] / language, song, lyrics, timed)
        seconds = timed[-1][1] + 0.05
        sung = tools.synth([(0, s, e, p, 100) for s, e, p, _ in timed], {0: 53}, seconds, RATE)
        tools.write_wav(wav, sung, RATE)
