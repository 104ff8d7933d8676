"""The MusicCaps parser on a tiny copy (the published CSV beside user-downloaded clips), alone and through the
builder."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from corpora import musiccaps as fixture
from util import check_records_match, corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import musiccaps as parser

corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> tuple[list[dict], str]:
    return records_of_split(parser, root, split, text=True)


def test_records_match_the_fixture(corpus):
    for split in ("train", "test"):
        records, _ = read_split(corpus.root, split)
        check_records_match(records, corpus, split)


def test_captions_keep_commas_and_quotes(corpus):
    records, _ = read_split(corpus.root, "train")
    caption = {r["id"]: r["caption"] for r in records}["-0Gj8-vB1q4"]
    assert caption == 'The low quality recording features a "live" string melody, soft and slow.'


def test_clips_named_by_times_are_found(corpus):
    records, _ = read_split(corpus.root, "train")
    audio = {r["id"]: r["audio"] for r in records}[fixture.NAMED_BY_TIMES]
    assert audio.endswith(f"Y{fixture.NAMED_BY_TIMES}_40.000_50.000.wav")


def test_clips_not_downloaded_are_counted(corpus):
    records, text = read_split(corpus.root, "test")
    assert fixture.ABSENT not in {r["id"] for r in records}
    assert re.search(rf"skipped 1 clip\(s\) the user has not downloaded \(line 11: {fixture.ABSENT}\)", text)


@pytest.mark.parametrize(
    "column, value, message",
    [
        (4, "['unclosed", 'aspect_list "[\'unclosed" is not a list of strings'),
        (8, "yes", "is_audioset_eval is 'yes'; expected True or False"),
        (2, "55", "the clip 30.0-55.0 s is not a segment of at most 10 s"),
        (5, "", "the caption is empty"),
    ],
)
def test_a_bad_row_names_file_and_line(corpus, column, value, message):
    path = corpus.root / "musiccaps-public.csv"
    lines = path.read_text().split("\n")
    row = next(csv.reader([lines[1]]))
    row[column] = value
    fixture.write_csv(path, [row] + [next(csv.reader([line])) for line in lines[2:] if line])
    with pytest.raises(parser.MusicCapsFormatError, match=re.escape(f"{path}:2: {message}")):
        read_split(corpus.root, "test")


def test_caption_end_to_end(corpus):
    examples = stream("music.caption", corpus.root, split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    for e in examples:
        assert e["output"].endswith(corpus.expected[record_id(e)]["caption"])
        assert e["input_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"]
    assert examples[0]["input_audios"][0]["array"].size > 0


def test_text_to_music_end_to_end(corpus):
    examples = stream("music.text_to_music", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        assert corpus.expected[record_id(e)]["caption"] in e["input"]
        assert e["output_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"] and not e["input_audios"]
