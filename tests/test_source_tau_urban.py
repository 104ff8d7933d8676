"""TAU Urban Acoustic Scenes 2022 (and 2020) Mobile on a copy of the development set's layout: the official fold1
split, devices and locations, files in no fold left out, absent files counted, and acoustic scene classification."""

from __future__ import annotations

import pytest
from corpora import tau_urban as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.registry import load_registry
from audio_flan.sources import tau_urban as parser

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_the_official_fold_and_absent_files(corpus):
    for split in ("train", "test"):
        records, reports = read(corpus.root, split)
        assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records} == {
            k: {f: v for f, v in e.items() if f != "split"} for k, e in corpus.expected.items() if e["split"] == split
        }
        if split == "train":
            path = corpus.root / "evaluation_setup" / "fold1_train.csv"
            assert reports == [
                f"TAU Urban Acoustic Scenes {path} shard 1/1: skipped 1 file(s) of fold1_train.csv absent from audio/ "
                "(line 6: audio/street_pedestrian-lyon-1-44-0-c.wav)"
            ]
    ids = {r["id"] for split in ("train", "test") for r in read(corpus.root, split)[0]}
    assert "park-stockholm-3-90-2-a" not in ids  # in meta.csv, in no fold
    pair = [r for r in read(corpus.root, "train")[0] if r["identifier"] == "barcelona-0"]
    assert sorted(r["device"] for r in pair) == ["a", "b"] and {r["city"] for r in pair} == {"barcelona"}


def test_2020_names_read_the_same_way(tmp_path):
    root = tmp_path / "TAU-urban-acoustic-scenes-2020-mobile-development"
    wav = fixture.wav_bytes(fixture.signal(fixture.RATE, 0.05, 300.0), fixture.RATE, subtype="PCM_24")
    fixture.write(root, [("airport-barcelona-0-0-a", "airport", "barcelona-0", "a", "train", wav)])
    (record,) = read(root, "train")[0]
    assert record["id"] == "airport-barcelona-0-0-a" and record["label"] == "airport"


def test_labels_are_the_task_options(corpus):
    assert set(parser.SCENES) == set(load_registry()["audio.acoustic_scene_classification"].options)
    examples = stream("audio.acoustic_scene_classification", corpus.data_dir, split="test", source="tau_urban")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    for e in examples:
        scene = corpus.expected[record_id(e)]["label"]
        assert e["output"].rstrip(".").endswith(scene) and e["source"] == "TAU Urban Acoustic Scenes Mobile"


@pytest.mark.parametrize(
    "file, line_no, line, message",
    [
        ("meta.csv", 3, "audio/airport-barcelona-0-0-0-b.wav\tairport\tbarcelona-0\tphone", "source_label 'phone'"),
        ("meta.csv", 2, "audio/airport-barcelona-0-0-0-a.wav\tbeach\tbarcelona-0\ta", "scene_label 'beach'"),
        ("meta.csv", 2, "airport-barcelona-0-0-0-a.wav\tairport\tbarcelona-0\ta", "is not 'audio/<name>.wav'"),
        ("evaluation_setup/fold1_train.csv", 2, "audio/airport-barcelona-0-0-0-a.wav\tbus", "is bus here but airport"),
        ("evaluation_setup/fold1_train.csv", 3, "audio/unknown-x-0-0-0-a.wav\tairport", "is not in meta.csv"),
        ("evaluation_setup/fold1_train.csv", 3, "audio/airport-barcelona-0-0-0-b.wav airport", "expected 2 tab"),
    ],
)
def test_a_bad_line_names_file_and_line(corpus, file, line_no, line, message):
    path = corpus.root / file
    fixture.replace_line(path, line_no, line)
    with pytest.raises(parser.TauUrbanFormatError, match=f"{path}:{line_no}: .*{message}"):
        read(corpus.root, "train")
