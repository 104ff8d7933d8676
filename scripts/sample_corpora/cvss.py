"""The bundled sample's CVSS copy: two French sentences as Common Voice 4 MP3 clips (espeak-ng's French voice,
48 kHz) and their English translations as CVSS-C and CVSS-T targets (espeak-ng's English voice, 24 kHz; a
different pitch stands for the transferred voice), in the layout ``tests/corpora/cvss.py`` writes."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import cvss as layout

FOLDERS = ("cvss",)
ROWS = [
    ("train", 19176154, "Le chat dort.", "the cat sleeps"),
    ("train", 19176155, "Il pleut.", "it rains"),
]


def make(sample: Path, tools: ModuleType) -> None:
    def source(name: str, sentence: str) -> bytes:
        buffer = io.BytesIO()
        sf.write(buffer, tools.speak(sentence, "fr", layout.CV_RATE, speed=440), layout.CV_RATE, format="MP3")
        return buffer.getvalue()

    def target(version: str, name: str, text: str) -> bytes:
        pitch = 50 if version == "c" else 20
        return tools.wav_file_bytes(
            tools.speak(text, "en-us", layout.CVSS_RATE, speed=440, pitch=pitch), layout.CVSS_RATE
        )

    layout.write(sample / FOLDERS[0], "fr", ROWS, source, target)


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    problems = []
    for _, number, _, _ in ROWS:
        name = layout.clip("fr", number)
        if not (root / layout.CV / "fr" / "clips" / name).is_file():
            problems.append(f"no source clip {name}")
        for version in ("c", "t"):
            if not (root / f"cvss_{version}_fr_en_v1.0" / "train" / f"{name}.wav").is_file():
                problems.append(f"no CVSS-{version.upper()} target for {name}")
    return problems
