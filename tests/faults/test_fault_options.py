"""Option values out of range are refused with a sentence before anything is read; the non-streaming cache follows
the data it was built from; the preview command answers bad arguments with a sentence, not a traceback."""

from __future__ import annotations

import json
import os
import time

import pytest
from corpora.release import Release, record

from audio_flan.builder import AudioFlan
from audio_flan.cli import main

BAD = [
    ("rate-zero", {"sampling_rate": 0}, "sampling_rate must be an int from 1000 to 384000"),
    ("rate-negative", {"sampling_rate": -16000}, "sampling_rate must be"),
    ("rate-too-low", {"sampling_rate": 999}, "sampling_rate must be"),
    ("rate-too-high", {"sampling_rate": 384001}, "sampling_rate must be"),
    ("rate-huge", {"sampling_rate": 100000000}, "sampling_rate must be"),
    ("rate-float", {"sampling_rate": 16000.0}, "sampling_rate must be"),
    ("rate-string", {"sampling_rate": "16000"}, "sampling_rate must be"),
    ("rate-bool", {"sampling_rate": True}, "sampling_rate must be"),
    ("seed-negative", {"seed": -1}, "seed must be an int from 0"),
    ("seed-huge", {"seed": 2**63}, "seed must be an int from 0"),
    ("seed-float", {"seed": 1.5}, "seed must be an int"),
    ("seed-string", {"seed": "0"}, "seed must be an int"),
    ("seed-bool", {"seed": True}, "seed must be an int"),
    ("on-error-unknown", {"on_error": "ignore"}, "on_error must be 'raise' or 'skip'"),
    ("on-error-case", {"on_error": "Skip"}, "on_error must be"),
    ("on-error-bool", {"on_error": True}, "on_error must be"),
    ("data-dir-empty", {"data_dir": ""}, "is not a folder name"),
    ("data-dir-blank", {"data_dir": "   "}, "is not a folder name"),
    ("source-unknown", {"source": "esc50"}, "does not feed speech.asr"),
]


@pytest.mark.parametrize("kwargs,says", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_option_is_refused_with_a_sentence(kwargs, says):
    with pytest.raises(ValueError, match=says):
        AudioFlan(config_name="speech.asr", **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"sampling_rate": 1000}, {"sampling_rate": 384000}, {"seed": 0}, {"seed": 2**63 - 1}, {"on_error": "raise"}],
    ids=["rate-lowest", "rate-highest", "seed-zero", "seed-largest", "on-error-raise"],
)
def test_values_at_the_limits_are_accepted(kwargs):
    builder = AudioFlan(config_name="speech.asr", **kwargs)
    assert all(getattr(builder.config, k) == v for k, v in kwargs.items())


def test_an_empty_data_dir_does_not_silently_load_the_sample():
    import audio_flan

    with pytest.raises(ValueError, match="is not a folder name"):
        audio_flan.load("speech.asr", data_dir="", streaming=True)


# ------------------------------------------------------------------------------- the non-streaming cache


def small_release(root) -> Release:
    rel = Release(root)
    a = rel.audio("speech", "13_LibriTTS-R", "a")
    rel.jsonl("speech", "13_LibriTTS-R", [record("one", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>")])
    return rel


def load_ids(rel: Release, cache) -> tuple[list[str], str]:
    builder = AudioFlan(config_name="speech.asr", data_dir=str(rel.root), cache_dir=str(cache))
    builder.download_and_prepare()
    return [r["id"] for r in builder.as_dataset(split="train")], builder.cache_dir


def _later(path):
    """Move a file's time on, as an edit a second later would."""
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


CHANGES = [
    (
        "record-added",
        lambda rel: (
            rel.jsonl("speech", "13_LibriTTS-R", [record("two", "ASR", inp="audio: <|SOA|>13_LibriTTS-R_a<|EOA|>")]),
            ["one", "two"],
        ),
    ),
    (
        "file-added",
        lambda rel: (
            rel.jsonl(
                "speech",
                "13_LibriTTS-R",
                [record("two", "ASR", inp="audio: <|SOA|>13_LibriTTS-R_a<|EOA|>")],
                name="more.jsonl",
            ),
            ["one", "two"],
        ),
    ),
    ("audio-removed", lambda rel: ((rel.root / "audio_files/speech/13_LibriTTS-R/a.wav").unlink(), [])),
]


@pytest.mark.parametrize("change", [c[1] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_loading_after_the_data_changed_gives_the_new_instances(tmp_path, change):
    rel = small_release(tmp_path / "release")
    first, first_dir = load_ids(rel, tmp_path / "cache")
    assert first == ["one"]
    _, expected = change(rel)
    for path in (rel.root / "metadata/speech/understanding/train_dev/13_LibriTTS-R/jsonl").iterdir():
        _later(path)
    _later(rel.root / "audio_files/speech/13_LibriTTS-R")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            second, second_dir = load_ids(rel, tmp_path / "cache")
        except ValueError:  # datasets refuses a split it declared and found empty: the old one did not come back
            second, second_dir = [], None
    assert second == expected and second_dir != first_dir


def test_a_line_edited_in_place_is_seen(tmp_path):
    rel = small_release(tmp_path / "release")
    path = next((rel.root / "metadata/speech/understanding/train_dev/13_LibriTTS-R/jsonl").iterdir())
    assert load_ids(rel, tmp_path / "cache")[0] == ["one"]
    path.write_text(path.read_text().replace('"one"', '"uno"'))
    _later(path)
    assert load_ids(rel, tmp_path / "cache")[0] == ["uno"]


def test_an_unchanged_folder_reuses_its_cache(tmp_path):
    rel = small_release(tmp_path / "release")
    ids, cache_dir = load_ids(rel, tmp_path / "cache")
    marker = os.path.join(cache_dir, "dataset_info.json")
    before = os.stat(marker).st_mtime_ns
    time.sleep(0.01)
    assert load_ids(rel, tmp_path / "cache") == (ids, cache_dir)
    assert os.stat(marker).st_mtime_ns == before  # not rebuilt


# ------------------------------------------------------------------------------------------ the preview


def test_preview_save_audio_pointing_at_a_file_is_a_sentence(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("mine")
    assert main(["preview", "speech.asr", "-n", "1", "--save-audio", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"--save-audio {target} is a file" in err and "Traceback" not in err
    assert target.read_text() == "mine"


def test_preview_of_a_folder_holding_a_fifo_metadata_file_is_a_sentence(tmp_path, capsys):
    rel = small_release(tmp_path / "release")
    fifo = rel.root / "metadata/speech/understanding/train_dev/13_LibriTTS-R/jsonl/pipe.jsonl"
    os.mkfifo(fifo)
    assert main(["preview", "speech.asr", "--data-dir", str(rel.root), "-n", "5"]) == 1
    err = capsys.readouterr().err
    assert f"{fifo}: not a regular file" in err and "Traceback" not in err


def test_report_text_is_json_safe():
    from audio_flan.report import LoadReport

    got = LoadReport("t")
    got.add("here", "reason", "item \udcff")
    assert json.dumps(got.text())
