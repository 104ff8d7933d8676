"""ADD 2023 track 1.2 as its archives extract: ``ADD2023/Track1.2/{train,dev}/label.txt`` (``<file> <genuine|fake>``,
one space, no header, LF, no final newline) and ``{train,dev}/wav/ADD2023_T1.2_{T,D}_<8 digits>.wav`` (16 kHz
mono), with the unlabelled ``test/`` round beside. One labelled file is absent."""

from __future__ import annotations

from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# (split folder, number, label, present)
FILES = [
    ("train", 0, "fake", True),
    ("train", 1, "genuine", True),
    ("train", 2, "fake", True),
    ("train", 3, "genuine", False),
    ("dev", 0, "genuine", True),
    ("dev", 1, "fake", True),
]
SPLIT = {"train": "train", "dev": "validation"}


def file_name(folder: str, number: int) -> str:
    return f"ADD2023_T1.2_{folder[0].upper()}_{number:08d}.wav"


def write(root: Path, files: list[tuple[str, str, str, bytes | None]]) -> None:
    """label.txt and wav/ per split folder for (split folder, file name, label, WAV bytes or None)."""
    for folder in sorted({f[0] for f in files}):
        (root / folder / "wav").mkdir(parents=True, exist_ok=True)
        lines = [f"{name} {label}" for f_, name, label, _ in files if f_ == folder]
        (root / folder / "label.txt").write_text("\n".join(lines), encoding="utf-8")
        for f_, name, _, wav in files:
            if f_ == folder and wav is not None:
                (root / folder / "wav" / name).write_bytes(wav)


def build(base: Path) -> Corpus:
    root = base / "ADD2023" / "Track1.2"
    files = []
    expected = {}
    for k, (folder, number, label, present) in enumerate(FILES):
        name = file_name(folder, number)
        files.append((folder, name, label, wav_bytes(signal(RATE, 0.05, 150.0 + 25 * k), RATE) if present else None))
        if present:
            expected[name[:-4]] = {
                "split": SPLIT[folder],
                "audio": str(root / folder / "wav" / name),
                "label": "real" if label == "genuine" else "fake",
                "original_label": label,
            }
    write(root, files)
    (root / "test").mkdir()
    (root / "test" / "ADD2023_T1.2R1_E_00000000.wav").write_bytes(wav_bytes(signal(RATE, 0.05), RATE))
    apple_double(root / "train" / "wav" / file_name("train", 0))
    return Corpus(root, root.parent, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train" / "label.txt"
    replace_line(path, 2, "ADD2023_T1.2_T_00000001.wav bonafide")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "dev" / "wav" / file_name("dev", 1)).unlink()
    return "validation", "ADD2023_T1.2_D_00000001"
