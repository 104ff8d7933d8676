"""The one way a parser reads its corpus files: text, CSV/TSV and JSON metadata whose every error names the file and
line and says what was expected; listing folders without macOS debris; and the skip-and-count policy for
metadata rows whose audio is absent.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import stat
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from ..report import SHOWN, LoadReport, current, hand_over
from .base import CorpusFormatError, MissingAudioWarning

#: Longer metadata lines are refused with a clear error rather than read into memory whole (a named pipe or
#: ``/dev/zero`` given as a metadata file must not hang or exhaust memory).
MAX_LINE_BYTES = 16 * 1024 * 1024
_BOM = codecs.BOM_UTF8
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "'|'", " ": "space"}


class MissingAudioError(CorpusFormatError):
    """A metadata row whose audio is absent, for a source whose policy is to stop rather than skip."""


class UnreadableError(CorpusFormatError):
    """A folder or file of the corpus that exists but cannot be read (permissions): the message names it."""


def is_hidden(name: str) -> bool:
    """macOS AppleDouble files (``._x.wav``) and dotfiles ship inside several corpus archives."""
    return name.startswith(".")


def _unlistable(folder: Path, err: OSError, strict: bool) -> list[str]:
    """What listing ``folder`` gives after ``err``: nothing for a folder that is absent (or when looking around,
    ``strict=False``: layout detection must not fail on someone else's ``lost+found``), else an error naming it."""
    if not strict or isinstance(err, (FileNotFoundError, NotADirectoryError)):
        return []
    raise UnreadableError(f"{folder}: cannot list this folder ({err.strerror}); the corpus must be readable") from None


def visible_names(folder: Path, strict: bool = False) -> list[str]:
    """The names in ``folder``, sorted, without hidden files; empty when it does not exist (or, unless
    ``strict``, cannot be listed)."""
    try:
        return sorted(n for n in os.listdir(folder) if not is_hidden(n))
    except OSError as err:
        return _unlistable(folder, err, strict)


def numbered_dirs(folder: Path, strict: bool = False) -> list[str]:
    """Sub-folders named by a number (speakers, chapters), in numeric order; anything else is ignored. One
    scandir, whose entries know their type, rather than a stat per name (a subset has hundreds of speakers).
    Empty when ``folder`` does not exist (or, unless ``strict``, cannot be listed)."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.isdigit() and e.is_dir()]
    except OSError as err:
        return _unlistable(folder, err, strict)
    return sorted(names, key=lambda n: (int(n), n))


def audio_files(folder: Path, suffixes: Sequence[str] = (".wav", ".flac")) -> list[str]:
    """Audio file names in ``folder`` (by suffix, any case), sorted, without AppleDouble or dot files."""
    lowered = tuple(s.lower() for s in suffixes)
    return [n for n in visible_names(folder) if n.lower().endswith(lowered)]


def require_regular(path: Path, error: type[CorpusFormatError]) -> None:
    """Refuse what is not a regular file (a folder, a named pipe, a device) before opening it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error(f"{path}: the file does not exist") from None
    except OSError as err:
        raise error(f"{path}: cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(mode):
        raise error(f"{path}: not a regular file; expected a metadata file")
    if not os.access(path, os.R_OK):  # named before any read, as open() would fail halfway through a listing
        raise error(f"{path}: cannot be read (Permission denied)")


def text_lines(
    path: Path,
    error: type[CorpusFormatError],
    encoding: str = "utf-8",
    max_line: int = MAX_LINE_BYTES,
    errors: str = "strict",
    skips: Skips | None = None,
) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending) for every line of a text file. A UTF-8 byte-order mark is
    dropped; a line that is not ``encoding`` (unless ``errors="replace"``, for free-text columns such as names)
    raises ``error`` naming the line (or, given ``skips`` of a load that skips bad items, is skipped and
    counted); a line longer than ``max_line`` bytes raises ``error`` naming the line."""
    require_regular(path, error)
    try:
        f = open(path, "rb")
    except OSError as err:
        raise error(f"{path}: cannot be read ({err.strerror})") from None
    with f:
        line_no = 0
        while True:
            raw = f.readline(max_line + 1)
            if not raw:
                return
            line_no += 1
            if len(raw) > max_line and not raw.endswith(b"\n"):
                raise error(f"{path}:{line_no}: the line is longer than {max_line} bytes; expected a metadata line")
            if line_no == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            try:
                text = raw.decode(encoding, errors)
            except UnicodeDecodeError as err:
                bad = error(
                    f"{path}:{line_no}: not {encoding} text (byte 0x{raw[err.start]:02x} at column {err.start + 1})"
                )
                if skips is None:
                    raise bad from None
                skips.bad(bad)
                continue
            yield line_no, text.rstrip("\r\n")


def csv_rows(
    path: Path,
    error: type[CorpusFormatError],
    *,
    delimiter: str = ",",
    columns: Sequence[str] | None = None,
    required: Sequence[str] = (),
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
    encoding: str = "utf-8",
    comment: str | None = None,
    skips: Skips | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by column name) for every data row of a CSV/TSV file.

    With ``columns`` the file has no header and rows take these names; otherwise the first row is the header and
    must hold every name in ``required``. A row whose field count differs from the header's, or a quoting error,
    raises ``error`` naming the line (given ``skips`` of a load that skips bad items, the row is skipped and
    counted instead). Blank lines (and lines starting with ``comment``) are passed over."""
    lines = text_lines(path, error, encoding, skips=skips)
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in lines:
            if not numbers and (not text.strip() or (comment and text.startswith(comment))):
                continue  # leading blank or comment lines, before the header or first row
            numbers.append(number)
            yield text + "\n"

    reader = csv.reader(feed(), delimiter=delimiter, quoting=quoting, strict=True)
    name = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
    header: list[str] | None = list(columns) if columns is not None else None
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            where = numbers[-1] if numbers else 1
            bad = error(f"{path}:{where}: not valid {name}-separated text ({err})")
            if skips is None or header is None:
                raise bad from None
            skips.bad(bad)
            continue
        line_no = numbers[-1]
        if header is None:
            header = [h.strip() for h in values]
            lacking = [c for c in required if c not in header]
            if lacking:
                raise error(
                    f"{path}:{line_no}: the header {delimiter.join(header)!r} lacks {', '.join(lacking)}; "
                    f"expected the columns {delimiter.join(required)}"
                )
            continue
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if comment and values[0].startswith(comment):
            continue
        if len(values) != len(header):
            bad = error(
                f"{path}:{line_no}: expected {len(header)} {name}-separated fields ({', '.join(header)}), "
                f"got {len(values)}"
            )
            if skips is None:
                raise bad
            skips.bad(bad)
            continue
        yield line_no, dict(zip(header, values))
    if header is None and columns is None and required:
        raise error(f"{path}:1: the file is empty; expected the header {delimiter.join(required)}")


def read_json(path: Path, error: type[CorpusFormatError]) -> Any:
    """A whole JSON document; errors name the line and column (or the line of a byte that is not UTF-8)."""
    require_regular(path, error)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise error(f"{path}: cannot be read ({err.strerror})") from None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise error(f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise error(f"{path}:{err.lineno}: not valid JSON ({err.msg} at column {err.colno})") from None


class Skips:
    """What one shard skipped, by reason: the one place parsers report skipped items.

    Parsers call :meth:`add` for an item that is absent (a row whose audio file is missing), :meth:`bad` for a
    malformed metadata item, and :meth:`report` once at the end of the shard. Within a load (the builder's
    generators) every skip goes straight into the load's :class:`~audio_flan.report.LoadReport`, which the
    builder reports at the end of the split, and the load's ``on_error`` policy decides what is raised instead;
    a parser called directly warns once per shard. ``policy="error"`` (a source's ``missing_audio``) turns an
    absent item into a :class:`MissingAudioError`.

    Every shard counts every item it skips, a line that other shards read too included: the load's report
    counts a malformed line once by what it names (reason and message, which names file and line), an absent
    item once per place (``what``) and reason, so a split loaded alone or with others reports each once."""

    SHOWN = SHOWN  # items named per reason

    def __init__(
        self,
        what: str,
        policy: str = "skip",
        category: type[Warning] = MissingAudioWarning,
        counting: bool = True,  # kept for parsers not yet migrated: every shard counts, the load's report de-dups
    ):
        self.what = what  # e.g. "LibriTTS-R shard [train-clean-100/19] in /data/LibriTTS_R"
        self.policy = policy
        self.category = category
        self.load = current()
        self._own = LoadReport()  # what this shard skipped, for the direct call's warning
        self.counts: dict[str, int] = {}
        self.malformed = 0  # malformed items skipped (items that refer to them may be lost too)

    @property
    def skipping(self) -> bool:
        """Whether malformed metadata items are skipped (the load's ``on_error="skip"``) rather than raised."""
        return self.load is not None and self.load.skipping

    def _count(self, reason: str, item: str, audio: bool, located: bool = False) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        self._own.add(self.what, reason, item, audio=audio, located=located)
        if self.load is not None:
            self.load.report.add(self.what, reason, item, audio=audio, located=located)

    def add(self, reason: str, item: str, *, always: bool = False, audio: bool = True) -> None:
        """An absent item (its audio, its transcript) skipped, or an error under the ``"error"``/``"raise"``
        policies. ``always`` is for items skipped whatever the policy (ones the corpus is known to ship broken,
        files a listing does not read); ``audio=False`` for skips that are not about audio."""
        strict = self.policy == "error" or (self.load is not None and self.load.policy == "raise")
        if strict and not always:
            raise MissingAudioError(f"{self.what}: {reason}: {item}")
        self._count(reason, item, audio=audio)

    def bad(self, error: CorpusFormatError, reason: str = "malformed metadata line(s)") -> None:
        """A malformed metadata item: ``error`` is raised unless the load skips bad items; then it is counted,
        its message (which names file and line) shown among the first few."""
        if not self.skipping:
            raise error
        self.malformed += 1
        self._count(reason, str(error), audio=False, located=True)  # the message names file and line

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def report(self) -> None:
        """The shard is done. Within a load its skips are already in the load's report; called directly, warn."""
        if self.load is not None or not self._own:
            return
        hand_over(self._own)
        text = "; ".join(e.line()[len(self.what) + 2 :] for e in self._own.entries.values())
        warnings.warn(f"{self.what}: {text}", self.category, stacklevel=3)


#: audio files a YouTube-derived corpus may hold (m4a/mp4/webm need the ``video`` extra to decode)
YOUTUBE_AUDIO = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".mp4", ".webm")
_YOUTUBE_NAME = re.compile(
    r"(?P<y>Y)?(?P<id>[A-Za-z0-9_-]{11})(?:_(?P<start>\d+(?:\.\d+)?)(?:_(?P<end>\d+(?:\.\d+)?))?)?"
)


class YouTubeClips:
    """The user-supplied clips of a corpus keyed by YouTube id and start time (AudioSet, AudioCaps, VGGSound,
    MusicCaps), found by listing the folders once (no file is opened).

    Names accepted, in any sub-folder (``audio/``, ``audios/<csv stem>/``, ...), with any extension of
    :data:`YOUTUBE_AUDIO`:

    - ``Y<ytid>_<start>_<end>`` or ``<ytid>_<start>_<end>`` (seconds, e.g. DCASE's ``Y-hW2uR9sE5d_60.000_70.000``);
    - ``<ytid>_<number>``: the number read as seconds (AudioCaps, VGGSound) or milliseconds (AudioSet's strong
      ``segment_id``), whichever the metadata asks for;
    - ``Y<ytid>`` or ``<ytid>`` (PANNs' ``audios/<csv stem>/Y<ytid>.wav``): the clip of that video, whatever its
      start.

    A YouTube id is 11 characters of ``A-Za-z0-9_-`` (it may begin with ``-`` or ``Y``)."""

    def __init__(self, folders: Sequence[Path]):
        self.by_start: dict[tuple[str, int], str] = {}
        self.by_id: dict[str, str] = {}
        for folder in folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
                for name in sorted(filenames):
                    self._add(os.path.join(dirpath, name), name)

    def _add(self, path: str, name: str) -> None:
        stem, ext = os.path.splitext(name)
        if is_hidden(name) or ext.lower() not in YOUTUBE_AUDIO:
            return
        match = _YOUTUBE_NAME.fullmatch(stem)
        if not match:
            return
        ytid, start, end = match["id"], match["start"], match["end"]
        if start is None:
            self.by_id.setdefault(ytid, path)
            return
        milli = round(float(start) * 1000)
        self.by_start.setdefault((ytid, milli), path)
        if end is None and "." not in start:  # <ytid>_<number>: the number may be milliseconds
            self.by_start.setdefault((ytid, int(start)), path)

    def find(self, ytid: str, start_seconds: float) -> str | None:
        """The clip of ``ytid`` starting at ``start_seconds``, or None when the user has none."""
        return self.by_start.get((ytid, round(start_seconds * 1000))) or self.by_id.get(ytid)

    def __len__(self) -> int:
        return len(self.by_start) + len(self.by_id)
