"""JazzNet as ``metadata.tar.gz`` and the WAV tarballs extract: ``metadata/small.csv`` (its published header
``id,label,type,mode,octave,interval,split``, CRLF) and ``<type>/<mode>/<label>.wav`` (16 kHz, ``#`` in names),
with chord and arpeggio rows that are not read, and one listed progression whose WAV is absent. Each WAV plays
the pattern's notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio_flan.sources import _music_labels as music

from .common import Corpus, apple_double, replace_line, wav_bytes

RATE = 16000
HEADER = "id,label,type,mode,octave,interval,split"
SCALE_STEPS = {"ionian": (0, 2, 4, 5, 7, 9, 11), "dorian": (0, 2, 3, 5, 7, 9, 10), "phrygian": (0, 1, 3, 5, 7, 8, 10)}
#: (tonic, octave, type, mode, interval, split)
ROWS = [
    ("C", 4, "scale", "ionian", 0, "training"),
    ("C#", 3, "scale", "dorian", 1, "training"),
    ("Eb", 4, "scale", "phrygian", 2, "training"),
    ("F#", 2, "scale", "dorian", 0, "validation"),
    ("Ab", 3, "scale", "ionian", 3, "test"),
    ("A", 4, "scale", "harmonic-minor", 0, "training"),
    ("Bb", 2, "progression", "ii-V-I-maj", 5, "training"),
    ("C", 3, "progression", "I-VI-ii-V-maj", 12, "training"),
    ("G", 2, "progression", "ii-V-i-min", 7, "test"),
    ("E", 4, "progression", "ii#-V#-ii-V", 32, "training"),
    ("D", 1, "chord", "aug-chord", 0, "training"),
    ("D", 1, "arpeggio", "maj7-arpeggio", 0, "training"),
]
ABSENT = "E-4-ii#-V#-ii-V-32"


def label(tonic: str, octave: int, mode: str, interval: int) -> str:
    return f"{tonic}-{octave}-{mode}-{interval}"


def notes_wav(tonic: str, octave: int, steps, seconds: float = 0.2) -> bytes:
    base = 12 * (octave + 1) + music.pitch_class(tonic)
    t = np.arange(int(seconds * RATE)) / RATE
    x = np.concatenate([0.3 * np.sin(2 * np.pi * music.frequency(base + s) * t) for s in steps]).astype(np.float32)
    return wav_bytes(x, RATE)


def write_csv(path: Path, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8"))


def build(base: Path) -> Corpus:
    root = base / "jazznet"
    expected, rows = {}, []
    for k, (tonic, octave, kind, mode, interval, split) in enumerate(ROWS):
        name = label(tonic, octave, mode, interval)
        rows.append(f"{k},{name},{kind},{mode},{octave},{interval},{split}")
        folder = root / f"{kind}s" / mode
        folder.mkdir(parents=True, exist_ok=True)
        if name == ABSENT:
            continue
        steps = SCALE_STEPS.get(mode, (0, 3, 7, 11))
        (folder / f"{name}.wav").write_bytes(notes_wav(tonic, octave, steps))
        if kind not in ("scale", "progression"):
            continue
        expected[name] = {
            "audio": str(folder / f"{name}.wav"),
            "type": kind,
            "scale": f"{tonic} {mode.replace('-', ' ')}" if kind == "scale" else None,
            "progression": f"{mode} in {tonic}" if kind == "progression" else None,
            "octave": octave,
            "split": {"training": "train"}.get(split, split),
        }
    write_csv(root / "metadata" / "small.csv", rows)
    apple_double(Path(next(iter(expected.values()))["audio"]))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "metadata" / "small.csv"
    replace_line(path, 3, "1,C#-3-dorian-1,scale,dorian,3,1,trainng\r")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    name = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[name]["audio"]).unlink()
    return "train", name
