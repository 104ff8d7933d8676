"""The bundled sample's LibriSpeech copy: two train-clean-100 readers, two utterances each, read by espeak-ng at
16 kHz (FLAC), with SPEAKERS.TXT and the root documents, in the layout ``tests/corpora/librispeech.py`` writes;
enough for ASR, TTS, gender, speaker verification and two-speaker extraction with an enrollment utterance."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import librispeech as layout

FOLDERS = ("LibriSpeech",)
RATE = 16000
SPEAKERS = [("19", "F", "train-clean-100", "25.19", "Ada Reader"), ("26", "M", "train-clean-100", "25.08", "Bo Reader")]
VOICES = {"19": "en+f3", "26": "en+m3"}
UTTERANCES = {
    ("19", "198"): ["NORTHANGER ABBEY", "SHE LIKED BOY'S PLAYS"],
    ("26", "495"): ["THE RAIN HAD STOPPED", "HE OPENED THE DOOR SLOWLY"],
}


def voice(tools: ModuleType, text: str, speaker: str) -> bytes:
    x = tools.speak(text.lower(), VOICES[speaker], RATE)
    return layout.flac_bytes((0.8 * x / np.abs(x).max()).astype(np.float32), RATE)


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    layout.write_root(root, SPEAKERS)
    for (speaker, chapter), texts in UTTERANCES.items():
        utterances = [
            (f"{speaker}-{chapter}-{k:04d}", text, voice(tools, text, speaker)) for k, text in enumerate(texts)
        ]
        layout.write_chapter(root / "train-clean-100" / speaker / chapter, speaker, chapter, utterances)


def check(sample: Path) -> list[str]:
    flacs = sorted(p.stem for p in (sample / FOLDERS[0]).rglob("*.flac"))
    listed = sorted(
        line.split(" ", 1)[0] for p in (sample / FOLDERS[0]).rglob("*.trans.txt") for line in p.read_text().splitlines()
    )
    return [] if flacs == listed else [f"transcripts list {listed}, FLACs are {flacs}"]
