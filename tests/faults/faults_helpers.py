"""What the fault suite shares: reading a source as a load does (under a policy, into a report), and the three
classes of outcome a bad input may have: a clear error naming file and line, a counted skip, identical output."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from audio_flan import report
from audio_flan.sources import get_sources
from audio_flan.sources.base import Query


def read_source(
    name: str, root: Path, policy: Optional[str] = None, query: Optional[Query] = None
) -> tuple[list[dict], report.LoadReport]:
    """Every record of every shard of one source, read as the builder reads them (listing and shards under one
    load with ``policy``); returns the records and the load's report."""
    source = get_sources()[name]
    if query is not None:
        source = source.narrowed(query)
    load = report.Load(policy, report.LoadReport("test"))
    with report.active(load):
        shards = source.list_shards(root)
    records = []
    for split in sorted(shards):
        for shard in shards[split]:
            records.extend(report.scoped(load, source.read_shard(root, shard)))
    return records, load.report


def ids(records: list[dict]) -> list[str]:
    return sorted(str(r["id"]) for r in records)


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
