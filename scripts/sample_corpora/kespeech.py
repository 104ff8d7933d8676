"""The bundled sample's KeSpeech copy: two speakers reading two short sentences each in a subdialect, one in
Mandarin, spoken by espeak-ng's Mandarin voice at 16 kHz, in the release layout ``tests/corpora/kespeech.py``
writes (Metadata/ and Tasks/ASR/ Kaldi tables, Audio/<spk>/phase{1,2}/)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import kespeech as layout

FOLDERS = ("KeSpeech",)
RATE = 16000
SPEAKERS = [("1000001", "Female", "23", "Chengdu"), ("1000002", "Male", "35", "Beijing")]
UTTERANCES = [
    ("train_phase1", "1000001", "0a1b2c3d", "phase1", "Southwestern", "你 好"),
    ("train_phase1", "1000001", "0a1b2c3e", "phase1", "Southwestern", "吃 饭"),
    ("train_phase1", "1000002", "1b2c3d4e", "phase1", "Beijing", "关 门"),
    ("train_phase1", "1000002", "1b2c3d4f", "phase1", "Beijing", "开 灯"),
    ("train_phase2", "1000001", "4e5f6071", "phase2", "Mandarin", "你 好"),
]


def make(sample: Path, tools: ModuleType) -> None:
    def audio(k: int, utt: str, text: str) -> bytes:
        return tools.wav_file_bytes(
            tools.speak(text.replace(" ", ""), "cmn", RATE, speed=440, pitch=40 + 20 * (k % 2)), RATE
        )

    layout.write(sample / FOLDERS[0], SPEAKERS, UTTERANCES, audio)


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    missing = [
        u
        for _, s, x, ph, _, _ in UTTERANCES
        if not (root / layout.audio_rel(s, ph, u := layout.utt_id(s, x))).is_file()
    ]
    return [f"no WAV for {missing}"] if missing else []
