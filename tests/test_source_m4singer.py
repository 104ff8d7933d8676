"""The M4Singer parser on a tiny copy in the published layout (meta.json, ``<Singer>#<Song>`` folders with
Chinese names), alone and through the builder for conversion, synthesis and lyrics-to-song."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from corpora import m4singer as fixture
from util import record_id, stream

from audio_flan.sources import m4singer as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read_split(root: Path, split: str) -> tuple[dict[str, dict], str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = {r["id"]: r for s in parser.list_shards(root)[split] for r in parser.read_shard(root, s)}
    return records, " ".join(str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning))


def test_records_and_the_official_split(corpus):
    for split in ("train", "test"):
        records, _ = read_split(corpus.root, split)
        assert sorted(records) == sorted(corpus.ids(split))
        for rid, r in records.items():
            want = corpus.expected[rid]
            assert (r["audio"], r["singer"], r["song"], r["lyrics"]) == (
                want["audio"],
                want["singer"],
                want["song"],
                want["lyrics"],
            )
            assert r["language"] == "zh"
    assert parser.split_of("Tenor-1#童话#0003") == "test" and parser.split_of("Tenor-3#童话#0003") == "train"


def test_the_absent_wav_is_counted(corpus):
    _, text = read_split(corpus.root, "train")
    assert f"skipped 1 sentence(s) whose <Singer>#<Song>/<n>.wav is missing ({fixture.ABSENT})" in text


def test_notes_join_initial_and_final_and_leave_rests_out(corpus):
    records, _ = read_split(corpus.root, "train")
    first = records["Alto-1#童话#0000"]["notes"].splitlines()
    # <AP> (0.10 s) is a rest; "w"+"ang" is one syllable on D4 from 0.10 to 0.10+0.11+0.12
    assert first[0] == "0.10-0.33: wang D4" and len(first) == 5
    slurred = records["Alto-1#童话#0001"]["notes"].splitlines()
    assert [line.split(": ")[1] for line in slurred] == ["zai C4", "mei D4", "ei E4", "ting F4"]
    with_pause = records["Alto-1#稻香 live#0000"]["notes"].splitlines()
    assert [line.split(": ")[1] for line in with_pause] == ["hai A3", "ji B3"]


def test_conversion_pairs_a_parallel_line_and_a_reference(corpus):
    train, _ = read_split(corpus.root, "train")
    alto = train["Alto-1#童话#0000"]
    assert alto["source_audio_id"] == "Tenor-3#童话#0000"  # the same line by another singer of the split
    assert alto["source_audio"] == corpus.expected["Tenor-3#童话#0000"]["audio"]
    assert alto["reference_audio_id"] == "Alto-1#稻香 live#0000"  # the target singer, another song
    assert train["Tenor-3#夜曲#0000"]["source_audio"] is None  # nobody else sings this line
    test, _ = read_split(corpus.root, "test")
    assert test["Tenor-1#童话#0000"]["source_audio"] is None  # parallels are not drawn across splits
    assert test["Tenor-1#童话#0000"]["reference_audio_id"] == "Tenor-1#童话#0001"


def test_a_bad_entry_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(
        parser.M4SingerFormatError, match=re.escape(f"{path}:{line}: Alto-1#童话#0001: notes is not a list of 7")
    ):
        read_split(corpus.root, "train")


def test_a_bad_entry_is_counted_under_on_error_skip(corpus):
    fixture.malform(corpus)
    examples = stream("music.lyrics_to_song", corpus.data_dir, on_error="skip")
    assert "Alto-1#童话#0001" not in {record_id(e) for e in examples}
    assert "Alto-1#童话#0000" in {record_id(e) for e in examples}


def test_singing_voice_conversion_end_to_end(corpus):
    examples = stream("music.singing_voice_conversion", corpus.data_dir)
    by_id = {record_id(e): e for e in examples}
    assert set(by_id) == {"Alto-1#童话#0000", "Alto-1#童话#0001", "Tenor-3#童话#0000", "Tenor-3#童话#0001"}
    e = by_id["Alto-1#童话#0000"]
    paths = [x["path"] for x in e["input_audios"]]
    assert paths == [corpus.expected["Tenor-3#童话#0000"]["audio"], corpus.expected["Alto-1#稻香 live#0000"]["audio"]]
    assert e["output_audios"][0]["path"] == corpus.expected["Alto-1#童话#0000"]["audio"]


def test_synthesis_and_lyrics_to_song_end_to_end(corpus):
    examples = stream("music.singing_voice_synthesis", corpus.data_dir, split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    e = next(e for e in examples if record_id(e) == "Tenor-1#童话#0000")
    assert "忘了有多久" in e["input"] and "wang E3" in e["input"]
    songs = stream("music.lyrics_to_song", corpus.data_dir)
    assert sorted(record_id(e) for e in songs) == sorted(corpus.ids("train"))
    assert json.loads(songs[0]["metadata"]) is not None
