"""AISHELL-1 on a copy in the published layout (data_aishell/ with per-speaker tarballs unpacked in place,
resource_aishell/speaker.info beside it): transcripts cleaned, genders, the official speaker-disjoint splits,
WAVs without transcript kept for the speaker tasks, a packed tarball counted, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import aishell1 as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import aishell1 as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_transcripts_splits_and_genders(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["text"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"]) for k, v in corpus.expected.items()
    }
    assert got["BAC009S0002W0123"][1]["text"] == "我要去ATM取钱"  # spaces gone, full-width letters ASCII
    assert got["BAC009S0003W0202"][1]["text"] is None  # a WAV the transcript does not list: kept
    genders = {r["speaker"]: r["gender"] for _, r in got.values()}
    assert genders == {
        "S0002": "female",
        "S0003": "male",
        "S0004": "female",
        "S0724": "male",
        "S0764": "female",
        "S0765": "male",
    }
    assert any(
        "1 transcript line(s) of speakers with no wav/ folder (tarball not unpacked?) (BAC009S0005W0101)" in r
        for r in reports
    )
    speakers = {}
    for split, r in got.values():
        assert speakers.setdefault(r["speaker"], split) == split  # no speaker in two splits


def test_a_root_that_is_data_aishell_itself_reads_without_genders(corpus):
    got, _ = records(corpus.root / "data_aishell")
    assert set(got) == set(corpus.expected) and {r["gender"] for _, r in got.values()} == {None}


def test_a_bad_gender_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(
        parser.Aishell1FormatError, match=f"{path}:{line}: gender of S0004 is 'female'; expected F or M"
    ):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    asr = stream("speech.asr", corpus.data_dir, source="aishell1")
    ids = {json.loads(e["metadata"])["id"] for e in asr}
    assert ids == {k for k, v in corpus.expected.items() if v["split"] == "train" and v["text"] is not None}
    gender = stream("speech.gender_recognition", corpus.data_dir, source="aishell1")
    assert "BAC009S0003W0202" in {json.loads(e["metadata"])["id"] for e in gender}
    sv = stream("speech.speaker_verification", corpus.data_dir, source="aishell1")
    for e in sv:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and (a[6:11] == b[6:11]) == meta["same"]
