"""The bundled sample's aidatatang_200zh copy: two speakers reading two short word-segmented Mandarin sentences
each, spoken by espeak-ng's Mandarin voice at 16 kHz, in the layout ``tests/corpora/aidatatang.py`` writes
(``transcript/aidatatang_200_zh_transcript.txt``, ``corpus/train/G####/`` with the side files, G0002 female and
G0013 male in their ``.metadata``; the per-speaker tarballs left out to keep the sample small)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import aidatatang as layout

FOLDERS = ("aidatatang_200zh",)
RATE = 16000
UTTERANCES = [
    ("train", "T0055G0002S0001", "你 好"),
    ("train", "T0055G0002S0002", "谢谢 你"),
    ("train", "T0055G0013S0001", "打开 灯"),
    ("train", "T0055G0013S0002", "再见"),
]


def make(sample: Path, tools: ModuleType) -> None:
    def audio(utt: str, text: str) -> bytes:
        pitch = 70 if "G0002" in utt else 30
        return tools.wav_file_bytes(tools.speak(text, "cmn", RATE, speed=440, pitch=pitch), RATE)

    layout.write(sample / FOLDERS[0], UTTERANCES, audio, tarballs=False)


def check(sample: Path) -> list[str]:
    corpus = sample / FOLDERS[0] / "corpus"
    missing = [u for s, u, _ in UTTERANCES if not (corpus / s / u[5:10] / f"{u}.wav").is_file()]
    return [f"no WAV for {missing}"] if missing else []
