"""ADD 2023 track 1.2 on a copy of its layout: labels mapped to real/fake, splits, absent files counted, strict
label lines, and deepfake detection through the builder."""

from __future__ import annotations

import pytest
from corpora import add2023 as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.registry import load_registry
from audio_flan.sources import add2023 as parser

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_records_labels_and_splits(corpus):
    assert parser.list_shards(corpus.root) == {"train": ["train"], "validation": ["dev"]}
    for split in ("train", "validation"):
        records, reports = read(corpus.root, split)
        assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records} == {
            k: {f: v for f, v in e.items() if f != "split"} for k, e in corpus.expected.items() if e["split"] == split
        }
    path = corpus.root / "train" / "label.txt"
    assert read(corpus.root, "train")[1] == [
        f"ADD 2023 {path}: skipped 1 labelled file(s) absent from train/wav/ (line 4: ADD2023_T1.2_T_00000003.wav)"
    ]


def test_detection_wants_the_track_folder(corpus):
    assert parser.detect(corpus.root)
    assert not parser.detect(corpus.root.parent) and not parser.detect(corpus.root / "train")
    renamed = corpus.root.rename(corpus.root.parent / "track1.2")
    assert parser.detect(renamed)


def test_deepfake_detection_answers_real_or_fake(corpus):
    assert set(load_registry()["audio.deepfake_detection"].options) == set(parser.LABELS.values())
    examples = stream("audio.deepfake_detection", corpus.data_dir, source="add2023")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        assert e["output"].rstrip(".").endswith(corpus.expected[record_id(e)]["label"])
        assert e["source"] == "ADD 2023"


@pytest.mark.parametrize(
    "line",
    [
        "ADD2023_T1.2_T_00000001.wav bonafide",
        "ADD2023_T1.2_T_00000001.wav  genuine",
        "ADD2023_T1.2_T_00000001.wav\tgenuine",
        "ADD2023_T1.2_T_00000001 genuine",
        "../ADD2023_T1.2_T_00000001.wav genuine",
        "ADD2023_T1.2_T_00000000.wav genuine",
    ],
)
def test_a_bad_label_line_names_file_and_line(corpus, line):
    path = corpus.root / "train" / "label.txt"
    fixture.replace_line(path, 2, line)
    with pytest.raises(parser.ADD2023FormatError, match=f"{path}:2: "):
        read(corpus.root, "train")
