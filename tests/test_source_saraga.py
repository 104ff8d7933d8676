"""The Saraga parser on a tiny copy of both collections in their published layout (``.mp3.mp3`` mixes, each
collection's JSON keys, folder names with spaces and diacritics), alone and through the builder for text-to-music
and text-guided continuation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from corpora import saraga as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import saraga as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_records_and_descriptions_match_the_fixture(corpus):
    records, text = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.ids("train"))
    for r in records:
        assert {**r, "split": "train"} == {"id": r["id"], **corpus.expected[r["id"]]}
        assert r["audio"].endswith(".mp3.mp3")  # the doubled extension, never the multitrack stem
    assert "skipped 1 track(s) whose <title>.mp3.mp3 mix is missing (Live by Ajoy Chakrabarty/Raag Bhairavi)" in text


def test_one_collection_alone_is_read_once(corpus, tmp_path):
    assert not parser.detect(corpus.root / "saraga1.5_hindustani")  # else a root holding both is read twice
    alone = tmp_path / "only"
    alone.mkdir()
    (corpus.root / "saraga1.5_hindustani").rename(alone / "saraga1.5_hindustani")
    assert [r["tradition"] for r in read_all(alone)[0]] == ["Hindustani"]


def test_a_bad_json_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.SaragaFormatError, match=re.escape(f"{path}:{line}: 'title' is not")):
        read_all(corpus.root)
    examples = stream("music.text_to_music", corpus.data_dir, on_error="skip")
    assert len(examples) == len(corpus.ids("train")) - 1


def test_text_to_music_end_to_end(corpus):
    examples = stream("music.text_to_music", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        assert corpus.expected[record_id(e)]["description"] in e["input"]
        assert e["output_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"]


def test_text_guided_continuation_end_to_end(corpus):
    examples = stream("music.text_guided_continuation", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert want["description"] in e["input"]
        cut = json.loads(e["metadata"])["continuation"]
        prompt, answer = e["input_audios"][0], e["output_audios"][0]
        rate = prompt["sampling_rate"]
        assert rate == fixture.RATE and 2.0 <= cut["prompt_seconds"] <= fixture.SECONDS - 1.0
        assert abs(prompt["array"].size / rate - cut["prompt_seconds"]) < 0.06  # MP3 frames
        assert abs(answer["array"].size / rate - cut["continuation_seconds"]) < 0.06
        assert cut["start"] + cut["prompt_seconds"] + cut["continuation_seconds"] <= fixture.SECONDS + 1e-6
