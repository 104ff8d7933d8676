"""Praat TextGrid files (the "ooTextFile" text formats), read strictly: every error names the file and line.

Praat writes a TextGrid in a long form (``xmin = 0``, ``item [1]:``, ``intervals [3]:`` ...) or a short one (the
bare values); its own reader ignores the labels and reads the values in order, and so does this one. The values
are numbers, strings in double quotes (``""`` is a quote inside one; a string may span lines) and the flag
``<exists>``. After the header (``File type = "ooTextFile"``, ``Object class = "TextGrid"``) come the grid's xmin,
xmax, ``<exists>`` and tier count, then per tier its class (``"IntervalTier"`` or ``"TextTier"``), name, xmin, xmax
and count, then per interval xmin, xmax and text (per point: time and mark). Text is UTF-8 (a byte-order mark is
dropped) or UTF-16 with its byte-order mark, as Praat writes non-ASCII text. Format reference: Praat's manual,
"TextGrid file formats" (praat.org/manual/TextGrid_file_formats.html).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .base import CorpusFormatError
from .readers import require_regular

MAX_BYTES = 256 * 2**20
#: the labels of the long format (skipped, as Praat does); any other bare word is an error
LABELS = frozenset(
    ("File", "type", "Object", "class", "xmin", "xmax", "tiers?", "size", "item", "intervals", "points", "name")
    + ("text", "number", "mark", "time")
)

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"]|"")*")'
    r"|(?P<flag><exists>|<absent>)"
    r"|(?P<index>\[[^\]\n]*\])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_?]*)"
    r"|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<punct>[=:])"
    r"|(?P<space>\s+)"
)


@dataclass(frozen=True)
class Interval:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Tier:
    name: str
    kind: str  # "IntervalTier" or "TextTier"
    intervals: tuple[Interval, ...]  # a TextTier's points have start == end


@dataclass(frozen=True)
class TextGrid:
    start: float
    end: float
    tiers: tuple[Tier, ...]


def _decode(path: Path, data: bytes, error: type[CorpusFormatError]) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise error(f"{path}: not UTF-16 text (byte {err.start})") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise error(f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x})") from None


class _Tokens:
    """The values of the file in order, each with its line."""

    def __init__(self, path: Path, text: str, error: type[CorpusFormatError]):
        self.path, self.error = path, error
        self.items: list[tuple[str, str, int]] = []  # (kind, value, line)
        line, at = 1, 0
        while at < len(text):
            match = _TOKEN.match(text, at)
            if match is None:
                raise error(f"{path}:{line}: unexpected {text[at]!r}; expected a TextGrid value (number or string)")
            kind, value = match.lastgroup or "", match.group()
            if kind == "word" and value not in LABELS:
                raise error(f"{path}:{line}: {value!r} is not a TextGrid value; expected a number or a quoted string")
            if kind == "string":
                self.items.append(("string", value[1:-1].replace('""', '"'), line))
            elif kind in ("flag", "number"):
                self.items.append((kind, value, line))
            line += value.count("\n")
            at = match.end()
        self.at = 0

    def _next(self, what: str) -> tuple[str, str, int]:
        if self.at >= len(self.items):
            last = self.items[-1][2] if self.items else 1
            raise self.error(f"{self.path}:{last}: the file ends early; expected {what}")
        item = self.items[self.at]
        self.at += 1
        return item

    def string(self, what: str) -> tuple[str, int]:
        kind, value, line = self._next(what)
        if kind != "string":
            raise self.error(f"{self.path}:{line}: {value!r} is not {what} (a string in double quotes)")
        return value, line

    def number(self, what: str) -> tuple[float, int]:
        kind, value, line = self._next(what)
        if kind != "number":
            raise self.error(f"{self.path}:{line}: {value!r} is not {what} (a number)")
        return float(value), line

    def count(self, what: str) -> tuple[int, int]:
        value, line = self.number(what)
        if value != int(value) or value < 0:
            raise self.error(f"{self.path}:{line}: {value} is not {what} (a whole number)")
        return int(value), line

    def flag(self, what: str) -> None:
        kind, value, line = self._next(what)
        if kind != "flag":
            raise self.error(f"{self.path}:{line}: {value!r} is not {what}")

    def end(self) -> None:
        if self.at < len(self.items):
            kind, value, line = self.items[self.at]
            raise self.error(f"{self.path}:{line}: {value!r} after the last tier; expected the end of the file")


def read_textgrid(path: Path, error: type[CorpusFormatError]) -> TextGrid:
    """A TextGrid file, checked: times in order within the grid, intervals of a tier contiguous."""
    require_regular(path, error)
    if path.stat().st_size > MAX_BYTES:
        raise error(f"{path}: larger than {MAX_BYTES} bytes; expected a TextGrid")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise error(f"{path}: cannot be read ({err.strerror})") from None
    tokens = _Tokens(path, _decode(path, data, error), error)
    file_type, line = tokens.string('the file type "ooTextFile"')
    if file_type != "ooTextFile":
        raise error(f'{path}:{line}: file type {file_type!r}; expected "ooTextFile" (a Praat text file)')
    object_class, line = tokens.string('the object class "TextGrid"')
    if object_class != "TextGrid":
        raise error(f'{path}:{line}: object class {object_class!r}; expected "TextGrid"')
    start, _ = tokens.number("the grid's xmin")
    end, line = tokens.number("the grid's xmax")
    if not 0 <= start <= end:
        raise error(f"{path}:{line}: the grid spans {start} to {end}; expected 0 <= xmin <= xmax")
    tokens.flag("<exists> (the grid's tiers)")
    size, _ = tokens.count("the number of tiers")
    tiers = []
    for _ in range(size):
        kind, line = tokens.string('a tier class ("IntervalTier" or "TextTier")')
        if kind not in ("IntervalTier", "TextTier"):
            raise error(f'{path}:{line}: tier class {kind!r}; expected "IntervalTier" or "TextTier"')
        name, _ = tokens.string("the tier's name")
        tier_start, _ = tokens.number("the tier's xmin")
        tier_end, line = tokens.number("the tier's xmax")
        if not start - 1e-6 <= tier_start <= tier_end <= end + 1e-6:
            raise error(
                f"{path}:{line}: tier {name!r} spans {tier_start} to {tier_end}, outside the grid's {start} to {end}"
            )
        items, _ = tokens.count("the number of intervals" if kind == "IntervalTier" else "the number of points")
        intervals = []
        previous = tier_start
        for _ in range(items):
            if kind == "TextTier":
                at, line = tokens.number("a point's time")
                mark, _ = tokens.string("a point's mark")
                intervals.append(Interval(at, at, mark))
                continue
            lo, _ = tokens.number("an interval's xmin")
            hi, line = tokens.number("an interval's xmax")
            text, _ = tokens.string("an interval's text")
            if not (abs(lo - previous) <= 1e-6 and lo <= hi <= tier_end + 1e-6):
                raise error(
                    f"{path}:{line}: interval {lo}-{hi} of tier {name!r} does not follow the one before "
                    f"(ending at {previous}) inside the tier's {tier_start} to {tier_end}"
                )
            previous = hi
            intervals.append(Interval(lo, hi, text))
        tiers.append(Tier(name, kind, tuple(intervals)))
    tokens.end()
    return TextGrid(start, end, tuple(tiers))
