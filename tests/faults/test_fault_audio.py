"""Broken audio: truncated, empty, NaN/inf samples, not audio, not a regular file. Each is a clear AudioDecodeError
naming the file when decoded, or, under on_error="skip", an instance skipped and counted in the load's report;
audio that is only written otherwise decodes as before."""

from __future__ import annotations

import io
import json
import os
import warnings

import numpy as np
import pytest
import soundfile as sf
from corpora.release import Release, record
from util import stream

from audio_flan import AudioDecodeError, decode_audio, report
from audio_flan.sources.base import MissingAudioWarning

RATE = 16000


def wav_bytes(data, subtype="PCM_16", fmt="WAV", channels=1) -> bytes:
    buffer = io.BytesIO()
    array = np.asarray(data, dtype=np.float32)
    if channels > 1:
        array = np.stack([array] * channels, axis=1)
    sf.write(buffer, array, RATE, format=fmt, subtype=subtype)
    return buffer.getvalue()


TONE = 0.3 * np.sin(np.arange(3000) / 10)
GOOD_WAV = wav_bytes(TONE)
GOOD_FLAC = wav_bytes(np.random.default_rng(0).uniform(-0.5, 0.5, 30000), subtype="PCM_16", fmt="FLAC")


def float_wav(values) -> bytes:
    return wav_bytes(np.array(values, dtype=np.float32), subtype="FLOAT")


BROKEN = [
    ("truncated-third", GOOD_WAV[: len(GOOD_WAV) // 3], "truncated"),
    ("truncated-half", GOOD_WAV[: len(GOOD_WAV) // 2], "truncated"),
    ("truncated-one-frame", GOOD_WAV[:-2], "truncated, 2999 of the 3000 frames"),
    ("truncated-one-byte", GOOD_WAV[:-1], "truncated, 2999 of the 3000 frames"),
    ("header-only", GOOD_WAV[:44], "truncated"),
    ("no-samples", wav_bytes(np.zeros(0)), "holds no samples"),
    ("nan", float_wav([0.1, np.nan, 0.2]), "NaN or infinite"),
    ("inf", float_wav([0.1, np.inf, 0.2]), "NaN or infinite"),
    ("minus-inf", float_wav([-np.inf, 0.0]), "NaN or infinite"),
    ("all-nan", float_wav([np.nan] * 100), "NaN or infinite"),
    ("nan-double", wav_bytes([0.0, np.nan], subtype="DOUBLE"), "NaN or infinite"),
    ("flac-truncated", GOOD_FLAC[: len(GOOD_FLAC) // 3], "cannot decode audio"),
    ("text", b"this is not audio at all", "cannot decode audio"),
    ("riff-only", b"RIFF", "cannot decode audio"),
    ("zeros", b"\x00" * 1024, "cannot decode audio"),
    ("empty-file", b"", "cannot decode audio"),
]


@pytest.mark.parametrize("data,says", [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_audio_file_is_an_error_naming_it(tmp_path, data, says):
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    with pytest.raises(AudioDecodeError, match="clip.wav") as err:
        decode_audio(str(path))
    assert says in str(err.value)


@pytest.mark.parametrize("data,says", [c[1:] for c in BROKEN if c[1]], ids=[c[0] for c in BROKEN if c[1]])
def test_broken_embedded_audio_is_an_error(data, says):
    with pytest.raises(AudioDecodeError, match="<embedded bytes>") as err:
        decode_audio({"path": None, "bytes": data})
    assert says in str(err.value)


@pytest.mark.parametrize("kind", ["fifo", "folder", "absent"])
def test_a_path_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    path = tmp_path / "clip.wav"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would block until a writer came
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(AudioDecodeError, match="clip.wav") as err:
        decode_audio(str(path))
    assert ("not a regular file" if kind != "absent" else "No such file") in str(err.value)


def _with_chunk_after_data(data: bytes) -> bytes:
    chunk = b"LIST" + (8).to_bytes(4, "little") + b"INFOtest"
    riff = data[:4] + (len(data) - 8 + len(chunk)).to_bytes(4, "little") + data[8:]
    return riff + chunk


FINE = [
    ("pcm16", GOOD_WAV, 3000),
    ("pcm24", wav_bytes(TONE, subtype="PCM_24"), 3000),
    ("float", wav_bytes(TONE, subtype="FLOAT"), 3000),
    ("stereo", wav_bytes(TONE, channels=2), 3000),
    ("flac", GOOD_FLAC, 30000),
    ("chunk-after-data", _with_chunk_after_data(GOOD_WAV), 3000),
    ("one-sample", wav_bytes([0.5]), 1),
]


@pytest.mark.parametrize("data,frames", [c[1:] for c in FINE], ids=[c[0] for c in FINE])
def test_well_formed_audio_decodes_whole(tmp_path, data, frames):
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    value = decode_audio(str(path))
    assert value["array"].shape[-1] == frames and np.isfinite(value["array"]).all()
    assert decode_audio(data)["array"].shape == value["array"].shape


# ----------------------------------------------------------------------------------- through a load


def broken_release(tmp_path, data: bytes) -> Release:
    rel = Release(tmp_path / "release")
    good = rel.audio("speech", "13_LibriTTS-R", "good")
    bad = rel.audio("speech", "13_LibriTTS-R", "bad")
    (rel.root / "audio_files/speech/13_LibriTTS-R/bad.wav").write_bytes(data)
    rel.jsonl(
        "speech",
        "13_LibriTTS-R",
        [
            record("u-good", "ASR", inp=f"audio: <|SOA|>{good}<|EOA|>"),
            record("u-bad", "ASR", inp=f"audio: <|SOA|>{bad}<|EOA|>"),
        ],
    )
    return rel


LOAD_CASES = [c for c in BROKEN if c[0] in ("truncated-third", "no-samples", "nan", "text")]


@pytest.mark.parametrize("data", [c[1] for c in LOAD_CASES], ids=[c[0] for c in LOAD_CASES])
def test_by_default_the_instance_comes_and_decoding_it_names_the_file(tmp_path, data):
    rel = broken_release(tmp_path, data)
    examples = stream("speech.asr", rel.root)
    assert [e["id"] for e in examples] == ["u-good", "u-bad"]
    with pytest.raises(AudioDecodeError, match="bad.wav"):
        examples[1]["input_audios"][0]["array"]


@pytest.mark.parametrize("data", [c[1] for c in LOAD_CASES], ids=[c[0] for c in LOAD_CASES])
def test_under_skip_the_instance_is_skipped_and_reported(tmp_path, data):
    rel = broken_release(tmp_path, data)
    with report.collect() as got, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream("speech.asr", rel.root, on_error="skip")
    assert [e["id"] for e in examples] == ["u-good"]
    assert got.by_reason() == {"instance(s) whose audio cannot be decoded": 1}
    (entry,) = got.entries.values()
    assert entry.first[0].startswith("u-bad: cannot decode audio") and "bad.wav" in entry.first[0]
    warned = [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]
    assert len(warned) == 1 and "speech.asr, split train: skipped 1 item(s)" in warned[0]


def test_a_missing_audio_appears_in_the_report_of_a_non_streaming_load(tmp_path):
    from audio_flan.builder import AudioFlan

    rel = broken_release(tmp_path, GOOD_WAV)
    (rel.root / "audio_files/speech/13_LibriTTS-R/bad.wav").unlink()
    builder = AudioFlan(config_name="speech.asr", data_dir=str(rel.root), cache_dir=str(tmp_path / "cache"))
    with report.collect() as got, pytest.warns(MissingAudioWarning, match="skipped 1 record\\(s\\) whose audio"):
        builder.download_and_prepare()
    assert [r["id"] for r in builder.as_dataset(split="train")] == ["u-good"]
    assert got.by_reason() == {"record(s) whose audio file is missing": 1}
    assert "bad.wav" in next(iter(got.entries.values())).first[0]
    json.dumps(got.text())  # the report is plain text for a log
