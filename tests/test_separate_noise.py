"""Noise under drawn mixtures (speech.speaker_extraction from LibriSpeech, with ESC-50 in the data_dir as the
``noise`` role's corpus): the mixture is exactly target + scaled interferer + scaled noise at the recorded ratios,
the answer is the unscaled target, the noise is recorded with its licence, the draws are the same in other
processes, and without a noise corpus the instances are the noise-free ones."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import yaml
from corpora import esc50 as esc50_fixture
from corpora import librispeech as librispeech_fixture
from test_separate_shape import digest_in_subprocess, interferer_array
from util import metadata, stream

from audio_flan import dsp
from audio_flan.registry import RegistryError, _bind, config_dir, load_registry, parse_task
from audio_flan.shapes import SHAPES
from audio_flan.shapes.separate import NOISE_SNR_DB, TIR_DB
from audio_flan.sources import get_sources

CONFIG = "speech.speaker_extraction"
NOISE_SECONDS = 1.0  # longer than the fixture's 0.4 s utterances: the noise is a region of the clip


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """LibriSpeech alone, and LibriSpeech beside ESC-50 whose clips are re-recorded as 1 s of white noise at
    LibriSpeech's rate (so the test rebuilds the mixture with soundfile alone, no resampling)."""
    quiet = librispeech_fixture.build(tmp_path_factory.mktemp("quiet"))
    base = tmp_path_factory.mktemp("noisy")
    speech = librispeech_fixture.build(base)
    esc = esc50_fixture.build(base)
    for k, values in enumerate(esc.expected.values()):
        noise = 0.1 * np.random.default_rng(k).standard_normal(int(librispeech_fixture.RATE * NOISE_SECONDS))
        sf.write(values["audio"], noise.astype(np.float32), librispeech_fixture.RATE, subtype="PCM_16")
    return quiet, speech, esc


def noise_array(interference: dict, esc_root: Path, length: int) -> np.ndarray:
    """The noise the recipe says it added (a region of an ESC-50 clip, or the clip looped), read with soundfile."""
    noise = interference["noise"]
    with sf.SoundFile(esc_root / "audio" / Path(noise["path"]).name) as f:
        start = round(noise.get("offset", 0.0) * f.samplerate)
        f.seek(start)
        frames = f.frames - start if noise["type"] == "file" else round(noise["duration"] * f.samplerate)
        data = f.read(frames, dtype="float32")
    return np.resize(data, length)


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_mixture_is_target_plus_interferer_plus_noise(corpora, split):
    _, speech, esc = corpora
    examples = stream(CONFIG, speech.data_dir, split=split, source="librispeech")
    assert examples
    for e in examples:
        meta = metadata(e)
        sep = meta["separation"]
        mixture, answer = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        target, _ = sf.read(speech.expected[sep["target"]]["audio"], dtype="float32")
        interferer = interferer_array(speech, meta, target.size)
        noise = noise_array(meta["simulation"]["noise"], esc.root, target.size)
        g_n = np.sqrt(dsp.power(interferer) / (dsp.power(noise) * 10 ** (sep["noise_snr_db"] / 10)))
        interference = interferer + g_n * noise
        g_i = np.sqrt(dsp.power(target) / (dsp.power(interference) * 10 ** (sep["tir_db"] / 10)))
        unscaled = target + g_i * interference
        k = min(1.0, dsp.MIX_PEAK / float(np.abs(unscaled).max()))  # scaled down, with its answer, if it would clip
        np.testing.assert_allclose(answer, k * target, atol=1e-6)  # the answer is the target, scaled as in the mix
        np.testing.assert_allclose(mixture, k * target + k * g_i * interferer + k * g_i * g_n * noise, atol=1e-6)
        assert np.abs(mixture).max() <= dsp.MIX_PEAK + 1e-6
        assert dsp.snr_db(answer, mixture - answer) == pytest.approx(sep["tir_db"], abs=1e-3)
        assert NOISE_SNR_DB[0] <= sep["noise_snr_db"] <= NOISE_SNR_DB[1] and TIR_DB[0] <= sep["tir_db"] <= TIR_DB[1]
        item = meta["roles"]["noise"]
        assert item["parser"] == "esc50" and item["id"] in esc.expected
        assert meta["licenses"] == {"LibriSpeech": "CC BY 4.0", "ESC-50": get_sources()["esc50"].license}
        assert e["input"].count("_noisy<|EOA|>") == 1


def test_some_fixture_mixture_is_scaled_down_so_the_scaling_is_tested(corpora):
    examples = stream(CONFIG, corpora[1].data_dir, source="librispeech")
    assert any(np.abs(e["input_audios"][0]["array"]).max() > dsp.MIX_PEAK - 1e-4 for e in examples)


def test_noise_leaves_the_pairs_and_ratios_as_they_are_and_is_absent_without_a_noise_corpus(corpora):
    quiet, speech, _ = corpora
    for split in ("train", "test"):
        plain = {e["id"]: metadata(e) for e in stream(CONFIG, quiet.data_dir, split=split, source="librispeech")}
        noisy = {e["id"]: metadata(e) for e in stream(CONFIG, speech.data_dir, split=split, source="librispeech")}
        assert plain.keys() == noisy.keys()
        for iid, meta in plain.items():
            assert "roles" not in meta and "noise_snr_db" not in meta["separation"]
            assert meta["simulation"]["peak"] == dsp.MIX_PEAK and meta["simulation"]["clean"]["type"] == "file"
            drawn = dict(noisy[iid]["separation"])
            drawn.pop("noise_snr_db")
            assert drawn == meta["separation"]
            assert noisy[iid]["simulation"]["noise"]["clean"] == meta["simulation"]["noise"]  # the padded interferer


def test_the_seed_draws_the_noise(corpora):
    _, speech, _ = corpora

    def draws(seed: int) -> list:
        return [
            (m["roles"]["noise"]["id"], m["separation"]["noise_snr_db"], json.dumps(m["simulation"]["noise"]["noise"]))
            for m in map(metadata, stream(CONFIG, speech.data_dir, source="librispeech", seed=seed))
        ]

    assert draws(0) == draws(0) and draws(0) != draws(5)


def test_noisy_instances_are_the_same_in_other_processes_whatever_the_hash_seed(corpora):
    assert len(digest_in_subprocess(CONFIG, corpora[1].data_dir, "librispeech")) == 1


def test_the_binding_s_noise_must_be_a_declared_role_and_not_under_a_given_mixture():
    task = load_registry()[CONFIG]
    fields = get_sources()["librispeech"].fields
    shape = SHAPES["separate"]
    binding = {"audio": "audio", "key": "speaker", "reference": "audio", "noise": "noise"}
    assert shape.check(task, binding, fields) == []
    assert "'wind' is not declared" in " ".join(shape.check(task, {**binding, "noise": "wind"}, fields))
    mixed = {**binding, "mixture": "audio"}
    assert any("drawn mixtures only" in e for e in shape.check(task, mixed, fields))


def test_a_registry_file_without_the_role_refuses_the_noise_key():
    path = config_dir() / "speech" / "speaker_extraction.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["roles"]
    with pytest.raises(RegistryError, match="'noise' is not declared"):
        _bind(parse_task(str(path), raw))
