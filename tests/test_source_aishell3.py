"""AISHELL-3 on a copy in the published layout (spk-info.txt with # header lines, content.txt with a BOM and
characters and pinyin in turn, wav/<spk>/<utt>.wav): texts, pinyin, labels, official splits, prompts, the
quirks counted, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import aishell3 as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import aishell3 as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_characters_and_pinyin_are_told_apart(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["text"], r["pinyin"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"], v["pinyin"]) for k, v in corpus.expected.items()
    }
    assert (got["SSB00050001"][1]["text"], got["SSB00050001"][1]["pinyin"]) == ("广州女孩", "guang3 zhou1 nv3 hai2")
    assert got["SSB00050002"][1]["text"] == "今天点儿"  # erhua: two characters, one syllable
    assert any("skipped 1 row(s) whose WAV is missing (line 8: SSB00090003)" in r for r in reports)


def test_speaker_labels(corpus):
    got, _ = records(corpus.root)
    labels = {k: (r["gender"], r["age_group"], r["accent"]) for k, (_, r) in got.items()}
    assert labels["SSB00050001"] == ("female", "14 to 25", "northern Mandarin")
    assert labels["SSB00090001"] == ("female", "26 to 40", "southern Mandarin")
    assert labels["SSB00110001"] == ("male", "over 40", "other")
    assert labels["SSB00120001"] == ("male", "under 14", "northern Mandarin")
    assert labels["SSB00990001"] == (None, None, None)  # no spk-info.txt row
    assert got["SSB00050003"][0] == "test" and got["SSB00050001"][0] == "train"  # the split is the folder


def test_prompts_are_another_utterance_of_the_same_speaker(corpus, monkeypatch):
    monkeypatch.setattr(parser, "SPEAKERS_PER_SHARD", 1)
    got, _ = records(corpus.root)
    for _, r in got.values():
        if r["prompt_audio"] is None:
            assert (
                sum(
                    1
                    for _, o in got.values()
                    if o["speaker"] == r["speaker"] and o["audio"].split("/")[-4] == r["audio"].split("/")[-4]
                )
                == 1
            )
        else:
            assert r["prompt_audio_id"] != r["id"] and r["prompt_audio_id"][:7] == r["speaker"]
    assert got["SSB00050003"][1]["prompt_audio"] is None  # alone in test


def test_a_token_that_is_not_pinyin_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.Aishell3FormatError, match=f"{path}:{line}: expected characters and pinyin in turn"):
        records(corpus.root)
    path.write_text("SSB00050001.wav\t广 州\n", encoding="utf-8")
    with pytest.raises(parser.Aishell3FormatError, match=f"{path}:1: token 2 is '州'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    phones = stream("speech.phonetic_recognition", corpus.data_dir, source="aishell3")
    outputs = {json.loads(e["metadata"])["id"]: e["output"] for e in phones}
    assert outputs["SSB00050001"].endswith("guang3 zhou1 nv3 hai2")
    sv = stream("speech.speaker_verification", corpus.data_dir, source="aishell3")
    answers = [json.loads(e["metadata"])["same"] for e in sv]
    assert abs(answers.count(True) - answers.count(False)) <= 1
    for e in sv:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and (a[:7] == b[:7]) == meta["same"]
    age = stream("speech.age_recognition", corpus.data_dir, source="aishell3")
    assert "SSB00990001" not in {json.loads(e["metadata"])["id"] for e in age}
