"""The ``datasets`` builder: one config per registry task, splits and shards from the sources in data_dir."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import datasets

from . import fast_stream, splits
from .features import make_features
from .registry import Task, default_config, load_registry
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


@dataclass
class AudioFlanConfig(datasets.BuilderConfig):
    """A config is one task. ``source`` names one parser and skips layout detection; ``seed`` changes the
    prompt variants and pairings; ``sampling_rate`` resamples audio on decode."""

    source: Optional[str] = None
    seed: int = 0
    sampling_rate: Optional[int] = None

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
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ValueError(f"seed must be an int, got {self.seed!r}")
        if self.sampling_rate is not None and (not isinstance(self.sampling_rate, int) or self.sampling_rate <= 0):
            raise ValueError(f"sampling_rate must be a positive int, got {self.sampling_rate!r}")

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
        per_split: dict[str, list] = {}
        parts: dict[str, list] = {}  # split -> (source, root, shards): what splits.shows_nothing checks
        for source, root in found:
            narrowed = source.narrowed(task.query)
            for split, shards in narrowed.list_shards(root).items():
                per_split.setdefault(split, []).extend([source.name, str(root), shard] for shard in shards)
                parts.setdefault(split, []).append((narrowed, root, shards))
        # one rule for every mode (audio_flan/splits.py): a split is listed unless it shows no instance
        listed = [
            s for s in SPLITS if s in per_split and not splits.shows_nothing(task, s, parts[s], self._generate_examples)
        ]
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

    def _generate_examples(self, shards: list, split: str):
        task, sources = self.config.task, get_sources()
        for source_name, root, shard in shards:
            source = sources[source_name].narrowed(task.query)
            binding = task.bindings[source_name]
            shape = shape_named(binding.shape)
            records = source.read_shard(local_path(root), shard)
            ctx = Context(task, source, binding.slots, self.config.seed, split)
            for example in shape.instances(records, ctx):
                yield example["id"], example
