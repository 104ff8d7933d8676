"""LJSpeech 1.1 on a copy in the published layout: normalized and raw transcripts (unbalanced quotes kept), one
female English speaker, and the configs it feeds."""

from __future__ import annotations

import pytest
from corpora import ljspeech as fixture
from util import corpus_fixture, stream

from audio_flan.sources import ljspeech as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return {r["id"]: r for shard in parser.list_shards(root)["train"] for r in parser.read_shard(root, shard)}


def test_transcripts_as_written_and_normalized(corpus):
    got = records(corpus.root)
    assert {k: (r["text"], r["text_original"]) for k, r in got.items()} == {
        k: (v["text"], v["text_original"]) for k, v in corpus.expected.items()
    }
    assert got["LJ001-0002"]["text"] == 'in being comparatively modern. "The earliest book'  # unbalanced quote kept
    assert {(r["speaker"], r["gender"], r["language"]) for r in got.values()} == {("LJ", "female", "en")}


def test_an_id_that_is_not_an_ljspeech_id_names_the_line(corpus):
    path = corpus.root / "metadata.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "LJ2-14|text|text"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(parser.LJSpeechFormatError, match=f"{path}:3: id 'LJ2-14' is not"):
        records(corpus.root)


def test_asr_tts_and_labels_through_the_builder(corpus):
    asr = stream("speech.asr", corpus.data_dir)
    assert sorted(e["id"].rsplit("/", 1)[1] for e in asr) == sorted(corpus.expected)
    assert all(e["source"] == "LJSpeech" and e["language"] == ["en"] for e in asr)
    (tts,) = [e for e in stream("speech.tts", corpus.data_dir) if e["id"].endswith("LJ002-0014")]
    assert "He paid three shillings on the fifth of May eighteen twenty." in tts["input"]
    assert tts["output_audios"][0]["sampling_rate"] == fixture.RATE
    genders = stream("speech.gender_recognition", corpus.data_dir)
    assert genders and all(e["output"].rstrip(".").endswith("female") for e in genders)
