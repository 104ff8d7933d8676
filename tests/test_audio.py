"""The audio feature: no torch, lazy soundfile decoding, resampling on request, the public decode helper."""

from __future__ import annotations

import io
import sys

import datasets
import numpy as np
import pytest
import soundfile as sf
from corpora.release import write_wav

from audio_flan import Audio, AudioDecodeError, LazyAudio, decode_audio, make_features


def test_encoding_a_path_reads_nothing_and_needs_no_torch(tmp_path):
    path = tmp_path / "missing.wav"  # does not even exist: encoding must not look at it
    assert Audio().encode_example(str(path)) == {"path": str(path), "bytes": None}
    assert "torch" not in sys.modules and "torchcodec" not in sys.modules


def test_decoding_is_lazy(tmp_path):
    path = write_wav(tmp_path / "a.wav", seconds=0.5, rate=8000)
    value = Audio().decode_example({"path": str(path), "bytes": None})
    assert isinstance(value, LazyAudio) and not value.is_decoded
    assert value["path"] == str(path) and not value.is_decoded
    assert value["sampling_rate"] == 8000 and value.is_decoded
    assert value["array"].shape == (4000,) and value["array"].dtype == np.float32


def test_lazy_value_never_equals_the_stored_value(tmp_path):
    """datasets decodes a list of audios only if decoding the first element changes it."""
    stored = {"path": str(write_wav(tmp_path / "a.wav")), "bytes": None}
    assert Audio().decode_example(stored) != stored


def test_resampling_on_request(tmp_path):
    path = write_wav(tmp_path / "a.wav", seconds=1.0, rate=16000)
    value = Audio(sampling_rate=8000).decode_example({"path": str(path), "bytes": None})
    assert value["sampling_rate"] == 8000
    assert abs(value["array"].shape[0] - 8000) <= 1


def test_stereo_is_downmixed(tmp_path):
    path = tmp_path / "st.wav"
    sf.write(path, np.stack([np.ones(100), -np.ones(100)], axis=1) * 0.5, 16000)
    assert np.allclose(Audio().decode_example({"path": str(path), "bytes": None})["array"], 0)


def test_bytes_and_arrays(tmp_path):
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(160, dtype=np.float32), 16000, format="WAV")
    decoded = decode_audio({"path": None, "bytes": buffer.getvalue()})
    assert decoded["array"].shape == (160,) and decoded["sampling_rate"] == 16000
    encoded = Audio().encode_example({"array": np.zeros(80, dtype=np.float32), "sampling_rate": 8000})
    assert encoded["bytes"][:4] == b"RIFF"
    assert decode_audio(encoded)["sampling_rate"] == 8000


def test_unreadable_audio_names_the_file(tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF not really a wav")
    value = Audio().decode_example({"path": str(bad), "bytes": None})
    with pytest.raises(AudioDecodeError, match="broken.wav"):
        value["array"]
    with pytest.raises(AudioDecodeError, match="broken.wav"):
        decode_audio(str(bad))


def test_schema_keeps_the_audio_type_name():
    features = make_features()
    assert features.to_dict()["input_audios"] in (
        [{"_type": "Audio"}],
        {"feature": {"_type": "Audio"}, "_type": "List"},
    )
    reloaded = datasets.Features.from_dict(features.to_dict())
    assert reloaded.arrow_schema == features.arrow_schema


def test_a_list_of_audios_decodes_through_datasets(tmp_path):
    paths = [str(write_wav(tmp_path / f"{i}.wav", rate=8000)) for i in range(2)]
    features = make_features()
    example = {k: "" for k in features}
    example.update(input_audios=paths, output_audios=[], language=[])
    decoded = features.decode_example(features.encode_example(example))
    assert [a["sampling_rate"] for a in decoded["input_audios"]] == [8000, 8000]
