"""LibriSpeech (OpenSLR 12) in its published layout: ``LibriSpeech/`` with README.TXT, LICENSE.TXT, CHAPTERS.TXT,
BOOKS.TXT and ``SPEAKERS.TXT`` (an 11-line ``;`` comment block, then ``;ID  |SEX| SUBSET           |MINUTES| NAME``
and padded ``|`` rows, one reader's name holding ``|``), and ``<subset>/<spk>/<chapter>/`` holding
``<spk>-<chapter>.trans.txt`` (``<utt> <UPPER CASE TEXT>``, LF) and ``<spk>-<chapter>-<NNNN>.flac`` (16 kHz,
16-bit). The archives carry macOS ``._*`` files in some mirrors.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import soundfile as sf

from . import _librispeech_family as family
from .common import Corpus, apple_double, replace_line

RATE = 16000
CHAPTERS_TXT = """\
; Some pipe(|) separated metadata about the LibriVox chapters used in the corpus.
;ID    |READER|MINUTES| SUBSET           | PROJ.|BOOK ID| CH. TITLE | PROJECT TITLE
"""
ROOT_DOCS = ("README.TXT", "LICENSE.TXT", "BOOKS.TXT")
WORDS = ["CHAPTER ONE", "HE HOPED THERE WOULD BE STEW FOR DINNER", "SHE DIDN'T SAY A WORD", "AND THEN THEY LEFT"]


def flac_bytes(data: np.ndarray, rate: int = RATE) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def voice(seed: int, seconds: float = 0.4, rate: int = RATE) -> np.ndarray:
    """A stand-in utterance: a harmonic tone whose pitch depends on ``seed``, with a little noise, float32."""
    t = np.arange(int(seconds * rate)) / rate
    f0 = 110.0 + 23.0 * (seed % 17)
    tone = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in (1, 2, 3))
    noise = np.random.default_rng(seed).standard_normal(t.size)
    return (0.2 * tone + 0.01 * noise).astype(np.float32)


def write_root(root: Path, speakers: Iterable[tuple[str, str, str, str, str]]) -> None:
    family.write_root(root, "SPEAKERS.TXT", speakers, ROOT_DOCS)
    (root / "CHAPTERS.TXT").write_text(CHAPTERS_TXT, encoding="utf-8")


def write_chapter(folder: Path, speaker: str, chapter: str, utterances: Iterable[tuple[str, str, bytes]]) -> None:
    """One chapter folder: ``<spk>-<chapter>.trans.txt`` and a FLAC per (utterance id, text, FLAC bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for utt, text, flac in utterances:
        lines.append(f"{utt} {text}")
        (folder / f"{utt}.flac").write_bytes(flac)
    (folder / f"{speaker}-{chapter}.trans.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------- the test copy

# (id, sex, subset, minutes, name, chapters with audio); names are invented, one holds '|' as a real one does.
SPEAKERS = [
    ("19", "F", "train-clean-100", "25.19", "Ada Reader", ["198", "227"]),
    ("26", "M", "train-clean-100", "25.08", "Bo Reader", ["495"]),
    ("27", "M", "train-clean-100", "20.14", "Cy Reader", ["123349"]),
    ("32", "F", "train-clean-100", "24.01", "Di Reader", ["4137"]),
    ("60", "M", "train-clean-100", "20.18", "|AB|Cee", ["121082"]),
    ("103", "F", "train-clean-100", "25.00", "No Audio Here", []),
    ("84", "F", "dev-clean", "8.02", "Ed Reader", ["121123"]),
    ("174", "M", "dev-clean", "8.04", "Fy Reader", ["50561"]),
    ("61", "M", "test-clean", "8.08", "Gus Reader", ["70968"]),
    ("121", "F", "test-clean", "8.01", "Hal Reader", ["121726"]),
]
UTTERANCES_PER_CHAPTER = 3


def build(base: Path, *, folder: str = "LibriSpeech", seconds: float = 0.4) -> Corpus:
    """``base/LibriSpeech/`` with a few speakers in train-clean-100, dev-clean and test-clean, three utterances
    per chapter (16 kHz FLAC, a pitch per speaker)."""
    root = base / folder
    write_root(root, [s[:5] for s in SPEAKERS])
    expected = {}
    n = 0
    for spk, sex, subset, _, _, chapters in SPEAKERS:
        for chapter in chapters:
            cdir = root / subset / spk / chapter
            utterances = []
            for k in range(UTTERANCES_PER_CHAPTER):
                utt = f"{spk}-{chapter}-{k:04d}"
                text = f"{WORDS[n % len(WORDS)]} {n}" if n % 5 else WORDS[n % len(WORDS)]
                audio = voice(int(spk), seconds) * (1.0 + 0.1 * k)
                utterances.append((utt, text, flac_bytes(np.roll(audio, 97 * (k + n)))))
                n += 1
                expected[utt] = {
                    "audio": str(cdir / f"{utt}.flac"),
                    "text": text,
                    **family.expected_labels(spk, sex, chapter, subset),
                }
            write_chapter(cdir, spk, chapter, utterances)
    apple_double(root / "train-clean-100" / "19" / "198" / "19-198-0000.flac")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train-clean-100" / "19" / "198" / "19-198.trans.txt"
    replace_line(path, 2, "19-199-0001 A LINE OF ANOTHER CHAPTER")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    utt = "26-495-0001"
    Path(corpus.expected[utt]["audio"]).unlink()
    return "train", utt
