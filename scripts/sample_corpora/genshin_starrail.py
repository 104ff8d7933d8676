"""The bundled sample's Genshin/StarRail copy: one character folder of the English main set with two lines read
by espeak-ng (22,050 Hz; the sets' own rate is not pinned down), ``.lab`` beside each WAV, in the layout
``tests/corpora/genshin_starrail.py`` writes. The lines were written for the sample."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import genshin_starrail as layout

FOLDERS = (layout.TOP,)
RATE = 22050
LINES = {"英语 - English": {"数据集 - Datasets": {"Amber": [("vo_sample_01", "Ready when you are!"),
                                                          ("vo_sample_02", "The wind feels nice.")]}}}  # fmt: skip


def make(sample: Path, tools: ModuleType) -> None:
    def audio(_lang: str, text: str) -> bytes:
        return tools.wav_file_bytes(tools.speak(text, "en+f5", RATE, speed=240), RATE)

    layout.write(sample / FOLDERS[0], LINES, audio)


def check(sample: Path) -> list[str]:
    wavs = list((sample / FOLDERS[0]).rglob("*.wav"))
    return [] if len(wavs) == 2 else [f"Genshin/StarRail sample: {len(wavs)} WAVs, expected 2"]
