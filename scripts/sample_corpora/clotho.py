"""The bundled sample's Clotho 2.1 copy: the captions and metadata CSVs of each split (metadata in ISO-8859-1)
beside ``development/``, ``validation/`` and ``evaluation/`` (44.1 kHz mono; one file name starting with a space)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import clotho as layout

FOLDERS = ("clotho",)
SR = 44100
# (split folder, file name, sound maker, five captions)
CLIPS = [
    (
        "development",
        " Morning birds.wav",
        "birds",
        [
            "Birds chirp in the early morning.",
            "Several small birds sing, one after another.",
            "A chorus of birds, with a  breeze behind them.",
            "Birds twitter outdoors.",
            "Birdsong fills a quiet garden.",
        ],
    ),
    ("development", "Engine idle.wav", "engine", [f"An engine idles at a steady pace {n}." for n in range(1, 6)]),
    ("validation", "Rain on tarp.wav", "rain", [f"Rain patters on a tarp {n}." for n in range(1, 6)]),
    ("evaluation", "wind_gusts.wav", "wind", [f"Wind gusts past a microphone {n}." for n in range(1, 6)]),
]


def make(sample: Path, tools: ModuleType) -> None:
    seconds = 0.3
    makers = {
        "birds": lambda: tools.birds(seconds, SR, 61),
        "engine": lambda: tools.engine(seconds, SR, 62),
        "rain": lambda: tools.rain(seconds, SR, 63),
        "wind": lambda: tools.wind(seconds, SR, 64),
    }
    clips = [(split, name, captions, tools.wav_file_bytes(makers[kind](), SR)) for split, name, kind, captions in CLIPS]
    layout.write(sample / FOLDERS[0], clips)
