"""CSD as its Zenodo archive extracts: ``CSD/{english,korean}/{wav,mid,lyric,txt,csv}/`` with songs ``en001a``,
``kr002b``, ... (two keys per song), note CSVs ``start,end,pitch,syllable``, UTF-8 lyrics (Hangul for Korean), and
WAVs that sing (sine tones) each note at its pitch and time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio_flan.sources import _music_labels as music

from .common import Corpus, apple_double, replace_line, wav_bytes

RATE = 16000
#: per language folder: (song stem, lyric lines, notes as (syllable, MIDI pitch, seconds))
SONGS = {
    "english": [
        (
            "en001",
            ["twinkle twinkle", "little star"],
            [("twin", 60), ("kle", 60), ("twin", 67), ("kle", 67), ("lit", 69), ("tle", 69), ("star", 67)],
        ),
        ("en002", ["row row row", "your boat"], [("row", 62), ("row", 62), ("row", 62), ("your", 64), ("boat", 66)]),
    ],
    "korean": [
        ("kr001", ["산토끼 토끼야"], [("산", 67), ("토", 64), ("끼", 64), ("토", 67), ("끼", 64), ("야", 60)]),
        (
            "kr002",
            ["학교 종이", "땡땡땡"],
            [("학", 67), ("교", 67), ("종", 69), ("이", 69), ("땡", 67), ("땡", 67), ("땡", 64)],
        ),
    ],
}
NOTE = 0.12  # seconds per note in the fixture


def sung(notes: list[tuple[float, float, int]]) -> np.ndarray:
    x = np.zeros(int((notes[-1][1] + 0.05) * RATE), dtype=np.float32)
    for start, end, pitch in notes:
        a, b = int(start * RATE), int(end * RATE)
        x[a:b] = 0.3 * np.sin(2 * np.pi * music.frequency(pitch) * np.arange(b - a) / RATE)
    return x


def timed(notes: list[tuple[str, int]], shift: int) -> list[tuple[float, float, int, str]]:
    return [(0.05 + i * NOTE, 0.05 + (i + 1) * NOTE - 0.01, pitch + shift, syl) for i, (syl, pitch) in enumerate(notes)]


def write_song(folder: Path, song: str, lyrics: list[str], notes: list[tuple[float, float, int, str]]) -> Path:
    for sub in ("wav", "mid", "lyric", "txt", "csv"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    rows = ["start,end,pitch,syllable"] + [f"{s:.3f},{e:.3f},{p},{syl}" for s, e, p, syl in notes]
    (folder / "csv" / f"{song}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "lyric" / f"{song}.txt").write_text("\n".join(lyrics) + "\n", encoding="utf-8")
    (folder / "txt" / f"{song}.txt").write_text(" ".join(syl for *_, syl in notes) + "\n", encoding="utf-8")
    (folder / "mid" / f"{song}.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0")
    wav = folder / "wav" / f"{song}.wav"
    wav.write_bytes(wav_bytes(sung([(s, e, p) for s, e, p, _ in notes]), RATE))
    return wav


def build(base: Path) -> Corpus:
    root = base / "CSD"
    expected = {}
    for language, songs in SONGS.items():
        for stem, lyrics, notes in songs:
            for key, shift in (("a", 0), ("b", 2)):
                song = f"{stem}{key}"
                notes_of = timed(notes, shift)
                wav = write_song(root / language, song, lyrics, notes_of)
                expected[song] = {
                    "audio": str(wav),
                    "language": "en" if language == "english" else "ko",
                    "lyrics": " / ".join(lyrics),
                    "notes": notes_of,
                    "split": "train",
                }
    apple_double(root / "english" / "wav" / "en001a.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "korean" / "csv" / "kr001b.csv"
    replace_line(path, 3, "0.170,0.280,E4,토")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["en002b"]["audio"]).unlink()
    return "train", "en002b"
