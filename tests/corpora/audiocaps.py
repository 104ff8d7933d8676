"""AudioCaps as its GitHub repository distributes the captions: ``dataset/{train,val,test}.csv`` with the header
``audiocap_id,youtube_id,start_time,caption`` (minimal quoting, LF; train one caption per clip, val/test five rows
per clip), beside the user's clips named ``<ytid>_<start>.wav`` or ``Y<ytid>.wav``. One clip was never downloaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, replace_line, signal

RATE = 16000
HEADER = "audiocap_id,youtube_id,start_time,caption"
FILES = {"train": "train.csv", "validation": "val.csv", "test": "test.csv"}
# (split, YouTube id, start, naming, captions as (audiocap_id, caption))
CLIPS = [
    ("train", "-0RWZT-miFs", 30, "seconds", [(91139, "A woman talks nearby as water pours")]),
    ("train", "r1nicOVtvkQ", 130, "y", [(91140, "Rain falls, then thunder rolls in the distance")]),
    ("train", "absentClip1", 0, "absent", [(91141, "A dog barks twice")]),
    (
        "validation",
        "vfY_TJq7n_U",
        130,
        "seconds",
        [
            (97151, "Ducks quack while water splashes"),
            (97152, "Water splashes and ducks call, followed by people speaking"),
            (97153, 'A man says "hello" and ducks quack'),
            (97154, "Quacking ducks and  splashing water"),  # captions are verbatim: double spaces stay
            (97155, "Birds quack near a pond"),
        ],
    ),
    ("test", "y2bVZ7rz-5M", 280, "y", [(103001 + i, f"A siren wails and a horn honks {i + 1}") for i in range(5)]),
]


def csv_text(rows: list[tuple[int, str, int, str]]) -> str:
    def quote(caption: str) -> str:
        return '"' + caption.replace('"', '""') + '"' if ("," in caption or '"' in caption) else caption

    return "\n".join([HEADER] + [f"{c},{y},{s},{quote(t)}" for c, y, s, t in rows]) + "\n"


def clip_path(root: Path, ytid: str, start: int, naming: str) -> Path:
    return root / "audio" / (f"{ytid}_{start}.wav" if naming == "seconds" else f"Y{ytid}.wav")


def build(base: Path) -> Corpus:
    root = base / "audiocaps"
    rows: dict[str, list[tuple[int, str, int, str]]] = {split: [] for split in FILES}
    expected = {}
    for k, (split, ytid, start, naming, captions) in enumerate(CLIPS):
        path = clip_path(root, ytid, start, naming)
        if naming != "absent":
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(path, np.tile(signal(RATE, 0.1, 350.0 + 40 * k), 4), RATE, subtype="PCM_16")
        for cap_id, caption in captions:
            rows[split].append((cap_id, ytid, start, caption))
            if naming != "absent":
                expected[str(cap_id)] = {
                    "split": split,
                    "audio": str(path),
                    "ytid": ytid,
                    "start": float(start),
                    "clip": f"{ytid}_{start * 1000}",
                    "caption": caption,
                    "language": "en",
                }
    (root / "dataset").mkdir(parents=True, exist_ok=True)
    for split, name in FILES.items():
        (root / "dataset" / name).write_text(csv_text(rows[split]), encoding="utf-8")
    (root / "dataset" / "README.md").write_text("# AudioCaps\n", encoding="utf-8")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "dataset" / "val.csv"
    replace_line(path, 3, "97152,vfY_TJq7n_U,at noon,Water splashes")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["91139"]["audio"]).unlink()
    return "train", "91139"
