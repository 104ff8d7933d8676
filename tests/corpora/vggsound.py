"""VGGSound as distributed: ``vggsound.csv`` (no header; ``youtube_id,start_seconds,label,split``; only labels
holding a comma quoted; rows sorted by YouTube id; LF) beside the user's clips, named as the official repo's
``preprocess_audio.py`` writes them (``<ytid>_<start:06d>.wav``, 16 kHz mono 16-bit), here under ``audio/``,
one as FLAC in a sub-folder. One row's clip is gone, as many are."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .common import Corpus, apple_double, replace_line, wav_bytes
from .librispeech import flac_bytes

RATE = 16000

# (youtube id, start seconds, label, split, has a clip)
ROWS = [
    ("---g-f_I2yQ", 1, "people marching", "test", True),
    ("--0PQM4-hqg", 30, "waterfall burbling", "train", True),
    ("--56QUhyDQM", 185, "playing tennis", "train", True),
    ("--5OkAjCI7g", 40, "people belly laughing", "train", True),
    ("--8puiAGLhs", 30, "car engine starting", "train", True),
    ("--96EN9NUQM", 242, "alarm clock ringing", "test", True),
    ("--9O4XZOge4", 20, "bee, wasp, etc. buzzing", "train", True),
    ("-0BIyqJj9ZU", 30, "cattle, bovinae cowbell", "test", True),
    ("-0jeONf82dE", 21, "dog barking", "train", True),
    ("-1C0ZuMM15I", 50, "dog barking", "train", True),
    ("-1nLRcCZyMA", 0, "playing tennis", "train", True),
    ("-2G7pBtQPnA", 10, "waterfall burbling", "train", False),
    ("-2PRqy0eMC8", 230, "people marching", "test", True),
    ("-3Kv4fdm7Uk", 30, "bee, wasp, etc. buzzing", "test", True),
    ("_a1ZUnmJr5Y", 5, "dog barking", "train", True),
]


def csv_line(ytid: str, start: int, label: str, split: str) -> str:
    shown = f'"{label}"' if "," in label else label
    return f"{ytid},{start},{shown},{split}"


def clip_name(ytid: str, start: int, ext: str = ".wav") -> str:
    return f"{ytid}_{start:06d}{ext}"


def clip(label: str, k: int, seconds: float = 0.5, rate: int = RATE) -> np.ndarray:
    """A stand-in clip: noise shaped by a per-class tone, so classes sound different; float32."""
    t = np.arange(int(seconds * rate)) / rate
    freq = 150.0 + 40.0 * (sum(map(ord, label)) % 40)
    tone = 0.2 * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * (2 + k % 3) * t))
    noise = 0.02 * np.random.default_rng(k).standard_normal(t.size)
    return (tone + noise).astype(np.float32)


def write(root: Path, rows, audio: dict[str, bytes]) -> None:
    """``vggsound.csv`` for ``rows`` (ytid, start, label, split) and the clips ``audio`` (relative path -> bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [csv_line(*row) for row in sorted(rows)]
    (root / "vggsound.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rel, data in audio.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def build(base: Path, *, folder: str = "VGGSound", seconds: float = 0.5) -> Corpus:
    root = base / folder
    audio, expected = {}, {}
    for k, (ytid, start, label, split, present) in enumerate(ROWS):
        if not present:
            continue
        ext = ".flac" if k == 4 else ".wav"
        rel = f"audio/{'more/' if ext == '.flac' else ''}{clip_name(ytid, start, ext)}"
        data = clip(label, k, seconds)
        audio[rel] = flac_bytes(data, RATE) if ext == ".flac" else wav_bytes(data, RATE)
        expected[f"{ytid}_{start:06d}"] = {
            "audio": str(root / rel),
            "ytid": ytid,
            "start": start,
            "label": label,
            "split": split,
        }
    write(root, [r[:4] for r in ROWS], audio)
    apple_double(root / "audio" / clip_name(ROWS[1][0], ROWS[1][1]))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "vggsound.csv"
    replace_line(path, 3, "--56QUhyDQM,one hundred,playing tennis,train")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    clip_id = "-0jeONf82dE_000021"
    Path(corpus.expected[clip_id]["audio"]).unlink()
    return "train", clip_id
