"""m4a/mp4/webm clips (YouTube downloads) decode through PyAV, the ``video`` extra; without it, the error names the
extra. The test extra installs PyAV; where it is absent, the tests assert the error instead of the samples."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import soundfile as sf
from containers import HAVE_AV, peak_hz, write_container

from audio_flan import AudioDecodeError, decode_audio
from audio_flan.audio_values import Region, to_export_bytes, to_storage
from audio_flan.video_decode import MissingExtraError, is_container

FTYP = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A isomiso2" + b"\x00" * 64


def no_av(monkeypatch):
    monkeypatch.setitem(sys.modules, "av", None)  # `import av` now raises ImportError


@pytest.mark.parametrize("suffix", [".m4a", ".mp4", ".webm"])
def test_a_container_clip_decodes_to_its_tone(tmp_path, suffix):
    path = tmp_path / f"Y-0RWZT-miFs_30.000_40.000{suffix}"
    if not HAVE_AV:
        path.write_bytes(FTYP)
        with pytest.raises(MissingExtraError, match=r"pip install 'audio-flan\[video\]'"):
            decode_audio(str(path))
        return
    rate = write_container(path, freq=440.0, seconds=1.0)
    with pytest.raises(sf.LibsndfileError):
        sf.info(str(path))  # what the extra is for
    decoded = decode_audio(str(path))
    array = decoded["array"]
    assert decoded["sampling_rate"] == rate and array.dtype == np.float32 and array.ndim == 1
    assert abs(len(array) / rate - 1.0) < 0.1  # encoder priming and padding: a frame at most
    assert abs(peak_hz(array, rate) - 440.0) < 2.0
    assert 0.25 < float(np.abs(array).max()) < 0.35
    resampled = decode_audio(str(path), sampling_rate=8000)
    assert resampled["sampling_rate"] == 8000 and abs(len(resampled["array"]) - len(array) * 8000 / rate) <= 1


def test_a_region_of_a_container_is_the_slice_of_the_whole(tmp_path):
    path = tmp_path / "clip.m4a"
    if not HAVE_AV:
        path.write_bytes(FTYP)
        with pytest.raises(MissingExtraError, match=r"audio-flan\[video\]"):
            Region(str(path), 0.25, 0.5).render()
        return
    rate = write_container(path, seconds=1.0)
    whole = decode_audio(str(path))["array"]
    part, part_rate = Region(str(path), 0.25, 0.5).render()
    assert part_rate == rate
    np.testing.assert_array_equal(part, whole[round(0.25 * rate) : round(0.75 * rate)])
    with pytest.raises(AudioDecodeError, match=rf"{path}: region 0.5 s \+ 5.0 s is not inside"):
        Region(str(path), 0.5, 5.0).render()


def test_exported_container_bytes_decode_again(tmp_path):
    """An export embeds a file's own bytes: an m4a clip stays m4a, and decoding the bytes finds PyAV by sniffing."""
    path = tmp_path / "clip.m4a"
    if not HAVE_AV:
        path.write_bytes(FTYP)
        data, name = to_export_bytes(to_storage(str(path)))
        with pytest.raises(MissingExtraError, match=r"audio-flan\[video\]"):
            decode_audio(data)
        return
    write_container(path)
    data, name = to_export_bytes(to_storage(str(path)))
    assert name == "clip.m4a" and is_container(None, data[:16])
    np.testing.assert_array_equal(decode_audio(data)["array"], decode_audio(str(path))["array"])


def test_without_pyav_the_error_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "clip.webm"
    if HAVE_AV:
        write_container(path)
    else:
        path.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    no_av(monkeypatch)
    with pytest.raises(
        MissingExtraError, match=r"needs PyAV, which is not installed; .*pip install 'audio-flan\[video\]'"
    ):
        decode_audio(str(path))
    wav = tmp_path / "plain.wav"
    sf.write(wav, np.zeros(160, dtype=np.float32), 16000)
    assert len(decode_audio(str(wav))["array"]) == 160  # other files never need it


def test_a_broken_container_names_the_file(tmp_path):
    path = tmp_path / "broken.m4a"
    path.write_bytes(FTYP)
    if not HAVE_AV:
        with pytest.raises(MissingExtraError):
            decode_audio(str(path))
        return
    with pytest.raises(AudioDecodeError, match=f"cannot decode audio {path}"):
        decode_audio(str(path))


def test_containers_are_told_by_name_or_first_bytes():
    assert is_container("a/Yabc.M4A") and is_container("x.webm") and is_container("x.mp4#t=1,2")
    assert not is_container("x.wav") and not is_container("x.flac") and not is_container("x.mp3")
    assert is_container(None, FTYP[:16]) and is_container(None, b"\x1a\x45\xdf\xa3....")
    assert not is_container(None, b"RIFF\x00\x00\x00\x00WAVEfmt ") and not is_container(None, b"fLaC")
