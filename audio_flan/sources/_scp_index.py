"""An on-disk index of one scp file (``<audio id> <relative path>`` per line), so that resolving an id is a lookup.

Stored as one ``.npy`` array in the datasets cache, named after the scp's real path, size and mtime (a changed
file gets a new index): three rows of uint64, a 64-bit hash of each id (CRC-32 and Adler-32 of its UTF-8 bytes),
the byte offset of its line and the line number, sorted by hash and then offset. Why this and not SQLite: it is
24 bytes a line, builds in one pass with no per-row insert cost, and is read with ``pread`` through the OS page
cache, which every process reading the same release shares: nothing per id on any process's heap, and no mapped
pages counted in its RSS (a memory map of it was measured at +46 MB RSS for 1,000 lookups in a 2-million-line
scp). A lookup is a ``searchsorted`` in a small fence held in memory (every 512th hash: 32 KB per million lines),
one ``pread`` of 8 KB of hashes, and one ``pread`` of the line, which is then compared with the id asked for, so a
hash collision can never resolve to the wrong file.

An id listed twice: the first line wins (the lowest offset among equal hashes comes first); duplicates are
counted when the index is built and reported once per file. A line that is not ``<id> <path>`` or not UTF-8 is
counted too, and named in the error of any id the index does not hold (it may have been on that line), as
``<scp>:<line>: <what is wrong>; expected ...``. A line longer than ``MAX_LINE_BYTES`` is an error when the index
is built (the file is not read into memory line by line without a bound).
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
from .readers import MAX_LINE_BYTES, require_regular

logger = logging.getLogger(__name__)

FORMAT = 4  # 4: the messages of malformed lines name the byte and say what was expected
BLOCK = 1 << 22
PROGRESS_BYTES = 64 << 20  # a build of a larger scp shows a progress bar


class ScpFileError(ReleaseFormatError):
    """An scp file that cannot be read at all (not a regular file, not readable, a line over the limit): an error
    under every ``on_error`` policy, unlike one malformed line (which fails only the lookups it may hold)."""


class DuplicateAudioIdWarning(UserWarning):
    """An scp file lists some audio ids more than once (the first line of each counts)."""


def id_hash(audio_id: bytes) -> int:
    return (zlib.crc32(audio_id) << 32) | zlib.adler32(audio_id)


def index_file(path: str, st: os.stat_result) -> Optional[Path]:
    folder = writable_dir("scp")
    if folder is None:
        return None
    return folder / f"{path_key(path)}-{st.st_size}-{st.st_mtime_ns}-v{FORMAT}.npy"


EXPECTED = "expected '<audio id> <relative path>'"


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
                block += f.readline(MAX_LINE_BYTES + 1)  # the rest of the last line, within the limit
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
                if len(raw) > MAX_LINE_BYTES:
                    if bar is not None:
                        bar.close()
                    raise ScpFileError(
                        f"{path}:{line_no}: the line is longer than {MAX_LINE_BYTES} bytes; {EXPECTED} per line"
                    )
                fields = raw.split(None, 1)
                if not fields:
                    continue
                if len(fields) != 2 or not fields[1].strip():
                    _malformed(found, line_no, f"{EXPECTED}, got {raw.strip()!r}")
                    continue
                if not utf8:
                    try:
                        raw.decode("utf-8")
                    except UnicodeDecodeError as err:
                        byte, column = raw[err.start], err.start + 1
                        _malformed(
                            found,
                            line_no,
                            f"not UTF-8 text (byte 0x{byte:02x} at column {column}); {EXPECTED} in UTF-8",
                        )
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


FENCE = 512  # every FENCE-th hash is kept in memory: a lookup reads one stretch of the stored hashes


class _InMemory:
    """The table held in this process (when the cache cannot be written): three numpy rows, nothing per id."""

    def __init__(self, table: np.ndarray):
        self.table = table

    def candidates(self, h: int) -> list[tuple[int, int]]:
        hashes, key = self.table[0], np.uint64(h)
        i = int(np.searchsorted(hashes, key))
        out = []
        while i < len(hashes) and hashes[i] == key:
            out.append((int(self.table[1][i]), int(self.table[2][i])))
            i += 1
        return out


class _Stored:
    """The table in the cache, read with ``pread`` through the page cache (shared by every process, and not
    counted in any process's RSS, unlike a mapping whose touched pages are): a small fence (every ``FENCE``-th
    hash) in memory says which stretch of the hashes to read."""

    def __init__(self, path: Path, info: dict):
        self.path = path
        with open(path, "rb") as f:  # the shape and where the data starts, from the stored array's own header
            np.lib.format.read_magic(f)
            shape, _, _ = np.lib.format.read_array_header_1_0(f)
            self.n, self.data = int(shape[1]), f.tell()
        self.fence = np.load(path.with_suffix(".fence.npy"))
        self.step = int(info["fence"])
        self._fd, self._pid = -1, -1

    def __del__(self) -> None:  # a dropped table (its file was edited) closes its descriptor
        if getattr(self, "_pid", -1) == os.getpid():
            os.close(self._fd)

    def _row(self, row: int, start: int, stop: int) -> np.ndarray:
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        data = os.pread(self._fd, (stop - start) * 8, self.data + (row * self.n + start) * 8)
        return np.frombuffer(data, dtype="<u8")

    def candidates(self, h: int) -> list[tuple[int, int]]:
        key = np.uint64(h)
        start = max(0, (int(np.searchsorted(self.fence, key)) - 1) * self.step)
        out: list[tuple[int, int]] = []
        while start < self.n:
            block = self._row(0, start, min(self.n, start + 2 * self.step))
            i = int(np.searchsorted(block, key))
            while i < len(block) and block[i] == key:
                at = start + i
                out.append((int(self._row(1, at, at + 1)[0]), int(self._row(2, at, at + 1)[0])))
                i += 1
            if i < len(block) or (not out and block[-1] > key):
                break
            start += len(block)  # the run of equal hashes (or the search) goes on past this stretch
        return out


def _replace_atomically(target: Path, write) -> None:
    """``write(f)`` into a temporary file beside ``target``, then renamed over it: a reader (or a process building
    the same index at the same time, as Ray workers and DataLoader workers do) never sees a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _save(target: Path, table: np.ndarray, info: dict) -> None:
    """The table as ``.npy`` (renamed into place last: its presence says the rest is there), its fence and facts,
    each written to a temporary file and renamed into place."""
    table = np.ascontiguousarray(table, dtype="<u8")
    _replace_atomically(target.with_suffix(".fence.npy"), lambda f: np.save(f, np.ascontiguousarray(table[0][::FENCE])))
    facts = {**info, "fence": FENCE}
    _replace_atomically(target.with_suffix(".json"), lambda f: f.write(json.dumps(facts).encode("utf-8")))
    _replace_atomically(target, lambda f: np.save(f, table))


def build(path: str, progress: bool = True) -> tuple[object, dict]:
    """Index ``path`` and store the index in the cache when it can be written; returns a lookup table and the
    file's facts. Warns once here when ids repeat."""
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
    if target is None:
        return _InMemory(table), info
    _save(target, table, info)
    return _Stored(target, {**info, "fence": FENCE}), info


def load(path: str, progress: bool = True) -> tuple[object, dict]:
    """The index of ``path``: from the cache, or built now (and kept) when there is none yet."""
    target = index_file(path, os.stat(path))
    if target is not None and target.is_file():
        try:
            info = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
            return _Stored(target, {**info, "fence": FENCE}), info
        except (OSError, ValueError, KeyError):
            pass  # a half-written or foreign file: build again
    logger.info("audio-flan: indexing %s (once; kept in %s)", path, target.parent if target else "memory")
    return build(path, progress)


def _readable(path: str) -> None:
    """An scp file that is not a regular file (a named pipe would block) or cannot be read is named, in a sentence."""
    require_regular(Path(path), ScpFileError)


class ScpFile:
    """Lookups in one scp file through its index, loaded on first use; descriptors are opened per process (a
    forked DataLoader worker opens its own)."""

    def __init__(self, path: str):
        self.path = path
        self._table: Optional[_Stored | _InMemory] = None
        self.info: dict = {}
        self._fd: Optional[int] = None
        self._pid = -1

    def _ready(self) -> _Stored | _InMemory:
        if self._table is None:
            _readable(self.path)
            table, self.info = load(self.path)
            assert isinstance(table, (_Stored, _InMemory))
            self._table = table
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        return self._table

    def __del__(self) -> None:  # dropped from the cache (its file was edited): its descriptor is closed
        fd = getattr(self, "_fd", None)
        if fd is not None and self._pid == os.getpid():
            os.close(fd)

    def find(self, *ids: str) -> Optional[tuple[int, str]]:
        """The (line, relative path) of the first of ``ids`` listed, or None."""
        table = self._ready()
        assert self._fd is not None
        for audio_id in ids:
            key = audio_id.encode("utf-8")
            for offset, line_no in table.candidates(id_hash(key)):
                fields = _read_line(self._fd, offset).split(None, 1)
                if fields and fields[0] == key:
                    return line_no, fields[1].decode("utf-8").strip()
        bad = self.info.get("first_malformed")
        if bad:
            raise ReleaseFormatError(f"{self.path}:{bad[0]}: {bad[1]}")
        return None
