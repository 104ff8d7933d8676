"""Iterating without touching audio opens no audio file, on the release source and on a corpus source."""

from __future__ import annotations

import pytest
from corpora.release import Release, record
from util import audio_opened, record_opens, stream


@pytest.fixture
def opened(monkeypatch):
    """Every file opened during the test (the list fills as the test runs)."""
    return record_opens(monkeypatch)


@pytest.fixture
def big_release(tmp_path):
    rel = Release(tmp_path)
    ids = [rel.audio("speech", "13_LibriTTS-R", f"utt{i}", seconds=0.05) for i in range(20)]
    rel.jsonl(
        "speech",
        "13_LibriTTS-R",
        [record(f"r{i}", "ASR", inp=f"audio: <|SOA|>{ids[i % 20]}<|EOA|>") for i in range(120)],
    )
    return rel


def test_text_fields_of_100_examples_open_no_audio(big_release, opened):
    examples = stream("speech.asr", big_release.root, n=100)
    assert len(examples) == 100
    assert [e["output"] for e in examples] == ["hello"] * 100
    assert audio_opened(opened) == []
    # touching the samples opens exactly that file
    examples[3]["input_audios"][0]["array"]
    assert set(audio_opened(opened)) == {
        examples[3]["input_audios"][0]["path"]
    }  # that file only (its header is read to check it is whole)


def test_the_sample_iterates_without_opening_audio(opened):
    for config in (
        "speech.asr",
        "speech.speaker_verification",
        "music.pitch_classification",
        "audio.sound_event_recognition",
    ):
        assert stream(config, n=20)
    assert audio_opened(opened) == []
