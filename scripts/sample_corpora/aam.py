"""The bundled sample's AAM copy: one generated song of one 10 s window (five bars at 120 BPM: flute melody,
electric bass, drums) with its beatinfo, segments and onsets ARFF files, and its mix rendered by fluidsynth from
the annotated notes as ``0001-1000-audio-mixes/0001_mix.flac`` at 8 kHz, and one stem of the multitracks (the
flute's, ``0001-1000-audio-multitracks/0001_Flute.flac``, for music.instrument_classification), in the layout
``tests/corpora/aam.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import aam as layout

FOLDERS = ("AAM",)
RATE = 8000
SONG = "0001"
SPEC = (120, 5, [(0, "A", "C#maj", ["Flute", "ElectricBass", "Drums"])])
CHANNELS = {"Flute": (0, 73), "ElectricBass": (1, 33), "Piano": (2, 0), "Drums": (9, 0)}


#: the one stem the sample carries (a stem per instrument would double the copy's size)
STEM = "Flute"


def render(path: Path, notes, seconds: float, tools: ModuleType) -> None:
    programs = {ch: prog for ch, prog in CHANNELS.values() if ch != 9}
    x = tools.synth(notes, programs, seconds, RATE)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, x / max(1e-9, abs(x).max()) * 0.8, RATE, format="FLAC", subtype="PCM_16")


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    truth = layout.write_song(root, SONG, flac=False, spec=SPEC)
    notes = [(CHANNELS[i][0], s, e, p, 100, i) for i, s, e, p in truth["notes"]]
    render(root / layout.MIXES / f"{SONG}_mix.flac", [n[:5] for n in notes], truth["end"], tools)
    stem = [n[:5] for n in notes if n[5] == STEM]
    render(root / layout.STEMS / f"{SONG}_{STEM}.flac", stem, truth["end"], tools)
