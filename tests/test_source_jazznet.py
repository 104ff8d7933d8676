"""The JazzNet parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpora import jazznet as fixture
from util import check_records_match, corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import jazznet as parser

corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> tuple[list[dict], str]:
    return records_of_split(parser, root, split, text=True)


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records, _ = read_split(corpus.root, split)
        check_records_match(records, corpus, split)


def test_labels_come_from_the_columns(corpus):
    records = {r["id"]: r for r in read_split(corpus.root, "train")[0]}
    assert records["C#-3-dorian-1"]["scale"] == "C# dorian"
    assert records["A-4-harmonic-minor-0"]["scale"] == "A harmonic minor"  # a mode holding '-'
    assert records["Bb-2-ii-V-I-maj-5"]["progression"] == "ii-V-I-maj in Bb"
    assert all(r["type"] in ("scale", "progression") for r in records.values())  # chords, arpeggios not read


def test_a_listed_wav_that_is_absent_is_counted(corpus):
    records, text = read_split(corpus.root, "train")
    assert fixture.ABSENT not in {r["id"] for r in records}
    assert f"skipped 1 row(s) of small.csv whose <label>.wav is not under the root (line 11: {fixture.ABSENT})" in text


def test_the_largest_metadata_csv_is_read(corpus):
    path = corpus.root / "metadata" / "small.csv"
    (corpus.root / "metadata" / "large.csv").write_bytes(path.read_bytes().split(b"\r\n", 3)[0] + b"\r\n")
    assert parser.metadata_file(corpus.root).name == "large.csv"
    assert read_split(corpus.root, "train")[0] == []


def test_a_bad_split_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.JazzNetFormatError, match=re.escape(f"{path}:{line}: split 'trainng' is not")):
        read_split(corpus.root, "test")


def test_a_label_that_does_not_match_its_columns(corpus):
    path = corpus.root / "metadata" / "small.csv"
    path.write_bytes(path.read_bytes().replace(b"0,C-4-ionian-0,scale,ionian,4,", b"0,C-4-ionian-0,scale,ionian,5,"))
    with pytest.raises(
        parser.JazzNetFormatError, match=re.escape(f"{path}:2: label 'C-4-ionian-0' is not <tonic>-5-ionian-0")
    ):
        read_split(corpus.root, "test")


def test_scale_recognition_end_to_end(corpus):
    examples = stream("music.scale_recognition", corpus.root)
    scales = {k for k in corpus.ids("train") if corpus.expected[k]["scale"]}
    assert sorted(record_id(e) for e in examples) == sorted(scales)
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["scale"])
    assert examples[0]["input_audios"][0]["sampling_rate"] == fixture.RATE


def test_progression_extraction_end_to_end(corpus):
    examples = stream("music.progression_extraction", corpus.root, split="test")
    assert [record_id(e) for e in examples] == ["G-2-ii-V-i-min-7"]
    assert examples[0]["output"].endswith("ii-V-i-min in G")
