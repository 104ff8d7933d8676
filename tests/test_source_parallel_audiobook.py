"""The Parallel Audiobook Corpus (segmented data) on a copy in the layout the parser documents: texts by the
book's utterance ids, genders, the speaker-hash split, parallel voice-conversion partners and zero-shot prompts,
absent audio counted, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import parallel_audiobook as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import parallel_audiobook as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True)


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
