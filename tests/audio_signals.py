"""Test signals written as real audio files: speech-like sound, broadband noise and a room impulse response."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf


def speechlike(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    """A gliding voiced harmonic sound chopped into syllables, over a little noise; peak 0.5, no zero sample."""
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    f0 = 110.0 + 60.0 * rng.random() + 25.0 * np.sin(2 * np.pi * 0.7 * t + rng.random() * 6.28)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * (3.0 + 2.0 * rng.random()) * t), 0.0, None) ** 0.6
    audio = voiced * syllables + 0.02 * rng.standard_normal(n)
    audio = audio / np.abs(audio).max() * 0.5
    audio[np.abs(audio) < 1e-3] = 1e-3  # no exact zero: a gap of zeros is then exactly the gap
    return audio


def room_impulse_response(
    rate: int, t60: float = 0.4, drr_db: float = 0.0, predelay: float = 0.02, seed: int = 0
) -> np.ndarray:
    """Silence, a direct path of amplitude 0.8, then exponentially decaying reflections (-60 dB at ``t60``)
    whose energy is ``drr_db`` below the direct sound's (real rooms: about -5 to +10 dB)."""
    rng = np.random.default_rng(seed)
    n_pre, n_tail = int(predelay * rate), int(t60 * rate)
    tail = rng.standard_normal(n_tail) * np.exp(-6.91 * np.arange(n_tail) / n_tail)
    tail[: int(0.002 * rate)] = 0.0  # the first reflection comes 2 ms after the direct sound
    tail *= np.sqrt(0.8**2 / 10 ** (drr_db / 10) / np.sum(tail**2))
    return np.concatenate([np.zeros(n_pre), [0.8], tail])


def write(path: Path, audio: np.ndarray, rate: int, subtype: str = "PCM_16") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, audio, rate, subtype=subtype)
    return str(path)


def read(path: str) -> np.ndarray:
    return sf.read(path, dtype="float32")[0]
