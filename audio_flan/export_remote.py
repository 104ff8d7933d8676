"""An export to a URL (``s3://bucket/audio-flan``, ``gs://…``, any fsspec filesystem): exported into a local work
folder as usual, then mirrored to the URL.

The work folder holds everything a local export keeps (staging, manifests, the lock, the ledger), so a killed
export resumes there. Mirroring uploads each file under a temporary name and renames it into place, so no reader
of the URL ever sees half a file; files that are already there with the same size and digest are not sent again
(a killed upload resumes). The URL gets its own ledger (``.audio-flan-export.json``, as a local export's), written
last, listing what the exports wrote there with each file's SHA-256: a file is deleted from the URL only when
that ledger says an export wrote it and the new export no longer has it. Nothing else at the URL is touched.

With ``--engine ray`` there is no work folder (its workers could not see it, and the data must not pass through
the driver): each task works in a scratch folder of its node and commits its results to the URL's own staging
area (``URL/.audio-flan-export/``) with the same temporary-name uploads, its manifest or marker last, and the
driver places the final names by server-side copies (:mod:`audio_flan.export`). The pieces both ways share are
here: the URL's ledger, the uploads, the copies, the clean-up of partial uploads.

Not handled: two exports to the same URL at once (object stores have no lock; the work folder's lock covers one
machine).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasets.config

from .export_folder import LEDGER, LOCK, STAGING, TRASH, ExportError

#: names of the work folder that stay there (the local export's own bookkeeping)
LOCAL_ONLY = (STAGING, TRASH, LOCK)
CHUNK = 1 << 20


def is_url(out: Any) -> bool:
    """A destination with a protocol other than ``file://`` (``file://`` URLs are plain local paths)."""
    text = str(out)
    return "://" in text and not text.startswith("file://")


def local_path(out: Any) -> str:
    text = str(out)
    return text[len("file://") :] if text.startswith("file://") else text


def default_work_dir(url: str) -> Path:
    """Where an export to ``url`` is prepared when no work folder is given: the datasets cache, one per URL."""
    key = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return Path(datasets.config.HF_DATASETS_CACHE) / "audio_flan_export" / key


def filesystem(url: str):
    """The fsspec filesystem and root path of ``url``, or a sentence saying which package it needs."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as err:
        raise ExportError(f"cannot write to {url}: {err}") from None
    except ValueError as err:  # an unknown protocol
        raise ExportError(f"cannot write to {url}: {err}") from None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file of a finished local export, as relative POSIX names, bookkeeping left out."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and rel.parts[0] not in LOCAL_ONLY and rel.as_posix() != LEDGER:
            found.append(rel.as_posix())
    return found


def remote_ledger(fs, root: str) -> dict:
    path = posixpath.join(root, LEDGER)
    try:
        with fs.open(path, "rb") as f:
            ledger = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        return {"files": {}}
    except (ValueError, UnicodeDecodeError) as err:
        raise ExportError(f"{path} is not the ledger an export writes ({err}); move it away and run again") from None
    if not isinstance(ledger, dict) or not isinstance(ledger.get("files"), dict):
        raise ExportError(f"{path} is not the ledger an export writes (no 'files' mapping)")
    return ledger


def write_remote_ledger(fs, root: str, files: dict[str, str]) -> None:
    data = json.dumps({"files": dict(sorted(files.items()))}, indent=1).encode("utf-8")
    put_bytes(fs, posixpath.join(root, LEDGER), data)


def put_bytes(fs, path: str, data: bytes) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with fs.open(tmp, "wb") as f:
        f.write(data)
    fs.mv(tmp, path)


def _put_file(fs, local: Path, path: str) -> None:
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    fs.put_file(str(local), tmp)
    fs.mv(tmp, path)


def upload(fs, local: Path, path: str) -> None:
    """``local``'s bytes at ``path``, under a temporary name until complete: no reader sees half a file."""
    _put_file(fs, local, path)


def copy_into_place(fs, src: str, dst: str) -> None:
    """A copy of ``src`` at ``dst`` on the same filesystem (server-side on an object store), complete or absent."""
    fs.makedirs(posixpath.dirname(dst), exist_ok=True)
    tmp = f"{dst}.tmp-{os.getpid()}"
    fs.copy(src, tmp)
    fs.mv(tmp, dst)


def check_destination(fs, root: str, url: str, ledger: dict, names: list[str]) -> None:
    """Refuse a URL that holds files no export wrote: at all (no ledger), or where this export writes its own."""
    try:
        present = fs.ls(root, detail=False)
    except FileNotFoundError:  # an object store's prefix that holds nothing yet
        present = []
    if not ledger and any(posixpath.basename(p.rstrip("/")) != STAGING for p in present):
        raise ExportError(
            f"{url} is not empty and holds no export ledger ({LEDGER}): export into a new or empty location, or one "
            "an earlier export wrote"
        )
    foreign = [n for n in names if n not in ledger and fs.exists(posixpath.join(root, n))]
    if foreign:
        raise ExportError(
            f"{url} holds files no export wrote where this one would write its own: {', '.join(foreign[:5])}; "
            "move them away and run the export again"
        )


def remove_partial_uploads(fs, root: str, ours: set[str]) -> None:
    """Temporary files an upload killed midway left beside files of ours (``<name>.tmp-<pid>``)."""
    for path in fs.find(root):
        rel = posixpath.relpath(path.rstrip("/"), root.rstrip("/"))
        stem, dot, pid = rel.rpartition(".tmp-")
        if dot and pid.isdigit() and (stem in ours or stem == LEDGER):
            fs.rm(path)


def mirror(local: Path, url: str, log: Callable[[str], None] = print) -> dict[str, list[str]]:
    """Make ``url`` hold the finished export in ``local``: upload what differs, delete what an earlier export
    wrote there and this one no longer has. Returns the names uploaded, kept as they were, and deleted."""
    fs, root = filesystem(url)
    fs.makedirs(root, exist_ok=True)
    before = remote_ledger(fs, root)["files"]
    names = _files(local)
    digests = {name: sha256(local / name) for name in names}
    check_destination(fs, root, url, before, names)
    # the ledger first names every file that may be ours by the end, so a kill from here on loses nothing
    write_remote_ledger(fs, root, {**before, **digests})
    remove_partial_uploads(fs, root, set(before) | set(digests))
    uploaded, unchanged = [], []
    for name in names:
        path = posixpath.join(root, name)
        if before.get(name) == digests[name] and fs.exists(path) and fs.size(path) == (local / name).stat().st_size:
            unchanged.append(name)
            continue
        _put_file(fs, local / name, path)
        uploaded.append(name)
    deleted = sorted(n for n in before if n not in digests)
    for name in deleted:
        path = posixpath.join(root, name)
        if fs.exists(path):
            fs.rm(path)
    write_remote_ledger(fs, root, digests)
    log(f"{url}: {len(uploaded)} file(s) uploaded, {len(unchanged)} already there, {len(deleted)} removed")
    return {"uploaded": uploaded, "unchanged": unchanged, "deleted": deleted}
