"""Timed labels (diarization turns, sound events, speech regions, beats, chords) and the one text format every
timed output uses, with its parser.

A segment is ``(start, end, label)`` in seconds from the start of the audio the model hears. Kept apart from
the audio (lhotse's ``SupervisionSegment`` idea), so a window of a long recording can clip them.

The text format, one segment per line, times with two decimals::

    0.00-1.25: speaker 1
    0.80-2.10: speaker 2
    3.40-3.90

``start-end`` alone when the task asks only for times (one class, or speech regions); ``start-end: label``
otherwise. A point in time (a beat) is ``start`` alone. :func:`parse_segments` reads it back; it is the
documented contract for scripts that score model outputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional


class SegmentFormatError(ValueError):
    """A text that is not in the timed-output format."""


@dataclass(frozen=True, order=True)
class Segment:
    start: float
    end: float
    label: str = ""

    def __post_init__(self) -> None:
        if not (self.start >= 0 and self.end >= self.start):
            raise ValueError(f"a segment needs 0 <= start <= end, got {self.start}-{self.end}")


_LINE = re.compile(r"(?P<start>\d+\.\d{2})(?:-(?P<end>\d+\.\d{2}))?(?:: (?P<label>\S.*))?")


def _time(value: float) -> str:
    return f"{round(value + 1e-9, 2):.2f}"


def format_segments(segments: Iterable[Segment], labels: bool = True, points: bool = False) -> str:
    """The text of ``segments`` in time order (ties by end, then label), one a line."""
    lines = []
    for s in sorted(segments):
        when = _time(s.start) if points else f"{_time(s.start)}-{_time(s.end)}"
        lines.append(f"{when}: {s.label}" if labels and s.label else when)
    return "\n".join(lines)


def parse_segments(text: str) -> list[Segment]:
    """The segments of a text in the format above (a point in time reads as a zero-length segment). A first line
    ending in ``:`` is an answer's prefix ("Segments:") and is skipped."""
    out = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or (line_no == 1 and line.rstrip().endswith(":") and not _LINE.fullmatch(line.strip())):
            continue
        match = _LINE.fullmatch(line.strip())
        if not match:
            raise SegmentFormatError(f"line {line_no}: {line!r} is not 'start-end: label' (seconds, two decimals)")
        start = float(match["start"])
        end = float(match["end"]) if match["end"] else start
        out.append(Segment(start, end, match["label"] or ""))
    return out


def clip(segments: Iterable[Segment], start: float, end: float) -> list[Segment]:
    """The parts of ``segments`` inside ``[start, end)``, shifted so that ``start`` is 0; a segment cut by the
    window is cut at its edge, one wholly outside is dropped."""
    out = []
    for s in segments:
        lo, hi = max(s.start, start), min(s.end, end)
        if hi > lo or (s.start == s.end and start <= s.start < end):
            out.append(Segment(round(lo - start, 6), round(hi - start, 6), s.label))
    return sorted(out)


def anonymise(segments: Sequence[Segment], prefix: str = "speaker") -> list[Segment]:
    """Labels replaced by ``<prefix> 1``, ``<prefix> 2``, ... in order of first appearance."""
    names: dict[str, str] = {}
    out = []
    for s in sorted(segments):
        name = names.setdefault(s.label, f"{prefix} {len(names) + 1}")
        out.append(Segment(s.start, s.end, name))
    return out


def merge(segments: Iterable[Segment], gap: float = 0.0, label: Optional[str] = None) -> list[Segment]:
    """Overlapping (or closer than ``gap``) segments of the same label joined into one."""
    out: list[Segment] = []
    for s in sorted(segments, key=lambda s: (s.label if label is None else label, s.start, s.end)):
        name = s.label if label is None else label
        if out and out[-1].label == name and s.start <= out[-1].end + gap:
            out[-1] = Segment(out[-1].start, max(out[-1].end, s.end), name)
        else:
            out.append(Segment(s.start, s.end, name))
    return sorted(out)
