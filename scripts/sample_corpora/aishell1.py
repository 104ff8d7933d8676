"""The bundled sample's AISHELL-1 copy: two speakers reading two short word-segmented Mandarin sentences each,
spoken by espeak-ng's Mandarin voice at 16 kHz, in the layout ``tests/corpora/aishell1.py`` writes
(``aishell/data_aishell/`` with the transcript and ``wav/train/S####/``, ``aishell/resource_aishell/speaker.info``;
the per-speaker tarballs left out to keep the sample small)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import aishell1 as layout

FOLDERS = ("aishell",)
RATE = 16000
SPEAKERS = [("0002", "F", ""), ("0003", "M", "")]
UTTERANCES = [
    ("train", "BAC009S0002W0122", "你 好"),
    ("train", "BAC009S0002W0123", "谢谢"),
    ("train", "BAC009S0003W0201", "打开 灯"),
    ("train", "BAC009S0003W0202", "再见"),
]


def make(sample: Path, tools: ModuleType) -> None:
    def audio(utt: str, text: str) -> bytes:
        pitch = 70 if "S0002" in utt else 30
        return tools.wav_file_bytes(tools.speak(text, "cmn", RATE, speed=440, pitch=pitch), RATE)

    layout.write(sample / FOLDERS[0], SPEAKERS, UTTERANCES, audio, tarballs=False)


def check(sample: Path) -> list[str]:
    wav = sample / FOLDERS[0] / "data_aishell" / "wav"
    missing = [u for s, u, _ in UTTERANCES if not (wav / s / u[6:11] / f"{u}.wav").is_file()]
    return [f"no WAV for {missing}"] if missing else []
