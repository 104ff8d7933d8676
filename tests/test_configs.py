"""Every one of the 80 configs yields examples from the bundled sample, valid against the one schema."""

from __future__ import annotations

import json
import warnings

import pyarrow as pa
import pytest
from sample_budget import SIZE_LIMIT, SIZE_TARGET, file_bytes
from util import CONTRACT, stream

from audio_flan import make_features
from audio_flan.features import LazyAudio
from audio_flan.registry import task_table
from audio_flan.sources import get_sources

FEATURES = make_features()


def validate(example: dict, config: str) -> None:
    assert set(example) == set(FEATURES)
    for key in ("id", "config", "domain", "instruction", "input", "output", "source", "metadata"):
        assert isinstance(example[key], str), key
    assert example["config"] == config and example["domain"] == config.split(".")[0]
    assert example["instruction"].strip() and example["id"]
    assert isinstance(example["language"], list) and all(isinstance(x, str) for x in example["language"])
    json.loads(example["metadata"])
    # it encodes to the Arrow schema every config shares
    pa.Table.from_pylist([FEATURES.encode_example(example)], schema=FEATURES.arrow_schema)
    markers = example["input"].count("<|SOA|>"), example["output"].count("<|SOA|>")
    assert markers == (len(example["input_audios"]), len(example["output_audios"]))


@pytest.mark.parametrize("config", CONTRACT)
def test_config_yields_valid_examples_from_the_sample(config):
    examples = stream(config, n=5)
    assert len(examples) >= 3
    for example in examples:
        validate(example, config)
        for audio in example["input_audios"] + example["output_audios"]:
            assert isinstance(audio, LazyAudio)
            assert audio["array"].size > 0 and audio["sampling_rate"] > 0
    assert any(e["input_audios"] or e["output_audios"] for e in examples)


def test_configs_share_one_schema_and_interleave():
    import datasets

    from audio_flan.builder import AudioFlan

    parts = [
        AudioFlan(config_name=c).as_streaming_dataset(split="train")
        for c in ("speech.asr", "music.pitch_classification", "audio.caption")
    ]
    mixed = list(datasets.interleave_datasets(parts).take(6))
    assert {e["config"] for e in mixed} == {"speech.asr", "music.pitch_classification", "audio.caption"}


def test_the_bundled_sample_stays_small():
    from audio_flan.builder import SAMPLE_DIR

    size = file_bytes(SAMPLE_DIR)  # what the wheel ships (tests/sample_budget.py says why not du -sb)
    assert 0 < size < SIZE_LIMIT, f"the bundled sample's files hold {size:,} bytes; the ceiling is {SIZE_LIMIT:,}"
    if size >= SIZE_TARGET:
        warnings.warn(
            f"the bundled sample's files hold {size:,} bytes, over the {SIZE_TARGET:,} working target", stacklevel=1
        )


def _corpus_bindings() -> list[tuple[str, str]]:
    sources = get_sources()
    return [
        (name, parser) for name, task in task_table().items() for parser in task.parsers if not sources[parser].finished
    ]


@pytest.mark.parametrize(("config", "parser"), _corpus_bindings())
def test_every_corpus_binding_runs_from_the_sample(config, parser):
    """The bundled sample holds a copy of every corpus a config binds, so each binding runs with no data_dir."""
    for split in ("train", "validation", "test"):
        try:
            examples = stream(config, split=split, n=2, source=parser)
        except ValueError:  # datasets' own error for a split the sample's copy does not have
            continue
        if examples:
            break
    assert examples, f"{config} yields nothing from the sample's copy of {parser}"
    for example in examples:
        validate(example, config)
        assert example["id"].startswith(f"{config}/{parser}/")
