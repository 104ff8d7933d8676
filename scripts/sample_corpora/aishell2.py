"""The bundled sample's AISHELL-2 copy: two speakers reading two short Mandarin sentences each, spoken by
espeak-ng's Mandarin voice at 16 kHz, in the layout ``tests/corpora/aishell2.py`` writes
(``AISHELL-2/iOS/data/{trans.txt,wav.scp,wav/<spk>/<utt>.wav,spk_info.txt}``): one female, one male speaker."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import aishell2 as layout

FOLDERS = ("AISHELL-2",)
RATE = 16000
UTTERANCES = [
    ("data", "C0001", "IC0001W0001", "打开空调"),
    ("data", "C0001", "IC0001W0002", "关灯"),
    ("data", "C0002", "IC0002W0001", "放首歌"),
    ("data", "C0002", "IC0002W0002", "几点了"),
]
SPEAKER_INFO = [("C0001", "-", "女", "North"), ("C0002", "-", "男", "South")]


def make(sample: Path, tools: ModuleType) -> None:
    def audio(utt: str, text: str) -> bytes:
        pitch = 70 if "C0001" in utt else 30
        return tools.wav_file_bytes(tools.speak(text, "cmn", RATE, speed=440, pitch=pitch), RATE)

    layout.write(sample / FOLDERS[0], UTTERANCES, audio, speaker_info=SPEAKER_INFO)


def check(sample: Path) -> list[str]:
    base = sample / FOLDERS[0] / "iOS"
    missing = [u for f, s, u, _ in UTTERANCES if not (base / f / "wav" / s / f"{u}.wav").is_file()]
    return [f"no WAV for {missing}"] if missing else []
