"""The Vocadito parser on a tiny copy in the published layout (Hz note CSVs without header or final newline, the
metadata's language spellings, two annotators), alone and through the builder for beat-level pitch estimation,
singing voice synthesis and lyrics-to-song."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from corpora import vocadito as fixture
from corpora.common import replace_line
from util import check_sung_note_question, record_id, stream

from audio_flan.segments import parse_segments
from audio_flan.sources import _music_labels as music
from audio_flan.sources import vocadito as parser
from audio_flan.sources.base import MissingAudioWarning

SPLITS = ("train", "validation", "test")


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read(root: Path, split: str) -> list[dict]:
    return [r for s in parser.list_shards(root)[split] for r in parser.read_shard(root, s)]


def read_all(root: Path) -> dict[str, dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingAudioWarning)
        return {r["id"]: {**r, "split": split} for split in SPLITS for r in read(root, split)}


def test_records_match_the_fixture(corpus):
    records = read_all(corpus.root)
    assert sorted(records) == sorted(corpus.expected)
    for rid, r in records.items():
        want = corpus.expected[rid]
        for key in ("audio", "singer", "language", "language_name", "lyrics", "split"):
            assert r[key] == want[key], (rid, key)
        notes = parse_segments(r["notes"])  # annotator A1's notes, Hz rounded to the nearest MIDI number
        assert [(n.start, n.end) for n in notes] == [(round(s, 2), round(e, 2)) for s, e, _ in want["notes"]]
        assert [n.label for n in notes] == [music.note_name(p) for _, _, p in want["notes"]]


def test_quirks_of_the_metadata_and_lyrics(corpus):
    records = read_all(corpus.root)
    assert records["vocadito_1"]["lyrics"] == "ako ay may lobo / lumipad sa langit / sayang ang pera ko"  # stanza gap
    assert records["vocadito_4"]["language"] == ["ca"]  # "Catalan/Valencian" is one language
    assert records["vocadito_37"]["language"] == ["haw", "en"]  # 639-3 where 639-1 has no code
    wordless = records["vocadito_17"]
    assert (wordless["language"], wordless["language_name"], wordless["lyrics"]) == ([], None, None)
    assert records["vocadito_35"]["lyrics"] == "两只老虎"


def test_no_singer_is_in_two_splits_and_every_split_is_used(corpus):
    records = read_all(corpus.root)
    splits_of: dict[str, set[str]] = {}
    for r in records.values():
        splits_of.setdefault(r["singer"], set()).add(r["split"])
        assert r["split"] == parser.split_of(r["singer"])
    assert all(len(s) == 1 for s in splits_of.values())
    assert {r["split"] for r in records.values()} == set(SPLITS)


def test_the_question_names_a_note_by_index_and_time_and_the_answer_is_its_pitch(corpus):
    for rid, r in read_all(corpus.root).items():
        check_sung_note_question(r, corpus.expected[rid]["notes"])
    assert read_all(corpus.root) == read_all(corpus.root)  # the same note every time


def test_a_bad_note_row_names_file_and_line_and_is_skipped_on_request(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.VocaditoFormatError, match=re.escape(f"{path}:{line}: expected onset,pitch,duration")):
        read_all(corpus.root)
    rid = f"vocadito_{fixture.MALFORMED}"
    split = corpus.expected[rid]["split"]
    examples = stream("music.singing_voice_synthesis", corpus.data_dir, split=split, on_error="skip")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids(split) - {rid})


def test_a_language_the_corpus_does_not_use_names_file_and_line(corpus):
    path = corpus.root / "vocadito_metadata.csv"
    replace_line(path, 3, "2,S2,65,Klingon")
    with pytest.raises(parser.VocaditoFormatError, match=re.escape(f"{path}:3: language 'Klingon' is not one of")):
        read_all(corpus.root)


def test_a_bad_metadata_row_is_counted_by_a_load_of_any_one_split(corpus):
    path = corpus.root / "vocadito_metadata.csv"
    replace_line(path, 3, "2,S2,sixty-five,Spanish")  # track 2, a validation excerpt
    for split in SPLITS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            examples = stream("music.lyrics_to_song", corpus.data_dir, split=split, on_error="skip")
        text = " ".join(str(w.message) for w in caught)
        assert text.count(f"{path}:3: average_pitch 'sixty-five' is not a MIDI number") == 1, (split, text)
        with_lyrics = {k for k in corpus.ids(split) if corpus.expected[k]["lyrics"]}
        assert {record_id(e) for e in examples} == with_lyrics - {"vocadito_2"}


def test_an_excerpt_without_audio_is_counted(corpus):
    split, gone = fixture.drop_audio(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [r["id"] for r in read(corpus.root, split)]
    assert gone not in ids and ids
    text = " ".join(str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning))
    assert f"skipped 1 excerpt(s) whose Audio/vocadito_<n>.wav is missing ({gone})" in text


def test_beat_level_pitch_estimation_end_to_end(corpus):
    records = read_all(corpus.root)
    for split in SPLITS:
        examples = stream("music.beat_level_pitch_estimation", corpus.data_dir, split=split)
        assert sorted(record_id(e) for e in examples) == sorted(corpus.ids(split))
        for e in examples:
            assert records[record_id(e)]["question"] in e["input"]
            assert e["output"].removesuffix(".").endswith(records[record_id(e)]["answer"].removesuffix("."))


def test_synthesis_and_lyrics_to_song_end_to_end(corpus):
    svs = stream("music.singing_voice_synthesis", corpus.data_dir, split="test")
    assert sorted(record_id(e) for e in svs) == ["vocadito_10", "vocadito_37"]  # 17 has notes but no lyrics
    for e in svs:
        want = corpus.expected[record_id(e)]
        assert want["lyrics"] in e["input"]
        start, end, pitch = want["notes"][0]
        assert f"{start:.2f}-{end:.2f}: {music.note_name(pitch)}" in e["input"]
        assert e["output_audios"][0]["path"] == want["audio"]
    songs = stream("music.lyrics_to_song", corpus.data_dir, split="test")
    assert {record_id(e): e["language"] for e in songs} == {"vocadito_10": ["en"], "vocadito_37": ["haw", "en"]}
