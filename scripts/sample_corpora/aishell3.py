"""The bundled sample's AISHELL-3 copy: two speakers reading two short Mandarin phrases each, spoken by espeak-ng's
Mandarin voice at 44.1 kHz (the corpus's rate), in the layout ``tests/corpora/aishell3.py`` writes
(``spk-info.txt``, ``train/content.txt`` with characters and pinyin in turn, ``train/wav/<spk>/<utt>.wav``)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import aishell3 as layout

FOLDERS = ("data_aishell3",)
RATE = 44100
SPEAKERS = [("SSB0005", "B", "female", "north"), ("SSB0011", "D", "male", "south")]
UTTERANCES = [
    ("train", "SSB00050001", [("你", "ni3"), ("好", "hao3")]),
    ("train", "SSB00050002", [("谢", "xie4"), ("谢", "xie5")]),
    ("train", "SSB00110001", [("早", "zao3"), ("安", "an1")]),
    ("train", "SSB00110002", [("再", "zai4"), ("见", "jian4")]),
]


def make(sample: Path, tools: ModuleType) -> None:
    def audio(utt: str, text: str) -> bytes:
        pitch = 70 if utt.startswith("SSB0005") else 30
        return tools.wav_file_bytes(tools.speak(text, "cmn", RATE, speed=440, pitch=pitch), RATE)

    layout.write(sample / FOLDERS[0], SPEAKERS, UTTERANCES, audio)


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    missing = [u for s, u, _ in UTTERANCES if not (root / s / "wav" / u[:7] / f"{u}.wav").is_file()]
    return [f"no WAV for {missing}"] if missing else []
