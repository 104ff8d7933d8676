"""What every corpus fixture shares: the Corpus record, short real WAV audio, macOS AppleDouble debris."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 40


@dataclass
class Corpus:
    root: Path  # the corpus root, what `detect` accepts
    data_dir: Path  # the folder handed to the builder (holds the root)
    expected: dict = field(default_factory=dict)  # record id -> expected record values (with "split")

    def ids(self, split: str = "train") -> set[str]:
        return {k for k, v in self.expected.items() if v["split"] == split}


def signal(rate: int, seconds: float = 0.05, freq: float = 0.0, seed: int = 0) -> np.ndarray:
    """A tone at ``freq`` Hz, or white noise when ``freq`` is 0, as float32."""
    n = max(1, int(seconds * rate))
    if freq:
        data = 0.3 * np.sin(2 * np.pi * freq * np.arange(n) / rate)
    else:
        data = 0.1 * np.random.default_rng(seed).standard_normal(n)
    return data.astype(np.float32)


def wav_bytes(data: np.ndarray, rate: int, subtype: str = "PCM_16") -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


def write_wav(path: Path, rate: int, seconds: float = 0.05, freq: float = 0.0, seed: int = 0) -> Path:
    """A short mono PCM_16 WAV: a tone at ``freq`` Hz, or white noise when ``freq`` is 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, signal(rate, seconds, freq, seed), rate, subtype="PCM_16")
    return path


def apple_double(path: Path) -> None:
    """The ``._name`` resource-fork file macOS tar puts beside ``name``."""
    (path.parent / f"._{path.name}").write_bytes(APPLEDOUBLE)


def replace_line(path: Path, line_no: int, text: str) -> None:
    """Replace one line (1-based) of a text file, keeping the others byte for byte."""
    lines = path.read_bytes().split(b"\n")
    lines[line_no - 1] = text.encode("utf-8")
    path.write_bytes(b"\n".join(lines))
