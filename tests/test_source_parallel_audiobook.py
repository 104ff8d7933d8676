"""The Parallel Audiobook Corpus (segmented data) on a copy in the layout the parser documents: texts by the
book's utterance ids, genders, the speaker-hash split, parallel voice-conversion partners and zero-shot prompts,
absent audio counted, and the configs it feeds."""

from __future__ import annotations

import json
import warnings

import pytest
from corpora import parallel_audiobook as fixture
from util import stream

from audio_flan.sources import parallel_audiobook as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def records(root):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = {
            r["id"]: {**r, "split": split}
            for split, shards in parser.list_shards(root).items()
            for s in shards
            for r in parser.read_shard(root, s)
        }
    return got, [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]


def test_texts_genders_and_speaker_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want, rid
    assert {r["split"] for r in got.values()} == {"train", "validation", "test"}
    assert got["huck_jgr_chp01_utt002"]["utterance"] == "chp01_utt002"  # written 'jgr_chp01_utt002'
    assert got["emma_msm_chp01_utt001"]["split"] == got["huck_msm_chp01_utt001"]["split"]  # one speaker, one split
    assert any("1 listed utterance(s) whose .wav file is missing (emma/sbe/chp01_utt002)" in r for r in reports)


def test_pairs_are_parallel_and_never_the_record_itself(corpus):
    got, _ = records(corpus.root)
    for rid, r in got.items():
        assert rid not in (r["prompt_audio_id"], r["vc_source_audio_id"])
        if r["prompt_audio_id"]:
            prompt = got[r["prompt_audio_id"]]
            assert prompt["speaker"] == r["speaker"] and prompt["utterance"] != r["utterance"]
        if r["vc_source_audio_id"]:
            source = got[r["vc_source_audio_id"]]
            assert source["speaker"] != r["speaker"] and source["utterance"] == r["utterance"]
            assert source["split"] == r["split"] and source["book"] == r["book"]
    assert got["emma_msm_chp01_utt002"]["vc_source_audio_id"] is None  # nobody else in train has it (sbe's is absent)
    assert got["emma_msm_chp01_utt001"]["vc_source_audio_id"] == "emma_sbe_chp01_utt001"


def test_a_text_line_without_text_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.ParallelAudiobookFormatError, match=f"{path}:{line}: expected '<chpXX_uttXXX> <text>'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    vc = stream("speech.voice_conversion", corpus.data_dir, source="parallel_audiobook")
    assert vc and all(len(e["input_audios"]) == 2 for e in vc)
    genders = stream("speech.gender_recognition", corpus.data_dir, source="parallel_audiobook")
    got = {json.loads(e["metadata"])["id"]: e["output"] for e in genders}
    assert all(out.rstrip(".").endswith(corpus.expected[k]["gender"]) for k, out in got.items())
