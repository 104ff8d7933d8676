"""The Opencpop parser on a tiny copy in the release's layout (and ESPnet's ``raw_data/`` arrangement): the official
split, the scores written from the ``|``-separated labels, the absent WAV, bad lines, and the two configs it feeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import soundfile as sf
from corpora import opencpop as fixture
from corpora.common import replace_line
from util import read_records, record_id, stream

from audio_flan.sources import opencpop as parser


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read_split(root: Path, split: str) -> tuple[dict[str, dict], str]:
    return read_records(parser, root, split)


@pytest.mark.parametrize("espnet", [False, True])
def test_records_scores_and_the_official_split(tmp_path, espnet):
    corpus = fixture.build(tmp_path / "data", espnet=espnet)
    assert parser.detect(corpus.root)
    assert (corpus.root / "raw_data" / "midis").is_dir() == espnet
    for split in ("train", "test"):
        records, _ = read_split(corpus.root, split)
        assert sorted(records) == sorted(corpus.ids(split))
        for rid, r in records.items():
            want = corpus.expected[rid]
            assert (r["audio"], r["song"], r["lyrics"], r["notes"]) == (
                want["audio"],
                want["song"],
                want["lyrics"],
                want["notes"],
            )
            assert r["language"] == "zh"


def test_both_spellings_of_a_black_key_are_one_pitch():
    assert parser.midi_of("D#4/Eb4") == parser.midi_of("D#4") == 63
    assert parser.midi_of("rest") == 0
    with pytest.raises(ValueError, match="not one pitch"):
        parser.midi_of("D#4/E4")


def test_the_absent_wav_is_counted(corpus):
    records, text = read_split(corpus.root, "train")
    assert fixture.ABSENT not in records
    assert f"skipped 1 utterance(s) whose segments/wavs/<id>.wav is missing ({fixture.ABSENT})" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (3, "C4 C4 D4", "3 notes for 8 phonemes; expected one each"),
        (3, "C4 C4 H4 E4 E4 F4 F4 rest", "a note is not 'rest' or a note name"),
        (3, "C4 C4 D#4/E4 E4 E4 F4 F4 rest", "are not one pitch"),
        (5, "0.04 0.08 -0.1 0.05 0.1 0.04 0.12 0.06", "duration '-0.1' is not a number of seconds"),
        (6, "0 0 2 0 0 0 0 0", "a slur flag is not 0 or 1"),
        (0, "2001-02", "utterance id '2001-02' is not 10 digits"),
    ],
)
def test_a_bad_line_names_file_line_and_what_was_expected(corpus, field, value, message):
    path = corpus.root / "segments" / "train.txt"
    fields = fixture.label_line(*fixture.UTTERANCES[1]).split("|")
    fields[field] = value
    replace_line(path, 2, "|".join(fields))
    with pytest.raises(parser.OpencpopFormatError, match=re.escape(f"{path}:2: ") + ".*" + re.escape(message)):
        read_split(corpus.root, "train")


def test_a_repeated_id_is_an_error(corpus):
    path = corpus.root / "segments" / "train.txt"
    replace_line(path, 2, fixture.label_line(*fixture.UTTERANCES[0]))
    with pytest.raises(
        parser.OpencpopFormatError, match=re.escape(f"{path}:2: 2001000001 is listed already at line 1")
    ):
        read_split(corpus.root, "train")


def test_a_bad_line_is_counted_under_on_error_skip(corpus):
    fixture.malform(corpus)
    examples = stream("music.lyrics_to_song", corpus.data_dir, on_error="skip")
    assert {record_id(e) for e in examples} == {"2001000001"}


def test_synthesis_end_to_end(corpus):
    examples = stream("music.singing_voice_synthesis", corpus.data_dir)
    by_id = {record_id(e): e for e in examples}
    assert set(by_id) == corpus.ids("train")
    e = by_id["2001000002"]
    assert "我发端" in e["input"] and "0.12-0.22: o D4" in e["input"]
    assert e["output_audios"][0]["path"] == corpus.expected["2001000002"]["audio"]
    audio = e["output_audios"][0]
    assert audio["sampling_rate"] == sf.info(corpus.expected["2001000002"]["audio"]).samplerate == fixture.RATE
    test = stream("music.singing_voice_synthesis", corpus.data_dir, split="test")
    assert [record_id(e) for e in test] == ["2002000001"]
    assert "0.17-0.34: kong G#4" in test[0]["input"]


def test_lyrics_to_song_end_to_end(corpus):
    examples = stream("music.lyrics_to_song", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    assert all(e["source"] == "Opencpop" and e["language"] == ["zh"] for e in examples)
