"""MusicCaps as Kaggle's ``musiccaps-public.csv`` (its header, quoted captions with commas and doubled quotes,
Python-list aspect lists, ``True``/``False`` flags) beside the user's downloaded clips: ``music_data/<ytid>.wav`` as
the usual download script names them, one ``Y<ytid>_<start>.000_<end>.000.wav``, one ytid starting with ``-``, and
one listed clip the user does not have."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
HEADER = [
    "ytid",
    "start_s",
    "end_s",
    "audioset_positive_labels",
    "aspect_list",
    "caption",
    "author_id",
    "is_balanced_subset",
    "is_audioset_eval",
]
ROWS = [
    (
        "-0Gj8-vB1q4",
        30,
        ["low quality", "sustained strings melody"],
        'The low quality recording features a "live" string melody, soft and slow.',
        False,
    ),
    (
        "-0SdAVK79lg",
        30,
        ["guitar song", "piano backing"],
        "This song features an electric guitar as the main instrument.",
        True,
    ),
    ("-0vPFx-wRRI", 30, ["amateur recording", "finger snipping"], "A male voice sings, snapping fingers.", False),
    ("-0xzrMun0Rs", 30, ["backing track", "jazzy"], "This is a jazzy backing track, with drums, bass and keys.", True),
    (
        "-1LrH01Ei1w",
        30,
        ["rubab instrument", "repetitive melody"],
        "Someone plays a rubab melody, over and over.",
        False,
    ),
    ("-1OlgJWehn8", 30, ["dubstep", "synth bass"], "A dubstep tune with a heavy synth bass.", True),
    ("-1UWSisR2zo", 30, ["sad", "piano"], "A sad piano piece, played slowly.", False),
    ("-1pFf_0cJdw", 10, ["ambient", "pads"], "Ambient pads, wide and calm.", True),
    ("0bRUkLsttto", 40, ["rock", "distorted guitar"], "A rock song with distorted guitars and loud drums.", False),
    ("2unse6chkMU", 20, ["classical", "orchestra"], "An orchestra plays a classical piece, strings and brass.", True),
]
NAMED_BY_TIMES = "0bRUkLsttto"  # downloaded as Y<ytid>_<start>.000_<end>.000.wav
ABSENT = "2unse6chkMU"  # listed, not downloaded


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def csv_row(ytid: str, start: int, aspects: list[str], caption: str, evaluation: bool, k: int) -> list[str]:
    return [
        ytid,
        str(start),
        str(start + 10),
        "/m/0140xf,/m/02cjck",
        repr(aspects),
        caption,
        str(k % 9),
        str(k % 2 == 0),
        str(evaluation),
    ]


def build(base: Path) -> Corpus:
    """``base/musiccaps/musiccaps-public.csv`` and ``base/musiccaps/music_data/``; root is ``base/musiccaps``."""
    root = base / "musiccaps"
    clips = root / "music_data"
    clips.mkdir(parents=True)
    expected, rows = {}, []
    for k, (ytid, start, aspects, caption, evaluation) in enumerate(ROWS):
        rows.append(csv_row(ytid, start, aspects, caption, evaluation, k))
        if ytid == ABSENT:
            continue
        name = f"Y{ytid}_{start}.000_{start + 10}.000.wav" if ytid == NAMED_BY_TIMES else f"{ytid}.wav"
        (clips / name).write_bytes(wav_bytes(signal(RATE, 0.1, 300.0 + 30 * k), RATE))
        expected[ytid] = {
            "audio": str(clips / name),
            "caption": caption,
            "aspects": ", ".join(aspects),
            "start": float(start),
            "end": float(start + 10),
            "author_id": str(k % 9),
            "balanced": k % 2 == 0,
            "split": "test" if evaluation else "train",
        }
    write_csv(root / "musiccaps-public.csv", rows)
    apple_double(clips / f"{ROWS[0][0]}.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "musiccaps-public.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    replace_line(path, 3, lines[2].rsplit(",", 1)[0] + ",yes")  # is_audioset_eval
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    ytid = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[ytid]["audio"]).unlink()
    return "train", ytid
