"""AudioSet strong labels as the download page distributes them (``audioset_train_strong.tsv``,
``audioset_eval_strong.tsv`` with the header ``segment_id<TAB>start_time_seconds<TAB>end_time_seconds<TAB>label``,
``mid_to_display_name.tsv`` without header), beside a folder of user-scraped clips named in the common
conventions: DCASE's ``Y<ytid>_<start>_<end>.wav``, the strong ``segment_id`` (``<ytid>_<start ms>.flac``) and
PANNs' ``audios/<csv stem>/Y<ytid>.wav``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, replace_line, signal

RATE = 16000
HEADER = "segment_id\tstart_time_seconds\tend_time_seconds\tlabel"
NAMES = {
    "/m/09x0r": "Speech",
    "/m/0bt9lr": "Dog",
    "/m/05zppz": "Male speech, man speaking",
    "/m/04rlf": "Music",
    "/m/0k4j": "Car",
}
# (YouTube id, start ms, split, naming, events as (start, end, mid))
SEGMENTS = [
    (
        "-0RWZT-miFs",
        30000,
        "train",
        "dcase",
        [(0.0, 2.125, "/m/09x0r"), (1.5, 3.0, "/m/0bt9lr"), (4.0, 6.5, "/m/09x0r")],
    ),
    ("Yx_lGt805lT", 420000, "train", "segment", [(2.133, 5.01, "/m/05zppz"), (5.2, 9.9, "/m/04rlf")]),
    ("a1b2c3d4e5f", 0, "train", "panns", [(0.0, 10.0, "/m/0k4j")]),
    ("zzTopzzTop1", 60000, "train", "absent", [(1.0, 2.0, "/m/0bt9lr")]),  # listed, never scraped
    (
        "Q-w_e_r_t_y",
        10000,
        "test",
        "dcase",
        [(3.25, 4.75, "/m/0bt9lr"), (0.5, 1.0, "/m/0bt9lr"), (0.9, 1.4, "/m/0bt9lr")],
    ),
]
SPLIT_FILE = {"train": "audioset_train_strong.tsv", "test": "audioset_eval_strong.tsv"}


def clip_path(root: Path, ytid: str, ms: int, naming: str) -> Path:
    start = ms / 1000
    if naming == "dcase":
        return root / "audio" / f"Y{ytid}_{start:.3f}_{start + 10:.3f}.wav"
    if naming == "segment":
        return root / "audio" / f"{ytid}_{ms}.flac"
    return root / "audios" / "eval_segments" / f"Y{ytid}.wav"


def write(root: Path, names: dict[str, str], events: dict[str, list[tuple[str, float, float, str]]]) -> None:
    """The three TSV files: ``names`` mid -> display name, ``events`` split -> (segment id, start, end, mid)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mid_to_display_name.tsv").write_text("".join(f"{m}\t{n}\n" for m, n in names.items()), encoding="utf-8")
    for split, name in SPLIT_FILE.items():
        lines = [f"{seg}\t{start:.3f}\t{end:.3f}\t{mid}" for seg, start, end, mid in events.get(split, [])]
        (root / name).write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")


def build(base: Path) -> Corpus:
    root = base / "AudioSet"
    rows: dict[str, list[tuple[str, float, float, str]]] = {"train": [], "test": []}
    expected = {}
    for k, (ytid, ms, split, naming, events) in enumerate(SEGMENTS):
        segment = f"{ytid}_{ms}"
        for start, end, mid in events:
            rows[split].append((segment, start, end, mid))
        if naming == "absent":
            continue
        path = clip_path(root, ytid, ms, naming)
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, np.tile(signal(RATE, 0.1, 300.0 + 50 * k), 3), RATE, subtype="PCM_16")
        ordered = sorted((s, e, NAMES[m]) for s, e, m in events)
        expected[segment] = {"split": split, "audio": str(path), "segments": [list(t) for t in ordered]}
    write(root, NAMES, rows)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / SPLIT_FILE["train"]
    replace_line(path, 3, "-0RWZT-miFs_30000\t1.5\tlater\t/m/0bt9lr")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    segment = "-0RWZT-miFs_30000"
    Path(corpus.expected[segment]["audio"]).unlink()
    return "train", segment
