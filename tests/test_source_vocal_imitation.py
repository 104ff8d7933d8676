"""The Vocal Imitation Set on a copy of its layout: included imitations only (excluded ones counted), category
paths from the metadata rather than the file names, participant-disjoint splits, absent files counted, and sound
event understanding through the builder."""

from __future__ import annotations

import pytest
from corpora import vocal_imitation as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import vocal_imitation as parser

SPLITS = ("train", "validation", "test")


corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_records_match_the_metadata(corpus):
    for split in SPLITS:
        records = read(corpus.root, split)[0]
        assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records} == {
            k: {f: v for f, v in e.items() if f != "split"} for k, e in corpus.expected.items() if e["split"] == split
        }
    (horn,) = read(corpus.root, "validation")[0]
    assert horn["answer"] == "Sounds of things > Vehicle > Motor vehicle (road) > Car > Vehicle horn, car horn, honking"
    assert "Vehicle horn_ car horn_ honking" in horn["audio"]  # the file name's spelling, not the label's


def test_excluded_and_absent_imitations_are_counted(corpus):
    path = corpus.root / "vocal_imitations.txt"
    (report,) = read(corpus.root, "train")[1]
    assert report.startswith(f"Vocal Imitation Set {path} (train): skipped ")
    assert "1 imitation(s) the authors excluded (included=False)" in report
    assert "1 included imitation(s) absent from vocal_imitations/included/ (line 5: " in report


def test_a_participant_is_in_one_split(corpus):
    seen = {}
    for split in SPLITS:
        for r in read(corpus.root, split)[0]:
            assert seen.setdefault(r["participant"], split) == split
            assert parser.split_of(r["participant"]) == split
    assert set(seen.values()) == set(SPLITS)


def test_sound_event_understanding_asks_what_is_imitated(corpus):
    (example,) = stream("audio.sound_event_understanding", corpus.data_dir, split="test", source="vocal_imitation")
    assert record_id(example) == "5" and example["source"] == "Vocal Imitation Set"
    assert example["output"].endswith("Vehicle horn, car horn, honking") and len(example["input_audios"]) == 1
    assert "What sound is the person imitating with their voice?" in example["input"] + example["instruction"]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda l: l.replace("\tTrue\tFalse\tFalse\t", "\tyes\tFalse\tFalse\t", 1), "included is 'yes'"),
        (lambda l: l.replace("\tAnimal\t", "\t\t", 1), "category_d1..d6 are not a path from the top"),
        (lambda l: l.replace("0\t0\t", "0\tzero\t", 1), "imitation_id 'zero' is not a number"),
        (lambda l: l.replace("\t4000000000000000.0\t", "\t\t", 1), "participant_id is empty"),
        (lambda l: l.rsplit("\t", 1)[0], "expected 18 tab-separated fields"),
    ],
)
def test_a_bad_line_names_file_and_line(corpus, edit, message):
    path = corpus.root / "vocal_imitations.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    fixture.replace_line(path, 2, edit(lines[1]))
    with pytest.raises(parser.VocalImitationFormatError, match=f"{path}:2: {message}"):
        read(corpus.root, "test")
