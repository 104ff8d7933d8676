"""Kaldi-style tables (``<key><whitespace><value>`` per line: ``text``, ``wav.scp``, ``utt2spk``, ``spk2gender``,
transcript files), which several Mandarin corpora ship (KeSpeech, Aishell-1/2, aidatatang_200zh). One reader, so
every error names file and line the same way; used by those parsers, not a parser itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .base import CorpusFormatError
from .readers import text_lines


class Entry(NamedTuple):
    """The value of one key and the line it is on."""

    line: int
    value: str


def table_lines(
    path: Path, error: type[CorpusFormatError], what: str, separator: str | None = None
) -> Iterator[tuple[int, str, str]]:
    """(line number, key, value) of each non-blank line. ``separator`` None splits at the first run of
    whitespace (Kaldi's rule); a line without a value raises ``error`` naming the line and ``what`` was expected."""
    for line_no, line in text_lines(path, error):
        if not line.strip():
            continue
        parts = line.strip().split(separator, 1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise error(f"{path}:{line_no}: expected {what}, got {line!r}")
        yield line_no, parts[0].strip(), parts[1].strip()


def read_table(path: Path, error: type[CorpusFormatError], what: str, separator: str | None = None) -> dict[str, Entry]:
    """The whole table by key; a key given twice raises ``error`` naming the second line."""
    table: dict[str, Entry] = {}
    for line_no, key, value in table_lines(path, error, what, separator):
        if key in table:
            raise error(f"{path}:{line_no}: {key} is listed twice (first at line {table[key].line})")
        table[key] = Entry(line_no, value)
    return table
