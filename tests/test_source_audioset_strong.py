"""AudioSet strong labels on a copy in the published layout: events, clip naming conventions, absent clips, and
the configs they feed (sound event detection through the timeline shape, sequence recognition, time-grounded
generation)."""

from __future__ import annotations

import json

import pytest
from corpora import audioset_strong as fixture
from util import corpus_fixture, records_of_split, stream

from audio_flan.segments import parse_segments
from audio_flan.sources import audioset_strong as parser

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_every_naming_convention_is_found_and_absent_clips_are_counted(corpus):
    records, reports = read(corpus.root, "train")
    assert {r["id"]: r["audio"] for r in records} == {
        k: v["audio"] for k, v in corpus.expected.items() if v["split"] == "train"
    }
    assert reports == [
        f"AudioSet strong {corpus.root / 'audioset_train_strong.tsv'} shard 1/1: skipped 1 segment(s) whose clip "
        "is not in the folder (zzTopzzTop1_60000)"
    ]


def test_youtube_ids_with_underscores_and_events_with_display_names(corpus):
    records = {r["id"]: r for r in read(corpus.root, "train")[0] + read(corpus.root, "test")[0]}
    record = records["Yx_lGt805lT_420000"]
    assert record["ytid"] == "Yx_lGt805lT" and record["start"] == 420.0
    assert record["segments"] == [[2.133, 5.01, "Male speech, man speaking"], [5.2, 9.9, "Music"]]
    assert records["-0RWZT-miFs_30000"]["event_sequence"] == "Speech; Dog; Speech"
    assert records["-0RWZT-miFs_30000"]["timed_events"].startswith("Speech from 0.00 to 2.12 s; Dog from 1.50")


def test_sound_event_detection_asks_each_class_and_answers_its_merged_times(corpus):
    examples = stream("audio.sound_event_detection", corpus.data_dir, split="test", source="audioset_strong")
    assert len(examples) == 1
    (example,) = examples
    assert "Dog" in example["input"]
    assert [(s.start, s.end) for s in parse_segments(example["output"])] == [(0.5, 1.4), (3.25, 4.75)]
    assert json.loads(example["metadata"])["query"] == "Dog"
    assert example["source"] == "AudioSet"


def test_one_instance_per_class_in_a_clip(corpus):
    examples = stream("audio.sound_event_detection", corpus.data_dir, split="train", source="audioset_strong")
    asked = sorted((json.loads(e["metadata"])["id"], json.loads(e["metadata"])["query"]) for e in examples)
    assert all(parse_segments(e["output"]) for e in examples)  # every answer reads back in the documented format
    assert asked == [
        ("-0RWZT-miFs_30000", "Dog"),
        ("-0RWZT-miFs_30000", "Speech"),
        ("Yx_lGt805lT_420000", "Male speech, man speaking"),
        ("Yx_lGt805lT_420000", "Music"),
        ("a1b2c3d4e5f_0", "Car"),
    ]


def test_sequence_recognition_and_time_grounded_generation(corpus):
    (seq,) = [
        e
        for e in stream("audio.sound_event_sequence_recognition", corpus.data_dir, source="audioset_strong")
        if e["id"].endswith("-0RWZT-miFs_30000")
    ]
    assert seq["output"].endswith("Speech; Dog; Speech")
    gen = stream("audio.time_grounded_text_to_audio", corpus.data_dir, source="audioset_strong")
    assert all(len(e["output_audios"]) == 1 and not e["input_audios"] for e in gen)
    assert len(gen) == 3


def test_a_bad_time_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.AudioSetStrongFormatError, match=f"{path}:{line}: end_time_seconds is 'later'"):
        read(corpus.root, "train")
