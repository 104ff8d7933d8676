"""The VocalSet 1.2 parser on a tiny copy in the published layout (with its irregular names, duplicates and macOS
debris), alone and through the builder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpora import vocalset as fixture
from util import check_records_match, corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import vocalset as parser

corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> tuple[list[dict], str]:
    return records_of_split(parser, root, split, text=True)


def test_records_match_the_fixture(corpus):
    for split in ("train", "test"):
        records, _ = read_split(corpus.root, split)
        check_records_match(records, corpus, split)


def test_singer_and_technique_come_from_the_folders(corpus):
    records = {r["id"]: r for r in read_split(corpus.root, "train")[0]}
    unprefixed = records["female1/arpeggios/lip_trill/lip_trill_arps"]
    assert unprefixed["singer"] == "f1" and unprefixed["technique"] == "lip_trill"
    misnamed = records["male1/arpeggios/straight/arpeggios_straight_a"]
    assert misnamed["singer"] == "m1" and misnamed["gender"] == "male"


def test_quirks_are_skipped_and_counted(corpus):
    _, train = read_split(corpus.root, "train")
    _, test = read_split(corpus.root, "test")
    assert "skipped 1 WAV(s) of exercises that are not one of the ten techniques (female1/scales/fast_forte/" in train
    assert "skipped 1 WAV(s) not at <singer>/<context>/<technique>/<file> (male1/stray_vibrato.wav)" in train
    assert "skipped 1 duplicate WAV(s) the zip carries as '(1)' copies (female2/scales/vibrato/" in test
    assert "__MACOSX" not in train + test and "DS_Store" not in train + test


def test_the_singer_split(corpus):
    test, _ = read_split(corpus.root, "test")
    assert {r["singer"] for r in test} == {"f2", "m3"}
    (corpus.root / "test_singers_technique.txt").unlink()  # without the list: the paper's test singers
    assert parser.test_singers(corpus.root) == parser.DEFAULT_TEST
    assert {r["singer"] for r in read_split(corpus.root, "test")[0]} == {"f2", "m3"}


def test_an_empty_wav_is_counted(corpus):
    split, rid = fixture.drop_audio(corpus)
    records, text = read_split(corpus.root, split)
    assert rid not in {r["id"] for r in records}
    assert "skipped 1 WAV(s) too short to hold a WAV header (empty or truncated)" in text


def test_a_bad_singer_list_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.VocalSetFormatError, match=re.escape(f"{path}:{line}: 'tenor3' is not a singer")):
        read_split(corpus.root, "test")


def test_vocal_technique_classification_end_to_end(corpus):
    examples = stream("music.vocal_technique_classification", corpus.root, split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    for e in examples:
        technique = corpus.expected[record_id(e)]["technique"]
        assert e["output"].removesuffix(".").endswith(technique)
        assert all(t in e["instruction"] for t in parser.TECHNIQUES)
    assert examples[0]["input_audios"][0]["sampling_rate"] == fixture.RATE
