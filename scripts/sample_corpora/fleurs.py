"""The bundled sample's FLEURS copy: two sentences read in English and in Mandarin Chinese by espeak-ng at 16 kHz,
in the Hub layout ``tests/corpora/fleurs.py`` writes (``fleurs/data/<lang>/train.tsv`` without header and
``audio/train/*.wav`` extracted; the archives themselves are left out to keep the sample small), so every
translation pair has both sides."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import fleurs as layout

FOLDERS = ("fleurs",)
RATE = 16000
ROWS = {
    "en_us": {"train": [(1001, 11, "Good morning.", "FEMALE"), (1002, 12, "Thank you.", "MALE")]},
    "cmn_hans_cn": {"train": [(1001, 31, "早上好。", "MALE"), (1002, 32, "谢谢。", "FEMALE")]},
}
VOICES = {"en_us": "en-us", "cmn_hans_cn": "cmn"}


def make(sample: Path, tools: ModuleType) -> None:
    def audio(lang: str, number: int, text: str) -> bytes:
        return tools.wav_file_bytes(tools.speak(text, VOICES[lang], RATE, speed=440, pitch=30 + 3 * number), RATE)

    layout.write(sample / FOLDERS[0] / "data", ROWS, audio, archives=False)


def check(sample: Path) -> list[str]:
    problems = []
    for lang, splits in ROWS.items():
        for split, rows in splits.items():
            for _, number, _, _ in rows:
                if not (sample / FOLDERS[0] / "data" / lang / "audio" / split / layout.file_name(number)).is_file():
                    problems.append(f"no WAV {lang}/{split}/{number}")
    return problems
