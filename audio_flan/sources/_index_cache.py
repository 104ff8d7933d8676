"""Where the release's indexes live: a folder of the datasets cache (a release copy may be read-only), with one
name per indexed file or folder derived from its real path, so two copies never share an index."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Optional

import datasets.config


def cache_dir() -> Path:
    return Path(datasets.config.HF_DATASETS_CACHE) / "audio_flan_index"


def path_key(path: str) -> str:
    return hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def writable_dir(sub: str) -> Optional[Path]:
    """``cache_dir()/sub``, created; None when the cache cannot be written (the callers then work without it)."""
    folder = cache_dir() / sub
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
