"""The ``datasets`` builder: one config per registry task, splits and shards from the sources in data_dir."""

from __future__ import annotations

import copy
import json
import os
import posixpath
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import datasets

from . import fast_stream, report, splits
from .derived import derive
from .features import AUDIO_COLUMNS, AudioDecodeError, decode_audio, make_features
from .fingerprint import data_fingerprint
from .registry import Task, default_config, load_registry
from .roles import RolePool, find_pools
from .shapes import Context, shape_named
from .sources import SourceError, get_sources, locate
from .sources.base import SPLITS, local_path
from .version import __version__

SAMPLE_DIR = Path(__file__).parent / "sample"
DATASETS_CACHE_TAG = f"datasets{datasets.__version__.split('.')[0]}"
HOMEPAGE = "https://arxiv.org/abs/2502.16584"
CITATION = """@article{xue2025audioflan,
  title={Audio-FLAN: A Preliminary Release},
  author={Xue, Liumeng and others},
  journal={arXiv preprint arXiv:2502.16584},
  year={2025}
}"""


#: the sampling rates audio may be resampled to on decode
RATES = (1000, 384000)
MAX_SEED = 2**63 - 1


@dataclass
class AudioFlanConfig(datasets.BuilderConfig):
    """A config is one task. ``source`` names one parser and skips layout detection; ``seed`` changes the
    prompt variants and pairings; ``sampling_rate`` resamples audio on decode; ``on_error`` is the policy for bad
    items (None: malformed metadata is an error, absent audio is skipped and counted; "raise"; "skip": every bad
    item skipped and counted; see :mod:`audio_flan.report`)."""

    source: Optional[str] = None
    seed: int = 0
    sampling_rate: Optional[int] = None
    on_error: Optional[str] = None

    def __post_init__(self):
        super().__post_init__()
        self.validate()

    def validate(self) -> None:
        """Also run by the builder: datasets sets config kwargs with setattr, after __post_init__."""
        tasks = load_registry()
        if self.name not in tasks:
            raise ValueError(f"unknown config {self.name!r}; see `audio-flan tasks` for the 80 config names")
        if self.source is not None and self.source not in tasks[self.name].bindings:
            raise ValueError(
                f"source={self.source!r} does not feed {self.name}; its sources are: {', '.join(tasks[self.name].parsers)}"
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be an int from 0 to 2**63-1, got {self.seed!r}")
        rate = self.sampling_rate
        if rate is not None and (
            not isinstance(rate, int) or isinstance(rate, bool) or not RATES[0] <= rate <= RATES[1]
        ):
            raise ValueError(f"sampling_rate must be an int from {RATES[0]} to {RATES[1]} Hz (or None), got {rate!r}")
        report.check_policy(self.on_error)
        if self.data_dir is not None and (
            not isinstance(self.data_dir, (str, os.PathLike)) or not str(self.data_dir).strip()
        ):
            raise ValueError(
                f"data_dir {self.data_dir!r} is not a folder name; give a folder, or no data_dir for the bundled sample"
            )

    def create_config_id(self, config_kwargs: dict, custom_features=None) -> str:
        """datasets' id (the config and the options given) plus, with a data_dir, a fingerprint of what the folder
        holds: the non-streaming cache is then rebuilt after the data changes, and reused only while it has not."""
        self.validate()
        config_id = super().create_config_id(config_kwargs, custom_features)
        if self.data_dir is None:
            return config_id
        folder = local_path(self.data_dir).expanduser().resolve()
        return f"{config_id}-data-{data_fingerprint(folder, with_audio=self.on_error == 'skip')}"

    @property
    def task(self) -> Task:
        return load_registry()[self.name]


def _configs() -> list[AudioFlanConfig]:
    return [
        AudioFlanConfig(
            name=t.name, version=datasets.Version(__version__), description=f"{t.minor} ({t.major}, {t.kind})"
        )
        for t in load_registry().values()
    ]


class AudioFlan(datasets.GeneratorBasedBuilder):
    """Audio-FLAN: 80 instruction tasks over speech, music and sound, as instruction/input/output triples."""

    BUILDER_CONFIG_CLASS = AudioFlanConfig
    BUILDER_CONFIGS = _configs()
    DEFAULT_CONFIG_NAME = default_config()
    DEFAULT_WRITER_BATCH_SIZE = 256

    # A cached dataset_info.json stores our audio columns as the stock Audio type (that is what keeps
    # Parquet and the Hub viewer seeing audio), and datasets reloads the info from it at __init__ and after
    # finding a prepared cache: put back our feature, which needs no torch, both times.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config.validate()
        self.info.features = make_features(self.config.sampling_rate)

    # datasets >= 4 writes list features as `List`, which 3.x cannot read (not even to stream: the builder's
    # __init__ reads the cached dataset_info): each major version of datasets keeps its own cache folder.
    def _relative_data_dir(self, with_version=True, with_hash=True) -> str:
        path = super()._relative_data_dir(with_version, with_hash)
        return posixpath.join(path, DATASETS_CACHE_TAG) if with_version else path

    def _load_info(self) -> datasets.DatasetInfo:
        info = super()._load_info()
        info.features = make_features(self.config.sampling_rate)
        return info

    def _info(self) -> datasets.DatasetInfo:
        task = self.config.task
        return datasets.DatasetInfo(
            description=f"Audio-FLAN {task.name}: {task.minor}",
            features=make_features(self.config.sampling_rate),
            homepage=HOMEPAGE,
            citation=CITATION,
        )

    def _data_dir(self) -> Path:
        if self.config.data_dir:
            return local_path(self.config.data_dir).expanduser().resolve()
        return SAMPLE_DIR

    def _split_generators(self, dl_manager):
        task = self.config.task
        data_dir = self._data_dir()
        found = locate(data_dir, task.parsers, self.config.source)
        if task.roles:  # the corpora a found source's pairs draw from must be there too (detection only)
            pools = self._role_pools()
            needed = {
                r
                for source, _ in found
                for r in shape_named(task.bindings[source.name].shape).roles_needed(task.bindings[source.name].slots)
            }
            for role in sorted(needed):
                pools[role].require_found()
        per_split: dict[str, list] = {}
        listing = report.Load(self.config.on_error, report.LoadReport(f"{task.name}, listing {data_dir}"))
        parts: dict[str, list] = {}  # split -> (source, root, shards): what splits.shows_nothing checks
        with report.active(listing):
            for source, root in found:
                narrowed = source.narrowed(task.query)
                for split, shards in narrowed.list_shards(root).items():
                    per_split.setdefault(split, []).extend([source.name, str(root), shard] for shard in shards)
                    parts.setdefault(split, []).append((narrowed, root, shards))
        report.finish(listing.report)
        # one rule for every mode (audio_flan/splits.py): a split is listed unless it shows no instance
        self.__dict__["_peeked"] = {}
        listed = [
            s for s in SPLITS if s in per_split and not splits.shows_nothing(task, s, parts[s], self._peek_examples)
        ]
        for split, peeked in self.__dict__.pop("_peeked").items():
            if split not in listed:  # no load will read this split: what the peek skipped is reported here
                report.finish(peeked)
        if not listed:
            held = ", ".join(f"{s.corpus} in {r}" for s, r in found)
            raise SourceError(f"data_dir {data_dir} holds {held}, but nothing in it belongs to {task.name}")
        return [
            datasets.SplitGenerator(name=split, gen_kwargs={"shards": per_split[split], "split": split})
            for split in listed
        ]

    def as_dataset(self, split=None, *args, **kwargs):
        # Splits are listed by audio_flan/splits.py's rule; one it could not rule out cheaply may turn out
        # empty once read: with every split asked for, leave it out (the export does the same).
        if split is None and self.info.splits:
            split = {name: name for name, info in self.info.splits.items() if info.num_examples}
        return super().as_dataset(split, *args, **kwargs)

    def _as_streaming_dataset_single(self, *args, **kwargs):
        # the stream types our own examples directly instead of through datasets' generic per-example path
        ds = super()._as_streaming_dataset_single(*args, **kwargs)
        return fast_stream.wrap(ds, AudioFlan._generate_examples, self.info.features)

    def _prepare_split(self, split_generator, *args, **kwargs):
        # With num_proc > 1, datasets generates the split's shards in worker processes (each a copy of this
        # builder): each leaves its part of the split's report in a folder of ours, and the parts are merged here
        # (an item several workers met counted once) and reported once, as a split made in one process is.
        num_proc = kwargs.get("num_proc")
        if not num_proc or num_proc <= 1:
            return super()._prepare_split(split_generator, *args, **kwargs)
        title = f"{self.config.name}, split {split_generator.name}"
        merged = report.LoadReport(title)
        order = {json.dumps(s): i for i, s in enumerate(split_generator.gen_kwargs.get("shards", []))}
        with tempfile.TemporaryDirectory(prefix="audio-flan-report-") as folder:
            self._report_spool: Optional[tuple[str, str, dict[str, int]]] = (folder, merged.load, order)
            try:
                return super()._prepare_split(split_generator, *args, **kwargs)
            finally:
                self._report_spool = None
                report.finish(report.gather(folder, merged))

    def _get_examples_iterable_for_split(self, split_generator):
        # a stream asks for its split one shard at a time: a token of its own (in the gen_kwargs every shard's
        # call gets) lets those calls count a line several shards read once (see ``_generate_examples``)
        split_generator = copy.copy(split_generator)
        split_generator.gen_kwargs = {**split_generator.gen_kwargs, "stream": uuid.uuid4().hex}
        return super()._get_examples_iterable_for_split(split_generator)

    def _stream_report(self, stream: str, shards: list, title: str) -> report.LoadReport:
        """The report of one shard of a stream's pass over its split, sharing what the pass counted so far (a
        shard read again starts a new pass: the stream is iterated anew)."""
        passes = self.__dict__.setdefault("_stream_passes", {})
        keys = [json.dumps(s) for s in shards]
        state = passes.get(stream)
        if state is None or any(k in state["done"] for k in keys):
            state = passes[stream] = {"load": uuid.uuid4().hex, "seen": set(), "done": set()}
        state["done"].update(keys)
        return report.LoadReport(title, seen=state["seen"], load=state["load"])

    def _peek_examples(self, shards: list, split: str):
        """The examples of ``shards`` for splits.shows_nothing to peek at. What they skip is reported by the
        split's own load when the split is read, or by ``_split_generators`` when it is left out."""
        peeked = self.__dict__.setdefault("_peeked", {})
        if split not in peeked:
            peeked[split] = report.LoadReport(f"{self.config.name}, split {split}")
        load = report.Load(self.config.on_error, peeked[split])
        yield from report.scoped(load, self._examples(shards, split, load))

    def _generate_examples(self, shards: list, split: str, stream: Optional[str] = None):
        """The examples of ``shards``; what was skipped is reported when the generation ends (or stops), or, in
        a worker of a split prepared with num_proc > 1, handed to the parent (see ``_prepare_split``). The
        shards of one pass of a stream (``stream``) count an item once between them."""
        spool = getattr(self, "_report_spool", None)
        title = f"{self.config.name}, split {split}"
        if stream is not None:
            part = self._stream_report(stream, shards, title)
        else:
            part = report.LoadReport(title, load=spool[1] if spool else uuid.uuid4().hex)
        load = report.Load(self.config.on_error, part)
        try:
            yield from report.scoped(load, self._examples(shards, split, load))
        finally:
            if spool:
                folder, _, order = spool
                report.spool(load.report, folder, min((order.get(json.dumps(s), 0) for s in shards), default=0))
            else:
                report.finish(load.report)

    def _role_pools(self) -> dict[str, RolePool]:
        """The pools of the task's roles in the data_dir (found once per builder, listed on first draw)."""
        pools = self.__dict__.get("_pools")
        if pools is None:
            pools = self.__dict__["_pools"] = find_pools(self.config.task.roles, self._data_dir())
        return pools

    def _examples(self, shards: list, split: str, load: report.Load):
        task, sources = self.config.task, get_sources()
        roles = self._role_pools() if task.roles else {}
        for source_name, root, shard in shards:
            source = sources[source_name].narrowed(task.query)
            binding = task.bindings[source_name]
            shape = shape_named(binding.shape)
            records = derive(
                source.read_shard(local_path(root), shard), binding.slots, f"{task.name} from {source.corpus} ({split})"
            )
            ctx = Context(task, source, binding.slots, self.config.seed, split, roles)
            for example in shape.instances(records, ctx):
                if load.skipping:
                    problem = _audio_problem(example)
                    if problem:
                        where = f"{task.name} {split} ({source.corpus} in {root})"
                        load.report.add(where, "instance(s) whose audio cannot be decoded", problem, audio=True)
                        continue
                yield example["id"], example


def _audio_problem(example: dict) -> Optional[str]:
    """Why one of the example's audios cannot be decoded ("<instance id>: <error>"), or None (each is read)."""
    for column in AUDIO_COLUMNS:
        for value in example.get(column) or ():
            try:
                decode_audio(value)
            except AudioDecodeError as err:
                return f"{example['id']}: {err}"
    return None
