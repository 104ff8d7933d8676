"""Hi-Fi TTS as ``hi_fi_tts_v0.tar.gz`` extracts: ``<speaker>_manifest_<clean|other>_<train|dev|test>.json`` (JSON
lines with ``audio_filepath``, ``duration``, ``text``, ``text_no_preprocessing``, ``text_normalized``) and
``audio/<speaker>_<quality>/<book>/<file>.flac`` (44.1 kHz), with a manifest line whose FLAC is absent."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import soundfile as sf

from .common import Corpus, replace_line, signal

RATE = 44100
TOP = "hi_fi_tts_v0"
# (speaker, quality, part) -> [(book, file stem, original text, normalized text)]
MANIFESTS = {
    ("92", "clean", "train"): [
        ("9951", "oldtales_01_hartland_0001", "Chapter 1. The Old Mill.", "Chapter one. The Old Mill."),
        (
            "9951",
            "oldtales_01_hartland_0002",
            "It stood by the river in 1850.",
            "It stood by the river in eighteen fifty.",
        ),
    ],
    ("6097", "clean", "train"): [
        ("5892", "walden_02_thoreau_0007", "I went to the woods, Mr. Smith.", "I went to the woods, Mister Smith."),
        ("5892", "walden_02_thoreau_0008", "The pond was deep.", "The pond was deep."),
    ],
    ("9017", "other", "train"): [("1202", "poems_03_various_0011", "Hark! the bell.", "Hark! the bell.")],
    ("92", "clean", "dev"): [("9951", "oldtales_01_hartland_0100", "Dr. Lee came at 3.", "Doctor Lee came at three.")],
    ("6097", "clean", "test"): [("5892", "walden_02_thoreau_0200", "Snow fell.", "Snow fell.")],
    ("11614", "other", "test"): [("7481", "cuentos_04_anon_0003", "We sang; they danced.", "We sang; they danced.")],
}
ABSENT = ("9017", "poems_03_various_0011")  # listed in the manifest, FLAC not in the archive
SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def flac(seed: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, 0.03, 0.0, seed), RATE, format="FLAC")
    return buffer.getvalue()


def write(root: Path, manifests, audio: Callable[[str, str], bytes], absent=()) -> dict[str, Path]:
    """The manifests and FLAC files; ``audio(speaker, normalized text)`` gives each file's bytes."""
    root.mkdir(parents=True, exist_ok=True)
    paths = {}
    for (speaker, quality, part), rows in manifests.items():
        lines = []
        for book, stem, original, normalized in rows:
            rel = f"audio/{speaker}_{quality}/{book}/{stem}.flac"
            row = {"audio_filepath": rel, "duration": 1.25, "text": normalized.lower(),
                   "text_no_preprocessing": original, "text_normalized": normalized}  # fmt: skip
            lines.append(json.dumps(row, ensure_ascii=False))
            if (speaker, stem) in absent:
                continue
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(audio(speaker, normalized))
            paths[f"{speaker}_{quality}_{book}_{stem}"] = root / rel
        (root / f"{speaker}_manifest_{quality}_{part}.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def build(base: Path, audio: Callable[[str, str], bytes] | None = None) -> Corpus:
    root = base / TOP
    counter = iter(range(1000))
    paths = write(root, MANIFESTS, audio or (lambda _s, _t: flac(next(counter))), absent={ABSENT})
    expected = {}
    for (speaker, quality, part), rows in MANIFESTS.items():
        for book, stem, original, normalized in rows:
            rid = f"{speaker}_{quality}_{book}_{stem}"
            if rid in paths:
                expected[rid] = {"split": SPLITS[part], "text": normalized, "text_original": original,
                                 "speaker": speaker, "audio": str(paths[rid])}  # fmt: skip
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "6097_manifest_clean_train.json"
    replace_line(path, 2, '{"audio_filepath": "audio/6097_clean/5892/walden_02_thoreau_0008.flac", "text": ')
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "92_clean_9951_oldtales_01_hartland_0002"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
