"""The release reader: task matching, splits, scp resolution and its errors, on a copy of the release layout."""

from __future__ import annotations

import json

import pytest
from corpora.release import Release, record
from util import stream

from audio_flan.sources.release import ReleaseFormatError

LIB = "13_LibriTTS-R"


@pytest.fixture
def release(tmp_path):
    rel = Release(tmp_path / "Audio-FLAN-Dataset")
    a = rel.audio("speech", LIB, "260_123288_000009_000000")
    b = rel.audio("speech", LIB, "19_198_000001_000002", freq=220)
    out = rel.audio("speech", LIB, "tts_out-1#2")
    records = [
        record(
            "asr-1",
            "Automatic Speech Recognition",
            inp=f"audio: <|SOA|>{a}<|EOA|>",
            out="Transcription is: it was late",
        ),
        record("asr-2", "automatic  speech-recognition", inp=f"Speech clip: <|SOA|>{b}<|EOA|>", out="hello there"),
        record("asr-dev", "Automatic Speech Recognition", inp=f"audio: <|SOA|>{b}<|EOA|>", split=["dev"]),
        record("gender-1", "Gender Recognition", inp=f"audio: <|SOA|>{a}<|EOA|>", out="male"),
        record("music-asr", "Automatic Speech Recognition", domain="music"),
        record("tts-1", "Text to Speech", inp="text: hello", out=f"<|SOA|>{out}<|EOA|>", ug="G"),
    ]
    rel.jsonl("speech", LIB, records)
    rel.jsonl("speech", LIB, [record("asr-test", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>", split=["test"])], part="test")
    # a second corpus whose scp paths are relative to audio_files/ and whose ids hold CJK, '#' and '-'
    cjk = rel.audio("speech", "05_Aishell-3", "SSB0005_女声#1-a", rel_to="audio_files")
    rel.jsonl(
        "speech",
        "05_Aishell-3",
        [record("st-1", "Speech-to-text Translation", inp=f"input audio: <|SOA|>{cjk}<|EOA|>", out="hi")],
    )
    return rel


def test_task_matching_normalises_names_and_filters_domain(release):
    asr = stream("speech.asr", release.root)
    assert [e["id"] for e in asr] == ["asr-1", "asr-2"]  # the music record and other tasks are left out
    assert all(e["config"] == "speech.asr" and e["domain"] == "speech" for e in asr)
    assert [e["id"] for e in stream("speech.gender_recognition", release.root)] == ["gender-1"]


def test_aliases_match(release):
    assert [e["id"] for e in stream("speech.speech_translation", release.root)] == ["st-1"]
    assert [e["id"] for e in stream("speech.asr", release.root, split="test")] == ["asr-test"]


def test_splits_map_to_train_validation_test(release):
    assert [e["id"] for e in stream("speech.asr", release.root, split="validation")] == ["asr-dev"]
    from audio_flan.builder import AudioFlan

    b = AudioFlan(config_name="speech.asr", data_dir=str(release.root))
    assert set(b.as_streaming_dataset().keys()) == {"train", "validation", "test"}


def test_text_is_kept_and_audio_resolves_through_scp(release):
    first = stream("speech.asr", release.root)[0]
    assert first["instruction"] == "Do the task."
    assert first["input"] == f"audio: <|SOA|>{LIB}_260_123288_000009_000000<|EOA|>"
    assert first["output"] == "Transcription is: it was late"
    assert first["source"] == "LibriTTS-R"  # the corpus, named as its parser names it
    assert json.loads(first["metadata"])["folder"] == LIB
    path = first["input_audios"][0]["path"]
    assert path == str(release.root / "audio_files/speech" / LIB / "260_123288_000009_000000.wav")
    assert first["input_audios"][0]["array"].size == 4000
    assert json.loads(first["metadata"])["task_type"]["minor"] == ["Automatic Speech Recognition"]


def test_paraphrased_labels_and_paths_relative_to_audio_files(release):
    (st,) = stream("speech.speech_translation", release.root)
    assert st["input"].startswith("input audio: ")
    assert st["input_audios"][0]["path"].endswith("speech/05_Aishell-3/SSB0005_女声#1-a.wav")
    assert st["input_audios"][0]["sampling_rate"] == 16000


def test_generation_output_audio(release):
    (tts,) = stream("speech.tts", release.root)
    assert tts["input_audios"] == []
    assert len(tts["output_audios"]) == 1
    assert tts["output_audios"][0]["path"].endswith("tts_out-1#2.wav")
    assert tts["output_audios"][0]["array"].size > 0


def test_missing_scp_id_names_id_file_and_line(tmp_path):
    rel = Release(tmp_path)
    rel.audio("speech", LIB, "x")
    path = rel.jsonl(
        "speech",
        LIB,
        [
            record("ok", "ASR", inp=f"audio: <|SOA|>{LIB}_x<|EOA|>"),
            record("bad", "ASR", inp=f"audio: <|SOA|>{LIB}_nope<|EOA|>"),
        ],
    )
    with pytest.raises(ReleaseFormatError) as err:
        stream("speech.asr", tmp_path)
    assert f"{LIB}_nope" in str(err.value) and f"{path}:2" in str(err.value)


@pytest.mark.parametrize("bad", ["../outside.wav", "audio_files/../../outside.wav", "/etc/passwd"])
def test_scp_path_leaving_the_root_is_refused(tmp_path, bad):
    rel = Release(tmp_path / "rel")
    rel.scp_line("speech", LIB, f"{LIB}_evil {bad}")
    rel.jsonl("speech", LIB, [record("e", "ASR", inp=f"audio: <|SOA|>{LIB}_evil<|EOA|>")])
    with pytest.raises(ReleaseFormatError, match="leaves the dataset root"):
        stream("speech.asr", rel.root)


def test_malformed_jsonl_line_names_file_and_line(tmp_path):
    rel = Release(tmp_path)
    a = rel.audio("speech", LIB, "x")
    path = rel.jsonl(
        "speech", LIB, [record("ok", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>")], raw_lines=['{"instruction": "broken']
    )
    with pytest.raises(ReleaseFormatError) as err:
        stream("speech.asr", tmp_path)
    assert f"{path}:2" in str(err.value) and "not valid JSON" in str(err.value)


def test_record_without_required_field_is_an_error(tmp_path):
    rel = Release(tmp_path)
    path = rel.jsonl(
        "speech",
        LIB,
        [],
        raw_lines=[json.dumps({"instruction": "x", "input": "", "output": "", "task_type": {"minor": ["ASR"]}})],
    )
    with pytest.raises(ReleaseFormatError, match=f"{path}:1: record has no 'uuid'"):
        stream("speech.asr", tmp_path)


def test_each_jsonl_file_holding_records_of_the_config_is_a_shard(release, monkeypatch):
    from audio_flan.builder import AudioFlan
    from audio_flan.sources.release import INDEX_ENV

    release.jsonl("speech", "06_ESD", [record("asr-esd", "ASR", inp="text: x")])
    ds = AudioFlan(config_name="speech.asr", data_dir=str(release.root)).as_streaming_dataset(split="train")
    assert ds.n_shards == 2  # the Aishell-3 file holds no ASR record: the index leaves it out
    monkeypatch.setenv(INDEX_ENV, "0")
    ds = AudioFlan(config_name="speech.asr", data_dir=str(release.root)).as_streaming_dataset(split="train")
    assert ds.n_shards == 3  # without the index every file of the domain is read


def test_an_id_listed_twice_in_the_scp_resolves_to_its_first_line(tmp_path):
    rel = Release(tmp_path)
    audio_id = rel.audio("speech", LIB, "twice")
    rel.scp_line("speech", LIB, f"{audio_id} audio_files/speech/{LIB}/elsewhere.wav")
    rel.jsonl("speech", LIB, [record("t", "ASR", inp=f"audio: <|SOA|>{audio_id}<|EOA|>")])
    (example,) = stream("speech.asr", tmp_path)
    assert example["input_audios"][0]["path"].endswith(f"{LIB}/twice.wav")


def test_scp_with_a_byte_order_mark(tmp_path):
    rel = Release(tmp_path)
    scp = tmp_path / "scp_files/speech" / f"{LIB}.scp"
    audio_id = rel.audio("speech", LIB, "bom")
    scp.write_bytes(b"\xef\xbb\xbf" + scp.read_bytes())
    rel.jsonl("speech", LIB, [record("b", "ASR", inp=f"audio: <|SOA|>{audio_id}<|EOA|>")])
    assert stream("speech.asr", tmp_path)[0]["input_audios"][0]["array"].size > 0
