"""What an export made, per config and in all: the figures the command prints and the dataset card shows.

Kept apart from the export itself so that the card (which renders these) and the export (which fills them and
then asks for the card) depend on this module and not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .report import LoadReport
from .sources import get_sources

MARKER = "<!-- made by audio-flan export"


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


@dataclass
class SplitSummary:
    instances: int = 0
    audio_seconds: float = 0.0
    num_bytes: int = 0  # Arrow bytes, as datasets counts num_bytes
    files: list[str] = field(default_factory=list)
    size: int = 0  # bytes of the Parquet files


@dataclass
class ConfigSummary:
    name: str
    splits: dict[str, SplitSummary] = field(default_factory=dict)
    parsers: list[str] = field(default_factory=list)  # in the registry's order
    sources: dict[str, list[str]] = field(default_factory=dict)  # parser -> values of the ``source`` column
    languages: list[str] = field(default_factory=list)
    audio_stored: int = 0
    audio_bytes: int = 0  # audio bytes embedded, counting every time a file is stored
    audio_distinct_bytes: int = 0
    shared_bytes: int = 0  # distinct audio content also stored by another exported config
    audio_unreadable: int = 0

    @property
    def instances(self) -> int:
        return sum(s.instances for s in self.splits.values())

    @property
    def audio_hours(self) -> float:
        return sum(s.audio_seconds for s in self.splits.values()) / 3600

    @property
    def size(self) -> int:
        return sum(s.size for s in self.splits.values())


@dataclass
class ExportResult:
    out: Path
    configs: list[ConfigSummary]
    left_out: dict[str, list[str]]  # restricted parser -> configs it would have fed
    dropped: list[str]  # configs with nothing to export
    data_dir: Optional[str]
    include_restricted: bool
    duplicated_bytes: int  # audio bytes that a per-content store across configs would not need
    # instances larger than the row-group limit, each given a row group of its own: (config, id, bytes)
    oversize: list[tuple[str, str, int]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # files of earlier exports removed (relative paths)
    kept: list[str] = field(default_factory=list)  # files in config folders the export did not write, kept
    skipped: list[LoadReport] = field(default_factory=list)  # per config and split read, what it skipped
    url: Optional[str] = None  # where the export was written when that is a URL (``out`` then held the card)


def format_summary(result: ExportResult) -> str:
    head = ("config", "instances", "audio h", "bytes", "audio also in other configs")
    rows = [
        (s.name, str(s.instances), f"{s.audio_hours:.3f}", human_bytes(s.size), human_bytes(s.shared_bytes))
        for s in result.configs
    ]
    total = (
        "total",
        str(sum(s.instances for s in result.configs)),
        f"{sum(s.audio_hours for s in result.configs):.3f}",
        human_bytes(sum(s.size for s in result.configs)),
        f"{human_bytes(result.duplicated_bytes)} stored more than once",
    )
    widths = [max(len(r[i]) for r in [head, *rows, total]) for i in range(len(head))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    text = [line(head), *map(line, rows), line(total), ""]
    files = sum(len(sp.files) for s in result.configs for sp in s.splits.values())
    text.append(f"{len(result.configs)} configs written to {result.url or result.out} ({files} Parquet files)")
    for parser, which in result.left_out.items():
        src = get_sources()[parser]
        text.append(
            f"left out (licence forbids redistribution): {src.corpus} [{src.license}], feeding {len(which)} config(s)"
        )
    if result.dropped:
        text.append(f"nothing to export for: {', '.join(result.dropped)}")
    unreadable = {s.name: s.audio_unreadable for s in result.configs if s.audio_unreadable}
    if unreadable:
        text.append(
            "audio soundfile cannot read (stored, but not counted in the hours): "
            + ", ".join(f"{name} {n}" for name, n in unreadable.items())
        )
    for got in result.skipped:  # each item once per split, however many units read it
        text.append(got.text())
    if result.oversize:
        first = ", ".join(f"{c} {i} ({human_bytes(n)})" for c, i, n in result.oversize[:5])
        text.append(
            f"{len(result.oversize)} instance(s) larger than the row-group limit, each in a row group of its own: {first}"
        )
    if result.removed:
        text.append(
            f"removed {len(result.removed)} file(s) an earlier export wrote and this one does not: "
            + ", ".join(result.removed[:5])
            + (" ..." if len(result.removed) > 5 else "")
        )
    if result.kept:
        text.append(
            f"kept {len(result.kept)} file(s) in the config folders that the export did not write: "
            + ", ".join(result.kept[:5])
            + (" ..." if len(result.kept) > 5 else "")
        )
        exported = {f"{s.name}/{split}" for s in result.configs for split in s.splits}
        loaded = [k for k in result.kept if k.split("-", 1)[0] in exported]
        if loaded:
            text.append(
                "  of these, loaded as part of a split (they match its <split>-* pattern): " + ", ".join(loaded[:5])
            )
    return "\n".join(text)
