"""A hash of text that is the same in every process and on every machine (``hash`` is salted per process by
PYTHONHASHSEED): what parsers deal items into shards and splits by, and make a fixed choice per item with. Not a
parser itself."""

from __future__ import annotations

import hashlib


def stable_hash(text: str) -> int:
    """The first 8 bytes of the BLAKE2b digest of ``text`` (UTF-8), as an unsigned big-endian number."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def hash_split(key: str, buckets: int = 10) -> str:
    """A split by hash for a corpus without an official one: of ``buckets`` buckets, one is ``test``, one
    ``validation`` and the rest ``train`` (so 10 % / 10 % / 80 % by default)."""
    bucket = stable_hash(key) % buckets
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"
