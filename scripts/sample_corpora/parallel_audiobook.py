"""The bundled sample's Parallel Audiobook copy: one book folder (``emma``) read by two train speakers (msm, female;
sbe, male), the same two sentences each, espeak-ng at 22,050 Hz, with its Kaldi-style tables, in the layout
``tests/corpora/parallel_audiobook.py`` writes. The sentences were written for the sample."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import parallel_audiobook as layout

FOLDERS = (layout.TOP,)
RATE = 22050
VOICES = {"msm": "en+f3", "sbe": "en+m2"}
TEXTS = {
    "chp01_utt001": ("The garden gate was open.", "the garden gate was open"),
    "chp01_utt002": ("Nobody came to tea.", "nobody came to tea"),
}
READERS = {"msm": ("f", list(TEXTS)), "sbe": ("m", list(TEXTS))}


def make(sample: Path, tools: ModuleType) -> None:
    def audio(speaker: str, text: str) -> bytes:
        return tools.wav_file_bytes(tools.speak(text, VOICES[speaker], RATE, speed=240), RATE)

    layout.write_book(sample / FOLDERS[0] / "emma", TEXTS, READERS, audio, various=False)  # no skip to report


def check(sample: Path) -> list[str]:
    wavs = list((sample / FOLDERS[0] / "emma" / "wav").rglob("*.wav"))
    return [] if len(wavs) == 4 else [f"Parallel Audiobook sample: {len(wavs)} WAVs, expected 4"]
