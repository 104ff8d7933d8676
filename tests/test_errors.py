"""What a user sees when data_dir holds nothing usable, or audio is unreadable."""

from __future__ import annotations

import pytest
from corpora.release import Release, record
from util import stream

from audio_flan import AudioDecodeError, SourceError


def test_missing_data_dir(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        stream("speech.asr", tmp_path / "nowhere")


def test_empty_data_dir(tmp_path):
    with pytest.raises(SourceError, match="is empty"):
        stream("speech.asr", tmp_path)


def test_a_layout_that_matches_nothing_says_what_was_looked_for(tmp_path):
    (tmp_path / "random").mkdir()
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(SourceError) as err:
        stream("speech.asr", tmp_path)
    message = str(err.value)
    assert "matches no layout" in message
    assert "metadata/<speech|music|audio>" in message  # the release
    assert "LibriTTS-R" in message


def test_a_corpus_that_does_not_feed_the_config(tmp_path):
    from audio_flan.builder import SAMPLE_DIR

    with pytest.raises(SourceError, match="does not feed this config"):
        stream("speech.asr", SAMPLE_DIR / "ESC-50-master")


def test_release_without_the_task(tmp_path):
    rel = Release(tmp_path)
    rel.jsonl("music", "01_X", [record("m", "Key Detection", domain="music", inp="text: x")])
    with pytest.raises(SourceError, match="nothing in it belongs to speech.asr"):
        stream("speech.asr", tmp_path)


def test_unreadable_audio_file_is_named_when_touched(tmp_path):
    rel = Release(tmp_path)
    audio_id = rel.audio("speech", "13_LibriTTS-R", "broken")
    (tmp_path / "audio_files/speech/13_LibriTTS-R/broken.wav").write_bytes(b"\x00" * 64)
    rel.jsonl("speech", "13_LibriTTS-R", [record("b", "ASR", inp=f"audio: <|SOA|>{audio_id}<|EOA|>")])
    (example,) = stream("speech.asr", tmp_path)
    assert example["output"] == "hello"  # text is fine without reading audio
    with pytest.raises(AudioDecodeError, match="broken.wav"):
        example["input_audios"][0]["array"]
