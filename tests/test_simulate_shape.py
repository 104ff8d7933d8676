"""The simulate shape through the builder: inputs are recipes over a corpus's clean audio, outputs the clean
audio; what the input holds is what its metadata says; the same in streaming, the Arrow cache and an export."""

from __future__ import annotations

import io
import json

import datasets
import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import esc50 as esc50_fixture
from corpora import ljspeech as ljspeech_fixture
from util import stream

from audio_flan.builder import AudioFlan
from audio_flan.features import decode_audio


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    return ljspeech_fixture.build(tmp_path_factory.mktemp("lj"))


@pytest.fixture(scope="module")
def sounds(tmp_path_factory):
    corpus = esc50_fixture.build(tmp_path_factory.mktemp("esc"))
    for k, values in enumerate(corpus.expected.values()):  # one-second clips: room for a gap
        noise = 0.1 * np.random.default_rng(k).standard_normal(esc50_fixture.RATE).astype(np.float32)
        sf.write(values["audio"], noise, esc50_fixture.RATE, subtype="PCM_16")
    return corpus


def simulation(example) -> dict:
    return json.loads(example["metadata"])["simulation"]


def test_declipping_input_is_the_clean_audio_clipped_at_the_recorded_level(speech):
    for example in stream("speech.declipping", speech.data_dir, source="ljspeech"):
        clipped, clean = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        level = simulation(example)["level"] * np.abs(clean).max()
        assert np.abs(clipped).max() <= level + 1e-6
        below = np.abs(clean) < level
        np.testing.assert_allclose(clipped[below], clean[below], atol=1e-6)
        assert not below.all()


def test_inpainting_input_is_silent_exactly_over_the_recorded_gap(sounds):
    for example in stream("audio.inpainting", sounds.data_dir, source="esc50"):
        gapped, clean = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        rate = example["output_audios"][0]["sampling_rate"]
        sim = simulation(example)
        start, stop = round(sim["start"] * rate), round((sim["start"] + sim["duration"]) * rate)
        assert np.all(gapped[start:stop] == 0)
        np.testing.assert_array_equal(gapped[:start], clean[:start])
        np.testing.assert_array_equal(gapped[stop:], clean[stop:])


def test_bandwidth_extension_input_has_nothing_above_the_recorded_cutoff(speech):
    for example in stream("speech.bandwidth_extension", speech.data_dir, source="ljspeech"):
        narrow = example["input_audios"][0]
        cutoff = simulation(example)["low_rate"] / 2
        spectrum = np.abs(np.fft.rfft(narrow["array"] * np.hanning(narrow["array"].size))) ** 2
        freqs = np.fft.rfftfreq(narrow["array"].size, 1 / narrow["sampling_rate"])
        above = spectrum[freqs > cutoff * 1.05].sum() / spectrum.sum()
        assert 10 * np.log10(above + 1e-30) < -50


def test_the_seed_draws_the_parameters_and_the_same_seed_gives_the_same(speech):
    first = [simulation(e) for e in stream("speech.declipping", speech.data_dir, source="ljspeech")]
    again = [simulation(e) for e in stream("speech.declipping", speech.data_dir, source="ljspeech")]
    other = [simulation(e) for e in stream("speech.declipping", speech.data_dir, source="ljspeech", seed=7)]
    assert first == again and first != other


def test_the_arrow_cache_and_decode_false_give_the_streamed_samples(speech, tmp_path):
    streamed = {
        e["id"]: e["input_audios"][0]["array"] for e in stream("speech.declipping", speech.data_dir, source="ljspeech")
    }
    builder = AudioFlan(
        config_name="speech.declipping", data_dir=str(speech.data_dir), source="ljspeech", cache_dir=str(tmp_path)
    )
    builder.download_and_prepare()
    cached = builder.as_dataset(split="train")
    for example in cached:
        np.testing.assert_array_equal(example["input_audios"][0]["array"], streamed[example["id"]])
    raw = cached.cast_column("input_audios", [datasets.Audio(decode=False)])
    for example in raw:
        np.testing.assert_array_equal(decode_audio(example["input_audios"][0])["array"], streamed[example["id"]])


def test_an_export_embeds_the_rendered_input_as_flac(speech, tmp_path):
    from audio_flan.export import export

    streamed = {
        e["id"]: e["input_audios"][0]["array"] for e in stream("speech.declipping", speech.data_dir, source="ljspeech")
    }
    export(
        tmp_path / "out", configs=["speech.declipping"], data_dir=speech.data_dir, progress=False, log=lambda *_: None
    )
    rows = [
        r
        for f in sorted((tmp_path / "out" / "speech.declipping").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    assert {r["id"] for r in rows} == set(streamed)
    for row in rows:
        stored = row["input_audios"][0]
        assert stored["bytes"][:4] == b"fLaC"
        back = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")[0]
        np.testing.assert_allclose(back, streamed[row["id"]], atol=2.0**-14)


@pytest.mark.parametrize("suffix", [".m4a", ".webm"])
def test_band_limit_and_gap_read_m4a_and_webm_clips(tmp_path, suffix):
    """YouTube clips of AudioSet often stay m4a/webm, which soundfile cannot read: the shape reads their rate and
    length through the audio values' own reader (PyAV, the ``video`` extra), as it renders them."""
    from containers import HAVE_AV, write_container

    from audio_flan.shapes.simulate import degrade
    from audio_flan.video_decode import MissingExtraError

    path = tmp_path / f"Y-0RWZT-miFs_30.000_40.000{suffix}"
    if not HAVE_AV:
        path.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
        with pytest.raises(MissingExtraError, match=r"audio-flan\[video\]"):
            degrade("gap", str(path), 0, "audio.inpainting/audioset_weak/x")
        return
    rate = write_container(path, freq=440.0, seconds=1.0)
    clean = decode_audio(str(path))["array"]
    gap, _ = degrade("gap", str(path), 0, "audio.inpainting/audioset_weak/x")
    gapped, gapped_rate = gap.render()
    sim = gap.describe()
    start, stop = round(sim["start"] * rate), round((sim["start"] + sim["duration"]) * rate)
    assert gapped_rate == rate and gapped.shape == clean.shape and stop <= clean.size
    assert np.all(gapped[start:stop] == 0)
    np.testing.assert_array_equal(gapped[:start], clean[:start])
    np.testing.assert_array_equal(gapped[stop:], clean[stop:])
    narrow, _ = degrade("band_limit", str(path), 0, "audio.super_resolution/audioset_weak/x")
    assert narrow.describe()["low_rate"] < rate
    array, narrow_rate = narrow.render()
    assert narrow_rate == rate and array.shape == clean.shape
