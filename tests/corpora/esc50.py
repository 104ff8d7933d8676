"""ESC-50 as the GitHub archive (``master.zip``) extracts: ``ESC-50-master/`` with ``meta/esc50.csv`` (header
``filename,fold,target,category,esc10,src_file,take``, LF line endings, no quoting), ``meta/esc50-human.xlsx``,
``audio/{FOLD}-{CLIP_ID}-{TAKE}-{TARGET}.wav`` (44.1 kHz mono), README.md and LICENSE."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from audio_flan.sources.esc50 import CATEGORIES

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 44100
HEADER = "filename,fold,target,category,esc10,src_file,take"
ESC10 = {
    "dog",
    "rooster",
    "rain",
    "sea_waves",
    "crackling_fire",
    "crying_baby",
    "sneezing",
    "clock_tick",
    "helicopter",
    "chainsaw",
}


def clip_name(fold: int, clip: str, take: str, category: str) -> str:
    return f"{fold}-{clip}-{take}-{CATEGORIES.index(category)}.wav"


def csv_row(fold: int, clip: str, take: str, category: str) -> str:
    target = CATEGORIES.index(category)
    return f"{clip_name(fold, clip, take, category)},{fold},{target},{category},{category in ESC10},{clip},{take}"


def write(root: Path, clips: Iterable[tuple[int, str, str, str, bytes]]) -> list[str]:
    """The archive's layout for (fold, Freesound clip id, take, category, WAV bytes) clips; returns the CSV rows."""
    (root / "meta").mkdir(parents=True, exist_ok=True)
    (root / "audio").mkdir(exist_ok=True)
    (root / "README.md").write_text("## ESC-50: Dataset for Environmental Sound Classification\n", encoding="utf-8")
    (root / "LICENSE").write_text("Attribution for each clip: placeholder\n", encoding="utf-8")
    (root / "meta" / "esc50-human.xlsx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    rows = []
    for fold, clip, take, category, wav in clips:
        (root / "audio" / clip_name(fold, clip, take, category)).write_bytes(wav)
        rows.append(csv_row(fold, clip, take, category))
    (root / "meta" / "esc50.csv").write_text("\n".join([HEADER, *sorted(rows)]) + "\n", encoding="utf-8")
    return sorted(rows)


# (fold, Freesound clip id, take, category)
CLIPS = [
    (1, "100032", "A", "dog"),
    (1, "100038", "A", "chirping_birds"),
    (1, "115545", "B", "door_wood_creaks"),
    (2, "102016", "A", "rain"),
    (2, "109505", "A", "crying_baby"),
    (2, "109505", "B", "crying_baby"),
    (3, "103298", "A", "hand_saw"),
    (3, "141584", "A", "keyboard_typing"),
    (3, "151079", "C", "rooster"),
    (4, "102844", "A", "siren"),
    (4, "110389", "A", "drinking_sipping"),
    (4, "120745", "A", "clock_tick"),
    (5, "103415", "A", "sea_waves"),
    (5, "117120", "A", "door_wood_knock"),
    (5, "200334", "B", "helicopter"),
]


def build(base: Path, *, folder: str = "ESC-50-master") -> Corpus:
    """``base/ESC-50-master/`` with fifteen short noise clips over the five folds."""
    root = base / folder
    clips = [(f, c, t, cat, wav_bytes(signal(RATE, seed=i), RATE)) for i, (f, c, t, cat) in enumerate(CLIPS)]
    rows = write(root, clips)
    expected = {}
    for row in rows:
        filename, fold, target, category, esc10, src_file, take = row.split(",")
        expected[filename[:-4]] = {
            "audio": str(root / "audio" / filename),
            "label": category.replace("_", " "),
            "category": category,
            "fold": int(fold),
            "target": int(target),
            "esc10": esc10 == "True",
            "src_file": src_file,
            "take": take,
            "split": "train",
        }
    apple_double(root / "audio" / rows[0].split(",")[0])
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "meta" / "esc50.csv"
    replace_line(path, 3, "1-100038-A-14.wav,1,14,chirping_birds,True")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    clip = "2-109505-A-20"
    Path(corpus.expected[clip]["audio"]).unlink()
    return "train", clip
