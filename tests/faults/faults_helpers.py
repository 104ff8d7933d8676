"""What the fault suite shares: reading a source as a load does (under a policy, into a report), and the three
classes of outcome a bad input may have: a clear error naming file and line, a counted skip, identical output."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from audio_flan import report
from audio_flan.export_inputs import tracked
from audio_flan.sources import get_sources
from audio_flan.sources.base import Query


def read_splits(
    name: str,
    root: Path,
    policy: Optional[str] = None,
    query: Optional[Query] = None,
    splits: Optional[Sequence[str]] = None,
) -> tuple[list[dict], dict[str, report.LoadReport], dict[str, set[str]]]:
    """The records of ``splits`` (default: every split) of one source, read as the builder reads them: the
    listing under a load of its own, then each split under its own load with ``policy``. Returns the records,
    the reports (``"listing"`` and one per split) and the paths each split's load opened."""
    source = get_sources()[name]
    if query is not None:
        source = source.narrowed(query)
    listing = report.Load(policy, report.LoadReport("test, listing"))
    with report.active(listing):
        shards = source.list_shards(root)
    records, reports, opened = [], {"listing": listing.report}, {}
    for split in sorted(shards) if splits is None else splits:
        load = report.Load(policy, report.LoadReport(f"test, split {split}"))
        with tracked() as paths:
            for shard in shards.get(split, ()):
                records.extend(report.scoped(load, source.read_shard(root, shard)))
        reports[split], opened[split] = load.report, paths
    return records, reports, opened


def read_source(
    name: str, root: Path, policy: Optional[str] = None, query: Optional[Query] = None
) -> tuple[list[dict], report.LoadReport]:
    """Every record of every split of one source, read as the builder reads them (:func:`read_splits`); returns
    the records and the loads' reports merged (a line several splits read is in it once per split)."""
    records, reports, _ = read_splits(name, root, policy, query)
    merged = report.LoadReport("test")
    for part in reports.values():
        merged.merge(part)
    return records, merged


def ids(records: list[dict]) -> list[str]:
    return sorted(str(r["id"]) for r in records)


MALFORMED = "malformed metadata line(s)"


def malformed(got: report.LoadReport) -> tuple[int, list[str]]:
    """How many malformed lines a report counts, and the first few it shows."""
    entries = [e for e in got.entries.values() if e.reason == MALFORMED]
    return sum(e.count for e in entries), [item for e in entries for item in e.first]


def others(got: report.LoadReport) -> dict[str, int]:
    """The counts of every reason but malformed lines."""
    return {reason: n for reason, n in got.by_reason().items() if reason != MALFORMED}


def split_counts(name: str, root: Path, reason: str, policy: Optional[str] = "skip") -> dict[str, int]:
    """How many items under a reason holding ``reason`` each split counts, loaded alone."""
    counts = {}
    for split in get_sources()[name].list_shards(root):
        _, reports, _ = read_splits(name, root, policy, splits=[split])
        counts[split] = sum(e.count for e in reports[split].entries.values() if reason in e.reason)
    return counts


def check_counted_once(
    name: str,
    root: Path,
    baseline: tuple[list[dict], report.LoadReport],
    shows: str,
    lost: Iterable[str] = (),
    by: Optional[Iterable[str]] = None,
) -> dict[str, int]:
    """Under on_error="skip", with one malformed line in the file named by ``shows`` (``file:line``): a full load
    reads every record but ``lost``, counts nothing else beyond what the intact copy counts, and counts the line
    once per split that counts it loaded alone (:func:`check_each_split`). Returns those counts."""
    records, got = read_source(name, root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - set(lost))
    assert others(got) == others(baseline[1]), got.text()
    per_split = check_each_split(name, root, shows, by)
    count, first = malformed(got)
    assert count == sum(per_split.values()), f"{per_split}, but a full load counts {count}:\n{got.text()}"
    assert any(shows in item for item in first), got.text()
    return per_split


def check_each_split(name: str, root: Path, shows: str, by: Optional[Iterable[str]] = None) -> dict[str, int]:
    """Each split loaded alone (under on_error="skip") counts the malformed line named by ``shows`` (``file:line``,
    the file relative to the root) once if it is one of ``by`` (default: the splits whose load opens the file,
    however many of their shards read it), showing ``shows``, and otherwise not at all (a split may count a line
    it takes from a cached parse of the file without opening it). At least one split (or the listing, under
    ``"listing"``) counts it. Returns the count of each split and of the listing."""
    file = shows.rsplit(":", 1)[0]
    _, reports, _ = read_splits(name, root, "skip", splits=[])
    per_split = {"listing": malformed(reports["listing"])[0]}  # a line the listing reads is counted there
    with report.active(report.Load("skip", report.LoadReport())):
        splits = list(get_sources()[name].list_shards(root))
    for split in splits:
        _, reports, opened = read_splits(name, root, "skip", splits=[split])
        count, first = malformed(reports[split])
        if by is not None:
            assert count == (split in by), f"split {split} alone counts {count}: {reports[split].text()}"
        elif any(path == file or path.endswith(f"/{file}") for path in opened[split]):
            assert count == 1, f"split {split} alone read {file} and counts its bad line {count} times"
        else:
            assert count <= 1, f"split {split} alone: {reports[split].text()}"
        if count:
            assert any(shows in item for item in first), reports[split].text()
        per_split[split] = count
    assert sum(per_split.values()) >= 1, f"no split counts the line showing {shows!r}: {per_split}"
    return per_split


@dataclass(frozen=True)
class Error:
    """The load stops with ``kind``, whose message names ``file`` (relative to the root) and ``line``."""

    kind: type
    file: str
    line: Optional[int] = None
    says: str = ""  # a fragment of what was expected

    def check(self, root: Path, run) -> None:
        with pytest.raises(self.kind) as caught:
            run()
        message = str(caught.value)
        where = re.escape(str(root / self.file)) + (f":{self.line}\\b" if self.line is not None else "")
        assert re.search(where, message), f"{message!r} does not name {root / self.file}:{self.line}"
        assert self.says in message, f"{message!r} does not say {self.says!r}"


@dataclass(frozen=True)
class Skip:
    """The item is skipped and counted: ``count`` under a reason holding ``reason``, the first shown naming
    ``shows`` (file:line or an id)."""

    reason: str
    count: int = 1
    shows: str = ""

    def check(self, got: report.LoadReport) -> None:
        matching = [e for e in got.entries.values() if self.reason in e.reason]
        assert matching, f"no skip for {self.reason!r} in:\n{got.text()}"
        assert sum(e.count for e in matching) == self.count, got.text()
        assert any(self.shows in item for e in matching for item in e.first), got.text()
        assert got.total == self.count, f"other skips too:\n{got.text()}"


@dataclass(frozen=True)
class Same:
    """Read as the well-formed input is: the same records, nothing skipped."""
