"""A faster per-example path for the streams this builder returns; with ``hook.py``, the only code here that
relies on private parts of ``datasets``.

What it saves. Streaming a generator builder, ``datasets`` types every example before handing it out: on 3.6
it turns each one into a one-row Arrow table, casts it and formats it back to Python (about 340 µs an example
on these machines, more than reading a 4 s WAV file); on 4.x and 5.x it runs its generic
``Features.encode_example`` and ``decode_example`` over our 11 columns (about 25 µs). For the examples our own
generator yields, both give a known result: the same dict, with each audio value replaced by our ``LazyAudio``
and the language list copied. This module gives that result directly.

How. ``wrap`` makes the ``IterableDataset`` that ``AudioFlan.as_streaming_dataset`` returns an instance of a
subclass that overrides one private method, ``_prepare_ex_iterable_for_iteration``. After ``datasets`` has
built its pipeline, if (and only if) that pipeline is exactly the untouched one for this builder — a
``FormattedExamplesIterable`` with no formatting and our very features (audio decoding on), over (3.6: a
one-example ``RebatchedArrowExamplesIterable`` over) our ``ExamplesIterable``, possibly split by node — its
last stage is replaced by one that iterates the same examples in Python and types them with :func:`typed`.
Anything else (``with_format``, ``decode(False)``, ``cast_column``, ``map``, ``filter``, ``shuffle``,
resuming from a state dict, a future ``datasets`` whose classes differ) gets the stock pipeline. The
examples' source iterables, and so ``state_dict()``, are the stock ones, and DataLoader workers (which shard
the pipeline) keep the fast stage.

Set ``AUDIO_FLAN_FAST_STREAM=0`` to turn it off. ``tests/test_fast_stream.py`` checks, on every supported
``datasets``, that it is active where it should be and that it yields what the stock pipeline yields.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Optional

import datasets

from .features import AUDIO_COLUMNS, Audio

ENV = "AUDIO_FLAN_FAST_STREAM"
_MARK = "_audio_flan_typed"

try:  # the private classes this relies on; without them, wrap() leaves streams as they are
    from datasets.iterable_dataset import ExamplesIterable, FormattedExamplesIterable, StepExamplesIterable

    try:
        from datasets.iterable_dataset import RebatchedArrowExamplesIterable
    except ImportError:  # pragma: no cover
        RebatchedArrowExamplesIterable = None
    AVAILABLE = hasattr(datasets.IterableDataset, "_prepare_ex_iterable_for_iteration")
except ImportError:  # pragma: no cover - a datasets that reorganised its internals
    AVAILABLE = False


def enabled() -> bool:
    return AVAILABLE and os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def typed(example: dict, columns: tuple, audio: dict) -> dict:
    """What ``features.decode_example(features.encode_example(example))`` gives for an example of our generator:
    the columns in the features' order (a missing one as None), each as is (they are already strings, a string
    list and lists of ``{path, bytes}``), the language list copied, and each audio value decoded by its
    ``Audio`` feature into a ``LazyAudio``."""
    out = {column: example.get(column) for column in columns}
    for column, feature in audio.items():
        values = out[column]
        if values is not None:
            out[column] = [None if v is None else feature.decode_example(feature.encode_example(v)) for v in values]
    languages = out.get("language")
    if languages is not None:
        out["language"] = list(languages)
    return out


def _audio_features(features) -> Optional[dict]:
    """{column: Audio feature} when every audio column is a list of our decoding ``Audio``, else None."""
    out = {}
    for column in AUDIO_COLUMNS:
        feature = features.get(column) if features is not None else None
        inner = feature[0] if isinstance(feature, list) and len(feature) == 1 else getattr(feature, "feature", None)
        if type(inner) is not Audio or not inner.decode:
            return None
        out[column] = inner
    return out


def _is_ours(ex_iterable, generate: Callable) -> bool:
    """The untouched source of this builder's examples: our ExamplesIterable, maybe split by node, maybe (3.6)
    rebatched one example at a time."""
    while True:
        kind = type(ex_iterable)
        if kind is StepExamplesIterable:
            ex_iterable = ex_iterable.ex_iterable
        elif RebatchedArrowExamplesIterable is not None and kind is RebatchedArrowExamplesIterable:
            if ex_iterable.batch_size != 1 or getattr(ex_iterable, "drop_last_batch", False):
                return False
            ex_iterable = ex_iterable.ex_iterable
        elif kind is ExamplesIterable:
            fn = getattr(ex_iterable, "generate_examples_fn", None)
            return getattr(fn, "__func__", None) is generate
        else:
            return False


class _TypedExamplesIterable(FormattedExamplesIterable if AVAILABLE else object):  # type: ignore[misc]
    """The last stage of the pipeline: the same examples, typed by :func:`typed` in plain Python (3.6's
    one-example Rebatched stage is iterated as the plain iterable it also is, with no Arrow round trip)."""

    def __iter__(self):
        columns, audio = getattr(self, _MARK)
        for key, example in self.ex_iterable:
            yield key, typed(example, columns, audio)

    def shard_data_sources(self, *args, **kwargs):
        return _retype(super().shard_data_sources(*args, **kwargs), getattr(self, _MARK))

    def shuffle_data_sources(self, *args, **kwargs):
        return _retype(super().shuffle_data_sources(*args, **kwargs), getattr(self, _MARK))


def _retype(formatted, how: tuple):
    if type(formatted) is not FormattedExamplesIterable:
        return formatted
    fast = copy.copy(formatted)
    fast.__class__ = _TypedExamplesIterable
    setattr(fast, _MARK, how)
    return fast


def fast_stage(ds, ex_iterable, generate: Callable, features):
    """``ex_iterable`` (what datasets prepared for ``ds``) with its last stage replaced, or None to keep it.
    ``features`` are the builder's own; the pipeline must type examples with exactly those."""
    if not enabled() or type(ex_iterable) is not FormattedExamplesIterable:
        return None
    if ex_iterable.formatting or getattr(ds, "_starting_state_dict", None):
        return None
    if ex_iterable.features != features or ds.features != features:
        return None
    audio = _audio_features(ex_iterable.features)
    if audio is None or not _is_ours(ex_iterable.ex_iterable, generate):
        return None
    return _retype(ex_iterable, (tuple(features), audio))


if AVAILABLE:

    class AudioFlanIterableDataset(datasets.IterableDataset):
        """The ``IterableDataset`` our builder returns: the stock one, whose untouched pipeline types our
        examples directly (see the module's docstring). Transformations return stock datasets."""

        def _prepare_ex_iterable_for_iteration(self, *args, **kwargs):
            ex_iterable = super()._prepare_ex_iterable_for_iteration(*args, **kwargs)
            ours = getattr(self, "_audio_flan", None)
            if ours is None:
                return ex_iterable
            return fast_stage(self, ex_iterable, *ours) or ex_iterable


def wrap(ds, generate: Callable, features):
    """Give the builder's stream the fast last stage. ``generate`` is ``AudioFlan._generate_examples`` (the
    function, so that only pipelines over our own examples qualify) and ``features`` the builder's. Returns
    ``ds``."""
    if AVAILABLE and type(ds) is datasets.IterableDataset:
        ds.__class__ = AudioFlanIterableDataset
        ds._audio_flan = (generate, features.copy())
    return ds
