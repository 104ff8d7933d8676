"""A generated LibriMix folder read as it is: its own mixtures and sources (re-rooted from the generating machine's
paths), speaker extraction with the enrollment drawn from another utterance of the target speaker."""

from __future__ import annotations

import re

import numpy as np
import pytest
import soundfile as sf
from corpora import librimix as fixture
from util import metadata, stream

from audio_flan.sources import librimix as parser

CONFIG = "speech.speaker_extraction"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("librimix"))


def test_shards_are_the_subsets_of_the_variant_read(corpus):
    assert parser.list_shards(corpus.root) == {
        "train": [["wav16k/max", "mix_clean", "train-100"]],
        "validation": [["wav16k/max", "mix_clean", "dev"]],
        "test": [["wav16k/max", "mix_clean", "test"]],
    }


def test_paths_of_the_generating_machine_are_rerooted(corpus):
    records = list(parser.read_shard(corpus.root, ["wav16k/max", "mix_clean", "dev"]))
    assert {r["id"] for r in records} == corpus.ids("validation")
    for r in records:
        assert r["audio"].startswith(str(corpus.root)) and r["mixture"].startswith(str(corpus.root))


def test_a_path_in_another_folder_names_file_and_line(tmp_path):
    copy = fixture.build(tmp_path)
    path, line = fixture.malform(copy)
    with pytest.raises(
        parser.LibriMixFormatError, match=re.escape(f"{path}:{line}: path ") + ".*does not end in dev/s1/"
    ):
        list(parser.read_shard(copy.root, ["wav16k/max", "mix_clean", "dev"]))


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_speaker_extraction_from_the_corpus_own_mixtures(corpus, split):
    examples = stream(CONFIG, corpus.data_dir, split=split, source="librimix")
    assert sorted(metadata(e)["separation"]["target"] for e in examples) == sorted(corpus.ids(split))
    for e in examples:
        sep = metadata(e)["separation"]
        target, reference = corpus.expected[sep["target"]], corpus.expected[sep["reference"]]
        assert "interferer" not in sep and "tir_db" not in sep
        assert reference["speaker"] == target["speaker"] and reference["utterance"] != target["utterance"]
        assert e["input_audios"][0]["path"] == target["mixture"] and e["input_audios"][1]["path"] == reference["audio"]
        mixture, answer = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        other = sf.read(
            target["audio"].replace(f"/s{target['source']}/", f"/s{3 - target['source']}/"), dtype="float32"
        )[0]
        np.testing.assert_array_equal(mixture - answer, other)  # the corpus's own mix of the two sources
