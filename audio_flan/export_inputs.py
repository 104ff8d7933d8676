"""What a unit of the export read: every file opened for reading and every folder listed while it ran.

The export keys a finished unit by these paths with their sizes and modification times, so that a resumed
export redoes exactly the units whose input changed (an edited transcript, a replaced WAV, a file added to a
folder a parser lists) and keeps the others. The paths are collected with a Python audit hook
(:pep:`578`: the ``open``, ``os.listdir`` and ``os.scandir`` events), so every parser is covered without
having to declare its files.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_active: list[set[str]] = []
# the interpreter's and installed packages' own files (modules imported while a unit runs): not the unit's input
# and the kernel's pseudo-files (a monitoring thread reading /proc while the unit runs)
_SYSTEM = tuple(
    sorted({os.path.join(p, "") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)} | {"/proc/", "/sys/"})
)
_installed = False
_WRITE_MODES = set("wax+")
# the import system's own listings (a module first imported while a unit runs scans every sys.path entry, the
# current folder among them; importlib.metadata scans them for entry points): not the unit's input
_IMPORT_MACHINERY = ("<frozen importlib.", os.path.join(os.path.dirname(importlib.__file__), ""))


def _hook(event: str, args: tuple) -> None:
    if not _active:
        return
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, int) or (isinstance(mode, str) and _WRITE_MODES & set(mode)):
            return
        if mode is None and isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR):
            return
    elif event not in ("os.listdir", "os.scandir"):
        return
    else:
        path = args[0]
        if path is None or isinstance(path, int) or sys._getframe(1).f_code.co_filename.startswith(_IMPORT_MACHINERY):
            return
    path = os.path.abspath(os.fsdecode(path))
    if not path.startswith(_SYSTEM) and not path.endswith((".py", ".pyc")):
        _active[-1].add(path)


@contextmanager
def tracked() -> Iterator[set[str]]:
    """Collect, in the set yielded, the absolute paths read or listed by this process inside the block."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    paths: set[str] = set()
    _active.append(paths)
    try:
        yield paths
    finally:
        _active.remove(paths)


def stamp(paths: set[str]) -> list[list]:
    """``[path, size, mtime_ns]`` of each path, sorted; a path gone since is stamped ``-1, -1``."""
    out = []
    for path in sorted(paths):
        try:
            st = os.stat(path)
            out.append([path, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([path, -1, -1])
    return out


def unchanged(stamps: list[list]) -> bool:
    """Whether every stamped path still has its size and modification time."""
    for path, size, mtime in stamps:
        try:
            st = os.stat(path)
        except OSError:
            if size != -1:
                return False
            continue
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True
