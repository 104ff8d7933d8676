"""Hi-Fi TTS on a copy in the published layout: speaker and quality from the manifest names, normalized and
original texts, the manifests' splits, genders from the speaker table, absent audio counted, and the configs it
feeds."""

from __future__ import annotations

import json

import pytest
from corpora import hifi_tts as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import hifi_tts as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True)


def test_texts_speakers_qualities_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want, rid
    r = got["92_clean_9951_oldtales_01_hartland_0100"]
    assert (r["text"], r["text_original"], r["gender"], r["quality"]) == (
        "Doctor Lee came at three.",
        "Dr. Lee came at 3.",
        "female",
        "clean",
    )
    assert got["6097_clean_5892_walden_02_thoreau_0007"]["gender"] == "male"
    assert any(
        "1 manifest line(s) whose .flac file is missing (9017_manifest_other_train.json:1)" in m for m in reports
    )


def test_a_path_out_of_audio_names_the_line(corpus):
    path = corpus.root / "92_manifest_clean_dev.json"
    path.write_text(json.dumps({"audio_filepath": "../outside.flac", "text": "x"}) + "\n")
    with pytest.raises(parser.HiFiTTSFormatError, match=f"{path}:1: audio_filepath '../outside.flac'"):
        records(corpus.root)


def test_a_broken_json_line_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.HiFiTTSFormatError, match=f"{path}:{line}: not a JSON object"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    asr = stream("speech.asr", corpus.data_dir, source="hifi_tts")
    got = {json.loads(e["metadata"])["id"]: e["output"] for e in asr}
    want = {k: v["text"] for k, v in corpus.expected.items() if v["split"] == "train"}
    assert set(got) == set(want) and all(out.endswith(want[k]) for k, out in got.items())
    sv = stream("speech.speaker_verification", corpus.data_dir, source="hifi_tts")
    assert {e["output"].rstrip(".").split()[-1].lower() for e in sv} == {"yes", "no"}
