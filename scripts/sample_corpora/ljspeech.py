"""The bundled sample's LJSpeech 1.1 copy: four clips read by espeak-ng at 22.05 kHz, ``metadata.csv`` with raw and
normalised text, in the layout ``tests/corpora/ljspeech.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import ljspeech as layout

FOLDERS = ("LJSpeech-1.1",)

ROWS = [
    ("LJ001-0008", "has never been surpassed.", "has never been surpassed."),
    ("LJ002-0026", "in the year 1760 a new prison", "in the year seventeen sixty a new prison"),
    ("LJ003-0044", 'and "the state of the cells"', 'and "the state of the cells"'),
    ("LJ004-0095", "Mr. Howard found the rooms", "Mister Howard found the rooms"),
]


def make(sample: Path, tools: ModuleType) -> None:
    rows = [
        (clip, raw, normalized, tools.wav_file_bytes(tools.speak(normalized, "en+f5", 22050), 22050))
        for clip, raw, normalized in ROWS
    ]
    layout.write(sample / FOLDERS[0], rows)


def check(sample: Path) -> list[str]:
    listed = [line.split("|")[0] for line in (sample / FOLDERS[0] / "metadata.csv").read_text("utf-8").splitlines()]
    on_disk = sorted(p.stem for p in (sample / FOLDERS[0] / "wavs").iterdir())
    return [] if sorted(listed) == on_disk else [f"metadata.csv lists {listed}, wavs/ holds {on_disk}"]
