"""Small helpers the tests share."""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import soundfile as sf

CONTRACT = [
    l.strip()
    for l in (Path(__file__).parent / "contract_configs.txt").read_text().splitlines()
    if l.strip() and not l.startswith("#")
]


def stream(config: str, data_dir=None, split: str = "train", n=None, **config_kwargs) -> list[dict]:
    """The examples of one split of one config, via the builder's streaming path."""
    from audio_flan.builder import AudioFlan

    builder = AudioFlan(config_name=config, data_dir=None if data_dir is None else str(data_dir), **config_kwargs)
    return list(islice(builder.as_streaming_dataset(split=split), n))


def read_records(parser, root: Path, split: str) -> tuple[dict[str, dict], str]:
    """A parser module's records of one split, by id, read shard by shard as the builder lists them, and the text
    of the MissingAudioWarnings the shards gave."""
    from audio_flan.sources.base import MissingAudioWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shards = parser.list_shards(root).get(split, [])
        records = {r["id"]: r for shard in shards for r in parser.read_shard(root, shard)}
    return records, " ".join(str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning))


def text_fields(example: dict) -> dict:
    return {k: v for k, v in example.items() if k not in ("input_audios", "output_audios")}


AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus")


def record_opens(monkeypatch) -> list[str]:
    """Patch ``open``, ``io.open``, ``os.open`` and ``soundfile.SoundFile`` so that every file opened from now on
    (for the rest of the test) is appended to the returned list (a SoundFile over a descriptor is counted where
    ``os.open`` opened it)."""
    import builtins
    import io
    import os

    opened: list[str] = []
    real_open, real_io_open, real_sf, real_os_open = builtins.open, io.open, sf.SoundFile.__init__, os.open

    def fake_os_open(file, *a, **k):
        opened.append(str(file))
        return real_os_open(file, *a, **k)

    def fake_open(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    def fake_io_open(file, *a, **k):
        opened.append(str(file))
        return real_io_open(file, *a, **k)

    def fake_sf(self, file, *a, **k):
        if not isinstance(file, int):
            opened.append(str(file))
        return real_sf(self, file, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_io_open)
    monkeypatch.setattr(sf.SoundFile, "__init__", fake_sf)
    monkeypatch.setattr(os, "open", fake_os_open)
    return opened


def audio_opened(opened: list[str]) -> list[str]:
    return [p for p in opened if p.lower().endswith(AUDIO_SUFFIXES)]


def record_id(example: dict) -> str:
    """The record id of a one-record instance: ids are ``<config>/<parser>/<record id>``."""
    return example["id"].split("/", 2)[2]


def metadata(example: dict) -> dict:
    return json.loads(example["metadata"])


def pairs(examples: list[dict]) -> list[tuple[str, str, bool]]:
    """(first id, second id, same) of compare instances."""
    out = []
    for e in examples:
        meta = json.loads(e["metadata"])
        out.append((meta["pair"][0], meta["pair"][1], meta["same"]))
    return out


@contextmanager
def registry_copy(base: Path, *names: str) -> Iterator[Path]:
    """A copy of some registry files (``speech/asr.yaml``, ...) under ``base`` that a test can break; the
    registry's cache is cleared on the way in and out."""
    from audio_flan.registry import config_dir, load_registry

    for name in names:
        target = base / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config_dir() / name, target)
    load_registry.cache_clear()
    try:
        yield base
    finally:
        load_registry.cache_clear()
