"""The Four-way Tabla parser on a tiny copy in the published layout (train and test folders, onset files per
stroke class, a class without a file, an empty file, a file without final newline, an unannotated WAV), alone and
through the builder for text-to-music and text-guided continuation."""

from __future__ import annotations

import json
import re

import pytest
from corpora import four_way_tabla as fixture
from corpora.common import replace_line
from util import check_records_match, corpus_fixture, read_records, record_id, stream

from audio_flan.sources import four_way_tabla as parser

corpus = corpus_fixture(fixture.build)


def test_records_match_the_fixture_in_the_official_splits(corpus):
    assert parser.list_shards(corpus.root) == {"train": ["train"], "test": ["test"]}
    for split in ("train", "test"):
        records, _ = read_records(parser, corpus.root, split)
        check_records_match(list(records.values()), corpus, split)


def test_description_numbers_are_the_onset_files(corpus):
    """Length from the WAV, density from every onset over the whole solo, dominant kinds from the class counts."""
    records = {**read_records(parser, corpus.root, "train")[0], **read_records(parser, corpus.root, "test")[0]}
    for solo, (seconds, onsets) in {**fixture.SOLOS["train"], **fixture.SOLOS["test"]}.items():
        strokes = sum(len(times) for times in onsets.values())
        density = re.search(r"([\d.]+) strokes per second", records[solo]["description"])
        assert density and float(density[1]) == round(strokes / seconds, 1)
        assert records[solo]["strokes"] == strokes and records[solo]["seconds"] == seconds
    assert records["binati_SRC"]["resonant_treble"] == 0  # no rt file: no resonant treble stroke
    assert records["SSB_solo-ektal-3"]["resonant_both"] == 0  # an empty b file


def test_describe_rule():
    assert parser.describe(66.4, {"d": 30, "rt": 10, "rb": 5, "b": 5}) == (
        "A tabla solo of 1 min 6 s, 0.8 strokes per second, mostly damped strokes."
    )
    assert parser.describe(60.2, {"d": 0, "rt": 0, "rb": 0, "b": 0}) == (
        "A tabla solo of 1 min with no strokes annotated."
    )
    assert parser.describe(42.0, {"d": 1, "rt": 2, "rb": 2, "b": 1}).endswith(
        "mostly resonant treble and resonant bass strokes."
    )


def test_unannotated_wav_and_absent_wav_are_counted(corpus):
    records, text = read_records(parser, corpus.root, "train")
    assert f"skipped 1 WAV(s) of audios/ with no onset file ({fixture.UNANNOTATED})" in text
    split, gone = fixture.drop_audio(corpus)
    records, text = read_records(parser, corpus.root, split)
    assert gone not in records and "onset set(s) whose audios/<id>.wav is missing (SSB_solo-ektal-3)" in text


def test_a_bad_onset_line_names_file_and_line_and_is_skipped_on_request(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.TablaFormatError, match=re.escape(f"{path}:{line}: '8.0e-01 onset' is not an onset")):
        read_records(parser, corpus.root, "train")
    examples = stream("music.text_to_music", corpus.data_dir, on_error="skip")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train") - {"AHK_solo-tintal-1"})


def test_an_onset_past_the_end_of_the_solo_is_an_error(corpus):
    path = corpus.root / "test" / "onsets" / "rb" / "binati_SRC.onsets"
    replace_line(path, 2, "9.5e+00")
    with pytest.raises(parser.TablaFormatError, match=re.escape(f"{path}:2: onset 9.5e+00 s is past the end")):
        read_records(parser, corpus.root, "test")


def test_text_to_music_end_to_end(corpus):
    for split in ("train", "test"):
        examples = stream("music.text_to_music", corpus.data_dir, split=split)
        assert sorted(record_id(e) for e in examples) == sorted(corpus.ids(split))
        for e in examples:
            want = corpus.expected[record_id(e)]
            assert want["description"] in e["input"]
            assert e["output_audios"][0]["path"] == want["audio"]


def test_text_guided_continuation_end_to_end(corpus):
    examples = stream("music.text_guided_continuation", corpus.data_dir, split="test")
    assert [record_id(e) for e in examples] == ["binati_SRC"]
    e = examples[0]
    assert fixture.DESCRIPTIONS["binati_SRC"] in e["input"]
    cut = json.loads(e["metadata"])["continuation"]
    prompt, answer = e["input_audios"][0], e["output_audios"][0]
    assert prompt["sampling_rate"] == answer["sampling_rate"] == fixture.RATE
    assert abs(prompt["array"].shape[-1] / fixture.RATE - cut["prompt_seconds"]) < 0.01
    assert cut["start"] + cut["prompt_seconds"] + cut["continuation_seconds"] <= 3.2 + 1e-6
