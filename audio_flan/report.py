"""What a load skipped, and the one policy for bad items.

Every load of a config runs under a :class:`Load`: its ``on_error`` policy and its :class:`LoadReport`. Parsers
never see either directly: they count what they skip through :class:`audio_flan.sources.readers.Skips`, which
finds the load it runs in with :func:`current`. The builder sets the load only while one of its generators
computes a step (:func:`scoped`), so streams of several configs interleaved in one thread, or loads in several
threads, each count into their own report.

The policy (``AudioFlanConfig.on_error``):

- ``None``, the default: a malformed metadata item is an error (naming file and line); a metadata item whose
  audio file is absent is skipped and counted (or an error for a source whose ``missing_audio`` is "error");
  audio that cannot be decoded is an :class:`~audio_flan.features.AudioDecodeError` when it is read.
- ``"raise"``: every bad item is an error, an absent audio file too.
- ``"skip"``: every bad item is skipped and counted: malformed metadata lines, absent audio, and audio that
  cannot be decoded (each audio is then decoded once while the instances are made, to know).

A file that cannot be read at all (no such file, not a regular file, a header that is not the corpus's) is an
error under every policy: it is not an item.

At the end of each split's generation the builder logs the report and, when it holds skips, warns with it
(:class:`~audio_flan.sources.base.MissingAudioWarning` if audio was absent, else
:class:`~audio_flan.sources.base.SkippedItemsWarning`). :func:`collect` gathers the reports of every load
finished in this process while it is open, for a caller (the export) that wants them in one place.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Optional, TypeVar

from .sources.base import MissingAudioWarning, SkippedItemsWarning

POLICIES = (None, "raise", "skip")
SHOWN = 3  # items named per reason
LISTED = 20  # places (files, shards) listed in a report's text before "and N more"
logger = logging.getLogger("audio_flan")

T = TypeVar("T")


@dataclass
class Entry:
    """The skips of one reason in one place (a shard, a metadata file)."""

    where: str  # e.g. "LibriTTS-R shard [train-clean-100/19] in /data/LibriTTS_R"
    reason: str  # e.g. "transcript line(s) whose .wav file is missing"
    count: int = 0
    first: list[str] = field(default_factory=list)  # the first few items: file:line or instance id
    audio: bool = False  # an absent or undecodable audio, rather than malformed metadata

    def add(self, item: str, count: int = 1) -> None:
        self.count += count
        if len(self.first) < SHOWN:
            self.first.append(item)

    def line(self) -> str:
        more = ", ..." if self.count > len(self.first) else ""
        return f"{self.where}: skipped {self.count} {self.reason} ({', '.join(self.first)}{more})"


@dataclass(eq=False)
class LoadReport:
    """What one or more loads skipped: per place and reason, a count and the first few items. Picklable, and
    merged with :meth:`merge` (a worker process's report into its parent's)."""

    title: str = ""
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def add(self, where: str, reason: str, item: str, *, audio: bool = False) -> None:
        entry = self.entries.get((where, reason))
        if entry is None:
            entry = self.entries[(where, reason)] = Entry(where, reason, audio=audio)
        entry.add(item)

    def merge(self, other: LoadReport) -> None:
        for key, theirs in other.entries.items():
            mine = self.entries.get(key)
            if mine is None:
                self.entries[key] = Entry(theirs.where, theirs.reason, theirs.count, list(theirs.first), theirs.audio)
            else:
                mine.count += theirs.count
                mine.first.extend(theirs.first[: max(0, SHOWN - len(mine.first))])

    @property
    def total(self) -> int:
        """How many items were skipped."""
        return sum(e.count for e in self.entries.values())

    def by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            counts[entry.reason] = counts.get(entry.reason, 0) + entry.count
        return counts

    def __bool__(self) -> bool:
        return bool(self.entries)

    def text(self) -> str:
        if not self.entries:
            return f"{self.title}: nothing skipped" if self.title else "nothing skipped"
        entries = list(self.entries.values())
        lines = [e.line() for e in entries[:LISTED]]
        if len(entries) > LISTED:
            rest = sum(e.count for e in entries[LISTED:])
            lines.append(f"... and {rest} more in {len(entries) - LISTED} more places")
        head = f"{self.title}: skipped {self.total} item(s)" if self.title else f"skipped {self.total} item(s)"
        return head + "\n  " + "\n  ".join(lines)

    def warn(self, stacklevel: int = 2) -> None:
        """Log the report, and warn with it when something was skipped."""
        logger.info(self.text())
        if self.entries:
            audio = any(e.audio for e in self.entries.values())
            warnings.warn(self.text(), MissingAudioWarning if audio else SkippedItemsWarning, stacklevel=stacklevel + 1)


@dataclass
class Load:
    """One load of one config's split: its policy and its report."""

    policy: Optional[str]
    report: LoadReport

    @property
    def skipping(self) -> bool:
        return self.policy == "skip"


_current: contextvars.ContextVar[Optional[Load]] = contextvars.ContextVar("audio_flan_load", default=None)
_collectors: list[LoadReport] = []
_lock = threading.Lock()


def check_policy(value: object) -> Optional[str]:
    if value not in POLICIES:
        raise ValueError(f"on_error must be 'raise' or 'skip' (or None, the default), got {value!r}")
    return value  # type: ignore[return-value,unused-ignore]


def current() -> Optional[Load]:
    """The load whose generator is computing now, or None (a parser called directly)."""
    return _current.get()


def scoped(load: Load, items: Iterator[T]) -> Iterator[T]:
    """``items``, with ``load`` current while each one is computed (and only then)."""
    while True:
        token = _current.set(load)
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            _current.reset(token)
        yield item


@contextlib.contextmanager
def active(load: Load) -> Iterator[Load]:
    """``load`` current for the block (for work that is not a generator, such as listing shards)."""
    token = _current.set(load)
    try:
        yield load
    finally:
        _current.reset(token)


def finish(report: LoadReport, stacklevel: int = 2) -> None:
    """A load is over: hand its report to the open collectors, then log and warn with it."""
    hand_over(report)
    report.warn(stacklevel=stacklevel + 1)


def hand_over(report: LoadReport) -> None:
    """Merge ``report`` into every open :func:`collect`."""
    with _lock:
        for collector in _collectors:
            collector.merge(report)


@contextlib.contextmanager
def collect(title: str = "") -> Iterator[LoadReport]:
    """Gather what every load finished in this process (any thread) while the block runs skipped::

        with audio_flan.report.collect() as report:
            ds = load_dataset("audio-flan", "speech.asr", data_dir=..., on_error="skip")
        print(report.total, report.by_reason(), report.text())

    Loads run in other processes (``num_proc``, DataLoader workers) report there; merge their reports with
    :meth:`LoadReport.merge`."""
    report = LoadReport(title)
    with _lock:
        _collectors.append(report)
    try:
        yield report
    finally:
        with _lock:
            _collectors.remove(report)


__all__ = [
    "POLICIES",
    "Entry",
    "Load",
    "LoadReport",
    "active",
    "check_policy",
    "collect",
    "current",
    "finish",
    "scoped",
]
