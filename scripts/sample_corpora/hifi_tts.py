"""The bundled sample's Hi-Fi TTS copy: two speakers (92, female; 6097, male), two train utterances each, read by
espeak-ng and stored as 44.1 kHz FLAC, with their JSON-lines manifests, in the layout ``tests/corpora/hifi_tts.py``
writes. The texts were written for the sample."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import hifi_tts as layout

FOLDERS = (layout.TOP,)
RATE = 44100
VOICES = {"92": "en+f4", "6097": "en+m4"}
MANIFESTS = {
    ("92", "clean", "train"): [
        ("9951", "sample_01_hartland_0001", "Dr. Hale rang at 9.", "Doctor Hale rang at nine."),
        ("9951", "sample_01_hartland_0002", "The mill was quiet.", "The mill was quiet."),
    ],
    ("6097", "clean", "train"): [
        ("5892", "sample_02_woods_0001", "Rain fell on the lake.", "Rain fell on the lake."),
        ("5892", "sample_02_woods_0002", "He lit 2 candles.", "He lit two candles."),
    ],
}


def make(sample: Path, tools: ModuleType) -> None:
    def audio(speaker: str, text: str) -> bytes:
        buffer = io.BytesIO()
        sf.write(buffer, tools.speak(text, VOICES[speaker], RATE, speed=240), RATE, format="FLAC")
        return buffer.getvalue()

    layout.write(sample / FOLDERS[0], MANIFESTS, audio)


def check(sample: Path) -> list[str]:
    flacs = list((sample / FOLDERS[0] / "audio").rglob("*.flac"))
    return [] if len(flacs) == 4 else [f"Hi-Fi TTS sample: {len(flacs)} FLAC files, expected 4"]
