"""The bundled sample's ADD 2023 track 1.2 copy (the ``Track1.2`` folder): ``{train,dev}/label.txt`` and
``wav/ADD2023_T1.2_{T,D}_*.wav`` at 16 kHz. "genuine" clips are espeak-ng Mandarin; "fake" ones the same voice
through a crude vocoder, so the labels mean something in the sample too."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import add2023 as layout

FOLDERS = ("Track1.2",)
SR = 16000
# (split folder, number, label, text)
FILES = [
    ("train", 0, "genuine", "ni hao"),
    ("train", 1, "fake", "xie xie"),
    ("dev", 0, "fake", "zai jian"),
    ("dev", 1, "genuine", "hao de"),
]


def make(sample: Path, tools: ModuleType) -> None:
    files = []
    for folder, number, label, text in FILES:
        speech = tools.speak(text, "cmn", SR)
        audio = speech if label == "genuine" else tools.vocoded(speech, SR)
        files.append((folder, layout.file_name(folder, number), label, tools.wav_file_bytes(audio, SR)))
    layout.write(sample / FOLDERS[0], files)
