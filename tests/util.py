"""Small helpers the tests share."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pytest
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


def corpus_fixture(build: Callable[[Path], Any]):
    """A ``corpus`` fixture for a test module: ``build(tmp_path / "data")``, a fresh copy of a fixture corpus in
    its published layout for each test. Use as ``corpus = corpus_fixture(fixture.build)``."""

    @pytest.fixture(name="corpus")
    def corpus(tmp_path):
        return build(tmp_path / "data")

    return corpus


def _read(parser, root: Path, splits: Optional[list[str]], warning: type[Warning]):
    """(split, record) of the shards the parser lists under ``root`` (the splits named, or all), in the builder's
    order, and the messages of the warnings of class ``warning`` they gave, each occurrence; any other warning is
    given again on the way out, as if the shards had been read without this helper."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listed = parser.list_shards(root)
        read = [
            (split, r) for split in splits or listed for shard in listed[split] for r in parser.read_shard(root, shard)
        ]
    for w in caught:
        if not issubclass(w.category, warning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return read, [str(w.message) for w in caught if issubclass(w.category, warning)]


def records_of_split(parser, root: Path, split: str, *, warning: Optional[type[Warning]] = None, text: bool = False):
    """A parser module's records of one split (one the parser must list), shard by shard as the builder lists
    them, and the messages of the MissingAudioWarnings (or of ``warning``) they gave: a list, or with ``text``
    one string."""
    from audio_flan.sources.base import MissingAudioWarning

    read, messages = _read(parser, root, [split], warning or MissingAudioWarning)
    return [r for _, r in read], " ".join(messages) if text else messages


def records_by_id(parser, root: Path, *, warning: Optional[type[Warning]] = None, split_in_record: bool = False):
    """Every split's records by id, as ``(split, record)`` or, with ``split_in_record``, the record with its
    ``split`` added; and the messages of the MissingAudioWarnings (or of ``warning``) the shards gave. An id read
    twice is a failure."""
    from audio_flan.sources.base import MissingAudioWarning

    read, messages = _read(parser, root, None, warning or MissingAudioWarning)
    ids = [r["id"] for _, r in read]
    assert len(set(ids)) == len(ids), sorted(i for i in set(ids) if ids.count(i) > 1)
    if split_in_record:
        return {r["id"]: {**r, "split": split} for split, r in read}, messages
    return {r["id"]: (split, r) for split, r in read}, messages


def check_records_match(records: list[dict], corpus, split: str) -> None:
    """The records read of one split are exactly the fixture corpus's of that split, field for field."""
    assert sorted(r["id"] for r in records) == sorted(corpus.ids(split))
    for r in records:
        assert {**r, "split": split} == {"id": r["id"], **corpus.expected[r["id"]]}


def read_records(parser, root: Path, split: str) -> tuple[dict[str, dict], str]:
    """A parser module's records of one split, by id, read shard by shard as the builder lists them, and the text
    of the MissingAudioWarnings the shards gave."""
    from audio_flan.sources.base import MissingAudioWarning

    if split not in parser.list_shards(root):
        return {}, ""
    read, messages = _read(parser, root, [split], MissingAudioWarning)
    return {r["id"]: r for _, r in read}, " ".join(messages)


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


def check_sung_note_question(record: dict, notes: list[tuple[float, float, int]]) -> None:
    """A beat-level pitch record asks for one note by index and time, answers its pitch as the corpus annotates it
    (``notes``: start, end, MIDI pitch), and its WAV really sings that pitch there (the spectrum's peak)."""
    from audio_flan.sources import _music_labels as music

    match = re.fullmatch(r"Which pitch is sung in note (\d+), from ([\d.]+) s to ([\d.]+) s\?", record["question"])
    assert match, record["question"]
    start, end, pitch = notes[int(match[1]) - 1]
    assert (float(match[2]), float(match[3])) == (round(start, 2), round(end, 2))
    assert record["answer"] == f"{music.note_name(pitch)} (MIDI {pitch})"
    data, rate = sf.read(record["audio"])
    window = data[int(start * rate) : int(end * rate)]
    peak = np.fft.rfftfreq(len(window), 1 / rate)[np.argmax(np.abs(np.fft.rfft(window)))]
    assert abs(12 * np.log2(peak / 440) + 69 - pitch) < 0.6
