"""The bundled sample's MusicCaps copy: ``musiccaps-public.csv`` with five captioned rows, and the "downloaded"
clips as ``music_data/<ytid>.wav``: 0.5 s fluidsynth renderings of what each caption says, at 16 kHz; one row's
clip is absent, as YouTube clips go missing. The layout is the one ``tests/corpora/musiccaps.py`` writes; the ids
are made up."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import musiccaps as layout

FOLDERS = ("musiccaps",)
RATE = 16000
SECONDS = 0.5
#: (ytid, aspects, caption, in AudioSet's eval set, General MIDI program, MIDI pitches played in turn)
ROWS = [
    (
        "sAmPlE0piaN",
        ["solo piano", "arpeggio", "calm"],
        "A solo piano plays a calm C major arpeggio.",
        False,
        0,
        (60, 64, 67, 72),
    ),
    (
        "sAmPlE1gtr_",
        ["nylon guitar", "minor chord"],
        "A nylon-string guitar strums an A minor chord.",
        False,
        24,
        (57, 60, 64, 69),
    ),
    (
        "sAmPlE2strg",
        ["strings", "sustained", "low"],
        "Low strings hold a sustained note, slow and dark.",
        False,
        48,
        (43, 43, 43, 43),
    ),
    (
        "sAmPlE3flut",
        ["flute", "melody", "bright"],
        "A bright flute melody climbs quickly.",
        False,
        73,
        (72, 74, 76, 79),
    ),
    ("sAmPlE4orgn", ["organ", "chord"], "An organ plays a short chord.", True, 19, (60, 64, 67, 72)),
    ("sAmPlE5gone", ["drums"], "A drum kit plays a rock beat.", True, 0, ()),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    rows = []
    for k, (ytid, aspects, caption, evaluation, program, pitches) in enumerate(ROWS):
        rows.append(layout.csv_row(ytid, 30, aspects, caption, evaluation, k))
        if not pitches:
            continue  # listed, never downloaded
        step = SECONDS / len(pitches)
        notes = [(0, i * step, (i + 1) * step, p, 90) for i, p in enumerate(pitches)]
        tools.write_wav(root / "music_data" / f"{ytid}.wav", tools.synth(notes, {0: program}, SECONDS, RATE), RATE)
    layout.write_csv(root / "musiccaps-public.csv", rows)
