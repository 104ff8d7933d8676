"""The CCOM-HuQin parser on a tiny copy in the published layout (technique folders under performer-suffixed
instrument folders, 32-bit PCM, debris), alone and through the builder for both technique tasks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from corpora import ccom_huqin as fixture
from util import check_records_match, corpus_fixture, pairs, record_id, records_of_split, stream

from audio_flan.sources import ccom_huqin as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_records_match_the_fixture(corpus):
    records, _ = read_all(corpus.root)
    check_records_match(records, corpus, "train")


def test_technique_and_instrument_come_from_the_folders(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)[0]}
    vibrato = records["Erhu-1/Vibrato/1_1_8_1_1_1_1_1_1"]
    assert (vibrato["technique"], vibrato["instrument"], vibrato["performer"]) == ("vibrato", "erhu", "1")
    assert records["Banhu/DaJiG/3_10_1_1_1_1_1_1_1"]["technique"] == "dajigong"
    assert records["Banhu/TiaoG/3_8_1_1_1_1_1_1_1"]["performer"] == ""
    assert set(parser.TECHNIQUES.values()) == set(parser.SOURCE.labels["technique"]) and len(parser.LABELS) == 13


def test_stray_wavs_are_skipped_and_counted(corpus):
    _, text = read_all(corpus.root)
    assert "skipped 1 WAV(s) not at SinglePT/<instrument>/<technique>/<file> (Erhu-1/stray.wav)" in text
    assert "1 WAV(s) in a folder that is not one of the 13 techniques (Erhu-1/Warmup/" in text
    assert "__MACOSX" not in text and "DS_Store" not in text and "Excerpts" not in text


def test_an_empty_wav_is_counted(corpus):
    Path(corpus.expected["Erhu-2/Pizz/2_5_1_1_1_1_1_1_1"]["audio"]).write_bytes(b"")
    records, text = read_all(corpus.root)
    assert "Erhu-2/Pizz/2_5_1_1_1_1_1_1_1" not in {r["id"] for r in records}
    assert "skipped 1 WAV(s) too short to hold a WAV header (empty or truncated) (Erhu-2/Pizz/" in text


def test_a_bad_shard_is_an_error(corpus):
    with pytest.raises(parser.CCOMHuQinFormatError, match="not an instrument folder"):
        list(parser.read_shard(corpus.root, "../Excerpts"))


def test_technique_classification_end_to_end(corpus):
    examples = stream("music.instrumental_technique_classification", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["technique"])
        assert all(t in e["instruction"] for t in parser.LABELS)
    assert examples[0]["input_audios"][0]["sampling_rate"] == fixture.RATE


def test_technique_comparison_pairs_are_balanced_and_true(corpus):
    examples = stream("music.instrumental_technique_comparison", corpus.data_dir)
    assert len(examples) >= 8
    per_shard: dict[str, Counter] = {}
    for e, (a, b, same) in zip(examples, pairs(examples)):
        assert a != b and a.split("/")[0] == b.split("/")[0]  # drawn within one instrument folder
        assert (corpus.expected[a]["technique"] == corpus.expected[b]["technique"]) is same
        assert e["output"].removesuffix(".").endswith("yes" if same else "no")
        assert [x["path"] for x in e["input_audios"]] == [corpus.expected[a]["audio"], corpus.expected[b]["audio"]]
        per_shard.setdefault(a.split("/")[0], Counter())[same] += 1
    for counts in per_shard.values():
        assert abs(counts[True] - counts[False]) <= 1
    assert pairs(stream("music.instrumental_technique_comparison", corpus.data_dir)) == pairs(examples)
    assert pairs(stream("music.instrumental_technique_comparison", corpus.data_dir, seed=1)) != pairs(examples)
