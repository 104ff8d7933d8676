"""Tasks fed by several corpora: the registry's roles, the pools drawn from, the physics of the pairs they give
(denoising, SNR estimation), determinism across processes, and licences through the export and its card."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
import yaml
from corpora import esc50 as esc50_fixture
from corpora import libritts_r as libritts_fixture
from corpora import ljspeech as ljspeech_fixture
from util import stream

from audio_flan import dsp
from audio_flan.audio_values import from_bytes
from audio_flan.registry import RegistryError, config_dir, load_registry
from audio_flan.roles import RoleError
from audio_flan.shapes.simulate import parse_snr, snr_text

NOISE_SECONDS = 1.0


def noisy_esc50(base: Path):
    """ESC-50 with one-second noise clips (longer than the fixture's speech: the noise is a region of them), at
    LJSpeech's rate, so that the test can rebuild a mixture without resampling."""
    corpus = esc50_fixture.build(base)
    rate = ljspeech_fixture.RATE
    for k, values in enumerate(corpus.expected.values()):
        noise = 0.1 * np.random.default_rng(k).standard_normal(int(rate * NOISE_SECONDS))
        sf.write(values["audio"], noise.astype(np.float32), rate, subtype="PCM_16")
    return corpus


@pytest.fixture(scope="module")
def speech_and_noise(tmp_path_factory):
    base = tmp_path_factory.mktemp("speech_noise")
    ljspeech_fixture.build(base)
    libritts_fixture.build(base)
    noisy_esc50(base)
    return base


def meta(example) -> dict:
    return json.loads(example["metadata"])


def noise_segment(sim: dict, esc_root: Path, rate: int) -> np.ndarray:
    """The noise the recipe says it added, read with soundfile alone."""
    noise = sim["noise"]
    path = esc_root / "audio" / Path(noise["path"]).name
    with sf.SoundFile(path) as f:
        assert f.samplerate == rate
        start = round(noise.get("offset", 0.0) * rate)
        f.seek(start)
        frames = f.frames - start if noise["type"] == "file" else round(noise["duration"] * rate)
        return f.read(frames, dtype="float32")


# -- physics -------------------------------------------------------------------------------------------------


def test_denoising_input_is_clean_plus_noise_at_the_recorded_snr(speech_and_noise):
    examples = stream("speech.denoising", speech_and_noise, source="ljspeech")
    assert len(examples) == len(ljspeech_fixture.ROWS)
    for example in examples:
        noisy, clean = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        sim = meta(example)["simulation"]
        assert sim["type"] == "mix" and dsp.SNR_DB[0] <= sim["snr_db"] <= dsp.SNR_DB[1]
        assert abs(dsp.snr_db(clean, noisy - clean) - sim["snr_db"]) < 0.1
        assert noisy.shape == clean.shape


def test_the_mixture_is_the_sum_of_its_scaled_sources(speech_and_noise):
    rate = ljspeech_fixture.RATE
    scaled = 0
    for example in stream("speech.denoising", speech_and_noise, source="ljspeech"):
        noisy, target = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        sim = meta(example)["simulation"]
        assert sim["noise"]["type"] == "region"  # a one-second clip under 0.05 s of speech: a drawn window
        clean, _ = sf.read(_clean_path(example), dtype="float32")
        noise = dsp.loop_to_length(noise_segment(sim, speech_and_noise / "ESC-50-master", rate), clean.size)
        gain = np.sqrt(np.mean(clean.astype(np.float64) ** 2) / np.mean(noise.astype(np.float64) ** 2))
        mixture = clean + gain / 10 ** (sim["snr_db"] / 20) * noise
        k = min(1.0, sim["peak"] / np.abs(mixture).max())  # scaled down, with its target, rather than clipped
        scaled += k < 1
        np.testing.assert_allclose(noisy, k * mixture, rtol=0, atol=1e-6)
        np.testing.assert_allclose(target, k * clean, rtol=0, atol=1e-6)
        assert np.abs(noisy).max() <= sim["peak"] + 1e-6
    assert scaled  # the fixture's loud tones at low SNRs do need it


def test_snr_estimation_answers_the_drawn_snr_in_the_documented_format(speech_and_noise):
    examples = stream("speech.snr_estimation", speech_and_noise)
    assert examples
    for example in examples:
        sim = meta(example)["simulation"]
        assert example["output_audios"] == []
        assert parse_snr(example["output"]) == sim["snr_db"]
        assert snr_text(sim["snr_db"]) in example["output"]
        noisy = example["input_audios"][0]["array"]
        recipe = from_bytes(example["input_audios"][0].bytes)
        target, _ = dataclasses.replace(recipe, part="clean").render()  # the clean speech as scaled in the input
        assert abs(dsp.snr_db(target, noisy - target) - parse_snr(example["output"])) < 0.1


def _clean_path(example) -> str:
    """The clean file of an instance's recipe (its stored value; the metadata names files without folders)."""
    return from_bytes(example["input_audios"][0].bytes).clean.path


def test_snr_text_has_one_decimal_and_the_unit():
    assert snr_text(12.34) == "12.3 dB" and snr_text(-4.0) == "-4.0 dB" and snr_text(-0.04) == "0.0 dB"
    assert parse_snr("The SNR is -4.0 dB.") == -4.0
    with pytest.raises(ValueError, match="states no SNR"):
        parse_snr("about twelve")


# -- roles: what is drawn, from where -------------------------------------------------------------------------


def test_every_instance_records_its_noise_and_the_licence_of_each_corpus(speech_and_noise):
    examples = stream("speech.denoising", speech_and_noise, source="ljspeech")
    esc_ids = {p.stem for p in (speech_and_noise / "ESC-50-master" / "audio").glob("[0-9]*.wav")}
    drawn = set()
    for example in examples:
        m = meta(example)
        noise = m["roles"]["noise"]
        assert noise["parser"] == "esc50" and noise["id"] in esc_ids
        assert Path(m["simulation"]["noise"]["path"]).stem == noise["id"]
        assert m["licenses"] == {"LJSpeech": "public domain", "ESC-50": "CC BY-NC 3.0 (ESC-10 subset CC BY)"}
        drawn.add(noise["id"])
    assert len(drawn) > 1  # drawn per instance, not one clip for all


def test_the_seed_draws_the_noise_and_the_snr(speech_and_noise):
    def params(seed):
        return [
            (meta(e)["roles"], meta(e)["simulation"]["snr_db"])
            for e in stream("speech.denoising", speech_and_noise, source="ljspeech", seed=seed)
        ]

    assert params(0) == params(0)
    assert params(0) != params(5)


def test_a_role_with_no_corpus_in_the_data_dir_is_an_error_naming_what_to_add(tmp_path):
    ljspeech_fixture.build(tmp_path)
    with pytest.raises(RoleError, match=r"role 'noise' has nothing to draw from .*ESC-50 \(esc50\)"):
        stream("speech.denoising", tmp_path, source="ljspeech")


DUMP = """
import hashlib, json, sys
from audio_flan.builder import AudioFlan
b = AudioFlan(config_name="speech.denoising", data_dir=sys.argv[1], source="ljspeech", seed=int(sys.argv[2]))
out = []
for e in b.as_streaming_dataset(split="train"):
    out.append([e["id"], e["metadata"], hashlib.sha256(e["input_audios"][0]["array"].tobytes()).hexdigest()])
print(json.dumps(out))
"""


def _dump(data_dir: Path, hash_seed: str, seed: int, cache: Path) -> list:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, HF_DATASETS_CACHE=str(cache), HF_DATASETS_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-c", DUMP, str(data_dir), str(seed)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_same_seed_same_arrays_across_processes_and_hash_seeds(speech_and_noise, tmp_path):
    first = _dump(speech_and_noise, "1", 3, tmp_path / "a")
    second = _dump(speech_and_noise, "4242", 3, tmp_path / "b")
    assert len(first) == len(ljspeech_fixture.ROWS) and first == second
    here = [
        [e["id"], e["metadata"], hashlib.sha256(e["input_audios"][0]["array"].tobytes()).hexdigest()]
        for e in stream("speech.denoising", speech_and_noise, source="ljspeech", seed=3)
    ]
    assert here == first


# -- the registry --------------------------------------------------------------------------------------------


@pytest.fixture
def registry_copy(tmp_path):
    for name in ("speech/asr.yaml", "speech/denoising.yaml"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config_dir() / name, target)
    load_registry.cache_clear()
    yield tmp_path
    load_registry.cache_clear()


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_a_copy_with_roles_loads(registry_copy):
    task = load_registry(str(registry_copy))["speech.denoising"]
    assert task.roles["noise"].parsers == ("dns", "esc50")
    assert "esc50" not in task.parsers  # a role's corpus feeds the role, not the records


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["roles"].update(noise={"no_such": {"audio": "audio"}}), "roles.noise.no_such: no such parser"),
        (lambda d: d["roles"]["noise"].update(esc50={"audio": "label"}), "audio 'label' is not an audio field"),
        (lambda d: d["roles"]["noise"].update(esc50={"audio": "audio", "pool": "rir"}), "pool 'rir' is not a pool"),
        (lambda d: d["roles"]["noise"].update(dns={"audio": "audio", "pool": "wind"}), "(its pools: noise, rir)"),
        (lambda d: d["roles"]["noise"].update(esc50={"sound": "audio"}), "roles.noise.esc50 must be {audio:"),
        (lambda d: d.update(roles={"Noise!": {"esc50": {"audio": "audio"}}}), "is not a lower-case identifier"),
        (lambda d: d.update(roles=["noise"]), "roles must map role names"),
        (lambda d: d.pop("roles"), "draws its noise from the task's role 'noise', which the file does not declare"),
        (lambda d: d["roles"]["noise"].update(release={"audio": "audio"}), "cannot feed a role"),
    ],
)
def test_bad_roles_are_errors_naming_the_file(registry_copy, change, message):
    path = registry_copy / "speech" / "denoising.yaml"
    _edit(path, change)
    with pytest.raises(RegistryError) as err:
        load_registry(str(registry_copy))
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


# -- licences through the export -----------------------------------------------------------------------------


def test_export_leaves_out_pairs_whose_noise_may_not_be_redistributed(speech_and_noise, tmp_path):
    from audio_flan.export import ExportError, export

    with pytest.raises(ExportError):  # the only config asked for has nothing left to export
        export(
            tmp_path / "out",
            configs=["speech.denoising"],
            data_dir=speech_and_noise,
            progress=False,
            log=lambda *_: None,
        )


def test_an_export_with_the_rights_embeds_flac_and_its_card_names_every_licence(speech_and_noise, tmp_path):
    from audio_flan.export import export

    streamed = {
        e["id"]: e["input_audios"][0]["array"] for e in stream("speech.denoising", speech_and_noise, source="ljspeech")
    }
    export(
        tmp_path / "out",
        configs=["speech.denoising"],
        data_dir=speech_and_noise,
        include_restricted=True,
        progress=False,
        log=lambda *_: None,
    )
    rows = [
        r
        for f in sorted((tmp_path / "out" / "speech.denoising").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    assert {r["id"] for r in rows} >= set(streamed)
    for row in rows:
        if row["id"] not in streamed:
            continue
        stored = row["input_audios"][0]
        assert stored["bytes"][:4] == b"fLaC"
        back = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")[0]
        np.testing.assert_allclose(back, streamed[row["id"]], atol=2.0**-14)
    card = (tmp_path / "out" / "README.md").read_text()
    assert "CC BY-NC 3.0" in card and "ESC-50" in card and "Included with `--include-restricted`" in card
