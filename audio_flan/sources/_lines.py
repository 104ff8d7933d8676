"""Byte ranges of line-oriented files (JSONL, scp): cut a file at line boundaries and read the lines of a range.

A line ends with ``\\n`` (a ``\\r`` before it stays part of the line; JSON and the scp reader ignore it), the last
line may have none, and a UTF-8 byte order mark at offset 0 is not part of the first line. A line belongs to the
range that holds its first byte, so ranges cut at :func:`line_start` cover every line exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Optional

BOM = b"\xef\xbb\xbf"
_COUNT_BLOCK = 1 << 22
READ_BLOCK = 1 << 20


def line_start(f: BinaryIO, offset: int) -> int:
    """The offset of the first line that starts at or after ``offset`` (a line longer than any block is fine)."""
    if offset <= 0:
        return 0
    f.seek(offset - 1)
    if f.read(1) == b"\n":
        return offset
    return offset + len(f.readline())


def cut(path: str, size: int, target: int, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """``[start, end)`` (default: the whole file) as consecutive ranges of about ``target`` bytes, each starting
    at a line start (``start`` must be one). A line longer than ``target`` makes a longer range; no range is empty."""
    end = size if end is None else end
    if end <= start:
        return []
    if end - start <= target:
        return [(start, end)]
    bounds = [start]
    with open(path, "rb") as f:
        at = start + target
        while at < end:
            b = line_start(f, at)
            if b >= end:
                break
            if b > bounds[-1]:
                bounds.append(b)
            at = max(b, at) + target
    bounds.append(end)
    return list(zip(bounds[:-1], bounds[1:]))


def line_number_at(path: str, offset: int) -> int:
    """The 1-based number of the line starting at ``offset``: one more than the newlines before it."""
    count, done = 1, 0
    with open(path, "rb") as f:
        while done < offset:
            block = f.read(min(_COUNT_BLOCK, offset - done))
            if not block:
                break
            count += block.count(b"\n")
            done += len(block)
    return count


def read_lines(
    path: str, start: int, end: int, first_line: Optional[int] = None
) -> Iterator[tuple[int, int, int, bytes]]:
    """``(line number, offset, next offset, line)`` for every line starting in ``[start, end)``, the line without
    its ``\\n`` (and without a BOM). Reads only the range (in blocks of at most ``READ_BLOCK``), plus the rest of its
    last line if ``end`` is not a line boundary. ``first_line``: the number of the line at ``start`` when known
    (otherwise it is counted)."""
    number = line_number_at(path, start) if first_line is None else first_line
    with open(path, "rb", buffering=0) as f:
        f.seek(start)
        pos, done, carry = start, start, b""
        while done < end:
            block = f.read(min(READ_BLOCK, end - done))
            if not block:
                break
            done += len(block)
            lines = (carry + block).split(b"\n")
            carry = lines.pop()
            for line in lines:
                after = pos + len(line) + 1
                if pos == 0 and line.startswith(BOM):
                    line = line[3:]
                yield number, pos, after, line
                pos, number = after, number + 1
        if carry or done < end:
            while done >= end and carry and not carry.endswith(b"\n"):  # a range cut inside a line: finish it
                more = f.read(READ_BLOCK)
                if not more:
                    break
                cut = more.find(b"\n")
                carry += more if cut < 0 else more[: cut + 1]
                if cut >= 0:
                    break
            if carry:
                line = carry[:-1] if carry.endswith(b"\n") else carry
                if pos == 0 and line.startswith(BOM):
                    line = line[3:]
                yield number, pos, pos + len(carry), line
