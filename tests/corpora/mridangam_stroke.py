"""Mridangam Stroke 1.5 as ``mridangam_stroke_1.5.zip`` extracts: ``mridangam_stroke_1.5/<tonic>/<Freesound
id>__akshaylaya__<stroke>-<tonic>-<n>.wav`` (44.1 kHz, 16-bit mono, as shipped), in the ``B`` and ``C#`` tonic
folders, with a WAV whose stroke is not one of the ten.

The corpus lists no files (its names are the annotation): ``drop_audio`` deletes a stroke, which must just be gone,
and ``malform`` puts debris beside the strokes, which must change nothing."""

from __future__ import annotations

from pathlib import Path

from .common import APPLEDOUBLE, Corpus, write_wav

RATE = 44100
ROOT = "mridangam_stroke_1.5"
METADATA = False
#: (tonic folder, file name, stroke)
FILES = [
    ("B", "224030__akshaylaya__bheem-b-001.wav", "bheem"),
    ("B", "224031__akshaylaya__bheem-b-002.wav", "bheem"),
    ("B", "224036__akshaylaya__cha-b-002.wav", "cha"),
    ("B", "224100__akshaylaya__tha-b-010.wav", "tha"),
    ("C#", "230001__akshaylaya__thom-c#-001.wav", "thom"),
    ("C#", "230002__akshaylaya__thom-c#-002.wav", "thom"),
    ("C#", "230110__akshaylaya__dhin-c#-004.wav", "dhin"),
]
NOT_A_STROKE = ("B", "224999__akshaylaya__tuning-b-001.wav")


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for k, (tonic, name, stroke) in enumerate(FILES):
        path = write_wav(root / tonic / name, RATE, 0.1, 150.0 + 20 * k)
        expected[f"{tonic}/{name[:-4]}"] = {"audio": str(path), "technique": stroke, "tonic": tonic, "split": "train"}
    write_wav(root / NOT_A_STROKE[0] / NOT_A_STROKE[1], RATE, 0.1, 90.0)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """macOS debris and a stray text file beside the strokes, which no record may come from."""
    folder = corpus.root / "B"
    (folder / "._224030__akshaylaya__bheem-b-001.wav").write_bytes(APPLEDOUBLE)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "notes.txt").write_text("tuned to B\n", encoding="utf-8")
    return folder / "notes.txt", 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "B/224036__akshaylaya__cha-b-002"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
