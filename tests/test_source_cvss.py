"""CVSS-C and CVSS-T on copies of their archives beside the Common Voice 4 clips they translate: source clips found
by name, targets by the .mp3.wav double extension, the translation text carried once, rows without a source
clip counted, and speech translation and speech-to-speech translation fed from them."""

from __future__ import annotations

import json

import pytest
from corpora import cvss as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import cvss as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_sources_targets_and_texts(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["translation_text"], r["audio"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["translation_text"], v["audio"]) for k, v in corpus.expected.items()
    }
    c = got["c_common_voice_fr_19176154"][1]
    assert c["translation_audio"].endswith("cvss_c_fr_en_v1.0/train/common_voice_fr_19176154.mp3.wav")
    assert (c["language"], c["language_name"], c["target_language"], c["version"]) == ("fr", "French", "en", "CVSS-C")
    assert got["t_common_voice_fr_19176155"][1]["translation_audio"] is None  # its CVSS-T target is missing
    assert (
        sum(
            "row(s) whose Common Voice 4 fr clip is missing (line 4: common_voice_fr_19176157.mp3)" in r
            for r in reports
        )
        == 2
    )


def test_the_espnet_folder_names(corpus):
    (corpus.root / "cvss_c_fr_en_v1.0").rename(corpus.root / "fr_en-c")
    (corpus.root / "cvss_t_fr_en_v1.0").rename(corpus.root / "fr_en-t")
    (corpus.root / fixture.CV).rename(corpus.root / "commonvoice4")
    got, _ = records(corpus.root)
    assert set(got) == set(corpus.expected)


def test_a_row_that_is_not_tab_separated_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.CVSSFormatError, match=f"{path}:{line}: "):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    st = stream("speech.speech_translation", corpus.data_dir, source="cvss")
    ids = [json.loads(e["metadata"])["id"] for e in st]
    assert sorted(ids) == sorted(k for k, v in corpus.expected.items() if v["split"] == "train" and k.startswith("c_"))
    assert all(
        e["output"].endswith(json.loads(e["metadata"])["translation_text"]) and "English" in e["input"] for e in st
    )
    s2st = stream("speech.speech_to_speech_translation", corpus.data_dir, source="cvss")
    versions = {json.loads(e["metadata"])["version"] for e in s2st}
    assert versions == {"CVSS-C", "CVSS-T"}
    assert "t_common_voice_fr_19176155" not in {json.loads(e["metadata"])["id"] for e in s2st}
