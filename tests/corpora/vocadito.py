"""Vocadito as ``vocadito.zip`` extracts: ``vocadito_metadata.csv`` (``track_id,singer_id,average_pitch,language``,
the real file's language spellings: ``Catalan/Valencian``, ``French+English``, ``none``), ``Audio/vocadito_<n>.wav``
(44.1 kHz, 16-bit, mono) singing (sine tones) annotator A1's notes at their Hz, and ``Annotations/`` with the f0
CSV, both annotators' note CSVs (``onset,pitch_hz,duration``, no header, no final newline, as the real files) and
lyrics with a blank line between stanzas. Annotator A2's notes differ from A1's, so a parser reading A2 is caught."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio_flan.sources import _music_labels as music

from .common import Corpus, apple_double, replace_line, wav_bytes

RATE = 44100
HOP = 256 / RATE
NOTE = 0.15  # seconds per note in the fixture
#: (track, singer, language cell, lyric lines ("" a stanza break), notes as (MIDI pitch, cents off it))
TRACKS = [
    (1, "S1", "Tagalog", ["ako ay may lobo", "lumipad sa langit", "", "sayang ang pera ko"], [(50, -37), (51, 20)]),
    (2, "S2", "Spanish", ["los pollitos dicen"], [(64, 10), (62, -15), (60, 0)]),
    (4, "S3", "Catalan/Valencian", ["el gall i la gallina"], [(55, 30), (57, -30)]),
    (10, "S7", "English", ["twinkle twinkle little star", "", "how I wonder"], [(60, 5), (60, 5), (67, -8)]),
    (17, "S12", "none", [], [(60, 12), (65, -12)]),
    (30, "S24", "French+English", ["frère Jacques", "are you sleeping"], [(65, 0), (67, 0), (69, 0)]),
    (35, "S28", "Mandarin", ["两只老虎"], [(62, -25), (64, 25)]),
    (37, "S29", "Hawaiian+English", ["aloha ʻoe"], [(57, 0), (59, 0)]),
]
CODES = {
    "Tagalog": (["tl"], "Tagalog"),
    "Spanish": (["es"], "Spanish"),
    "Catalan/Valencian": (["ca"], "Catalan"),
    "English": (["en"], "English"),
    "none": ([], None),
    "French+English": (["fr", "en"], "French and English"),
    "Mandarin": (["zh"], "Mandarin Chinese"),
    "Hawaiian+English": (["haw", "en"], "Hawaiian and English"),
}
#: the split each fixture singer's id hashes to (the parser's 10 % test / 10 % validation rule)
SPLITS = {"S2": "validation", "S7": "test", "S12": "test", "S28": "validation", "S29": "test"}
MALFORMED = 2  # the track whose note CSV `malform` spoils


def hz(pitch: int, cents: int) -> float:
    return round(music.frequency(pitch + cents / 100), 3)


def timed(notes: list[tuple[int, int]]) -> list[tuple[float, float, float]]:
    """(onset, Hz, duration) of each note; a short gap between notes."""
    return [(0.1 + i * NOTE, hz(p, c), NOTE - 0.02) for i, (p, c) in enumerate(notes)]


def sung(notes: list[tuple[float, float, float]], rate: int = RATE) -> np.ndarray:
    end = max(onset + duration for onset, _, duration in notes)
    x = np.zeros(int((end + 0.1) * rate), dtype=np.float32)
    for onset, freq, duration in notes:
        a, b = int(onset * rate), int((onset + duration) * rate)
        x[a:b] = 0.3 * np.sin(2 * np.pi * freq * np.arange(b - a) / rate)
    return x


def note_rows(notes: list[tuple[float, float, float]]) -> str:
    return "\n".join(f"{onset:.9f},{freq:g},{duration:.9f}" for onset, freq, duration in notes)  # no final newline


def f0_rows(notes: list[tuple[float, float, float]], seconds: float) -> str:
    rows = []
    for k in range(int(seconds / HOP)):
        t = k * HOP
        f0 = next((f for onset, f, d in notes if onset <= t < onset + d), 0.0)
        rows.append(f"{t!r},{f0!r}")
    return "\n".join(rows) + "\n"


def write_metadata(root: Path, rows: list[tuple[int, str, int, str]]) -> None:
    lines = ["track_id,singer_id,average_pitch,language"] + [f"{t},{s},{p},{lang}" for t, s, p, lang in rows]
    root.mkdir(parents=True, exist_ok=True)
    (root / "vocadito_metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_track(root: Path, track: int, lyrics: list[str], a1: list[tuple[float, float, float]], audio=None) -> Path:
    """One excerpt's files; ``audio`` (float samples at RATE) defaults to sine tones at A1's notes."""
    rid = f"vocadito_{track}"
    notes_dir, lyrics_dir, f0_dir = (root / "Annotations" / d for d in ("Notes", "Lyrics", "F0"))
    for folder in (root / "Audio", notes_dir, lyrics_dir, f0_dir):
        folder.mkdir(parents=True, exist_ok=True)
    x = sung(a1) if audio is None else audio
    wav = root / "Audio" / f"{rid}.wav"
    wav.write_bytes(wav_bytes(x, RATE))
    a2 = [(onset + 0.01, freq * 2, duration - 0.02) for onset, freq, duration in a1]  # another annotator's reading
    (notes_dir / f"{rid}_notesA1.csv").write_text(note_rows(a1), encoding="utf-8")
    (notes_dir / f"{rid}_notesA2.csv").write_text(note_rows(a2), encoding="utf-8")
    (lyrics_dir / f"{rid}_lyrics.txt").write_text("\n".join(lyrics), encoding="utf-8")
    (f0_dir / f"{rid}_f0.csv").write_text(f0_rows(a1, len(x) / RATE), encoding="utf-8")
    return wav


def build(base: Path) -> Corpus:
    root = base / "vocadito"
    expected = {}
    rows = []
    for track, singer, language, lyrics, notes in TRACKS:
        a1 = timed(notes)
        wav = write_track(root, track, lyrics, a1)
        rows.append((track, singer, notes[0][0], language))
        codes, names = CODES[language]
        expected[f"vocadito_{track}"] = {
            "audio": str(wav),
            "singer": singer,
            "language": codes,
            "language_name": names,
            "lyrics": " / ".join(line for line in lyrics if line) or None,
            "notes": [(onset, onset + duration, p) for (onset, _, duration), (p, _) in zip(a1, notes)],
            "split": SPLITS.get(singer, "train"),
        }
    write_metadata(root, rows)
    apple_double(root / "Audio" / "vocadito_1.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """Track 2's second A1 note loses its pitch."""
    path = corpus.root / "Annotations" / "Notes" / f"vocadito_{MALFORMED}_notesA1.csv"
    replace_line(path, 2, "0.250000000,,0.130000000")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "vocadito_30"
    Path(corpus.expected[rid]["audio"]).unlink()
    return corpus.expected[rid]["split"], rid
