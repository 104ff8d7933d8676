"""FLEURS on a copy of the Hub layout (data/<lang>/<split>.tsv without header, audio/<split>/ extracted beside its
archive): transcripts with quotes, languages as ISO codes, genders, the translation pairs drawn across languages
by sentence id, an archive left unextracted and a missing WAV counted, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import fleurs as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import fleurs as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def rid(lang: str, number: int) -> str:
    return f"{lang}_{fixture.file_name(number)[:-4]}"


def test_rows_languages_and_genders(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["text"], r["gender"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"], v["gender"]) for k, v in corpus.expected.items()
    }
    assert got[rid("en_us", 11)][1]["text"] == 'The "quick" brown fox jumps.'
    assert got[rid("en_us", 14)][1]["gender"] is None  # OTHER
    langs = {r["locale"]: (r["language"], r["language_name"]) for _, r in got.values()}
    assert langs == {"en_us": ("en", "English"), "fr_fr": ("fr", "French"), "cmn_hans_cn": ("zh", "Mandarin Chinese")}
    assert any("skipped 1 row(s) whose audio is in audio/dev.tar.gz, not extracted" in r for r in reports)


def test_translations_pair_the_same_sentence_in_another_language(corpus):
    got, _ = records(corpus.root)
    by_id = {r["id"]: r for _, r in got.values()}
    paired = 0
    for split, r in got.values():
        if r["translation_text"] is None:
            continue
        paired += 1
        assert r["target_language"] != r["language"]
        if r["translation_audio"] is not None:  # the partner row: same sentence, other language, same split
            partner = by_id[r["translation_audio_id"]]
            assert (partner["sentence_id"], partner["language"], got[partner["id"]][0]) == (
                r["sentence_id"],
                r["target_language"],
                split,
            )
            assert partner["text"] == r["translation_text"]
    assert paired >= 10
    assert got[rid("en_us", 14)][1]["translation_text"] is None  # no other language has sentence 1003
    fr_dev = got[rid("cmn_hans_cn", 33)][1]  # its partners: en_us (extracted) or fr_fr (audio in an archive)
    assert fr_dev["translation_text"] in ("See you tomorrow.", "À demain.")
    assert (fr_dev["translation_audio"] is None) == (fr_dev["translation_text"] == "À demain.")
    again, _ = records(corpus.root)
    assert again == got  # deterministic


def test_the_same_sentence_read_twice_gives_two_records(corpus):
    got, _ = records(corpus.root)
    assert got[rid("en_us", 11)][1]["sentence_id"] == got[rid("en_us", 12)][1]["sentence_id"] == "1001"


def test_a_bad_num_samples_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.FleursFormatError, match=f"{path}:{line}: num_samples 'many'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    st = stream("speech.speech_translation", corpus.data_dir, source="fleurs")
    assert st
    for e in st:
        meta = json.loads(e["metadata"])
        assert meta["target_language_name"] in e["input"]
        assert e["output"].endswith(meta["translation_text"])
    s2st = stream("speech.speech_to_speech_translation", corpus.data_dir, source="fleurs")
    assert s2st and all(len(e["input_audios"]) == 1 and len(e["output_audios"]) == 1 for e in s2st)
    for e in s2st:
        meta = json.loads(e["metadata"])
        assert e["output"] == f"<|SOA|>FLEURS_{meta['translation_audio_id']}<|EOA|>"
    lid = stream("speech.language_identification", corpus.data_dir, source="fleurs")
    assert {e["output"].rstrip(".").split(" ")[-1] for e in lid} >= {"English", "French"}
    assert {tuple(e["language"]) for e in lid} == {("en",), ("fr",), ("zh",)}
