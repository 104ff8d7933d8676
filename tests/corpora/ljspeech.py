"""LJSpeech 1.1 as ``LJSpeech-1.1.tar.bz2`` extracts: ``README``, ``metadata.csv`` (``id|transcription|normalized``,
no header, unbalanced quotes, UTF-8) and ``wavs/LJ001-0001.wav`` (22.05 kHz mono PCM_16)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .common import Corpus, replace_line, signal, wav_bytes

RATE = 22050
README = "LJ Speech Dataset\n\nThis is a public domain speech dataset consisting of 13,100 short audio clips...\n"


def write(root: Path, rows: Iterable[tuple[str, str, str, bytes | None]]) -> None:
    """(id, transcription, normalized, WAV bytes or None for a listed clip without audio)."""
    (root / "wavs").mkdir(parents=True, exist_ok=True)
    (root / "README").write_text(README, encoding="utf-8")
    lines = []
    for clip, raw, normalized, wav in rows:
        lines.append(f"{clip}|{raw}|{normalized}")
        if wav is not None:
            (root / "wavs" / f"{clip}.wav").write_bytes(wav)
    (root / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


ROWS = [
    ("LJ001-0001", "Printing, in the only sense with which we are at present concerned,", None),
    ("LJ001-0002", 'in being comparatively modern. "The earliest book', None),
    (
        "LJ002-0014",
        "He paid 3 shillings on the 5th of May 1820.",
        "He paid three shillings on the fifth of May eighteen twenty.",
    ),
    ("LJ003-0101", "Mr. Neild's report", "Mister Neild's report"),
    ("LJ010-0042", "the café — of St. Giles", "the café — of Saint Giles"),
    ("LJ050-0278", "the recommendations,", None),
]


def build(base: Path) -> Corpus:
    root = base / "LJSpeech-1.1"
    rows, expected = [], {}
    for k, (clip, raw, normalized) in enumerate(ROWS):
        normalized = normalized or raw
        rows.append((clip, raw, normalized, wav_bytes(signal(RATE, freq=180.0 + 15 * k), RATE)))
        expected[clip] = {
            "split": "train",
            "text": normalized,
            "text_original": raw,
            "audio": str(root / "wavs" / f"{clip}.wav"),
        }
    write(root, rows)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "metadata.csv"
    replace_line(path, 4, "LJ003-0101|Mr. Neild's report")
    return path, 4


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["LJ010-0042"]["audio"]).unlink()
    return "train", "LJ010-0042"
