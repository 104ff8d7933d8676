"""Genshin/StarRail voice sets in the layout the sets' scripts write: lines from the main and conversation sets,
unspeakable lines and absent audio counted, characters split by hash, zero-shot prompts, and the configs it
feeds."""

from __future__ import annotations

import json

import pytest
from corpora import genshin_starrail as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import genshin_starrail as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True, warning=Warning)


def test_lines_languages_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want, rid
    assert got["zh_安柏_vo_amber_01"]["language_name"] == "Mandarin Chinese"
    assert got["en_Amber_vo_fetter_amber_01"]["category"] == "Conversation"
    assert {r["game"] for r in got.values()} == {"Genshin"}
    assert {got["en_Kaeya_vo_kaeya_01"]["split"], got["en_Klee_vo_klee_01"]["split"]} == {"test", "validation"}
    joined = " ".join(reports)
    assert "2 line(s) with no speakable text" in joined and "1 .lab file(s) whose .wav file is missing" in joined


def test_prompts_are_another_line_of_the_character(corpus):
    got, _ = records(corpus.root)
    for rid, r in got.items():
        if r["prompt_audio_id"] is None:
            continue
        prompt = got[r["prompt_audio_id"]]
        assert prompt["speaker"] == r["speaker"] and prompt["text"] != r["text"] and rid != prompt["id"]
    assert got["zh_丽莎_vo_lisa_01"]["prompt_audio_id"] is None  # her only line


def test_a_lab_that_is_not_utf8_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.GenshinStarRailFormatError, match=f"{path}:{line}: not utf-8 text"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    tts = stream("speech.tts", corpus.data_dir, source="genshin_starrail")
    assert {json.loads(e["metadata"])["id"] for e in tts} == {
        k for k, v in corpus.expected.items() if v["split"] == "train"
    }
    zs = stream("speech.zero_shot_tts", corpus.data_dir, source="genshin_starrail")
    assert zs and all(len(e["input_audios"]) == 1 for e in zs)
