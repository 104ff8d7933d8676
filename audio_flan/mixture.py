"""FLAN-style task mixtures: one ``datasets.IterableDataset`` that samples many configs at chosen rates.

``mixture(configs, rates=...)`` streams each config with the builder and interleaves the streams with
``datasets.interleave_datasets``, drawing the config of every next example at random with the mixing rates as
probabilities. The rates are, as in T5 and FLAN:

- ``"proportional"``: examples-proportional mixing, ``r_i = min(n_i, cap) / sum_j min(n_j, cap)`` where ``n_i``
  is config i's instance count in the split and ``cap`` (T5's artificial limit K) is optional;
- ``"temperature"``: ``r_i ∝ min(n_i, cap) ** (1 / T)`` (T5's temperature-scaled mixing; T = 1 is
  proportional, larger T flattens towards uniform; mT5's alpha is 1 / T);
- a mapping ``{config: weight}``: the weights, normalised to sum to 1.

Counts. :func:`known_count` gives a count known without reading the data (today: the split sizes recorded in
the datasets cache by an earlier non-streaming load of the same config and data_dir; the release task index
will be asked there first once it exists). A count that is not known is, by default, counted by one pass over
the config's stream with only the ``id`` column selected (no audio is read; the bundled sample takes well under
a second for all 80 configs), with a progress bar and a log line; ``unknown_counts="error"`` refuses instead,
naming the configs, and ``counts={config: n}`` supplies them. Explicit weights need no counts. The table
(``print(ds)`` or ``ds.rates_table()``) says where every count came from.

Configs with no instances in the split (or, when the configs were chosen by domain or as "all", whose sources
are not in ``data_dir``) get rate 0, are left out of the interleave and are listed in the table with the
reason; naming such a config explicitly is an error.

Order. The mixture is shuffled by default (shard order of every config and a buffer of ``buffer_size``
examples), from ``seed``; ``set_epoch(n)`` reshuffles both the order and the sequence of draws, which keeps
the same rates. Two mixtures made with the same arguments yield the same examples in the same order.

Stopping. ``stopping_strategy`` is ``interleave_datasets``' own: ``"all_exhausted"`` (default: an epoch ends
once every config has been seen whole at least once, the others starting over as they run out, so the shares
follow the rates), ``"first_exhausted"`` (ends when any config runs out), and on datasets >= 4
``"all_exhausted_without_replacement"`` (every instance once; the shares then follow the counts, not the rates).
With DataLoader workers, each worker interleaves its own shards of every config: a config that is absent from
all of one worker's shards is skipped in that worker (and ends its stream at once under "first_exhausted").
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

import datasets
from tqdm.auto import tqdm

from .registry import DOMAINS, load_registry
from .sources import SourceError

if TYPE_CHECKING:
    from .builder import AudioFlan

logger = logging.getLogger(__name__)

RATE_MODES = ("proportional", "temperature")
STOPPING_STRATEGIES = ("all_exhausted", "first_exhausted", "all_exhausted_without_replacement")
UNKNOWN_COUNTS = ("count", "error")


@dataclass(frozen=True)
class MixRow:
    """One config of a mixture: its instance count (and where it came from), the weight it was given and the
    rate actually used. ``note`` says why a config with rate 0 was left out."""

    config: str
    count: Optional[int]
    count_from: str
    weight: float
    rate: float
    capped: bool = False
    note: str = ""


def select_configs(configs: Union[None, str, Iterable[str]]) -> tuple[list[str], bool]:
    """The config names a ``configs`` argument means, in registry order, and whether they were named one by one
    (as opposed to chosen as a domain or as all). ``None`` or ``"all"``: the 80 configs; a domain name
    (``"speech"``, ``"music"``, ``"audio"``): its configs; a list may mix config names and domains."""
    tasks = load_registry()
    if configs is None or configs == "all":
        return list(tasks), False
    items = [configs] if isinstance(configs, str) else list(configs)
    if not items:
        raise ValueError("configs is empty; give config names, a domain (speech, music, audio) or 'all'")
    chosen: list[str] = []
    explicit = True
    for item in items:
        if item == "all":
            chosen.extend(tasks)
            explicit = False
        elif item in DOMAINS:
            chosen.extend(name for name, task in tasks.items() if task.domain == item)
            explicit = False
        elif item in tasks:
            chosen.append(item)
        else:
            raise ValueError(
                f"unknown config {item!r}: give config names (see `audio-flan tasks`), a domain "
                f"({', '.join(DOMAINS)}) or 'all'"
            )
    wanted = set(chosen)
    return [name for name in tasks if name in wanted], explicit


def mixing_rates(
    counts: Mapping[str, int], mode: str = "proportional", cap: Optional[int] = None, temperature: float = 1.0
) -> dict[str, float]:
    """The T5/FLAN mixing rates for instance counts: ``min(n, cap) ** (1 / temperature)``, normalised.

    ``mode="proportional"`` ignores ``temperature``. Configs with count 0 get rate 0."""
    if mode not in RATE_MODES:
        raise ValueError(f"rates must be one of {', '.join(RATE_MODES)} or a mapping of config to weight; got {mode!r}")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap <= 0):
        raise ValueError(f"cap must be a positive int, got {cap!r}")
    power = 1.0 if mode == "proportional" else 1.0 / _check_temperature(temperature)
    sizes = {c: float(min(n, cap) if cap is not None else n) for c, n in counts.items()}
    weights = {c: (size**power if size > 0 else 0.0) for c, size in sizes.items()}
    total = math.fsum(weights.values())
    if total <= 0:
        raise ValueError("every config has 0 instances in this split: nothing to mix")
    return {c: w / total for c, w in weights.items()}


def _check_temperature(temperature: float) -> float:
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0 (T5 used 1 to 8), got {temperature!r}")
    return float(temperature)


def _builder(config: str, data_dir: Optional[str], config_kwargs: Mapping) -> AudioFlan:
    # imported on first use, as audio_flan/__init__.py does: the builder module reads the whole registry, and
    # `import audio_flan` (which imports this module) stays cheap
    from .builder import AudioFlan

    return AudioFlan(config_name=config, data_dir=data_dir, **config_kwargs)


def known_count(builder: AudioFlan, split: str) -> Optional[tuple[int, str]]:
    """The instance count of ``split`` that is known without reading the data, and where it was found; None
    when it is not known.

    Today that is the split info datasets recorded in its cache when this config was prepared (a
    non-streaming ``load_dataset`` with the same data_dir and options). The release task index (issue 13),
    once it exists, is the first place to ask: it knows every config's count per split of a release copy."""
    splits = builder.info.splits
    if splits and split in splits and splits[split].num_examples is not None:
        return int(splits[split].num_examples), "split info"
    return None


def count_by_pass(stream: datasets.IterableDataset, config: str, split: str) -> int:
    """Count a split by one pass over its stream with only the ``id`` column: no audio is read."""
    n = 0
    for _ in tqdm(stream.select_columns(["id"]), desc=f"counting {config}/{split}", unit=" ex", leave=False):
        n += 1
    return n


def mixture(
    configs: Union[None, str, Iterable[str]] = None,
    rates: Union[str, Mapping[str, float]] = "proportional",
    cap: Optional[int] = None,
    temperature: Optional[float] = None,
    seed: int = 0,
    stopping_strategy: str = "all_exhausted",
    data_dir: Optional[str] = None,
    split: str = "train",
    shuffle: bool = True,
    buffer_size: int = 1000,
    counts: Optional[Mapping[str, int]] = None,
    unknown_counts: str = "count",
    prompt_seed: Optional[int] = None,
    **config_kwargs,
) -> Mixture:
    """One ``IterableDataset`` over many configs, sampled at FLAN/T5 mixing rates (see the module docstring).

    ``configs``: config names, a domain, a list of both, or None / "all" for the 80 (with a mapping for
    ``rates``, its keys when ``configs`` is None). ``rates``: "proportional", "temperature" or
    ``{config: weight}``. ``cap``: T5's per-config limit on the count (rate modes only). ``temperature``: T
    (rates="temperature"; default 2). ``seed``: the draws and the shuffle. ``counts``: known counts that
    override the lookup. ``unknown_counts``: "count" (one pass over the ids) or "error". ``prompt_seed`` is
    the configs' own ``seed`` (prompt variants, pairings); ``config_kwargs`` go to every config too
    (``sampling_rate=``, ``source=``).
    """
    if stopping_strategy not in STOPPING_STRATEGIES:
        raise ValueError(
            f"stopping_strategy must be one of {', '.join(STOPPING_STRATEGIES)}; got {stopping_strategy!r}"
        )
    if unknown_counts not in UNKNOWN_COUNTS:
        raise ValueError(f"unknown_counts must be one of {', '.join(UNKNOWN_COUNTS)}; got {unknown_counts!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if buffer_size < 1:
        raise ValueError(f"buffer_size must be >= 1, got {buffer_size!r}")
    if prompt_seed is not None:
        config_kwargs["seed"] = prompt_seed

    weights: Optional[dict[str, float]] = None
    if isinstance(rates, Mapping):
        if cap is not None or temperature is not None:
            raise ValueError(
                "cap and temperature apply to rates='proportional' or 'temperature', not to explicit weights"
            )
        weights = _check_weights(rates)
        names, explicit = select_configs(list(weights) if configs is None else configs)
        missing = sorted(set(weights) - set(names))
        if missing:
            raise ValueError(f"rates name configs that are not in configs: {', '.join(missing)}")
        names = [n for n in names if n in weights] if configs is None else names
        absent = [n for n in names if n not in weights]
        if absent:
            raise ValueError(f"rates gives no weight for: {', '.join(absent)} (give 0 to leave one out)")
    elif rates in RATE_MODES:
        names, explicit = select_configs(configs)
        if rates == "proportional" and temperature is not None:
            raise ValueError("temperature applies to rates='temperature'; with 'proportional' leave it out")
        if rates == "temperature":
            temperature = _check_temperature(2.0 if temperature is None else temperature)
    else:
        raise ValueError(
            f"rates must be one of {', '.join(RATE_MODES)} or a mapping of config to weight; got {rates!r}"
        )

    streams: dict[str, datasets.IterableDataset] = {}
    found: dict[str, tuple[Optional[int], str]] = {}
    left_out: dict[str, str] = {}
    for name in names:
        try:
            builder = _builder(name, data_dir, config_kwargs)
            stream = builder.as_streaming_dataset(split=split)
        except (SourceError, ValueError) as err:
            if str(err).startswith("Bad split"):  # audio_flan/splits.py lists a split only where it has instances
                left_out[name] = f"no instances in {split}"
                continue
            if explicit:
                raise
            left_out[name] = _short_reason(err, split)
            continue
        streams[name] = stream
        if counts is not None and name in counts:
            found[name] = (_check_count(name, counts[name]), "given")
        elif weights is None:
            found[name] = known_count(builder, split) or (None, "")
        else:
            found[name] = (None, "not needed")

    if not streams:
        first = next(iter(left_out.items()))
        raise ValueError(f"none of the {len(names)} configs can be read; {first[0]}: {first[1]}")

    if weights is None:
        unknown = [n for n in streams if found[n][0] is None]
        if unknown and unknown_counts == "error":
            raise ValueError(
                f"instance counts of {split!r} are not known for: {', '.join(unknown)}. Pass counts={{config: n}}, "
                "explicit rates, or unknown_counts='count' to count them by one pass over their ids"
            )
        if unknown:
            logger.info("counting %d configs by one pass over their ids (no audio is read)", len(unknown))
        for n in unknown:
            found[n] = (count_by_pass(streams[n], n, split), "counted")
        instance_counts = {n: found[n][0] or 0 for n in streams}
        if not any(instance_counts.values()):
            raise ValueError(f"none of the configs has instances in split {split!r}")
        used = mixing_rates(instance_counts, rates, cap, temperature or 1.0)  # type: ignore[arg-type]
        given = {
            n: float(min(c, cap) if cap is not None else c) ** (1.0 if rates == "proportional" else 1.0 / temperature)  # type: ignore[operator]
            for n, c in instance_counts.items()
        }
    else:
        total = math.fsum(weights[n] for n in streams)
        if total <= 0:
            raise ValueError("every config that could be read has weight 0: nothing to mix")
        used = {n: weights[n] / total for n in streams}
        given = {n: weights[n] for n in streams}

    rows = []
    for name in names:
        if name in left_out:
            rows.append(MixRow(name, None, "", 0.0, 0.0, note=left_out[name]))
            continue
        count, origin = found[name]
        rate = used[name]
        note = ""
        if rate == 0:
            note = f"no instances in {split}" if count == 0 else "weight 0"
        capped = cap is not None and count is not None and count > cap
        rows.append(MixRow(name, count, origin, given[name], rate, capped, note))
    out = [row.config for row in rows if row.rate == 0]
    if out:
        logger.info(
            "mixture: %d of %d configs left out (rate 0; the table says why): %s", len(out), len(rows), ", ".join(out)
        )

    active = [n for n in streams if used[n] > 0]
    if not active:
        raise ValueError("no config has a rate above 0")
    if len(active) == 1:
        mixed = streams[active[0]]
    else:
        mixed = datasets.interleave_datasets(
            [streams[n] for n in active],
            probabilities=[used[n] for n in active],
            seed=seed,
            split=datasets.Split(split) if split in ("train", "validation", "test") else None,
            stopping_strategy=stopping_strategy,
        )
    if shuffle:
        mixed = mixed.shuffle(seed=seed, buffer_size=buffer_size)
    return Mixture._adopt(mixed, MixingTable(tuple(rows), split, _describe(rates, cap, temperature), stopping_strategy))


def _check_weights(rates: Mapping[str, float]) -> dict[str, float]:
    out = {}
    for name, weight in rates.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not math.isfinite(weight) or weight < 0:
            raise ValueError(f"the weight of {name!r} must be a finite number >= 0, got {weight!r}")
        out[str(name)] = float(weight)
    if not out:
        raise ValueError("rates is an empty mapping")
    return out


def _check_count(name: str, count) -> int:
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError(f"counts[{name!r}] must be an int >= 0, got {count!r}")
    return count


def _short_reason(err: Exception, split: str) -> str:
    text = str(err).splitlines()[0]
    if isinstance(err, SourceError):
        return "not in data_dir: " + text
    if "split" in text.lower():
        return f"no {split} split"
    return text


def _describe(rates, cap, temperature) -> str:
    if isinstance(rates, Mapping):
        return "explicit weights"
    text = "examples-proportional" if rates == "proportional" else f"temperature T={temperature:g}"
    return text + (f", cap {cap:,}" if cap is not None else "")


@dataclass(frozen=True)
class MixingTable:
    """The rates a mixture uses, one row per config asked for (rate 0 for those left out, with the reason)."""

    rows: tuple[MixRow, ...]
    split: str
    how: str
    stopping_strategy: str

    @property
    def rates(self) -> dict[str, float]:
        return {row.config: row.rate for row in self.rows if row.rate > 0}

    def format(self, markdown: bool = False) -> str:
        head = ("config", "instances", "count from", "weight", "rate", "note")
        body = [
            (
                r.config,
                "?" if r.count is None else f"{r.count:,}" + (" (capped)" if r.capped else ""),
                r.count_from,
                f"{r.weight:.6g}",
                f"{r.rate:.6f}",
                r.note,
            )
            for r in self.rows
        ]
        total = sum(r.count or 0 for r in self.rows if r.rate > 0)
        title = f"mixture of {len(self.rates)} configs ({self.split}; {self.how}; stopping: {self.stopping_strategy})"
        if markdown:
            lines = [title, "", "| " + " | ".join(head) + " |", "|---|--:|---|--:|--:|---|"]
            lines += ["| " + " | ".join(row) + " |" for row in body]
            return "\n".join(lines)
        widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
        right = (False, True, False, True, True, False)
        fmt = lambda row: "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right)).rstrip()
        lines = [title, fmt(head)] + [fmt(row) for row in body]
        lines.append(
            f"{len(self.rates)} configs mixed, {total:,} instances, rates sum to {sum(self.rates.values()):.6f}"
        )
        return "\n".join(lines)


class Mixture(datasets.IterableDataset):
    """What :func:`mixture` returns: the interleaved ``IterableDataset`` itself, which also knows its mixing
    table (``rates``, ``mixing``, ``rates_table()``; ``print(ds)`` prints the table). Its transformations
    (``map``, ``shuffle``, ``split_dataset_by_node``...) return plain ``IterableDataset``s."""

    _mixing: MixingTable

    @classmethod
    def _adopt(cls, ds: datasets.IterableDataset, table: MixingTable) -> Mixture:
        ds.__class__ = cls
        ds._mixing = table
        return ds

    @property
    def mixing(self) -> MixingTable:
        return self._mixing

    @property
    def rates(self) -> dict[str, float]:
        """{config: rate} of the configs drawn from (rate > 0)."""
        return self._mixing.rates

    def rates_table(self, markdown: bool = False) -> str:
        return self._mixing.format(markdown)

    def __str__(self) -> str:
        return self.rates_table()
