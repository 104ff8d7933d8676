"""``audio-flan index`` and ``audio-flan release-report``: build a release copy's indexes, and say what in it
matched which config, what matched none, and which configs got nothing."""

from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .registry import DOMAINS, load_registry, normalise_task_name
from .sources import SourceError, locate
from .sources._release_format import SPLIT_LABELS, folder_labels, in_split, record_domain, split_labels
from .sources._release_index import Key, scp_files, update
from .sources._release_layout import describe, metadata_files
from .sources._scp_index import load as load_scp
from .sources.release import open_index


def release_roots(data_dir: str) -> list[Path]:
    """The release copies in ``data_dir`` or its immediate subfolders."""
    path = Path(data_dir).expanduser().resolve()
    return [root for _, root in locate(path, ["release"], "release")]


def build_index(data_dir: str, num_proc: int = 1, domains=DOMAINS) -> list[tuple[Path, Optional[Path], float]]:
    """Index every release copy in ``data_dir``: (root, database or None, seconds)."""
    done = []
    for root in release_roots(data_dir):
        start = time.perf_counter()
        db = update(root, domains, num_proc=num_proc)
        done.append((root, db, time.perf_counter() - start))
    return done


@functools.cache
def _task_names() -> dict[tuple[str, str], str]:
    """(domain, normalised minor name) -> config name, for every config."""
    return {(t.domain, n): t.name for t in load_registry().values() for n in t.release_names}


def config_of(key: Key, folder_domain: str) -> Optional[str]:
    """The config a key's records map to (by their domain and any of their minor names), if any."""
    domain = record_domain(key.domain, folder_domain)
    for minor in key.minors:
        config = _task_names().get((domain, normalise_task_name(minor)))
        if config:
            return config
    return None


@dataclass
class Row:
    count: int = 0
    config: Optional[str] = None
    first: str = ""


@dataclass
class Report:
    root: Path
    rows: dict[tuple[str, str, str], Row] = field(default_factory=dict)  # (domain, split, spelling)
    empty_configs: list[str] = field(default_factory=list)
    invalid: int = 0
    first_invalid: str = ""
    markers: int = 0
    marker_files: list[str] = field(default_factory=list)
    scp_problems: list[str] = field(default_factory=list)
    files: int = 0


def release_report(root: Path, num_proc: int = 1) -> Report:
    index = open_index(root, DOMAINS, num_proc)
    if index is None:
        raise SourceError("release-report needs the task index: make the datasets cache writable (HF_DATASETS_CACHE)")
    report = Report(root)
    seen: set[str] = set()
    try:
        files = metadata_files(root)
        report.files = len(files)
        for rel in files:
            meta = describe(rel)
            folder_domain = meta.domain
            file_id = index.file_id(rel)
            _, _, _, _, markers, first_marker = index.file(rel) or (0,) * 6
            if markers:
                report.markers += markers
                report.marker_files.append(f"{root / rel}:{first_marker} ({markers})")
            for key, n, line in sorted(index.key_counts(file_id), key=lambda k: k[2]):
                where = f"{root / rel}:{line}"
                if key.invalid:
                    report.invalid += n
                    report.first_invalid = report.first_invalid or where
                    continue
                domain = record_domain(key.domain, folder_domain)
                config = config_of(key, folder_domain)
                if config and domain != folder_domain:
                    config = f"none: {config} is read from metadata/{domain}/, not metadata/{folder_domain}/"
                labels = split_labels(key.splits)
                unlabelled = folder_labels(meta.splits)[0]
                splits = [s for s in meta.splits if in_split(labels, SPLIT_LABELS[s], unlabelled)]
                spelling = " | ".join(key.minors) or "(no minor name)"
                if not splits:
                    splits = [f"none (labelled {sorted(labels)} in {meta.split_folder}/)"]
                    config = None
                for split in splits:
                    row = report.rows.setdefault((domain, split, spelling), Row(config=config, first=where))
                    row.count += n
                    if config and not config.startswith("none"):
                        seen.add(config)
    finally:
        index.close()
    report.empty_configs = [name for name in load_registry() if name not in seen]
    for scp in scp_files(root):
        info = load_scp(os.fspath(scp))[1]
        if info.get("duplicates"):
            report.scp_problems.append(
                f"{scp}: {info['duplicates']} repeated ids (first at line {info['first_duplicate']})"
            )
        if info.get("malformed"):
            line, message = info["first_malformed"]
            report.scp_problems.append(f"{scp}: {info['malformed']} malformed lines (first at line {line}: {message})")
    return report


def format_report(report: Report) -> str:
    total = sum(r.count for r in report.rows.values())
    out = [f"Audio-FLAN release at {report.root}: {total:,} records in {report.files} metadata files", ""]
    order = {d: i for i, d in enumerate(DOMAINS)}
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for (domain, split, spelling), row in report.rows.items():
        groups[(domain, split)].append((spelling, row))
    for domain, split in sorted(groups, key=lambda k: (order.get(k[0], 99), k[0], k[1])):
        out.append(f"{domain} / {split}")
        out.append(f"  {'records':>11}  {'config':<40}  task_type.minor (first record)")
        for spelling, row in sorted(groups[(domain, split)], key=lambda x: (x[1].config is None, -x[1].count, x[0])):
            config = row.config or "NONE"
            extra = f"  ({row.first})" if not row.config or row.config.startswith("none") else ""
            out.append(f"  {row.count:>11,}  {config:<40}  {spelling}{extra}")
        out.append("")
    unmatched = sum(r.count for r in report.rows.values() if not r.config or r.config.startswith("none"))
    out.append(f"records that match no config: {unmatched:,}")
    out.append(f"configs with no records ({len(report.empty_configs)}): " + (", ".join(report.empty_configs) or "-"))
    if report.invalid:
        out.append(f"lines that are not records: {report.invalid:,} (first at {report.first_invalid})")
    if report.markers:
        out.append(f"records with a nearly-right audio marker (e.g. '<|SOA|id<|EOA|>'): {report.markers:,}")
        out += [f"  {f}" for f in report.marker_files]
    for problem in report.scp_problems:
        out.append(f"scp: {problem}")
    return "\n".join(out)
