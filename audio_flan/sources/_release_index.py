"""The task index of a release copy: for every metadata file, which byte ranges hold the records of which task.

One pass over the metadata records (parallel over ~64 MB pieces of the files, with a progress bar), kept in an
SQLite database in the datasets cache, one per release copy (named after its real path). Each file is keyed by
its path, size and mtime: a changed, added or removed file re-indexes (or drops) just that file.

Why SQLite: it ships with Python, a database is one file that stays consistent if a build is killed (each file's
rows are replaced in one transaction), several processes may read it while another updates it, and a config's
ranges are an indexed query instead of a scan of a home-made format.

What is stored, per file: runs ``(key, start, end, first line, records)``, where a key is a record's domain,
``task_type.minor`` and ``split`` as written (mapped to configs only when queried, so a new alias needs no
rebuild) and a run is the lines of one key, absorbing lines of other keys when they are fewer than ``GAP`` bytes;
lines that are not valid records get a key of their own, and every config reading the file reads them (and
reports them, as without the index). Also an ``(offset, line)`` pair about every ``CHECKPOINT`` bytes, to cut a
long range into shards without reading it, and the count of nearly-right audio markers.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Optional

from tqdm.auto import tqdm

from ..tasknames import DOMAINS, normalise_task_name
from ._index_cache import path_key, writable_dir
from ._lines import cut, read_lines
from ._release_format import as_list, check_record, in_split, near_markers, record_domain, split_labels
from ._release_layout import domain_of, metadata_files
from ._scp_index import index_file
from ._scp_index import load as load_scp
from .base import Query
from .readers import is_hidden

logger = logging.getLogger(__name__)

FORMAT = 1
GAP = 1 << 16
PIECE = 64 << 20
CHECKPOINT = 8 << 20

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    lines INTEGER NOT NULL, markers INTEGER NOT NULL, first_marker INTEGER);
CREATE TABLE IF NOT EXISTS keys (
    id INTEGER PRIMARY KEY, domain TEXT, minors TEXT, splits TEXT, invalid INTEGER NOT NULL,
    UNIQUE (domain, minors, splits, invalid));
CREATE TABLE IF NOT EXISTS runs (
    file_id INTEGER NOT NULL, key_id INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    line INTEGER NOT NULL, count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_file ON runs (file_id, key_id, start);
CREATE TABLE IF NOT EXISTS checkpoints (file_id INTEGER NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS checkpoints_by_file ON checkpoints (file_id, offset);
"""

INVALID = (None, None, None, 1)


def database_path(root: Path) -> Optional[Path]:
    folder = writable_dir("release")
    return None if folder is None else folder / f"{path_key(os.fspath(root))}-v{FORMAT}.sqlite"


# ---- building ---------------------------------------------------------------------------------------------------


def _parse(line: bytes, where: str) -> Optional[dict]:
    """The record on a line, or None when it is not one (the reader reports it when a config reads the line)."""
    try:
        record = json.loads(line.decode("utf-8"))
        check_record(record, where)
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError and ReleaseFormatError are ValueErrors
        return None
    return record


def _key(record: dict) -> tuple:
    """The record's domain, minor names and split labels as written (tuples: the JSON text is made per key)."""
    domain, minor, split = record.get("domain"), record["task_type"].get("minor"), record.get("split")
    return (
        None if domain is None else str(domain),
        tuple(minor) if type(minor) is list else tuple(map(str, as_list(minor))),
        tuple(split) if type(split) is list else tuple(map(str, as_list(split))),
        0,
    )


def _stored(key: tuple) -> tuple:
    if key == INVALID:
        return key
    return key[0], json.dumps(list(key[1]), ensure_ascii=False), json.dumps(list(key[2]), ensure_ascii=False), 0


def _maybe_near(line: bytes) -> bool:
    """Cheap test on the raw line: some SOA/EOA in it is not part of a well-formed marker, or they are unpaired
    (four ``count`` calls beat a regex with a lookbehind here)."""
    soa = line.count(b"SOA")
    return bool(soa or b"EOA" in line) and not (
        soa == line.count(b"<|SOA|>") == line.count(b"EOA") == line.count(b"<|EOA|>")
    )


def index_piece(job: tuple[str, int, int]) -> dict:
    """Runs, checkpoints and markers of the lines starting in ``[start, end)`` of one file, with line numbers
    counted from 1 at ``start`` (the caller shifts them). Runs in worker processes."""
    path, start, end = job
    open_runs: dict[tuple, list[int]] = {}
    runs: list[tuple] = []
    checkpoints: list[tuple[int, int]] = []
    next_checkpoint = start + CHECKPOINT
    markers, first_marker, lines = 0, None, 0
    for number, here, after, line in read_lines(path, start, end, first_line=1):
        lines = number
        if here >= next_checkpoint:
            checkpoints.append((here, number))
            next_checkpoint = here + CHECKPOINT
        if not line.strip():
            continue
        record = _parse(line, path)
        if record is None:
            key = INVALID
        else:
            key = _key(record)
            if _maybe_near(line) and (near_markers(str(record["input"])) or near_markers(str(record["output"]))):
                markers += 1
                first_marker = first_marker or number
        run = open_runs.get(key)
        if run is not None and here - run[1] <= GAP:
            run[1], run[3] = after, run[3] + 1
        else:
            if run is not None:
                runs.append((key, *run))
            open_runs[key] = [here, after, number, 1]
    runs += [(key, *run) for key, run in open_runs.items()]
    return {"runs": runs, "lines": lines, "checkpoints": checkpoints, "markers": markers, "first_marker": first_marker}


def _merge(pieces: list[dict]) -> dict:
    """One file's pieces as one result: line numbers made absolute, runs of a key across pieces joined."""
    runs, checkpoints, lines, markers, first_marker = [], [], 0, 0, None
    for piece in pieces:
        runs += [(key, s, e, line + lines, n) for key, s, e, line, n in piece["runs"]]
        checkpoints += [(o, line + lines) for o, line in piece["checkpoints"]]
        if piece["first_marker"] is not None and first_marker is None:
            first_marker = piece["first_marker"] + lines
        markers += piece["markers"]
        lines += piece["lines"]
    runs.sort(key=lambda r: (repr(r[0]), r[1]))
    joined: list[list] = []
    for key, s, e, line, n in runs:
        if joined and joined[-1][0] == key and s - joined[-1][2] <= GAP:
            joined[-1][2], joined[-1][4] = e, joined[-1][4] + n
        else:
            joined.append([key, s, e, line, n])
    return {
        "runs": joined,
        "lines": lines,
        "checkpoints": checkpoints,
        "markers": markers,
        "first_marker": first_marker,
    }


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=600, isolation_level=None)
    con.executescript(SCHEMA)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(FORMAT),))
    return con


def _key_id(con: sqlite3.Connection, key: tuple) -> int:
    con.execute("INSERT OR IGNORE INTO keys (domain, minors, splits, invalid) VALUES (?, ?, ?, ?)", key)
    row = con.execute(
        "SELECT id FROM keys WHERE domain IS ? AND minors IS ? AND splits IS ? AND invalid = ?", key
    ).fetchone()
    return int(row[0])


def _store(con: sqlite3.Connection, rel: str, st: os.stat_result, result: dict) -> None:
    con.execute("BEGIN IMMEDIATE")
    try:
        _forget(con, rel)
        cur = con.execute(
            "INSERT INTO files (path, size, mtime_ns, lines, markers, first_marker) VALUES (?, ?, ?, ?, ?, ?)",
            (rel, st.st_size, st.st_mtime_ns, result["lines"], result["markers"], result["first_marker"]),
        )
        file_id = cur.lastrowid
        ids: dict[tuple, int] = {}
        rows = []
        for key, s, e, line, n in result["runs"]:
            if key not in ids:
                ids[key] = _key_id(con, _stored(key))
            rows.append((file_id, ids[key], s, e, line, n))
        con.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.executemany(
            "INSERT INTO checkpoints VALUES (?, ?, ?)", [(file_id, o, line) for o, line in result["checkpoints"]]
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _forget(con: sqlite3.Connection, rel: str) -> None:
    row = con.execute("SELECT id FROM files WHERE path = ?", (rel,)).fetchone()
    if row:
        con.execute("DELETE FROM runs WHERE file_id = ?", row)
        con.execute("DELETE FROM checkpoints WHERE file_id = ?", row)
        con.execute("DELETE FROM files WHERE id = ?", row)


def _index_scp(path: str) -> dict:
    return load_scp(path, progress=False)[1]


def scp_files(root: Path, domains: Iterable[str] = DOMAINS) -> list[Path]:
    return sorted(
        p
        for d in domains
        if (root / "scp_files" / d).is_dir()
        for p in (root / "scp_files" / d).glob("*.scp")
        if not is_hidden(p.name)
    )


def update(
    root: Path, domains: Iterable[str] = DOMAINS, num_proc: int = 1, progress: bool = True, scps: bool = True
) -> Optional[Path]:
    """Bring the index of ``root``'s metadata files of ``domains`` up to date (and index their scp files); returns
    the database, or None when the datasets cache cannot be written."""
    db = database_path(root)
    if db is None:
        return None
    domains = tuple(domains)
    con = connect(db)
    try:
        files = metadata_files(root, domains)
        known = {path: (size, mtime) for path, size, mtime in con.execute("SELECT path, size, mtime_ns FROM files")}
        ours = {p for p in known if domain_of(p.split("/")[1]) in domains}
        for gone in sorted(ours - set(files)):
            con.execute("BEGIN IMMEDIATE")
            _forget(con, gone)
            con.execute("COMMIT")
        stats = {rel: os.stat(root / rel) for rel in files}
        stale = [rel for rel in files if known.get(rel) != (stats[rel].st_size, stats[rel].st_mtime_ns)]
        scp_jobs = [str(p) for p in scp_files(root, domains)] if scps else []
        if stale or scp_jobs:
            _build(con, root, stale, stats, scp_jobs, num_proc, progress)
    finally:
        con.close()
    return db


def _build(con, root: Path, stale: list[str], stats: dict, scp_jobs: list[str], num_proc: int, progress: bool):
    scp_jobs = [p for p in scp_jobs if not ((f := index_file(p, os.stat(p))) is not None and f.is_file())]
    if not stale and not scp_jobs:
        return
    total = sum(stats[rel].st_size for rel in stale)
    logger.warning(
        "audio-flan: indexing %d metadata files (%.1f MB) and %d scp files of %s, once; the index is kept in the "
        "datasets cache and used by every later load",
        len(stale),
        total / 1e6,
        len(scp_jobs),
        root,
    )
    jobs = [(rel, s, e) for rel in stale for s, e in cut(os.fspath(root / rel), stats[rel].st_size, PIECE)]
    left = {rel: sum(1 for j in jobs if j[0] == rel) for rel in stale}
    for rel in stale:
        if not left[rel]:  # an empty file
            _store(con, rel, stats[rel], _merge([]))
    bar = None
    if progress:
        bar = tqdm(total=total, unit="B", unit_scale=True, desc="audio-flan index")
    pieces: dict[str, list] = {rel: [] for rel in stale}
    work = [(os.fspath(root / rel), s, e) for rel, s, e in jobs]
    executor = ProcessPoolExecutor(num_proc, mp_context=get_context("spawn")) if num_proc > 1 else None
    try:
        results = executor.map(index_piece, work) if executor else map(index_piece, work)
        scp_results = executor.map(_index_scp, scp_jobs) if executor else None
        for (rel, s, e), result in zip(jobs, results):
            pieces[rel].append(result)
            if bar is not None:
                bar.update(e - s)
            if len(pieces[rel]) == left[rel]:
                _store(con, rel, stats[rel], _merge(pieces.pop(rel)))
        for _ in scp_results if scp_results is not None else map(_index_scp, scp_jobs):
            pass
    finally:
        if executor:
            executor.shutdown(cancel_futures=True)
        if bar is not None:
            bar.close()


# ---- querying ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    id: int
    domain: Optional[str]
    minors: tuple[str, ...]
    splits: tuple[str, ...]
    invalid: bool


def matches(key: Key, query: Query, folder_domain: str) -> Optional[bool]:
    """Whether a key's records belong to the query's config: True, False (another config's, or another domain's),
    or None when its task matches no config of the domain at all (``query.known_names``)."""
    if record_domain(key.domain, folder_domain) != query.domain:
        return False
    names = [normalise_task_name(m) for m in key.minors]
    if any(n in query.task_names for n in names):
        return True
    return False if any(n in query.known_names for n in names) else None


class TaskIndex:
    """Read access to one release copy's index (open per process; queries only)."""

    def __init__(self, db: Path):
        self.con = sqlite3.connect(db, timeout=600)
        self.keys = {
            row[0]: Key(
                row[0], row[1], tuple(json.loads(row[2] or "[]")), tuple(json.loads(row[3] or "[]")), bool(row[4])
            )
            for row in self.con.execute("SELECT id, domain, minors, splits, invalid FROM keys")
        }

    def close(self) -> None:
        self.con.close()

    def file(self, rel: str) -> Optional[tuple]:
        return self.con.execute(
            "SELECT id, size, mtime_ns, lines, markers, first_marker FROM files WHERE path = ?", (rel,)
        ).fetchone()

    def file_id(self, rel: str) -> int:
        row = self.file(rel)
        if row is None:
            raise RuntimeError(f"{rel} is not in the task index (changed while it was being read?); load again")
        return int(row[0])

    def runs(self, file_id: int, key_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
        """(start, end, line, count) of the runs of these keys in one file, by start."""
        ids = sorted(set(key_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self.con.execute(
            f"SELECT start, end, line, count FROM runs WHERE file_id = ? AND key_id IN ({marks}) ORDER BY start",
            (file_id, *ids),
        ).fetchall()

    def checkpoints(self, file_id: int, start: int, end: int) -> list[tuple[int, int]]:
        return self.con.execute(
            "SELECT offset, line FROM checkpoints WHERE file_id = ? AND offset > ? AND offset < ? ORDER BY offset",
            (file_id, start, end),
        ).fetchall()

    def key_counts(self, file_id: int) -> list[tuple[Key, int, int]]:
        """(key, records, first line) of every key in one file."""
        rows = self.con.execute(
            "SELECT key_id, SUM(count), MIN(line) FROM runs WHERE file_id = ? GROUP BY key_id", (file_id,)
        )
        return [(self.keys[k], int(n), int(line)) for k, n, line in rows]

    def matching_keys(
        self, query: Query, folder_domain: str, split_label: str, unlabelled: Optional[str] = None
    ) -> set[int]:
        """The keys whose records belong to the query's config in a shard of this split label (``unlabelled``: the
        label of records without one in this folder, see ``in_split``), and the lines that are not records (every
        config reading the file reads them, and reports them)."""
        return {
            key.id
            for key in self.keys.values()
            if key.invalid
            or (matches(key, query, folder_domain) and in_split(split_labels(key.splits), split_label, unlabelled))
        }


def coalesce(runs: list[tuple[int, int, int, int]]) -> list[list[int]]:
    """Runs (possibly overlapping: each key's runs absorb small gaps) as disjoint ``[start, end, line]`` ranges."""
    ranges: list[list[int]] = []
    for start, end, line, _ in runs:
        if ranges and start - ranges[-1][1] <= GAP:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end, line])
    return ranges
