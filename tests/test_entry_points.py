"""The ways in: load_dataset("audio-flan", ...), the builder class, and the hook's guard against a changed datasets."""

from __future__ import annotations

import datasets
import pytest

import audio_flan
from audio_flan import hook


def test_load_dataset_streaming_from_the_sample():
    ds = datasets.load_dataset("audio-flan", "speech.asr", streaming=True)
    assert set(ds) >= {"train"}
    first = next(iter(ds["train"]))
    assert first["config"] == "speech.asr"
    assert first["input_audios"][0]["array"].size > 0


def test_load_dataset_non_streaming_keeps_lazy_audio_and_the_schema(tmp_path):
    ds = datasets.load_dataset("audio-flan", "music.pitch_classification", split="train", cache_dir=str(tmp_path))
    assert len(ds) >= 3
    row = ds[0]
    assert row["config"] == "music.pitch_classification"
    audio = row["input_audios"][0]
    assert isinstance(audio, audio_flan.LazyAudio) and audio["array"].size > 0
    # a second load comes from the cache and still decodes without torch
    again = datasets.load_dataset("audio-flan", "music.pitch_classification", split="train", cache_dir=str(tmp_path))
    assert again[0]["input_audios"][0]["sampling_rate"] == audio["sampling_rate"]


def test_load_dataset_with_a_data_dir_and_config_options(tmp_path):
    from audio_flan.builder import SAMPLE_DIR

    ds = datasets.load_dataset(
        "audio-flan", "speech.asr", data_dir=str(SAMPLE_DIR / "release"), streaming=True, seed=3, sampling_rate=8000
    )
    first = next(iter(ds["train"]))
    assert first["source"] != "LibriTTS-R"
    assert first["input_audios"][0]["sampling_rate"] == 8000


def test_config_names_are_listed():
    assert sorted(datasets.get_dataset_config_names("audio-flan")) == sorted(audio_flan.task_table())


def test_the_builder_class_directly():
    builder = audio_flan.AudioFlan(config_name="audio.caption")
    assert builder.config.task.minor == "Audio Caption"
    assert next(iter(builder.as_streaming_dataset(split="train")))["config"] == "audio.caption"


def test_bad_config_options_are_clear_errors():
    with pytest.raises(ValueError, match="speech.nope. not found"):
        audio_flan.AudioFlan(config_name="speech.nope")
    with pytest.raises(ValueError, match="does not feed speech.asr"):
        audio_flan.AudioFlan(config_name="speech.asr", source="esc50")
    with pytest.raises(ValueError, match="seed must be an int"):
        audio_flan.AudioFlan(config_name="speech.asr", seed="x")


def test_other_names_still_reach_datasets():
    with pytest.raises(Exception) as err:
        datasets.load_dataset("no-such-local-thing-xyz", streaming=True)
    assert "audio_flan" not in str(err.value)


def test_hook_reports_a_changed_datasets(monkeypatch):
    import datasets.load

    monkeypatch.delattr(datasets.load, "DatasetModule")
    with pytest.raises(hook.HookError, match="cannot register the name 'audio-flan'"):
        hook.install()
    with pytest.warns(UserWarning, match="audio_flan.AudioFlan"):
        hook.try_install()


def test_import_needs_no_torch():
    import subprocess
    import sys

    code = "import sys, audio_flan, datasets; b = audio_flan.AudioFlan(config_name='speech.asr'); e = next(iter(b.as_streaming_dataset(split='train'))); e['input_audios'][0]['array']; print(sorted(m for m in ('torch', 'torchcodec', 'librosa') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
