"""Source parsers: one module per corpus plus the release reader, and where a data_dir's sources are found.

Every module in this package is a parser and must define ``SOURCE`` (a :class:`~audio_flan.sources.base.Source`),
except ``base`` (the contract) and ``readers`` (the shared file helpers). ``get_sources`` imports them on
first use; a module without a valid ``SOURCE`` is an error there, never silently left out.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from .base import Source, SourceDefinitionError

#: modules of this package that are not parsers
NOT_PARSERS = frozenset({"base", "readers"})


class SourceError(ValueError):
    """A data_dir that holds nothing this config can read."""


def discover(package: str, path: Iterable[str]) -> dict[str, Source]:
    """The parsers of ``package`` (whose ``__path__`` is ``path``), by name, in module order."""
    found: dict[str, Source] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(list(path))):
        if module.startswith("_") or module in NOT_PARSERS:
            continue
        qualified = f"{package}.{module}"
        source = getattr(importlib.import_module(qualified), "SOURCE", None)
        if source is None:
            raise SourceDefinitionError(
                f"{qualified} defines no SOURCE; every module of {package} except "
                f"{', '.join(sorted(NOT_PARSERS))} is a parser and must define SOURCE = Source(...)"
            )
        if not isinstance(source, Source):
            raise SourceDefinitionError(f"{qualified}.SOURCE is a {type(source).__name__}, not a Source")
        if source.name in found:
            raise SourceDefinitionError(f"two parsers are named {source.name!r} ({qualified} is the second)")
        found[source.name] = source
    return found


@functools.cache
def get_sources() -> dict[str, Source]:
    return discover(__name__, __path__)


def locate(data_dir: Path, names: Iterable[str], forced: Optional[str] = None) -> list[tuple[Source, Path]]:
    """The (source, root) pairs in ``data_dir`` or its immediate subfolders that feed a config.

    ``names`` are the parsers the config allows; ``forced`` names one parser and skips detection of the others.
    """
    sources = get_sources()
    names = list(names)
    if not data_dir.is_dir():
        raise SourceError(f"data_dir {data_dir} does not exist or is not a folder")
    if forced is not None:
        if forced not in sources:
            raise SourceError(f"source={forced!r} is not a parser; known: {', '.join(sorted(sources))}")
        if forced not in names:
            raise SourceError(f"source={forced!r} does not feed this config; its sources are: {', '.join(names)}")
        names = [forced]
    try:
        entries = sorted(os.listdir(data_dir))
    except OSError as err:
        raise SourceError(f"data_dir {data_dir} cannot be listed ({err.strerror})") from None
    candidates = [data_dir] + [data_dir / n for n in entries if not n.startswith(".") and (data_dir / n).is_dir()]
    if not entries:
        raise SourceError(f"data_dir {data_dir} is empty")
    unreadable: list[Path] = []

    def detected(wanted: Iterable[str]) -> list[tuple[Source, Path]]:
        hits = []
        for root in candidates:
            for name in wanted:
                try:
                    if sources[name].detect(root):
                        hits.append((sources[name], root))
                except OSError:  # a folder this user cannot look into (someone's lost+found): not a corpus of theirs
                    if root not in unreadable:
                        unreadable.append(root)
                    break
        return hits

    # the config's own parsers first; the others only to say what the folder holds when none of those matched
    found = detected([n for n in sources if n in names])
    if found:
        return found
    elsewhere = detected([n for n in sources if n not in names])
    if elsewhere:
        held = ", ".join(sorted({f"{s.corpus} ({s.name}) in {r}" for s, r in elsewhere}))
        raise SourceError(
            f"data_dir {data_dir} holds {held}, which does not feed this config; its sources are: {', '.join(names)}"
        )
    looked = "\n".join(f"  - {sources[n].corpus} ({n}): {sources[n].layout}" for n in names if n in sources)
    blocked = f"\nCould not look into (permission denied): {', '.join(map(str, unreadable))}" if unreadable else ""
    raise SourceError(
        f"data_dir {data_dir} matches no layout this config reads. Looked in it and its immediate subfolders for:\n{looked}"
        + blocked
    )
