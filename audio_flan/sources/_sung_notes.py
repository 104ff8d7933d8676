"""What the sung-melody corpora (CSD, Vocadito) share: their lyric files, read one way, and the beat-level pitch
question they ask of a song's annotated notes.

Lyrics: a UTF-8 text file, one lyric line per line; blank lines (stanza breaks) are dropped and the lines joined
with `` / `` (None for a file without a word, or no file).

The question: one note of the song, drawn by a BLAKE2 hash of the song id (so the same song always asks about the
same note), named by its index and times and answered with its pitch: ``Which pitch is sung in note 14, from
12.35 s to 12.81 s?`` -> ``G4 (MIDI 67)`` (note names as :mod:`._music_labels` writes them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from . import _music_labels as music
from .base import CorpusFormatError
from .readers import text_lines


def read_lyrics(path: Path, error: type[CorpusFormatError]) -> str | None:
    """The lyric lines of ``path``, `` / ``-joined; None when the file is absent or holds no word."""
    if not path.is_file():
        return None
    lines = [text.strip() for _, text in text_lines(path, error) if text.strip()]
    return " / ".join(lines) or None


def probe(song: str, notes: Sequence[tuple[float, float, int]]) -> tuple[str, str]:
    """(question, answer) about one of ``notes`` (start and end seconds, MIDI pitch), which must not be empty."""
    k = int.from_bytes(hashlib.blake2b(song.encode("utf-8"), digest_size=8).digest(), "big") % len(notes)
    start, end, pitch = notes[k]
    question = f"Which pitch is sung in note {k + 1}, from {start:.2f} s to {end:.2f} s?"
    return question, f"{music.note_name(pitch)} (MIDI {pitch})"
