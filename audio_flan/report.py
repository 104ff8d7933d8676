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

An item is counted once per split loaded, by what it names: its reason and its text (``file:line``, an instance
id), whatever shard or process met it. A line that several shards read (every LJSpeech shard reads all of
``metadata.csv``) is counted by each shard that reads it, and the split's report holds it once; a load of
another split alone counts it too, and a load of both splits once in each. Reports merged with
:meth:`LoadReport.merge` (the parts of one load made in worker processes) keep that rule.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import pickle
import tempfile
import threading
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
    keys: set[int] = field(default_factory=set, repr=False)  # the item_key of every item counted here
    first_keys: list[int] = field(default_factory=list, repr=False)  # the item_key of each of ``first``

    def add(self, item: str, key: int) -> None:
        self.count += 1
        self.keys.add(key)
        if len(self.first) < SHOWN and item not in self.first:  # the same line met by two loads is shown once
            self.first.append(item)
            self.first_keys.append(key)

    def line(self) -> str:
        more = ", ..." if self.count > len(self.first) else ""
        return f"{self.where}: skipped {self.count} {self.reason} ({', '.join(self.first)}{more})"


@dataclass(eq=False)
class LoadReport:
    """What one or more loads skipped: per place and reason, a count and the first few items. Picklable, and
    merged with :meth:`merge` (a worker process's report into its parent's).

    An item is counted once per load, whatever place meets it: it is known by :func:`item_key` of its reason and
    its text (a malformed line's error, which names ``file:line``; other items within their place). Two shards
    of a split reading one bad line count it once; so do the parts of one load made in several processes (given
    the same ``load``, an id of the report's own unless given one) once merged; two loads (two splits, or one
    split loaded twice) each count it, and a report gathering them (:func:`collect`) adds them up."""

    title: str = ""
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set, repr=False)  # the item_key of every item counted
    load: str = field(default_factory=lambda: uuid.uuid4().hex, repr=False)  # what the items are counted once in

    def add(self, where: str, reason: str, item: str, *, audio: bool = False, located: bool = False) -> bool:
        """Count ``item``, skipped in ``where`` for ``reason``, unless this load counted it already; return whether
        it was new. ``located``: the item names its own file and line (a malformed line's error), so it is the
        same item wherever it is met (another shard reading the same file); otherwise it is known within
        ``where`` (an item such as ``"line 4: clip.wav"`` names a line of the place's file)."""
        key = item_key(reason, item if located else f"{where}\0{item}")
        if key in self.seen:
            return False
        self.seen.add(key)
        self._entry(where, reason, audio).add(item, key)
        return True

    def _entry(self, where: str, reason: str, audio: bool) -> Entry:
        entry = self.entries.get((where, reason))
        if entry is None:
            entry = self.entries[(where, reason)] = Entry(where, reason, audio=audio)
        return entry

    def merge(self, other: LoadReport) -> None:
        """Add ``other``: a part of the same load (its ``load`` this report's) adds only the items no other part
        counted; another load's report adds all of its items."""
        same = other.load == self.load
        for theirs in other.entries.values():
            new = theirs.keys - self.seen if same else theirs.keys
            count = len(new) if same else theirs.count
            if not count:
                continue
            if same:
                self.seen |= new
            mine = self._entry(theirs.where, theirs.reason, theirs.audio)
            mine.count += count
            mine.keys |= new
            for item, key in zip(theirs.first, theirs.first_keys):
                if key in new and len(mine.first) < SHOWN and item not in mine.first:
                    mine.first.append(item)
                    mine.first_keys.append(key)

    def as_json(self) -> dict:
        """The report as JSON data (an export unit's manifest keeps it), read back by :meth:`from_json`."""
        return {
            "title": self.title,
            "load": self.load,
            "entries": [
                [e.where, e.reason, e.count, e.first, e.audio, sorted(e.keys), e.first_keys]
                for e in self.entries.values()
            ],
        }

    @classmethod
    def from_json(cls, data: dict, load: Optional[str] = None) -> LoadReport:
        """The report :meth:`as_json` gave, as a part of ``load`` (default: its own)."""
        got = cls(data["title"], load=load or data["load"])
        for where, reason, count, first, audio, keys, first_keys in data["entries"]:
            got.entries[(where, reason)] = Entry(where, reason, count, first, audio, set(keys), first_keys)
            got.seen.update(keys)
        return got

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


def item_key(reason: str, item: str) -> int:
    """What identifies a skipped item within a load: its reason and its text, hashed (64 bits: the same in every
    process whatever PYTHONHASHSEED, and small enough to keep for every item)."""
    text = f"{reason}\0{item}".encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big")


_current: contextvars.ContextVar[Optional[Load]] = contextvars.ContextVar("audio_flan_load", default=None)
_collectors: list[LoadReport] = []
_captor: contextvars.ContextVar[Optional[LoadReport]] = contextvars.ContextVar("audio_flan_captor", default=None)
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
    """Merge ``report`` into every open :func:`collect` (or only into the :func:`capture` open here)."""
    captor = _captor.get()
    if captor is not None:
        captor.merge(report)
        return
    with _lock:
        for collector in _collectors:
            collector.merge(report)


def spool(report: LoadReport, folder: str, order: int) -> None:
    """Leave ``report`` (a worker process's part of a load; ``order``: where its part comes in the load, such as
    the index of its first shard) in ``folder`` for the parent to :func:`gather`."""
    fd, tmp = tempfile.mkstemp(prefix=".part-", dir=folder)
    with os.fdopen(fd, "wb") as f:
        pickle.dump(report, f)
    os.replace(tmp, os.path.join(folder, f"{order:010d}-{os.getpid()}-{uuid.uuid4().hex}.report"))


def gather(folder: str, into: LoadReport) -> LoadReport:
    """Merge into ``into`` the parts of its load that worker processes left in ``folder`` (:func:`spool`), in
    their order, so that the report reads the same however the work was dealt. The folder is the caller's own
    (a temporary folder it made), so the pickles are its own."""
    for path in sorted(Path(folder).glob("*.report")):
        with open(path, "rb") as f:
            into.merge(pickle.load(f))
    return into


@contextlib.contextmanager
def capture(title: str = "") -> Iterator[LoadReport]:
    """Gather the reports of the loads finished in this block (this thread or task), and keep them from every
    :func:`collect` and from warnings: for a caller that reports them itself (an export unit, whose split's
    report the export makes from every unit's)."""
    got = LoadReport(title)
    token = _captor.set(got)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingAudioWarning)
            warnings.simplefilter("ignore", SkippedItemsWarning)
            yield got
    finally:
        _captor.reset(token)


@contextlib.contextmanager
def collect(title: str = "") -> Iterator[LoadReport]:
    """Gather what every load finished in this process (any thread) while the block runs skipped::

        with audio_flan.report.collect() as report:
            ds = load_dataset("audio-flan", "speech.asr", data_dir=..., on_error="skip")
        print(report.total, report.by_reason(), report.text())

    A split prepared with ``num_proc`` > 1 is reported here, once, its workers' parts merged. Loads run in other
    processes (DataLoader workers) report there; merge their reports with :meth:`LoadReport.merge`."""
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
    "capture",
    "check_policy",
    "collect",
    "current",
    "finish",
    "gather",
    "item_key",
    "spool",
    "scoped",
]
