"""The bundled sample's JazzNet copy: ``metadata/small.csv`` (its header, CRLF) with six scales and progressions,
and ``scales/<mode>/<label>.wav``, ``progressions/<mode>/<label>.wav``: 0.3 s piano renderings by fluidsynth of
the notes each row names, at 16 kHz, in the layout ``tests/corpora/jazznet.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from audio_flan.sources import _music_labels as music
from tests.corpora import jazznet as layout

FOLDERS = ("jazznet",)
RATE = 16000
SECONDS = 0.3
SCALES = {
    "ionian": (0, 2, 4, 5, 7, 9, 11, 12),
    "dorian": (0, 2, 3, 5, 7, 9, 10, 12),
    "phrygian": (0, 1, 3, 5, 7, 8, 10, 12),
}
#: chords of each progression, as semitones above the key's tonic
PROGRESSIONS = {
    "ii-V-I-maj": ((2, 5, 9, 12), (7, 11, 14, 17), (0, 4, 7, 11)),
    "ii-V-i-min": ((2, 5, 8, 12), (7, 11, 14, 17), (0, 3, 7, 10)),
}
#: (tonic, octave, type, mode, interval, split)
ROWS = [
    ("C", 4, "scale", "ionian", 0, "training"),
    ("Eb", 4, "scale", "dorian", 1, "training"),
    ("F#", 3, "scale", "phrygian", 0, "training"),
    ("Bb", 3, "progression", "ii-V-I-maj", 5, "training"),
    ("G", 3, "progression", "ii-V-i-min", 7, "training"),
    ("A", 3, "scale", "dorian", 2, "test"),
]


def render(tonic: str, octave: int, kind: str, mode: str, tools: ModuleType):
    base = 12 * (octave + 1) + music.pitch_class(tonic)
    if kind == "scale":
        step = SECONDS / len(SCALES[mode])
        notes = [(0, i * step, (i + 1) * step, base + s, 90) for i, s in enumerate(SCALES[mode])]
    else:
        chords = PROGRESSIONS[mode]
        step = SECONDS / len(chords)
        notes = [(0, i * step, (i + 1) * step, base + s, 80) for i, chord in enumerate(chords) for s in chord]
    return tools.synth(notes, {0: 0}, SECONDS, RATE)


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    rows = []
    for k, (tonic, octave, kind, mode, interval, split) in enumerate(ROWS):
        name = layout.label(tonic, octave, mode, interval)
        rows.append(f"{k},{name},{kind},{mode},{octave},{interval},{split}")
        tools.write_wav(root / f"{kind}s" / mode / f"{name}.wav", render(tonic, octave, kind, mode, tools), RATE)
    layout.write_csv(root / "metadata" / "small.csv", rows)
