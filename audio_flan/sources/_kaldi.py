"""Kaldi-style tables (``<key><whitespace><value>`` per line: ``text``, ``wav.scp``, ``utt2spk``, ``spk2gender``,
transcript files), which several Mandarin corpora ship (KeSpeech, Aishell-1/2, aidatatang_200zh). One reader, so
every error names file and line the same way; used by those parsers, not a parser itself.

A malformed line is an error, or, given ``lines`` (the :class:`~.readers.Skips` counting the file's malformed
lines) of a load that skips bad items, a counted skip; its key (the line's first field, when it has one) goes
into ``lost``, so that a parser can leave out and count the items that refer to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .base import CorpusFormatError
from .readers import Skips, text_lines


class Entry(NamedTuple):
    """The value of one key and the line it is on."""

    line: int
    value: str


def reject(err: CorpusFormatError, lines: Skips | None, lost: set[str] | None = None, key: str | None = None) -> None:
    """A malformed line: ``err`` is raised, unless ``lines`` skips bad items; then it is counted by ``lines`` and
    ``key`` is added to ``lost``."""
    if lines is None:
        raise err
    lines.bad(err)
    if lost is not None and key:
        lost.add(key)


def table_lines(
    path: Path,
    error: type[CorpusFormatError],
    what: str,
    separator: str | None = None,
    lines: Skips | None = None,
    lost: set[str] | None = None,
) -> Iterator[tuple[int, str, str]]:
    """(line number, key, value) of each non-blank line. ``separator`` None splits at the first run of
    whitespace (Kaldi's rule); a line without a value is malformed (an ``error`` naming the line and ``what`` was
    expected, or a counted skip: see the module)."""
    for line_no, line in text_lines(path, error, skips=lines):
        if not line.strip():
            continue
        parts = line.strip().split(separator, 1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            words = line.split()
            reject(error(f"{path}:{line_no}: expected {what}, got {line!r}"), lines, lost, words[0] if words else None)
            continue
        yield line_no, parts[0].strip(), parts[1].strip()


def read_table(
    path: Path,
    error: type[CorpusFormatError],
    what: str,
    separator: str | None = None,
    lines: Skips | None = None,
    lost: set[str] | None = None,
) -> dict[str, Entry]:
    """The whole table by key. A key given twice is malformed at its second line; skipped, the key is dropped
    altogether (which of the two values holds is not known) and goes into ``lost``."""
    table: dict[str, Entry] = {}
    twice: set[str] = set()
    for line_no, key, value in table_lines(path, error, what, separator, lines, lost):
        if key in table or key in twice:
            first = f" (first at line {table[key].line})" if key in table else ""
            reject(error(f"{path}:{line_no}: {key} is listed twice{first}"), lines, lost, key)
            table.pop(key, None)
            twice.add(key)
            continue
        table[key] = Entry(line_no, value)
    return table


def shard_count(scp: Path, bytes_per_shard: int, max_shards: int) -> int:
    """How many shards the utterances of a ``wav.scp`` are dealt into: one per ``bytes_per_shard`` of it, 1 to
    ``max_shards`` (judged by its size, nothing read)."""
    return max(1, min(max_shards, scp.stat().st_size // bytes_per_shard))
