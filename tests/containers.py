"""Audio in the containers YouTube downloaders leave (AAC in m4a, Opus in webm), written with PyAV (the ``video``
extra, which the ``test`` extra installs): soundfile can read none of them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

HAVE_AV = importlib.util.find_spec("av") is not None
#: file ending -> (PyAV container format, codec, a rate the codec takes)
CONTAINERS = {".m4a": ("ipod", "aac", 16000), ".mp4": ("mp4", "aac", 16000), ".webm": ("webm", "libopus", 48000)}


def tone(rate: int, seconds: float, freq: float) -> np.ndarray:
    return (0.3 * np.sin(2 * np.pi * freq * np.arange(int(rate * seconds)) / rate)).astype(np.float32)


def write_container(path: Path, freq: float = 440.0, seconds: float = 1.0) -> int:
    """A mono tone at ``freq`` Hz in the container ``path``'s ending names; returns the sample rate."""
    import av

    fmt, codec, rate = CONTAINERS[path.suffix]
    samples = tone(rate, seconds, freq)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "mono"
        size = stream.codec_context.frame_size or 1024
        for at in range(0, len(samples), size):
            frame = av.AudioFrame.from_ndarray(samples[None, at : at + size], format="fltp", layout="mono")
            frame.sample_rate, frame.pts = rate, at
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return rate


def peak_hz(array: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(array))
    return float(np.argmax(spectrum) * rate / len(array))
