"""MedleyVox on a copy in the layout testset_save.py writes, with the repository's segment configs: lead,
second and backing vocals as targets, the mix checked to be the sum of the voices, unison segments and
segments without a config counted, through the builder."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import soundfile as sf
from corpora import medleyvox as fixture
from util import stream

from audio_flan.sources import medleyvox as parser
from audio_flan.sources.base import UnusableRecordWarning

CONFIG = "music.text_guided_source_separation"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("medleyvox") / "data")


@pytest.fixture(scope="module")
def examples(corpus):
    return stream(CONFIG, corpus.data_dir, split="test", source="medleyvox")


def meta(example) -> dict:
    return json.loads(example["metadata"])


def gt(corpus, kind, song, seg, name) -> np.ndarray:
    return sf.read(corpus.root / kind / song / seg / "gt" / f"{name} - {seg}.wav", dtype="float32")[0]


def test_targets_are_the_voices_the_config_names(corpus, examples):
    assert {meta(e)["id"] for e in examples} == set(corpus.expected)
    for e in examples:
        kind, song, seg, _ = meta(e)["id"].split("/")
        role = corpus.expected[meta(e)["id"]]["role"]
        assert role in e["input"] and meta(e)["description"] == role
        assert e["input"].count("_mix<|EOA|>") == 1 and e["output"].endswith(
            f"{song}_{seg}_{role.replace(' ', '_')}<|EOA|>"
        )
        expected = sum(gt(corpus, kind, song, seg, n) for n in corpus.expected[meta(e)["id"]]["voices"])
        np.testing.assert_allclose(e["output_audios"][0]["array"], expected, atol=1e-6)


def test_the_mixture_is_the_sum_of_the_voices(corpus, examples):
    voices = {f"{k}/{song}/{seg}": list(names) for k, song, seg, *_, names, _ in fixture.SEGMENTS}
    by_segment: dict[str, list] = {}
    for e in examples:
        by_segment.setdefault(meta(e)["id"].rsplit("/", 1)[0], []).append(e)
    for segment, group in by_segment.items():
        kind, song, seg = segment.split("/")
        every = sum(gt(corpus, kind, song, seg, n) for n in voices[segment])
        mixture = group[0]["input_audios"][0]["array"]
        used = meta(group[0])["mix_check"]["mix_used"]
        np.testing.assert_allclose(mixture, every, atol=2e-4 if used else 1e-6)
        if len(group) == 2:  # both roles asked: the two targets make the mixture
            both = group[0]["output_audios"][0]["array"] + group[1]["output_audios"][0]["array"]
            np.testing.assert_allclose(both, mixture, atol=2e-4 if used else 1e-6)
    # its mix is not the sum of its voices: the voices' sum stands in
    assert not meta(by_segment["duet/CassandraJenkins_PerfectDay/seg_1"][0])["mix_check"]["mix_used"]
    assert meta(by_segment["duet/LizNelson_Rainfall/seg_1"][0])["mix_check"]["mix_used"]


def test_a_silent_backing_voice_is_not_a_target(examples):
    asked = {meta(e)["id"] for e in examples}
    assert "main_vs_rest/LizNelson_Rainfall/seg_3/lead_vocal" in asked
    assert "main_vs_rest/LizNelson_Rainfall/seg_3/backing_vocals" not in asked


def test_unison_and_unconfigured_segments_are_counted(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for shard in parser.list_shards(corpus.root)["test"]:
            list(parser.read_shard(corpus.root, shard))
    unused = [str(w.message) for w in caught if issubclass(w.category, UnusableRecordWarning)]
    assert any("unison segment(s)" in m and "TheTonTons_Lush" in m for m in unused)
    assert any("without their config" in m and fixture.NO_CONFIG in m for m in unused)


def test_the_same_pairs_on_every_read(corpus, examples):
    again = stream(CONFIG, corpus.data_dir, split="test", source="medleyvox")
    assert [(e["id"], e["input"], e["output"], e["metadata"]) for e in again] == [
        (e["id"], e["input"], e["output"], e["metadata"]) for e in examples
    ]


def test_under_skip_a_malformed_segment_entry_is_counted_and_the_rest_read(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    path, line = fixture.malform(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream(CONFIG, corpus.data_dir, split="test", source="medleyvox", on_error="skip")
    asked = {meta(e)["id"] for e in examples}
    assert asked == {k for k in corpus.expected if "/seg_2/" not in k}
    assert any(f"{path}:{line}" in str(w.message) for w in caught)
