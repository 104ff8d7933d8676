"""Per-corpus fixture modules: each writes one corpus's exact published layout with real audio.

Every module here is named after the parser it feeds (``audio_flan.sources.<name>``) and offers:

- layout writers (what the tests, ``benchmarks/corpus.py`` and ``scripts/make_sample.py`` share);
- ``build(base) -> Corpus``: a small copy under ``base`` whose ``expected`` maps record ids to their values;
- ``malform(corpus) -> (path, line)``: spoil one metadata line, return where;
- ``drop_audio(corpus) -> (split, record id)``: delete one listed audio file.

The conformance suite (``tests/test_conformance.py``) runs every registered parser against its module here;
a parser without one fails it.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def fixture_module(source_name: str) -> ModuleType:
    """The fixture module of a parser (raises ModuleNotFoundError when it has none)."""
    return importlib.import_module(f"{__name__}.{source_name}")
