"""GTZAN as the Marsyas ``genres.tar.gz`` extracts (``genres/<genre>/<genre>.000NN.wav``, 22,050 Hz mono PCM_16),
with GTZAN-Rhythm v2 beside it (``GTZAN-Rhythm_v2_ismir2015_lbd/stats.csv``, its published header, quoted titles
and empty cells), the corrupt ``jazz.00054.wav`` of the Kaggle copy, and a clip the fault-filtered split leaves
out. Each clip is a click track at its annotated tempo."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from audio_flan.sources import gtzan as parser

from .common import Corpus, apple_double, replace_line, wav_bytes

RATE = 22050
RHYTHM_DIR = "GTZAN-Rhythm_v2_ismir2015_lbd"
STATS_HEADER = (
    "filename,artist,title,tempo mean,tempo std,swing ?,swing ratio median,swing ratio iqr,swing confidence,"
    "meter,ternary ?,beat by measure"
)
LEFT_OUT = "pop.00015"  # in none of the fault-filtered lists
CORRUPT = "jazz.00054"


def clicks(tempo: float, seconds: float = 1.5, rate: int = RATE) -> np.ndarray:
    """A click (a 5 ms burst) on every beat of ``tempo`` BPM."""
    data = np.zeros(int(seconds * rate), dtype=np.float32)
    period = 60.0 / tempo
    burst = (0.5 * np.sin(2 * np.pi * 1000 * np.arange(int(0.005 * rate)) / rate)).astype(np.float32)
    t = 0.0
    while int(t * rate) + burst.size <= data.size:
        start = int(t * rate)
        data[start : start + burst.size] = burst
        t += period
    return data


def write_clip(folder: Path, clip: str, tempo: float, seconds: float = 1.5) -> Path:
    genre = clip.split(".")[0]
    path = folder / genre / f"{clip}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(clicks(tempo, seconds), RATE))
    return path


def write_stats(path: Path, rows: list[dict]) -> None:
    """stats.csv with the published header; ``rows`` hold clip, artist, title, tempo."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write(STATS_HEADER + "\n")
    for r in rows:
        writer.writerow(
            [f"{r['clip']}.wav", r["artist"], r["title"], f"{r['tempo']:.2f}", "2.10", "no", "", "", "", "4/4", "no"]
            + ["[4 4 4 4]"]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_split_files(root: Path, split_of: dict[str, str], suffix: str = ".wav") -> None:
    """The fault-filtered split's three lists beside ``genres/`` (``train_filtered.txt``, ...), one
    ``<genre>/<genre>.000NN.wav`` per line as coreyker/dnn-mgr wrote them, in clip order."""
    for split, name in parser.SPLIT_FILES.items():
        lines = [f"{c.split('.')[0]}/{c}{suffix}\n" for c in sorted(split_of) if split_of[c] == split]
        (root / name).write_text("".join(lines), encoding="utf-8")


def first_clips(split: str, per_genre: int) -> list[str]:
    out = []
    for genre in parser.GENRE_FOLDERS:
        numbers = sorted(int(c.split(".")[1]) for c, s in parser.SPLIT_OF.items() if s == split and c.startswith(genre))
        out += [f"{genre}.{n:05d}" for n in numbers[:per_genre]]
    return out


def tempo_of(k: int) -> float:
    return float(60 + (k * 37) % 150)


def build(base: Path) -> Corpus:
    """``base/genres/...`` and ``base/GTZAN-Rhythm_v2_ismir2015_lbd/stats.csv``; root and data_dir are ``base``."""
    folder = base / "genres"
    clips = {"train": first_clips("train", 3), "validation": first_clips("validation", 1)}
    clips["test"] = first_clips("test", 1)
    expected, rows = {}, []
    k = 0
    for split, names in clips.items():
        for clip in names:
            tempo = tempo_of(k)
            k += 1
            path = write_clip(folder, clip, tempo)
            unannotated = clip == clips["train"][1]  # GTZAN-Rhythm has no row for it
            artist, title = f"Artist {k % 7}", f"Song {k}, part {k % 3}" if k % 4 == 0 else f"Song {k}"
            if not unannotated:
                rows.append({"clip": clip, "artist": artist, "title": title, "tempo": tempo})
            expected[clip] = {
                "audio": str(path),
                "genre": "hip-hop" if clip.startswith("hiphop") else clip.split(".")[0],
                "tempo": None if unannotated else tempo,
                "artist": None if unannotated else artist,
                "title": None if unannotated else title,
                "split": split,
            }
    write_clip(folder, LEFT_OUT, 100.0)
    (folder / "jazz" / f"{CORRUPT}.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 12)
    rows.append({"clip": CORRUPT, "artist": "Someone", "title": "Broken", "tempo": 120.0})
    apple_double(folder / "blues" / f"{clips['train'][0]}.wav")
    write_stats(base / RHYTHM_DIR / "stats.csv", rows)
    return Corpus(base, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / RHYTHM_DIR / "stats.csv"
    replace_line(path, 3, "blues.00030.wav,Someone,Song,fast,1.0,no,,,,4/4,no,[4 4]")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    clip = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[clip]["audio"]).unlink()
    return "train", clip
