"""The export's output folder: whose it is, a lock against a second export, and the ledger of files it wrote.

The ledger (``OUT/.audio-flan-export.json``) lists every file the export placed in OUT and the configs they
belong to. An export removes a file only if the ledger says an export wrote it; anything else in a config
folder (a Parquet file a user added, say) is kept, and reported. The lock (``OUT/.audio-flan-export.lock``,
held with ``flock`` for the whole run) makes a second export into the same folder stop with a clear error.
Both names are hidden, and ``push`` does not upload them.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .export_summary import MARKER

STAGING = ".audio-flan-export"
TRASH = ".audio-flan-export-trash"
LEDGER = ".audio-flan-export.json"
LOCK = ".audio-flan-export.lock"
HIDDEN_PATTERNS = [f"{STAGING}*", f"{STAGING}*/**"]  # what push leaves out


class ExportError(ValueError):
    """An export that cannot run as asked (an unknown config, a folder that is not ours, nothing to export)."""


def is_ours(out: Path) -> bool:
    if (out / STAGING).exists() or (out / TRASH).exists() or (out / LEDGER).exists():
        return True
    try:
        return MARKER in (out / "README.md").read_text(encoding="utf-8")
    except OSError:
        return False


def check_output_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    if out.is_dir() and not is_ours(out) and any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise ExportError(f"{out} holds files that are not an audio-flan export; give an empty or new folder")


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the folder's export lock; another export holding it is an :class:`ExportError`."""
    path = out / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EAGAIN, errno.EACCES):
                try:
                    holder = path.read_text(encoding="utf-8").strip()
                except OSError:
                    holder = "?"
                raise ExportError(
                    f"another export is writing to {out} (process {holder}); wait for it to finish, or export elsewhere"
                ) from None
            raise
        # the file may have been removed by the export that held it, between our open and our lock
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.close(fd)


def read_ledger(out: Path) -> dict:
    """``{"configs": [...], "files": [...]}`` of the last export into ``out`` (empty if none)."""
    try:
        data = json.loads((out / LEDGER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"configs": [], "files": []}
    except (OSError, ValueError) as err:
        raise ExportError(f"{out / LEDGER} cannot be read ({err}); it lists the files the export wrote") from None
    return {"configs": list(data.get("configs", [])), "files": list(data.get("files", []))}


def write_ledger(out: Path, configs: list[str], files: list[str]) -> None:
    atomic_write(out / LEDGER, json.dumps({"configs": configs, "files": sorted(set(files))}, indent=1).encode())


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def place(src: Path, dst: Path) -> None:
    """Give ``src``'s content the name ``dst`` atomically: a hard link, or a copy where linking fails."""
    tmp = dst.with_name(dst.name + ".tmp")
    if tmp.exists() or tmp.is_symlink():
        tmp.unlink()
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
