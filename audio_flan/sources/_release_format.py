"""What a line of the released Audio-FLAN metadata is: the record checks, the split and domain spellings, and the
audio markers. Shared by the release reader and its task index, so both read a record the same way."""

from __future__ import annotations

import re
from typing import Optional

from .base import CorpusFormatError

AUDIO_REF = re.compile(r"<\|SOA\|>(.*?)<\|EOA\|>", re.S)
# what is left of a marker once the well-formed ones are taken out: "<|SOA|id<|EOA|>", "<SOA>", "id|EOA|>", ...
NEAR_MARKER = re.compile(r"<\|?\s*[SE]OA|[SE]OA\s*\|?>")
SPLIT_LABELS = {"train": "train", "validation": "dev", "test": "test"}
SPLIT_ALIASES = {"validation": "dev", "valid": "dev", "val": "dev"}
# split folders (any case) and the splits their records are read into; the release has train_dev and test
SPLIT_FOLDERS = {"train_dev": ("train", "validation"), "test": ("test",), "train": ("train",), "dev": ("validation",)}
# the dataset card's tags call the general-sound domain "sound"; the release's folders call it "audio"
DOMAIN_ALIASES = {"sound": "audio"}


class ReleaseFormatError(CorpusFormatError):
    """A release file that is not what the Audio-FLAN release format says."""


def check_record(record, where: str) -> None:
    if not isinstance(record, dict):
        raise ReleaseFormatError(f"{where}: expected a JSON object, got {type(record).__name__}")
    for key in ("instruction", "input", "output", "uuid", "task_type"):
        if key not in record:
            raise ReleaseFormatError(f"{where}: record has no {key!r} field")
    if not isinstance(record["task_type"], dict) or "minor" not in record["task_type"]:
        raise ReleaseFormatError(f"{where}: task_type must be an object with a 'minor' list")


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def record_domain(value, folder_domain: str) -> str:
    """The record's ``domain`` as a folder name (``sound`` is ``audio``); absent: the folder's."""
    if value is None:
        return folder_domain
    text = str(value).strip().lower()
    return DOMAIN_ALIASES.get(text, text)


def split_labels(splits) -> set[str]:
    """The record's ``split`` list as release labels (``train``, ``dev``, ``test``)."""
    return {SPLIT_ALIASES.get(str(s).lower(), str(s).lower()) for s in as_list(splits)}


def in_split(labels: set[str], split_label: str, unlabelled: Optional[str] = None) -> bool:
    """Whether a record with these labels belongs to the shard's split; no label: the folder decides
    (``unlabelled``: the label of its first split, e.g. ``dev`` in a ``dev/`` folder; by default ``test`` for a
    test shard, else ``train``)."""
    return split_label in (labels or {unlabelled or ("test" if split_label == "test" else "train")})


def folder_labels(splits: tuple[str, ...]) -> list[str]:
    """The release's split labels of a split folder's splits (``("train", "validation")`` -> train, dev)."""
    return [SPLIT_LABELS[s] for s in splits]


def near_markers(text: str) -> bool:
    """True when ``text`` holds an audio marker that is nearly right (``<|SOA|id<|EOA|>``): one the reader
    cannot resolve, reported instead of being read as plain text without a word."""
    if "OA" not in text:
        return False
    return NEAR_MARKER.search(AUDIO_REF.sub("", text)) is not None


def first_minor_key(minors) -> Optional[str]:
    """The first minor name as written, for messages."""
    items = as_list(minors)
    return str(items[0]) if items else None
