"""The VGGSound parser on a copy in the published layout, and the two extraction configs it feeds: mixtures of two
clips of different classes, the answer the target clip exactly as it sits in the mixture, named by its label or by
another clip of its class (never itself)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from corpora import vggsound as vggsound_fixture
from corpora.vggsound import build as make_vggsound
from test_separate_shape import digest_in_subprocess
from util import metadata, stream

from audio_flan import dsp
from audio_flan.sources import get_sources
from audio_flan.sources import vggsound as parser
from audio_flan.sources.base import MissingAudioWarning

LABEL = "audio.label_querying_sound_extraction"
QUERY = "audio.audio_querying_sound_extraction"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_vggsound(tmp_path_factory.mktemp("vgg"))


def read_all(root: Path, split: str) -> list[dict]:
    return [r for shard in parser.list_shards(root)[split] for r in parser.read_shard(root, shard)]


def test_the_package_finds_the_parser():
    source = get_sources()["vggsound"]
    assert source is parser.SOURCE and source.redistributable is False
    assert source.fields == {"id", "audio", "ytid", "start", "label"}


def test_records_labels_as_the_csv_spells_them(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train = {r["id"]: r for r in read_all(corpus.root, "train")}
    assert set(train) == corpus.ids("train") and set(r["id"] for r in read_all(corpus.root, "test")) == corpus.ids(
        "test"
    )
    assert train["--9O4XZOge4_000020"]["label"] == "bee, wasp, etc. buzzing"  # a quoted label with commas
    assert train["--8puiAGLhs_000030"]["audio"].endswith("audio/more/--8puiAGLhs_000030.flac")
    assert train["_a1ZUnmJr5Y_000005"]["start"] == 5
    reports = [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]
    assert (
        len(reports) == 1
        and "skipped 1 row(s) whose clip is not in the folder (line 12: -2G7pBtQPnA_000010)" in (reports[0])
    )


@pytest.mark.parametrize(
    "line, message",
    [
        ("short,30,dog barking,train", "youtube_id 'short' is not an 11-character YouTube id"),
        ("-0jeONf82dE,21,dog barking,validation", "split 'validation' is not train or test"),
        ('-0jeONf82dE,21,"dog" barking,train', "not valid comma-separated text"),
        ("-0jeONf82dE,21,dog barking", "expected 4 comma-separated fields"),
        ("-0jeONf82dE,21,dog barkng,train", "label 'dog barkng' is not one of VGGSound's 309 classes"),
        ("-0jeONf82dE,21,Dog barking,train", "label 'Dog barking' is not one of VGGSound's 309 classes"),
    ],
)
def test_a_bad_row_names_file_and_line(tmp_path, line, message):
    corpus = make_vggsound(tmp_path)
    path = corpus.root / "vggsound.csv"
    lines = path.read_text().splitlines()
    lines[5] = line
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.VGGSoundFormatError, match=re.escape(f"{path}:6") + ".*" + re.escape(message)):
        read_all(corpus.root, "test")


def test_the_closed_label_set_is_declared_and_holds_every_fixture_label():
    labels = parser.SOURCE.labels["label"]
    assert len(labels) == len(set(labels)) == 309
    assert {"dog barking", "bee, wasp, etc. buzzing", "cattle, bovinae cowbell"} <= set(labels)
    assert {row[2] for row in vggsound_fixture.ROWS} <= set(labels)


def targets(corpus, config: str, split: str) -> list[str]:
    """Every clip of the split is a target, except (audio-querying) clips whose class has no other clip there."""
    ids = corpus.ids(split)
    if config == LABEL:
        return sorted(ids)
    labels = [corpus.expected[i]["label"] for i in ids]
    return sorted(i for i in ids if labels.count(corpus.expected[i]["label"]) > 1)


def test_a_class_with_one_clip_gives_no_audio_query_and_is_counted(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream(QUERY, corpus.data_dir)
    alone = sorted(set(corpus.ids("train")) - set(targets(corpus, QUERY, "train")))
    assert alone and len(examples) == len(corpus.ids("train")) - len(alone)
    text = " ".join(str(w.message) for w in caught)
    assert f"skipped {len(alone)} target(s) with no other recording of the same label in the shard" in text


def target_and_interferer(corpus, e) -> tuple[dict, dict, dict]:
    sep = metadata(e)["separation"]
    return corpus.expected[sep["target"]], corpus.expected[sep["interferer"]], sep


@pytest.mark.parametrize("config", [LABEL, QUERY])
@pytest.mark.parametrize("split", ["train", "test"])
def test_mixture_is_target_plus_a_clip_of_another_class(corpus, config, split):
    examples = stream(config, corpus.data_dir, split=split)
    assert sorted(metadata(e)["separation"]["target"] for e in examples) == sorted(targets(corpus, config, split))
    for e in examples:
        target, interferer, sep = target_and_interferer(corpus, e)
        assert target["label"] != interferer["label"]
        mixture, answer = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        clean = sf.read(target["audio"], dtype="float32")[0]
        np.testing.assert_array_equal(answer, clean)
        other = sf.read(interferer["audio"], dtype="float32")[0][: clean.size]
        gain = np.sqrt(dsp.power(clean) / (dsp.power(other) * 10 ** (sep["tir_db"] / 10)))
        np.testing.assert_allclose(mixture - answer, gain * other, atol=1e-6)


def test_the_label_names_the_target_as_the_corpus_spells_it(corpus):
    for e in stream(LABEL, corpus.data_dir):
        target, _, _ = target_and_interferer(corpus, e)
        assert e["input"].splitlines()[-1].endswith(target["label"])
        assert len(e["input_audios"]) == 1 and len(e["output_audios"]) == 1


def test_the_query_is_another_clip_of_the_target_class_never_the_target(corpus):
    for split in ("train", "test"):
        for e in stream(QUERY, corpus.data_dir, split=split):
            target, _, sep = target_and_interferer(corpus, e)
            reference = corpus.expected[sep["reference"]]
            assert sep["reference"] != sep["target"] and reference["label"] == target["label"]
            assert e["input_audios"][1]["path"] == reference["audio"] != target["audio"]


def test_same_instances_in_other_processes_whatever_the_hash_seed(corpus):
    assert len(digest_in_subprocess(QUERY, corpus.data_dir, "vggsound")) == 1
