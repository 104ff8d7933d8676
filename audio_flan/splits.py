"""Which splits a config lists: one rule for streaming, non-streaming and the export.

A split is listed unless a cheap check shows that it holds no instance of the config. Every mode takes its
splits from the builder's ``_split_generators``, which applies this rule, so a split that is listed yields
instances whichever way it is read, and a split that is not listed is absent everywhere.

The check, per source feeding the split:

- a source that declares ``has_records`` answers for its shards: the release reads its JSONL files until a
  record of the task carries the split's label (at most ``release.PEEK_BYTES`` per split; a task index makes
  this exact); ``False`` rules the source out, ``None`` (cannot tell cheaply) keeps the split;
- a corpus parser lists a split from the files that make it up, so its records are there, but its task shape
  may make nothing of them (compare needs two speakers in a shard; mapped shapes leave out records that lack
  the annotation the task needs, as Common Voice's test clips without an accent): the first ``PEEK_SHARDS``
  shards are read until one instance comes out (usually the first records of the first shard); none from all
  of the source's shards rules it out.

Where the check cannot tell, the split is listed and may turn out empty: a large release copy without an index
whose first ``PEEK_BYTES`` of the split's JSONL hold none of the task's records; a corpus split of more than
``PEEK_SHARDS`` shards whose first ones give no instance; release records whose audio files are all absent. Streaming then yields nothing from it, while non-streaming loading and the export, which
read everything first, leave it out.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .registry import Task
from .sources.base import Shard, Source

PEEK_SHARDS = 4

#: the builder's ``_generate_examples``: (shards as in gen_kwargs, split) -> (key, example) pairs
Generate = Callable[[list, str], Iterator]


def shows_nothing(
    task: Task, split: str, parts: Iterable[tuple[Source, Path, list[Shard]]], generate: Generate
) -> bool:
    """True when every (source, root, shards) feeding ``split`` shows, cheaply, that it has no instance there."""
    return all(_nothing_from(task, split, source, root, shards, generate) for source, root, shards in parts)


def _nothing_from(task: Task, split: str, source: Source, root: Path, shards: list[Shard], generate: Generate) -> bool:
    if source.has_records is not None:  # its records are finished instances: True or None keeps the split
        return source.has_records(root, shards) is False
    peeked = shards[:PEEK_SHARDS]
    with warnings.catch_warnings():  # skipped records are reported when the split is read
        warnings.simplefilter("ignore")
        first = next(iter(generate([[source.name, str(root), shard] for shard in peeked], split)), None)
    return first is None and len(peeked) == len(shards)
