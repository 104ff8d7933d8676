"""ASVspoof 2019 LA and 2021 LA/DF on a copy in the published layout: labels from the label column (never the
attack column), vocoder classes from DF's key and the 2019 system table, splits by edition and part, absent
audio counted, and the two configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import asvspoof as fixture
from corpora.common import replace_line
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import asvspoof as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True)


def test_labels_vocoders_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert (got[rid]["split"], got[rid]["label"], got[rid]["vocoder"], got[rid]["audio"]) == (
            want["split"],
            want["label"],
            want["vocoder"],
            want["audio"],
        ), rid
    # the bona fide LA key row carries 'bonafide' as its attack too: no attack, no vocoder
    assert (got["LA_E_2834763"]["attack"], got["LA_E_2834763"]["label"]) == (None, "bonafide")
    # 2019's eval trial of the same name is another record
    assert got["2019_LA_E_2834763"]["label"] == "spoof" and got["2019_LA_E_2834763"]["attack"] == "A11"
    assert got["DF_E_2000027"]["vocoder"] is None  # DF's 'unknown'
    assert got["LA_T_1276960"]["vocoder"] is None  # A06 filters natural speech: no vocoder
    assert (got["DF_E_2000011"]["codec"], got["DF_E_2000011"]["subset"]) == ("nocodec", "progress")
    assert any(f"1 protocol line(s) whose .flac file is missing (trial_metadata.txt:{6})" in r for r in reports)


def test_the_2019_systems_vocoder_classes_follow_the_readme_table(corpus):
    # README.LA.txt's waveform generation of A01-A19 (neural split by the generator: A08 is neural source-filter)
    assert {a: parser.vocoder_of_attack(a) for a in sorted(parser.ATTACKS)} == {
        "A01": "neural autoregressive",
        "A02": "traditional",
        "A03": "traditional",
        "A04": "waveform concatenation",
        "A05": "traditional",
        "A06": None,
        "A07": "traditional",
        "A08": "neural non-autoregressive",
        "A09": "traditional",
        "A10": "neural autoregressive",
        "A11": "traditional",
        "A12": "neural autoregressive",
        "A13": None,
        "A14": "traditional",
        "A15": "neural autoregressive",
        "A16": "waveform concatenation",
        "A17": None,
        "A18": "traditional",
        "A19": None,
    }
    got, _ = records(corpus.root)
    assert got["2019_LA_E_1666680"]["vocoder"] == "neural non-autoregressive"  # A08
    assert got["2019_LA_E_3934461"]["vocoder"] is None  # A13: concatenation then waveform filtering
    assert got["LA_E_9332881"]["vocoder"] == "traditional"  # 2021 LA's A07: vocoder+GAN


def test_a_2019_system_outside_a01_to_a19_names_the_line(corpus):
    path = corpus.root / "LA" / "ASVspoof2019_LA_cm_protocols" / "ASVspoof2019.LA.cm.eval.trl.txt"
    replace_line(path, 1, "LA_0039 LA_E_2834763 - A20 spoof")
    with pytest.raises(parser.ASVspoofFormatError, match=f"{path}:1: SYSTEM_ID 'A20' does not fit KEY 'spoof'"):
        records(corpus.root)


def test_an_eval_folder_without_its_key_is_left_out_with_a_warning(corpus):
    key = corpus.root / "keys" / "DF" / "CM" / "trial_metadata.txt"
    key.unlink()
    with pytest.warns(UserWarning, match="ASVspoof2021_DF_eval has no key"):
        listing = parser.list_shards(corpus.root)
    assert {s[0] for s in listing["test"]} == {"2019LA-eval", "2021LA"}


def test_keys_inside_the_eval_folder_are_found(corpus):
    (corpus.root / "ASVspoof2021_LA_eval" / "keys").mkdir()
    (corpus.root / "keys" / "LA").rename(corpus.root / "ASVspoof2021_LA_eval" / "keys" / "LA")
    got, _ = records(corpus.root)
    assert "LA_E_9332881" in got


def test_a_2019_row_whose_system_contradicts_its_key_names_the_line(corpus):
    path = corpus.root / "LA" / "ASVspoof2019_LA_cm_protocols" / "ASVspoof2019.LA.cm.train.trn.txt"
    lines = path.read_text().splitlines()
    lines[2] = "LA_0080 LA_T_1272637 - - spoof"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.ASVspoofFormatError, match=f"{path}:3: SYSTEM_ID '-' does not fit KEY 'spoof'"):
        records(corpus.root)


def test_a_short_key_row_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.ASVspoofFormatError, match=f"{path}:{line}: expected 8 space-separated fields"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    fake = stream("speech.deepfake_detection", corpus.data_dir, split="test", source="asvspoof")
    answers = {json.loads(e["metadata"])["id"]: e["output"].rstrip(".").split()[-1] for e in fake}
    assert answers["DF_E_2000024"] == "bonafide" and answers["DF_E_2000013"] == "spoof"
    vocoder = stream("speech.vocoder_classification", corpus.data_dir, split="test", source="asvspoof")
    ids = {json.loads(e["metadata"])["id"] for e in vocoder}
    assert ids == {k for k, v in corpus.expected.items() if v["split"] == "test" and v["vocoder"]}
    train = stream("speech.vocoder_classification", corpus.data_dir, split="train", source="asvspoof")
    assert {json.loads(e["metadata"])["id"] for e in train} == {"LA_T_1271820", "LA_T_1272637"}
