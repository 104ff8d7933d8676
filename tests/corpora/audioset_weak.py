"""AudioSet weak labels as PANNs lays the download out: ``metadata/`` with the three segments CSVs (three comment
lines, comma + space separated, label lists always quoted, LF) and ``class_labels_indices.csv`` (every display
name quoted), beside clips named in the common conventions: PANNs' ``audios/<csv stem>/Y<ytid>.wav``, DCASE's
``Y<ytid>_<start>_<end>.wav`` and ``<ytid>_<start seconds>.flac``. One listed segment was never downloaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, apple_double, replace_line, signal

RATE = 16000
#: real rows of class_labels_indices.csv (index, mid, display name)
CLASSES = [
    (0, "/m/09x0r", "Speech"),
    (1, "/m/05zppz", "Male speech, man speaking"),
    (74, "/m/0bt9lr", "Dog"),
    (75, "/m/05tny_", "Bark"),
    (137, "/m/04rlf", "Music"),
    (140, "/m/0342h", "Guitar"),
    (287, "/m/0ngt1", "Thunder"),
    (289, "/m/06mb1", "Rain"),
    (307, "/m/0k4j", "Car"),
    (308, "/m/0912c9", "Vehicle horn, car horn, honking"),
    (451, "/t/dd00088", "Gush"),
    (500, "/m/028v0c", "Silence"),
    (513, "/m/096m7z", "Noise"),
    (520, "/m/0chx_", "White noise"),
]
NAMES = {mid: name for _, mid, name in CLASSES}
# (csv, YouTube id, start, label mids, clip naming, content)
SEGMENTS = [
    ("balanced_train", "--PJHxphWEs", 30, ["/m/09x0r", "/t/dd00088"], "dcase", "speech"),
    ("balanced_train", "-0SdAVK79lg", 0, ["/m/04rlf", "/m/0342h"], "panns", "music"),
    ("balanced_train", "0FMdORf5iGs", 10, ["/m/096m7z", "/m/0k4j", "/m/0912c9"], "seconds", "noise"),
    ("balanced_train", "a_b-c_d-e_f", 20, ["/m/05zppz", "/m/09x0r", "/m/04rlf"], "panns", None),
    ("balanced_train", "zzAbsentClp", 0, ["/m/0bt9lr"], "absent", None),
    ("unbalanced_train", "UnBal_12345", 40, ["/m/0chx_"], "dcase", "noise"),
    ("unbalanced_train", "rainThunder", 0, ["/m/06mb1", "/m/0ngt1"], "panns", None),
    ("eval", "Q-w_e_r_t_y", 30, ["/m/028v0c"], "panns", "silence"),
    ("eval", "dogBarks001", 0, ["/m/0bt9lr", "/m/05tny_"], "dcase", None),
]
CREATED = "# Segments csv created Sun Mar  5 10:54:31 2017"
COLUMNS = "# YTID, start_seconds, end_seconds, positive_labels"
#: the ESC-50 category each clip's labels name (audio.sound_event_recognition); the others name none, or two
#: (rain and thunderstorm for rainThunder)
EVENT = {"0FMdORf5iGs": "car horn", "dogBarks001": "dog"}
SPLIT = {"balanced_train": "train", "unbalanced_train": "train", "eval": "test"}


def clip_path(root: Path, csv_stem: str, ytid: str, start: float, naming: str) -> Path:
    if naming == "panns":
        return root / "audios" / f"{csv_stem}_segments" / f"Y{ytid}.wav"
    if naming == "dcase":
        return root / "audio" / f"Y{ytid}_{start:.3f}_{start + 10:.3f}.wav"
    return root / "audio" / f"{ytid}_{start:g}.flac"


def segments_csv(rows: list[tuple[str, float, list[str]]]) -> str:
    """A segments CSV: the three comment lines, then ``YTID, start, end, "mid,mid"`` rows sorted by YTID."""
    labels = {m for _, _, mids in rows for m in mids}
    head = [
        CREATED,
        f"# num_ytids={len({y for y, _, _ in rows})}, num_segs={len(rows)}, num_unique_labels={len(labels)}, "
        f"num_positive_labels={sum(len(m) for _, _, m in rows)}",
        COLUMNS,
    ]
    body = [f'{y}, {s:.3f}, {s + 10:.3f}, "{",".join(sorted(m))}"' for y, s, m in sorted(rows)]
    return "\n".join(head + body) + "\n"


def write_metadata(folder: Path, classes, segments: dict[str, list[tuple[str, float, list[str]]]]) -> None:
    """``class_labels_indices.csv`` and one ``<stem>_segments.csv`` per key of ``segments``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["index,mid,display_name"] + [f'{i},{mid},"{name}"' for i, mid, name in classes]
    (folder / "class_labels_indices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for stem, rows in segments.items():
        (folder / f"{stem}_segments.csv").write_text(segments_csv(rows), encoding="utf-8")


def write_clip(path: Path, k: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.tile(signal(RATE, 0.1, 300.0 + 50 * k), 4), RATE, subtype="PCM_16")


def build(base: Path) -> Corpus:
    root = base / "AudioSet"
    segments: dict[str, list[tuple[str, float, list[str]]]] = {stem: [] for stem in SPLIT}
    expected = {}
    for k, (stem, ytid, start, mids, naming, content) in enumerate(SEGMENTS):
        segments[stem].append((ytid, start, mids))
        if naming == "absent":
            continue
        path = clip_path(root, stem, ytid, start, naming)
        write_clip(path, k)
        expected[f"{ytid}_{start * 1000}"] = {
            "split": SPLIT[stem],
            "audio": str(path),
            "ytid": ytid,
            "start": float(start),
            "end": float(start + 10),
            "mids": sorted(mids),
            "labels": [NAMES[m] for m in sorted(mids)],
            "content": content,
            "event": EVENT.get(ytid),
            "subset": stem,
        }
    write_metadata(root / "metadata", CLASSES, segments)
    apple_double(clip_path(root, "eval", "Q-w_e_r_t_y", 30, "panns"))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "metadata" / "balanced_train_segments.csv"
    replace_line(path, 5, '-0SdAVK79lg, 0.000, 10.000, "/m/04rlf,/m/nonesuch"')
    return path, 5


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    segment = "-0SdAVK79lg_0"
    Path(corpus.expected[segment]["audio"]).unlink()
    return "train", segment
