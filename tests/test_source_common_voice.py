"""Common Voice on copies of two releases in the published layout (v15 and v17 columns), MP3 clips decoded with
soundfile: transcripts with unbalanced quotes, demographics spelled as the other corpora spell them, absent
clips counted, and the configs it feeds."""

from __future__ import annotations

import json
import warnings

from corpora import common_voice as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import common_voice as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_both_releases_are_read_by_column_name(corpus):
    got = {}
    for version in ("cv-corpus-15.0-2023-09-08", "cv-corpus-17.0-2024-03-15"):
        got.update(records(corpus.data_dir / version)[0])
    assert {k: (s, r["text"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"]) for k, v in corpus.expected.items()
    }
    assert got["common_voice_fr_1002"][1]["text"] == "Il a dit \"oui et puis s'en alla."


def test_demographics_are_spelled_as_the_other_corpora_spell_them(corpus):
    got = records(corpus.data_dir / "cv-corpus-17.0-2024-03-15")[0]
    got.update(records(corpus.root)[0])
    labels = {k: (r["gender"], r["age_group"], r["accent"]) for k, (_, r) in got.items()}
    assert labels["common_voice_fr_1003"] == ("female", "forties", "Français de Belgique")  # "fourties" in the TSV
    assert labels["common_voice_en_5001"] == ("female", "thirties", "United States English")  # female_feminine
    assert labels["common_voice_en_5003"] == (None, None, None)  # do_not_wish_to_say, no age: unset
    assert labels["common_voice_fr_2001"][0] is None  # "other": not a label of gender recognition
    assert {r["language"] for _, r in got.values()} == {"fr", "en"}


def test_a_row_whose_clip_is_absent_is_counted(corpus):
    _, reports = records(corpus.root)
    assert reports == [
        f"Common Voice {corpus.root / 'train.tsv'} shard 1/1: skipped 1 row(s) whose clip is missing "
        "(line 5: common_voice_fr_1004.mp3)"
    ]


def test_mp3_decodes_and_labels_reach_the_configs(corpus):
    asr = stream("speech.asr", corpus.data_dir, source="common_voice")
    assert len(asr) == 6 and {e["language"][0] for e in asr} == {"fr", "en"}
    assert asr[0]["input_audios"][0]["sampling_rate"] == fixture.RATE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        genders = stream("speech.gender_recognition", corpus.data_dir, source="common_voice")
    asked = {json.loads(e["metadata"])["id"]: e["output"] for e in genders}
    assert "common_voice_en_5003" not in asked  # no usable gender: left out
    assert asked["common_voice_en_5002"].rstrip(".").endswith("male")
    lid = stream("speech.language_identification", corpus.data_dir, source="common_voice")
    assert {e["output"].rstrip(".").split()[-1] for e in lid} == {"French", "English"}
