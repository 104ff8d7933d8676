"""KeSpeech on a copy in the release layout (Metadata/ and Tasks/ASR/ Kaldi tables, Audio/<spk>/phase{1,2}/):
tables joined by id, subdialects, speaker labels, official splits, prompts and candidates drawn within a shard,
the quirks counted, and the configs it feeds."""

from __future__ import annotations

import json
import re

import pytest
from corpora import kespeech as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import kespeech as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_texts_dialects_and_splits_follow_the_tables(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["text"], r["dialect"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"], v["dialect"]) for k, v in corpus.expected.items()
    }
    assert got["1000002_1b2c3d4e"][1]["text"] == "请 关 门"  # <SPOKEN_NOISE> removed
    assert got["1000001_0a1b2c3d"][1]["dialect_text"] == "今天 天气 很 好"
    assert got["1000001_4e5f6071"][1]["dialect_text"] is None  # Mandarin: not dialect ASR
    assert (got["1000005_718293a4"][1]["phase"], got["1000005_718293a5"][1]["phase"]) == ("phase1", "phase2")
    skipped = " ".join(reports)
    assert "1 wav.scp entries that are commands, not files (line 9: 1000002_1b2c3d50)" in skipped
    assert "1 utterance(s) whose text is only <SPOKEN_NOISE> (1000003_2c3d4e5f)" in skipped


def test_speaker_labels_are_spelled_as_the_other_corpora_spell_them(corpus):
    got, _ = records(corpus.root)
    r = got["1000003_2c3d4e60"][1]
    assert (r["gender"], r["age"], r["age_group"], r["city"]) == ("female", 41, "forties", "Jinan")
    assert (got["1000004_5f607182"][1]["gender"], got["1000004_5f607182"][1]["age_group"]) == ("male", "teens")
    absent = got["1000007_3d4e5f60"][1]  # in Tasks/ASR, not in Metadata/
    assert (absent["gender"], absent["age_group"], absent["city"]) == (None, None, None)
    assert {r["language"] for _, r in got.values()} == {"zh"}


def test_a_speaker_stays_in_one_shard_and_prompts_are_another_utterance(corpus, monkeypatch):
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 64)  # several shards per subset
    listing = parser.list_shards(corpus.root)
    assert max(len(s) for s in listing.values()) > 1
    seen = {}
    for shards in listing.values():
        for shard in shards:
            for r in parser.read_shard(corpus.root, shard):
                assert seen.setdefault((r["subset"], r["speaker"]), tuple(shard)) == tuple(shard)
                if r["prompt_audio"] is not None:
                    assert r["prompt_audio_id"] != r["id"] and r["prompt_audio_id"].startswith(r["speaker"] + "_")
    got, _ = records(corpus.root)
    assert got["1000006_8293a4b5"][1]["prompt_audio"] is None  # alone in the test subset


def test_a_wav_scp_id_missing_from_text_names_the_line(corpus):
    text = corpus.root / "Tasks" / "ASR" / "dev_phase2" / "text"
    text.write_text("", encoding="utf-8")
    with pytest.raises(parser.KeSpeechFormatError, match=r"dev_phase2/wav.scp:1: 1000004_60718293 has no line in text"):
        records(corpus.root)


def test_a_bad_gender_names_file_and_line(corpus):
    path = corpus.root / "Metadata" / "spk2gender"
    path.write_text("1000001 Female\n1000002 M\n", encoding="utf-8")
    with pytest.raises(parser.KeSpeechFormatError, match=f"{path}:2: gender of 1000002 is 'M'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    dialect = stream("speech.dialect_asr", corpus.data_dir, source="kespeech")
    ids = {json.loads(e["metadata"])["id"] for e in dialect}
    assert ids == {k for k, v in corpus.expected.items() if v["split"] == "train" and v["dialect"] != "Mandarin"}
    sid = stream("speech.speaker_identification", corpus.data_dir, source="kespeech")
    train_speakers = {v["speaker"] for v in corpus.expected.values() if v["split"] == "train"}
    for e in sid:
        speaker = json.loads(e["metadata"])["speaker"]
        listed = set(re.findall(r"\d{7}", e["input"].split("\n")[1]))  # the line after the audio's
        assert speaker in listed and 2 <= len(listed) <= 4 and listed <= train_speakers  # up to 4 of its shard
        assert e["output"].rstrip(".").split()[-1] == speaker
    labels = {
        json.loads(e["metadata"])["id"]: e["output"]
        for e in stream("speech.dialect_identification", corpus.data_dir, source="kespeech")
    }
    assert any("Southwestern" in out for out in labels.values())
    zs = stream("speech.zero_shot_tts", corpus.data_dir, split="test", source="kespeech")
    assert {json.loads(e["metadata"])["id"] for e in zs} == {"1000005_718293a4", "1000005_718293a5"}
    sv = stream("speech.speaker_verification", corpus.data_dir, source="kespeech")
    assert sv and {e["output"].split()[-1].strip(".").lower() for e in sv} <= {"yes", "no"}
