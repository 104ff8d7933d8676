"""The bundled sample's DNS Challenge fullband copy: three read-speech clips spoken by espeak-ng at 48 kHz, two
noise clips (numpy rain and engine sounds), and three impulse responses (two SLR26 simulated rooms at 48 kHz,
one SLR28 real-style response at 16 kHz, beside one of SLR28's isotropic noise recordings, which the parser
leaves out of the rir pool), in the unpacked ``datasets_fullband/`` layout ``tests/corpora/dns.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from audio_flan.sources.dns import SOURCE
from tests.corpora import dns as layout

FOLDERS = ("datasets_fullband",)
RATE = 48000
SPEECH = [
    ("read_speech/book_00012_chp_0003_reader_01017_0.wav", "The birch canoe slid.", "en+m3"),
    ("read_speech/book_00200_chp_0011_reader_04410_5.wav", "Glue the sheet.", "en+f2"),
    ("read_speech/book_00415_chp_0002_reader_02233_3.wav", "Tell the depth.", "en+m1"),
]
NOISE_SECONDS = 0.5


def make(sample: Path, tools: ModuleType) -> None:
    """Clips under a second; the noise a little longer than the speech, so a denoising pair draws a region."""
    root = sample / FOLDERS[0]
    for rel, text, voice in SPEECH:
        speech = tools.fade(tools.speak(text, voice, RATE, speed=440), RATE)[: int(0.48 * RATE)]
        tools.write_wav(root / "clean_fullband" / rel, speech, RATE, peak=0.7)
    noises = {
        "rain_AudioSet_00012.wav": tools.rain(NOISE_SECONDS, RATE, 11),
        "engine_Freesound_validated_204011_0.wav": tools.engine(NOISE_SECONDS, RATE, 12),
    }
    for name, noise in noises.items():
        tools.write_wav(root / "noise_fullband" / name, noise, RATE, peak=0.5)
    for k, (rel, rate, seconds) in enumerate(layout.RIRS):
        response = layout.impulse_response(rate, min(seconds, 0.2), 20 + k)
        tools.write_wav(root / "impulse_responses" / rel, response, rate, peak=None)
    isotropic = 0.05 * np.random.default_rng(30).standard_normal(layout.RIR_RATE // 4)
    tools.write_wav(root / "impulse_responses" / layout.SLR28_NOISE, isotropic, layout.RIR_RATE, peak=None)


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    problems = []
    listed = {
        r["id"] for shards in SOURCE.list_shards(root).values() for s in shards for r in SOURCE.read_shard(root, s)
    }
    if listed != {rel[: -len(".wav")] for rel, _, _ in SPEECH}:
        problems.append(f"the clean speech listed is {sorted(listed)}")
    for pool in ("noise", "rir"):
        if not [r for s in SOURCE.pools[pool](root) for r in SOURCE.read_shard(root, s)]:
            problems.append(f"the {pool} pool is empty")
    return problems
