"""The bundled sample's Fluent Speech Commands copy: two speakers (one female, one male) saying two commands each,
espeak-ng at 16 kHz, ``data/train_data.csv`` (with its unnamed index column) and ``speaker_demographics.csv``, in
the layout ``tests/corpora/fluent_speech_commands.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import fluent_speech_commands as layout

FOLDERS = (layout.TOP,)
RATE = 16000
SPEAKERS = {"2BqVo8kVB2Skwgyb": "en+f2", "2ojo7YRL7Gck83Z3": "en+m1"}
COMMANDS = [("Turn on the lights", "activate", "lights", "none"), ("Bring me my socks", "bring", "socks", "none")]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "readme.md").write_text("# Fluent Speech Commands (a synthetic sample)\n", encoding="utf-8")
    demographics = [(s, *layout.SPEAKERS[s]) for s in SPEAKERS]
    layout.write_csv(root / "data" / "speaker_demographics.csv", layout.DEMOGRAPHICS_HEADER, demographics)
    rows = []
    for speaker, voice in SPEAKERS.items():
        for k, (text, action, obj, location) in enumerate(COMMANDS):
            rel = f"wavs/speakers/{speaker}/{layout.uuid(speaker, k)}.wav"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(tools.wav_file_bytes(tools.speak(text, voice, RATE, speed=230), RATE))
            rows.append((len(rows), rel, speaker, text, action, obj, location))
    layout.write_csv(root / "data" / "train_data.csv", layout.CSV_HEADER, rows)


def check(sample: Path) -> list[str]:
    wavs = sorted((sample / FOLDERS[0] / "wavs" / "speakers").rglob("*.wav"))
    return [] if len(wavs) == 4 else [f"Fluent Speech Commands sample: {len(wavs)} WAVs, expected 4"]
