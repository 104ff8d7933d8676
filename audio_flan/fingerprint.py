"""A cheap fingerprint of what a data_dir holds, so that the non-streaming cache is keyed by the data it was built
from and not only by the folder's name.

It covers every folder's modification time (a file added, removed or renamed changes its folder's) and the size
and modification time of every file that is not audio (the metadata a config reads: transcripts, CSV, JSON,
JSONL, scp). Audio files are only listed, not stat'ed: the cache stores their paths and they are read again on
every decode. When bad items are skipped (``on_error="skip"``) the instances depend on each audio's content too,
and ``with_audio=True`` adds the size and time of every audio file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".aif", ".aiff", ".au", ".sph", ".webm")


def data_fingerprint(root: Path, with_audio: bool = False) -> str:
    """16 hex digits that change when anything a config could read under ``root`` changes. Symbolic links to
    folders are followed (each real folder once); a folder that cannot be listed counts by its error."""
    digest = hashlib.blake2b(digest_size=8)
    seen: set[str] = set()
    stack = [os.fspath(root)]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        rel = os.path.relpath(folder, root)
        try:
            mtime = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            digest.update(f"E {rel} {err.errno}\n".encode("utf-8", "surrogateescape"))
            continue
        digest.update(f"D {rel} {mtime}\n".encode("utf-8", "surrogateescape"))
        subfolders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                if is_dir:
                    subfolders.append(entry.path)
                    continue
                if not with_audio and entry.name.lower().endswith(AUDIO_SUFFIXES):
                    continue
                st = entry.stat()
                line = f"F {entry.name} {st.st_size} {st.st_mtime_ns}\n"
            except OSError as err:
                line = f"E {entry.name} {err.errno}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
        stack.extend(reversed(subfolders))
    return digest.hexdigest()
