"""What the sung-melody corpora (CSD, Vocadito) share: their note CSVs and lyric files, read one way, and the
beat-level pitch question they ask of a song's annotated notes.

Notes: a CSV of one note a row. A bad row is an error naming the file and line; under ``on_error="skip"`` every bad
row is counted and the whole score is given up (None): a score with a note missing would be wrong, and a question's
note index with it. A file without a note is an error under every policy.

Lyrics: a UTF-8 text file, one lyric line per line, rendered as every singing corpus renders its lyrics
(:func:`._singing.lyric_text`: blank lines dropped, the lines joined with `` / ``; None for a file without a word,
or no file).

The question: one note of the song, drawn by a BLAKE2 hash of the song id (so the same song always asks about the
same note), named by its index and times and answered with its pitch: ``Which pitch is sung in note 14, from
12.35 s to 12.81 s?`` -> ``G4 (MIDI 67)`` (note names as :mod:`._music_labels` writes them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from . import _music_labels as music
from . import _singing as singing
from ._stable_hash import stable_hash
from .base import CorpusFormatError
from .readers import Skips, csv_rows, text_lines

Note = TypeVar("Note")


def read_score(
    path: Path,
    error: type[CorpusFormatError],
    parse: Callable[[str, dict[str, str]], Note],
    skips: Skips | None = None,
    *,
    columns: Sequence[str] | None = None,
    required: Sequence[str] = (),
) -> list[Note] | None:
    """``parse(where, row)`` of every row of a note CSV (``columns`` for a file without header, else ``required``
    in its header), in file order; raises on the first bad row. Given ``skips`` of a load that skips bad items
    (one per file), every bad row is counted there and None is returned: the score is incomplete."""
    notes = []
    spoiled = False
    for line_no, row in csv_rows(path, error, columns=columns, required=required, skips=skips):
        try:
            notes.append(parse(f"{path}:{line_no}", row))
        except error as err:
            if skips is None:
                raise
            skips.bad(err)
            spoiled = True
    if spoiled or (skips is not None and skips.malformed):  # or a row csv_rows itself skipped (field count, quoting)
        return None
    if not notes:
        raise error(f"{path}:1: the file holds no note")
    return notes


def read_lyrics(path: Path, error: type[CorpusFormatError]) -> str | None:
    """The lyric lines of ``path``, `` / ``-joined; None when the file is absent or holds no word."""
    if not path.is_file():
        return None
    return singing.lyric_text(text for _, text in text_lines(path, error))


def probe(song: str, notes: Sequence[tuple[float, float, int]]) -> tuple[str, str]:
    """(question, answer) about one of ``notes`` (start and end seconds, MIDI pitch), which must not be empty."""
    k = stable_hash(song) % len(notes)
    start, end, pitch = notes[k]
    question = f"Which pitch is sung in note {k + 1}, from {start:.2f} s to {end:.2f} s?"
    return question, f"{music.note_name(pitch)} (MIDI {pitch})"
