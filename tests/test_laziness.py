"""Iterating without touching audio opens no audio file, on the release source and on a corpus source."""

from __future__ import annotations

import builtins
import io

import pytest
import soundfile

from release_fixture import Release, record
from util import stream

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg")


@pytest.fixture
def count_audio_opens(monkeypatch):
    opened = []
    real_open, real_io_open, real_sf = builtins.open, io.open, soundfile.SoundFile.__init__

    def watch(path):
        if str(path).lower().endswith(AUDIO_SUFFIXES):
            opened.append(str(path))

    def fake_open(file, *a, **k):
        watch(file)
        return real_open(file, *a, **k)

    def fake_io_open(file, *a, **k):
        watch(file)
        return real_io_open(file, *a, **k)

    def fake_sf(self, file, *a, **k):
        opened.append(str(file))
        return real_sf(self, file, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_io_open)
    monkeypatch.setattr(soundfile.SoundFile, "__init__", fake_sf)
    return opened


@pytest.fixture
def big_release(tmp_path):
    rel = Release(tmp_path)
    ids = [rel.audio("speech", "13_LibriTTS-R", f"utt{i}", seconds=0.05) for i in range(20)]
    rel.jsonl("speech", "13_LibriTTS-R", [record(f"r{i}", "ASR", inp=f"audio: <|SOA|>{ids[i % 20]}<|EOA|>") for i in range(120)])
    return rel


def test_text_fields_of_100_examples_open_no_audio(big_release, count_audio_opens):
    examples = stream("speech.asr", big_release.root, n=100)
    assert len(examples) == 100
    assert [e["output"] for e in examples] == ["hello"] * 100
    assert count_audio_opens == []
    # touching the samples opens exactly that file
    examples[3]["input_audios"][0]["array"]
    assert count_audio_opens == [examples[3]["input_audios"][0]["path"]]


def test_the_sample_iterates_without_opening_audio(count_audio_opens):
    for config in ("speech.asr", "speech.speaker_verification", "music.pitch_classification", "audio.sound_event_recognition"):
        assert stream(config, n=20)
    assert count_audio_opens == []
