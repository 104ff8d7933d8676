"""The CSD parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from corpora import csd as fixture
from util import check_sung_note_question, record_id, stream

from audio_flan.segments import parse_segments
from audio_flan.sources import _music_labels as music
from audio_flan.sources import csd as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read_all(root: Path) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingAudioWarning)
        return [r for s in parser.list_shards(root)["train"] for r in parser.read_shard(root, s)]


def test_records_match_the_fixture(corpus):
    records = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.expected)
    for r in records:
        want = corpus.expected[r["id"]]
        assert (r["audio"], r["language"], r["lyrics"], r["genre"]) == (
            want["audio"],
            want["language"],
            want["lyrics"],
            "children's song",
        )
        notes = parse_segments(r["notes"])
        assert [(round(n.start, 2), round(n.end, 2)) for n in notes] == [
            (round(s, 2), round(e, 2)) for s, e, _, _ in want["notes"]
        ]
        assert [n.label for n in notes] == [f"{syl} {music.note_name(p)}" for _, _, p, syl in want["notes"]]


def test_the_question_names_a_note_by_index_and_time_and_the_answer_is_its_pitch(corpus):
    for r in read_all(corpus.root):
        check_sung_note_question(r, [note[:3] for note in corpus.expected[r["id"]]["notes"]])
    assert read_all(corpus.root) == read_all(corpus.root)  # the same note every time


def test_korean_lyrics_are_read_as_utf8(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)}
    assert records["kr002a"]["lyrics"] == "학교 종이 / 땡땡땡" and records["kr002a"]["language"] == "ko"


def test_a_bad_pitch_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.CSDFormatError, match=re.escape(f"{path}:{line}: pitch 'E4' is not a MIDI number")):
        read_all(corpus.root)


def test_a_song_without_audio_is_counted(corpus):
    fixture.drop_audio(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [r["id"] for r in parser.read_shard(corpus.root, "english")]
    assert "en002b" not in ids
    assert "skipped 1 song(s) whose wav/<id>.wav is missing (en002b)" in str(caught[0].message)


def test_beat_level_pitch_estimation_end_to_end(corpus):
    examples = stream("music.beat_level_pitch_estimation", corpus.root)
    records = {r["id"]: r for r in read_all(corpus.root)}
    assert sorted(record_id(e) for e in examples) == sorted(corpus.expected)
    for e in examples:
        assert records[record_id(e)]["question"] in e["input"]
        assert e["output"].removesuffix(".").endswith(records[record_id(e)]["answer"].removesuffix("."))


def test_synthesis_and_lyrics_to_song_end_to_end(corpus):
    svs = stream("music.singing_voice_synthesis", corpus.root)
    assert sorted(record_id(e) for e in svs) == sorted(corpus.expected)
    for e in svs:
        want = corpus.expected[record_id(e)]
        assert want["lyrics"] in e["input"]
        start, end, pitch, syllable = want["notes"][0]
        assert f"{start:.2f}-{end:.2f}: {syllable} {music.note_name(pitch)}" in e["input"]  # the score, timed
        assert e["output_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"]
    songs = stream("music.lyrics_to_song", corpus.root)
    assert {e["language"][0] for e in songs} == {"en", "ko"}


def test_genre_classification_end_to_end(corpus):
    examples = stream("music.genre_classification", corpus.root)
    assert examples and all(e["output"].removesuffix(".").endswith("children's song") for e in examples)
