"""Roles: audio a task draws, per instance, from corpora other than the one its records come from (the noise
of a denoising pair, the impulse response of a dereverberation pair, the noise under a LibriMix-style mixture).

A task's registry file declares its roles (``roles:``, see builder_configs/README.md): each role is a pool fed by
one or more parsers, each naming the record field that holds the audio and, optionally, a *pool* the parser
declares besides its splits (``Source.pools``: DNS's ``noise`` and ``rir``). Without a pool name the role takes
the records of that corpus's splits (ESC-50's 2000 clips).

Splits: an instance draws only from its own split, so that no noise clip or impulse response heard with a test
instance is also heard in training. Per corpus of the role:

- a corpus listed by splits gives the instance the items of the instance's split; a corpus that lacks that split
  (ESC-50 has only ``train``) gives all its items to every split;
- a named pool, which has no splits (DNS's noise and impulse responses), is dealt into splits by a BLAKE2 hash of
  (parser, pool, item id): :data:`POOL_SPLIT_PERCENT` train/validation/test; a split dealt no item gets all of
  the pool's items.

Either fallback shares items between splits: the item's ``split`` in the instance's metadata (``roles``) is then
``"all"``, otherwise the split it was drawn from.

Where the pools come from: the role's parsers are looked for in the config's data_dir and its immediate
subfolders, as the config's own sources are (``sources.locate``); a role none of whose corpora is there gives an
empty pool, and a shape that needs it says which corpora it looked for. A pool is listed on its first draw, not
when the splits are listed, through the parser's own listing (DNS: one directory listing, no audio opened),
and kept for the process.

Drawing (:meth:`RolePool.draw`): one item uniformly from the pool by a generator seeded with (user seed,
instance id, ``role.<name>``) (:func:`audio_flan.dsp.draw_choice`, a BLAKE2 hash, never ``hash()``), so the draw
does not depend on PYTHONHASHSEED, on the process or on which other instances were drawn. The pool's order is
the registry's order of parsers, then the folders' sorted order, then each parser's record order, so the same
data_dir gives the same pool on every machine.

Licences: the item drawn carries its corpus's licence; a shape records, in the instance's ``metadata``, each
role's item (``roles``) and the licence of every corpus the instance uses (``licenses``). The export leaves out a
config's units when any corpus it reads, the role corpora among them, may not be redistributed (unless
``--include-restricted``), and the card lists the role corpora's licences with the others.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import dsp
from .prompts import stable_int
from .sources import SourceError, get_sources, locate
from .sources.base import SPLITS, Shard, Source

#: how a named pool (no splits of its own) is dealt into train/validation/test, in percent
POOL_SPLIT_PERCENT = (("train", 80), ("validation", 10), ("test", 10))
#: the ``split`` of an item that every split may draw (its corpus has no items for the instance's split)
SHARED = "all"


class RoleError(SourceError):
    """A role that cannot be drawn from: none of its corpora is in the data_dir (a data_dir that cannot feed the
    config, as far as ``load_dataset`` and ``audio_flan.mixture`` are concerned)."""


@dataclass(frozen=True)
class RoleSource:
    """One parser feeding a role: the record field holding the audio, and the pool it is read from (None: every
    split)."""

    parser: str
    audio: str
    pool: Optional[str] = None


@dataclass(frozen=True)
class Role:
    """A named pool of audio a task draws from (``noise``, ``rir``), fed by one or more parsers in order."""

    name: str
    sources: tuple[RoleSource, ...]

    @property
    def parsers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.parser for s in self.sources))


@dataclass(frozen=True)
class PoolItem:
    """One audio of a pool: where it comes from, under which licence."""

    parser: str
    corpus: str
    license: str
    id: str
    path: str
    #: the split of its corpus it belongs to, or :data:`SHARED` when every split may draw it
    split: str = SHARED

    def describe(self) -> dict:
        """What the instance's metadata records of it."""
        return {
            "parser": self.parser,
            "source": self.corpus,
            "id": self.id,
            "license": self.license,
            "split": self.split,
        }


class RolePool:
    """The audio one role may draw in one data_dir; listed on first use."""

    def __init__(self, role: Role, roots: list[tuple[RoleSource, Source, Path]], data_dir: Path):
        self.role, self.roots, self.data_dir = role, roots, data_dir
        self._items: Optional[tuple[PoolItem, ...]] = None
        self._by_split: dict[Optional[str], tuple[PoolItem, ...]] = {}

    @property
    def parsers(self) -> tuple[str, ...]:
        """The parsers whose corpora were found for this role (in the registry's order)."""
        return tuple(dict.fromkeys(spec.parser for spec, _, _ in self.roots))

    @property
    def items(self) -> tuple[PoolItem, ...]:
        if self._items is None:
            self._items = tuple(item for spec, source, root in self.roots for item in _listed(spec, source, root))
        return self._items

    def __len__(self) -> int:
        return len(self.items)

    def require_found(self) -> None:
        """A RoleError naming the corpora looked for when none of them is in the data_dir (detection only)."""
        if not self.roots:
            self._missing()

    def _missing(self) -> None:
        sources = get_sources()
        looked = "; ".join(f"{sources[p].corpus} ({p}): {sources[p].layout}" for p in self.role.parsers)
        found = f" (found {', '.join(self.parsers)}, but it holds no audio for this role)" if self.roots else ""
        raise RoleError(
            f"role {self.role.name!r} has nothing to draw from in {self.data_dir}{found}; put one of these "
            f"corpora in it or in a folder directly below it: {looked}"
        )

    def for_split(self, split: Optional[str]) -> tuple[PoolItem, ...]:
        """The items an instance of ``split`` may draw (all of them for ``None``), in the pool's order: per corpus,
        the items of that split, or all of the corpus's items when it has none of that split."""
        hit = self._by_split.get(split)
        if hit is None:
            if split is None:
                items = self.items
            else:
                items = tuple(
                    item
                    for spec, source, root in self.roots
                    for group in [_listed(spec, source, root)]
                    for item in (
                        [i for i in group if i.split == split] or [dataclasses.replace(i, split=SHARED) for i in group]
                    )
                )
            hit = self._by_split[split] = items
        return hit

    def require(self, split: Optional[str] = None) -> tuple[PoolItem, ...]:
        """The items (of ``split``), or a RoleError naming the corpora looked for when there are none."""
        items = self.for_split(split)
        if not items:
            self._missing()
        return items

    def draw(self, seed: int, instance_id: str, split: Optional[str] = None) -> PoolItem:
        """The item of this role for one instance of ``split`` (None: from every split): the same for the same
        (seed, instance id, split), on any machine."""
        return dsp.draw_choice(seed, instance_id, f"role.{self.role.name}", self.require(split))


def find_pools(roles: Mapping[str, Role], data_dir: Path) -> dict[str, RolePool]:
    """Each role's pool in ``data_dir`` (detection only: nothing is listed yet)."""
    return {name: RolePool(role, located(role, data_dir), data_dir) for name, role in roles.items()}


def located(role: Role, data_dir: Path) -> list[tuple[RoleSource, Source, Path]]:
    """The (binding, source, root) triples of the role's corpora found in ``data_dir``, in the role's order."""
    try:  # one detection pass for all of the role's corpora (each pass tries every parser on every folder)
        found = locate(data_dir, role.parsers)
    except SourceError:  # none of them is there
        return []
    return [(spec, source, root) for spec in role.sources for source, root in found if source.name == spec.parser]


def found_parsers(roles: Mapping[str, Role], data_dir: Path) -> tuple[str, ...]:
    """Every parser some role of a task would draw from in ``data_dir`` (for the export's licence filter)."""
    return tuple(dict.fromkeys(spec.parser for role in roles.values() for spec, _, _ in located(role, data_dir)))


_CACHE: dict[tuple, tuple[PoolItem, ...]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_ENTRIES = 16


def _listed(spec: RoleSource, source: Source, root: Path) -> tuple[PoolItem, ...]:
    """The items of one corpus for one role, listed once per process (again when the root folder changes)."""
    try:
        mtime = os.stat(root).st_mtime_ns
    except OSError as err:
        raise SourceError(f"{source.corpus} in {root} cannot be read ({err.strerror})") from None
    key = (spec, str(root), mtime)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    if spec.pool is not None:
        shards: list[tuple[Optional[str], Shard]] = [(None, shard) for shard in source.pools[spec.pool](root)]
    else:
        listed = source.list_shards(root)
        shards = [(split, shard) for split in SPLITS for shard in listed.get(split, [])]
    items = tuple(
        PoolItem(
            source.name,
            source.corpus,
            source.license,
            str(record["id"]),
            str(record[spec.audio]),
            split or pool_split(source.name, str(spec.pool), str(record["id"])),
        )
        for split, shard in shards
        for record in source.read_shard(root, shard)
    )
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_ENTRIES:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = items
    return items


def pool_split(parser: str, pool: str, item_id: str) -> str:
    """The split a named pool's item is dealt to (:data:`POOL_SPLIT_PERCENT`), the same on every machine."""
    bucket = stable_int("role pool split", parser, pool, item_id) % 100
    for split, percent in POOL_SPLIT_PERCENT:
        if bucket < percent:
            return split
        bucket -= percent
    return POOL_SPLIT_PERCENT[-1][0]


def licenses(primary: Source, items: Mapping[str, PoolItem]) -> dict[str, str]:
    """Corpus -> licence for every corpus an instance uses: its record's and each role item's."""
    out = {primary.corpus: primary.license}
    for item in items.values():
        out.setdefault(item.corpus, item.license)
    return out
