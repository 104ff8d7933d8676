"""Fluent Speech Commands on a copy in the published layout: transcriptions and intents from the split CSVs,
genders from the demographics by position, the corpus's splits, zero-shot prompts, absent audio counted, and the
configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import fluent_speech_commands as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import fluent_speech_commands as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True)


def test_texts_intents_genders_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want, rid
    heat = next(r for r in got.values() if r["action"] == "increase")
    assert heat["text"] == "Heat up, please" and heat["object"] == "heat" and heat["location"] is None
    language = next(r for r in got.values() if r["action"] == "change language")
    assert language["intent"] == "change language_Chinese_none"
    assert got[next(iter(k for k in got if k.startswith("35v28")))]["first_language"] == "Telugu"
    assert any("1 CSV row(s) whose .wav file is missing (train_data.csv:" in r for r in reports)


def test_zero_shot_prompts_are_another_command_of_the_same_speaker(corpus):
    got, _ = records(corpus.root)
    for r in got.values():
        prompt = got[r["prompt_audio_id"]]
        assert prompt["speaker"] == r["speaker"] and prompt["text"] != r["text"] and prompt["split"] == r["split"]


def test_a_row_missing_a_field_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.FluentSpeechCommandsFormatError, match=f"{path}:{line}: expected 7 comma-separated"):
        records(corpus.root)


def test_a_speaker_without_demographics_names_the_row(corpus):
    path = corpus.root / "data" / "speaker_demographics.csv"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("52XV")) + "\n")
    with pytest.raises(parser.FluentSpeechCommandsFormatError, match="test_data.csv:2: speaker '52XVOeXMXYuaElyw'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    intents = stream("speech.intent_classification", corpus.data_dir, source="fluent_speech_commands")
    by_id = {json.loads(e["metadata"])["id"]: e["output"] for e in intents}
    assert all(out.rstrip(".").endswith(corpus.expected[k]["intent"]) for k, out in by_id.items())
    genders = stream("speech.gender_recognition", corpus.data_dir, split="test", source="fluent_speech_commands")
    assert genders and all(e["output"].rstrip(".").endswith("female") for e in genders)
    from audio_flan.builder import AudioFlan

    # the validation speaker left gender blank: gender recognition has no validation split
    info = AudioFlan(
        config_name="speech.gender_recognition", data_dir=str(corpus.data_dir), source="fluent_speech_commands"
    )
    assert "validation" not in info.as_streaming_dataset()
    zs = stream("speech.zero_shot_tts", corpus.data_dir, source="fluent_speech_commands")
    assert zs and all(len(e["input_audios"]) == 1 and len(e["output_audios"]) == 1 for e in zs)
    sv = stream("speech.speaker_verification", corpus.data_dir, source="fluent_speech_commands")
    assert {e["output"].rstrip(".").split()[-1].lower() for e in sv} == {"yes", "no"}
