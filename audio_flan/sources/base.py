"""The parser contract: what a source declares (:class:`Source`), what it hands on (records, shards), and how a
parser that reads one config's part of a shared corpus is narrowed to it (:class:`Query`).

A parser knows its corpus and nothing about tasks or prompts. Each parser module in ``audio_flan.sources``
defines ``SOURCE = Source(...)``; the package finds them by scanning, so adding a corpus touches one module.
The helpers every parser uses to read its files (errors naming file and line, the skip-and-count policy,
listing folders without macOS debris) are in :mod:`audio_flan.sources.readers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Union

SPLITS = ("train", "validation", "test")

#: A shard is JSON-like (it travels in ``gen_kwargs``): usually a relative path, an index, or a list of them.
Shard = Union[str, int, list[Any]]
#: One record of a corpus: an utterance, a note, a clip, with its labels. Audio fields hold absolute paths.
Record = dict[str, Any]

ListShards = Callable[[Path], dict[str, list[Shard]]]
ReadShard = Callable[[Path, Shard], Iterator[Record]]
#: Do these shards (one split's) hold a record? True, False, or None when that cannot be told cheaply.
HasRecords = Callable[[Path, list[Shard]], Union[bool, None]]
#: The shards of a named pool of a corpus that is not one of its splits (DNS's noise clips, its impulse
#: responses): read with the source's ``read_shard``. Tasks draw from pools through roles (audio_flan/roles.py).
ListPool = Callable[[Path], list[Shard]]

_NAME = re.compile(r"[a-z][a-z0-9_]*")


class CorpusFormatError(ValueError):
    """A corpus file that is not laid out as its authors distribute it (each parser has a subclass)."""


class SkippedItemsWarning(UserWarning):
    """A load skipped items (malformed metadata lines, undecodable audio): the warning is its report, saying how
    many, why, and where the first few are (see :mod:`audio_flan.report`)."""


class MissingAudioWarning(SkippedItemsWarning):
    """Metadata rows whose audio file is absent were skipped (the warning says how many, and where; a load's
    report that counts absent audio among other skips is this warning too)."""


class UnusableRecordWarning(UserWarning):
    """Records that lack what a config needs (a corpus annotates only some of its records) were left out of it;
    the warning says how many, and which."""


class SourceDefinitionError(TypeError):
    """A parser module whose ``SOURCE`` is missing or does not keep the contract."""


@dataclass(frozen=True)
class Query:
    """What one config wants from a source that holds many tasks at once (the release): its domain and the
    normalised spellings of its task's name. Corpus parsers are never narrowed."""

    config: str
    domain: str
    task_names: frozenset[str]
    # every config's normalised names in this domain, so records that match none can be reported
    known_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Source:
    """A corpus as its authors distribute it.

    ``list_shards(root)`` gives, per split, the shards (JSON-like) without reading metadata; ``read_shard(root,
    shard)`` streams the records of one shard, each holding exactly ``fields``. ``detect(root)`` says whether a
    folder holds the corpus by looking at a few names. ``listing_reads`` are the files (globs relative to the
    root) that listing may open besides; the conformance suite holds parsers to it.
    """

    name: str  # the parser's name in the registry, e.g. "libritts_r"
    corpus: str  # the corpus's own name, e.g. "LibriTTS-R"; the `source` column of its instances
    license: str
    redistributable: bool  # whether the licence allows re-hosting the audio (export honours it)
    homepage: str
    layout: str  # one line saying what `detect` looks for, shown when a folder matches nothing
    fields: frozenset[str]  # the fields every record has; audio fields hold paths
    detect: Callable[[Path], bool]
    list_shards: ListShards
    read_shard: ReadShard
    audio_prefix: str = ""  # audio ids are "<audio_prefix>_<record id>"
    languages: tuple[str, ...] = ()
    audio_fields: frozenset[str] = field(default_factory=lambda: frozenset({"audio"}))
    # records are finished instances (the release): the registry binds them to the passthrough shape
    finished: bool = False
    # a source holding many tasks narrows itself to one config's part; None for corpus parsers
    narrow: Callable[[Source, Query], Source] | None = None
    listing_reads: tuple[str, ...] = ()
    missing_audio: str = "skip"  # "skip" (counted, one warning per shard) or "error"
    # the closed value sets of label fields, where the corpus documents them (prompt checks render each value)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # a cheap check that a split holds records of finished instances (audio_flan/splits.py); without one, the
    # builder looks for the split's first instance in its first shards
    has_records: HasRecords | None = None
    # named pools of audio besides the splits (noise, impulse responses), listed without opening audio; a role
    # of a task (builder_configs/README.md, "Roles") may draw from one by name
    pools: Mapping[str, ListPool] = field(default_factory=dict)
    # named relations between two records, for compare tasks whose answer says how two records relate (the
    # relation of two keys): name -> function(record, record) -> one of the task's options
    relations: Mapping[str, Callable[[Mapping[str, Any], Mapping[str, Any]], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = []
        if not _NAME.fullmatch(self.name):
            problems.append(f"name {self.name!r} is not a lower-case identifier")
        for attr in ("corpus", "license", "homepage", "layout"):
            if not isinstance(getattr(self, attr), str) or not getattr(self, attr).strip():
                problems.append(f"{attr} must be a non-empty string")
        if not isinstance(self.redistributable, bool):
            problems.append("redistributable must be True or False")
        if not isinstance(self.fields, frozenset) or "id" not in self.fields:
            problems.append("fields must be a frozenset holding at least 'id'")
        elif not self.audio_fields <= self.fields:
            problems.append(f"audio_fields {sorted(self.audio_fields - self.fields)} are not among the fields")
        for attr in ("detect", "list_shards", "read_shard"):
            if not callable(getattr(self, attr)):
                problems.append(f"{attr} must be callable")
        if self.has_records is not None and not callable(self.has_records):
            problems.append("has_records must be callable or None")
        for label, values in self.labels.items():
            if label not in self.fields or not values or not all(isinstance(v, str) for v in values):
                problems.append(f"labels[{label!r}] must name a field and list its values as strings")
        for pool, lister in self.pools.items():
            if not _NAME.fullmatch(str(pool)) or not callable(lister):
                problems.append(f"pools[{pool!r}] must be a lower-case identifier mapped to a function of the root")
        for name, relation in self.relations.items():
            if not isinstance(name, str) or not callable(relation):
                problems.append(f"relations[{name!r}] must map a name to a function of two records")
        if self.missing_audio not in ("skip", "error"):
            problems.append(f"missing_audio is {self.missing_audio!r}; expected 'skip' or 'error'")
        if problems:
            raise SourceDefinitionError(f"Source {self.name!r}: " + "; ".join(problems))

    def narrowed(self, query: Query) -> Source:
        """This source as one config sees it (itself, for a corpus parser)."""
        return self if self.narrow is None else self.narrow(self, query)

    def with_functions(self, list_shards: ListShards, read_shard: ReadShard) -> Source:
        """A copy reading through other functions (what ``narrow`` returns)."""
        return replace(self, list_shards=list_shards, read_shard=read_shard, narrow=None)


def local_path(path: str | Path) -> Path:
    """A real ``pathlib.Path``. For streaming, ``datasets`` replaces the name ``Path`` in the builder's module with
    its ``xPath`` (made for remote files), whose ``/`` parses URLs and costs tens of µs per join; a data_dir is
    always a local folder, so the builder makes its paths here, in a module ``datasets`` does not patch."""
    return Path(path)


def check_record(source: Source, record: Mapping[str, Any], where: str) -> None:
    """Raise when a record does not hold exactly the declared fields (used by the conformance suite)."""
    got = set(record)
    if got != source.fields:
        extra, lacking = sorted(got - source.fields), sorted(source.fields - got)
        raise SourceDefinitionError(
            f"{source.name} record at {where} does not hold exactly the declared fields: extra {extra}, lacking {lacking}"
        )


__all__ = [
    "SPLITS",
    "CorpusFormatError",
    "ListPool",
    "MissingAudioWarning",
    "Query",
    "Record",
    "Shard",
    "Source",
    "SkippedItemsWarning",
    "SourceDefinitionError",
    "UnusableRecordWarning",
    "check_record",
    "local_path",
]
