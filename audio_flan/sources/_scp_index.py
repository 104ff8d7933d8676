"""An on-disk index of one scp file (``<audio id> <relative path>`` per line), so that resolving an id is a lookup.

Stored as one ``.npy`` array in the datasets cache, named after the scp's real path, size and mtime (a changed
file gets a new index): three rows of uint64, a 64-bit hash of each id (CRC-32 and Adler-32 of its UTF-8 bytes),
the byte offset of its line and the line number, sorted by hash and then offset. Why this and not SQLite: it is
24 bytes a line and builds in one pass with no per-row insert cost; ``np.load(mmap_mode="r")`` maps it, so every
process that reads the same release shares the same pages through the OS and holds nothing per id on its own
heap; a lookup is one ``searchsorted`` (about 21 probes at 2 million lines) and one ``pread`` of the line, which is
then compared with the id asked for, so a hash collision can never resolve to the wrong file.

An id listed twice: the first line wins (the lowest offset among equal hashes comes first); duplicates are
counted when the index is built and reported once per file. A line that is not ``<id> <path>`` or not UTF-8 is
counted too, and named in the error of any id the index does not hold (it may have been on that line).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
import zlib
from array import array
from pathlib import Path
from typing import Optional

import numpy as np

from ._index_cache import path_key, writable_dir
from ._lines import BOM
from ._release_format import ReleaseFormatError

logger = logging.getLogger(__name__)

FORMAT = 1
BLOCK = 1 << 22
PROGRESS_BYTES = 64 << 20  # a build of a larger scp shows a progress bar


class DuplicateAudioIdWarning(UserWarning):
    """An scp file lists some audio ids more than once (the first line of each counts)."""


def id_hash(audio_id: bytes) -> int:
    return (zlib.crc32(audio_id) << 32) | zlib.adler32(audio_id)


def index_file(path: str, st: os.stat_result) -> Optional[Path]:
    folder = writable_dir("scp")
    if folder is None:
        return None
    return folder / f"{path_key(path)}-{st.st_size}-{st.st_mtime_ns}-v{FORMAT}.npy"


def _malformed(found: dict, line_no: int, message: str) -> None:
    found["malformed"] += 1
    if found["first_malformed"] is None:
        found["first_malformed"] = [line_no, message]


def _scan(path: str, progress: bool) -> tuple[np.ndarray, dict]:
    """One pass over the scp: (hash, offset, line) of every id line, and what was wrong with the others."""
    hashes, offsets, numbers = array("Q"), array("Q"), array("Q")
    found: dict = {"lines": 0, "malformed": 0, "first_malformed": None}
    size = os.path.getsize(path)
    bar = None
    if progress and size >= PROGRESS_BYTES:
        from tqdm.auto import tqdm

        bar = tqdm(total=size, unit="B", unit_scale=True, desc=f"indexing {os.path.basename(path)}")
    pos, line_no = 0, 0
    add_hash, add_offset, add_number = hashes.append, offsets.append, numbers.append
    with open(path, "rb") as f:
        while True:
            block = f.read(BLOCK)
            if not block:
                break
            if not block.endswith(b"\n"):
                block += f.readline()
            read = len(block)
            if pos == 0 and block.startswith(BOM):
                block, pos = block[3:], 3
            parts = block.split(b"\n")
            if parts[-1] == b"":
                parts.pop()
            try:
                block.decode("utf-8")
                utf8 = True
            except UnicodeDecodeError:
                utf8 = False
            for raw in parts:
                line_no += 1
                offset = pos
                pos += len(raw) + 1
                fields = raw.split(None, 1)
                if not fields:
                    continue
                if len(fields) != 2 or not fields[1].strip():
                    _malformed(found, line_no, f"expected '<audio id> <relative path>', got {raw.strip()!r}")
                    continue
                if not utf8:
                    try:
                        raw.decode("utf-8")
                    except UnicodeDecodeError as err:
                        _malformed(found, line_no, f"not UTF-8 ({err.reason})")
                        continue
                add_hash(id_hash(fields[0]))
                add_offset(offset)
                add_number(line_no)
            if bar is not None:
                bar.update(read)
    if bar is not None:
        bar.close()
    found["lines"] = line_no
    h = np.frombuffer(hashes, dtype=np.uint64)
    o = np.frombuffer(offsets, dtype=np.uint64)
    n = np.frombuffer(numbers, dtype=np.uint64)
    order = np.lexsort((o, h))
    return np.stack([h[order], o[order], n[order]]), found


def _read_line(fd: int, offset: int) -> bytes:
    chunk, ask = b"", 256  # most scp lines are shorter
    while True:
        more = os.pread(fd, ask, offset + len(chunk))
        ask = 4096
        chunk += more
        cut = chunk.find(b"\n")
        if cut >= 0:
            return chunk[:cut]
        if not more:
            return chunk


def _duplicates(path: str, table: np.ndarray) -> tuple[int, Optional[int]]:
    """How many lines repeat an id listed earlier, and the first such line (equal hashes compared by their ids)."""
    h = table[0]
    same = np.flatnonzero(h[1:] == h[:-1])
    if not same.size:
        return 0, None
    count, first = 0, None
    fd = os.open(path, os.O_RDONLY)
    try:
        start = None
        for i in same.tolist():
            start = i if start is None or h[start] != h[i] else start
            ids = [_read_line(fd, int(table[1][j])).split(None, 1)[0] for j in range(start, i + 2)]
            if ids[-1] in ids[:-1]:
                count += 1
                line = int(table[2][i + 1])
                first = line if first is None else min(first, line)
    finally:
        os.close(fd)
    return count, first


def build(path: str, progress: bool = True) -> tuple[np.ndarray, dict]:
    """Index ``path`` and store the index in the cache when it can be written; returns the table and its facts.
    Warns once here when ids repeat."""
    st = os.stat(path)
    table, info = _scan(path, progress)
    info["duplicates"], info["first_duplicate"] = _duplicates(path, table)
    if info["duplicates"]:
        warnings.warn(
            f"{path}: {info['duplicates']} audio ids are listed more than once (first repeat at line "
            f"{info['first_duplicate']}); the first line of each is used",
            DuplicateAudioIdWarning,
            stacklevel=2,
        )
    target = index_file(path, st)
    if target is not None:
        target.with_suffix(".json").write_text(json.dumps(info), encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, table)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    return table, info


def load(path: str, progress: bool = True) -> tuple[np.ndarray, dict]:
    """The index of ``path``: mapped from the cache, or built now (and kept) when there is none yet."""
    target = index_file(path, os.stat(path))
    if target is not None and target.is_file():
        try:
            info = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
            return np.load(target, mmap_mode="r"), info
        except (OSError, ValueError):
            pass  # a half-written or foreign file: build again
    logger.info("audio-flan: indexing %s (once; kept in %s)", path, target.parent if target else "memory")
    return build(path, progress)


class ScpFile:
    """Lookups in one scp file through its index. Opened lazily and per process (a forked DataLoader worker
    opens its own descriptor; the mapped index pages are shared)."""

    def __init__(self, path: str):
        self.path = path
        self._table: Optional[np.ndarray] = None
        self.info: dict = {}
        self._fd: Optional[int] = None
        self._pid = -1

    def _ready(self) -> np.ndarray:
        if self._table is None:
            self._table, self.info = load(self.path)
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        return self._table

    def find(self, *ids: str) -> Optional[tuple[int, str]]:
        """The (line, relative path) of the first of ``ids`` listed, or None."""
        table = self._ready()
        hashes = table[0]
        assert self._fd is not None
        for audio_id in ids:
            key = audio_id.encode("utf-8")
            h = np.uint64(id_hash(key))
            i = int(np.searchsorted(hashes, h))
            while i < len(hashes) and hashes[i] == h:
                fields = _read_line(self._fd, int(table[1][i])).split(None, 1)
                if fields and fields[0] == key:
                    line_no = int(table[2][i])
                    text = fields[1].decode("utf-8").strip()
                    return line_no, text
                i += 1
        bad = self.info.get("first_malformed")
        if bad:
            raise ReleaseFormatError(f"{self.path}:{bad[0]}: {bad[1]}")
        return None
