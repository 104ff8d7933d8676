"""What a source parser declares: its corpus, licence, layout, record fields, and how it lists and reads shards.

A parser knows its corpus and nothing about tasks or prompts (the release reader is the exception: its
records are finished instances). Each parser module defines ``SOURCE = Source(...)``; the package finds
them by scanning ``audio_flan.sources``, so adding a corpus touches one module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..registry import Task

SPLITS = ("train", "validation", "test")


class CorpusFormatError(ValueError):
    """A corpus file that is not laid out as its authors distribute it (each parser has a subclass)."""


class MissingAudioWarning(UserWarning):
    """Metadata rows whose audio file is absent were skipped (the warning says how many, and where)."""


# A shard is anything JSON-like that the parser understands (usually a relative path or a list of them).
Shard = Any


@dataclass(frozen=True)
class Source:
    """A corpus as its authors distribute it."""

    name: str  # the parser's name in the registry, e.g. "libritts_r"
    corpus: str  # the corpus's own name, e.g. "LibriTTS-R"
    license: str
    redistributable: bool  # whether the licence allows re-hosting the audio (export honours it)
    homepage: str
    layout: str  # one line saying what `detect` looks for, shown when a folder matches nothing
    fields: frozenset[str]  # the fields every record has; audio fields hold paths
    detect: Callable[[Path], bool]  # does this folder hold the corpus? looks at a few names only
    list_shards: Callable[[Path, Task], dict[str, list[Shard]]]  # split -> shards, no full scan
    read_shard: Callable[[Path, Shard, Task], Iterator[dict]]  # records of one shard, streamed
    audio_prefix: str = ""  # audio ids are "<audio_prefix>_<record id>"
    languages: tuple[str, ...] = ()
    finished: bool = False  # records are finished instances (the release): the passthrough shape
    audio_fields: frozenset[str] = field(default_factory=lambda: frozenset({"audio"}))


def local_path(path) -> Path:
    """A real ``pathlib.Path``. For streaming, ``datasets`` replaces the name ``Path`` in the builder's module with
    its ``xPath`` (made for remote files), whose ``/`` parses URLs and costs tens of µs per join; a data_dir is
    always a local folder, so the builder makes its paths here, in a module ``datasets`` does not patch."""
    return Path(path)


def is_hidden(name: str) -> bool:
    """macOS AppleDouble files (``._x.wav``) and dotfiles ship inside several corpus archives."""
    return name.startswith(".")
