"""The separate shape through the builder, on LibriSpeech (speech.speaker_extraction): the mixture is the target
plus another speaker's utterance at the recorded ratio, the answer is exactly the target inside it, the
reference is another utterance of the target speaker; the same in another process, under another
PYTHONHASHSEED, in the Arrow cache and in an export read without the package."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import librispeech as librispeech_fixture
from export_helpers import load_without_package
from util import metadata, stream

from audio_flan import dsp
from audio_flan.builder import AudioFlan
from audio_flan.registry import RegistryError, parse_task
from audio_flan.shapes import SHAPES
from audio_flan.shapes.separate import TIR_DB
from audio_flan.sources import get_sources

CONFIG = "speech.speaker_extraction"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return librispeech_fixture.build(tmp_path_factory.mktemp("ls"))


def interferer_array(corpus, meta: dict, length: int) -> np.ndarray:
    array, _ = sf.read(corpus.expected[meta["separation"]["interferer"]]["audio"], dtype="float32")
    out = np.zeros(length, dtype=np.float32)
    out[: min(length, array.size)] = array[:length]
    return out


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_mixture_minus_target_is_the_scaled_interferer(corpus, split):
    examples = stream(CONFIG, corpus.data_dir, split=split, source="librispeech")
    assert examples
    for e in examples:
        meta = metadata(e)
        mixture, target = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        assert mixture.shape == target.shape
        assert_mixture_of(corpus, meta, mixture, target)
        assert TIR_DB[0] <= meta["separation"]["tir_db"] <= TIR_DB[1]
        # within the peak limit, the answer is the target utterance as the corpus holds it
        if np.abs(mixture).max() < dsp.MIX_PEAK - 1e-4:
            clean, _ = sf.read(corpus.expected[meta["separation"]["target"]]["audio"], dtype="float32")
            np.testing.assert_array_equal(target, clean)


def assert_mixture_of(corpus, meta: dict, mixture: np.ndarray, answer: np.ndarray, atol: float = 1e-6) -> float:
    """mixture = answer + the scaled interferer, the answer the target scaled by the peak limit's factor k
    (1 unless target + interferer would peak above MIX_PEAK); returns k."""
    clean, _ = sf.read(corpus.expected[meta["separation"]["target"]]["audio"], dtype="float32")
    interferer = interferer_array(corpus, meta, clean.size)
    gain = np.sqrt(dsp.power(clean) / (dsp.power(interferer) * 10 ** (meta["separation"]["tir_db"] / 10)))
    unscaled = clean + gain * interferer
    k = min(1.0, dsp.MIX_PEAK / float(np.abs(unscaled).max()))
    np.testing.assert_allclose(answer, k * clean, atol=atol)
    np.testing.assert_allclose(mixture - answer, k * gain * interferer, atol=atol)
    assert np.abs(mixture).max() <= dsp.MIX_PEAK + atol
    assert meta["simulation"]["peak"] == dsp.MIX_PEAK
    assert dsp.snr_db(answer, mixture - answer) == pytest.approx(meta["separation"]["tir_db"], abs=1e-3)
    return k


def test_a_pair_that_would_clip_is_scaled_down_with_its_target_also_after_export(tmp_path):
    from audio_flan.export import export

    loud = librispeech_fixture.build(tmp_path / "corpus")
    for record in loud.expected.values():  # every utterance peaks at 0.95: any two of them summed exceed full scale
        array, rate = sf.read(record["audio"], dtype="float32")
        sf.write(record["audio"], 0.95 * array / np.abs(array).max(), rate, subtype="PCM_16")
    streamed = {e["id"]: e for e in stream(CONFIG, loud.data_dir, source="librispeech")}
    assert streamed
    for e in streamed.values():
        mixture, answer = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        assert assert_mixture_of(loud, metadata(e), mixture, answer) < 0.99
    out = tmp_path / "audio-flan"
    export(out, configs=[CONFIG], data_dir=loud.data_dir, progress=False, log=lambda *_: None)
    rows = [r for f in sorted((out / CONFIG).glob("train*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert {r["id"] for r in rows} == set(streamed)
    for row in rows:  # read with soundfile alone: the identity holds within 16-bit FLAC quantisation, no clipping
        mixture = sf.read(io.BytesIO(row["input_audios"][0]["bytes"]), dtype="float32")[0]
        answer = sf.read(io.BytesIO(row["output_audios"][0]["bytes"]), dtype="float32")[0]
        assert_mixture_of(loud, json.loads(row["metadata"]), mixture, answer, atol=2.0**-14)


def test_interferer_is_another_speaker_and_reference_another_utterance_of_the_target(corpus):
    for split in ("train", "validation", "test"):
        for e in stream(CONFIG, corpus.data_dir, split=split, source="librispeech"):
            sep = metadata(e)["separation"]
            target, interferer, reference = (corpus.expected[sep[k]] for k in ("target", "interferer", "reference"))
            assert interferer["speaker"] != target["speaker"]
            assert reference["speaker"] == target["speaker"] and sep["reference"] != sep["target"]
            assert target["split"] == interferer["split"] == reference["split"] == split
            assert e["input_audios"][1]["path"] == reference["audio"]
            assert f"LibriSpeech_{sep['reference']}<|EOA|>" in e["input"]
            assert e["output"] == f"<|SOA|>LibriSpeech_{sep['target']}<|EOA|>"


def test_every_utterance_is_a_target_once_and_the_seed_draws_the_pairs(corpus):
    first = [metadata(e)["separation"] for e in stream(CONFIG, corpus.data_dir, source="librispeech")]
    assert sorted(s["target"] for s in first) == sorted(corpus.ids("train"))
    again = [metadata(e)["separation"] for e in stream(CONFIG, corpus.data_dir, source="librispeech")]
    other = [metadata(e)["separation"] for e in stream(CONFIG, corpus.data_dir, source="librispeech", seed=3)]
    assert first == again and first != other


DIGEST = """
import hashlib, sys
from itertools import islice
from audio_flan.builder import AudioFlan
ds = AudioFlan(config_name=sys.argv[1], data_dir=sys.argv[2], source=sys.argv[3]).as_streaming_dataset(split="train")
digest = hashlib.sha256()
for e in ds:
    digest.update(repr([e[k] for k in ("id", "instruction", "input", "output", "metadata")]).encode())
    for a in e["input_audios"] + e["output_audios"]:
        digest.update(a["array"].tobytes())
print(digest.hexdigest())
"""


def digest_in_subprocess(config: str, data_dir, source: str) -> set[str]:
    out = set()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", DIGEST, config, str(data_dir), source], env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        out.add(proc.stdout.strip())
    return out


def test_the_same_instances_in_other_processes_whatever_the_hash_seed(corpus):
    assert len(digest_in_subprocess(CONFIG, corpus.data_dir, "librispeech")) == 1


def test_the_arrow_cache_gives_the_streamed_samples(corpus, tmp_path):
    streamed = {e["id"]: e for e in stream(CONFIG, corpus.data_dir, source="librispeech")}
    builder = AudioFlan(config_name=CONFIG, data_dir=str(corpus.data_dir), cache_dir=str(tmp_path))
    builder.download_and_prepare()
    for example in builder.as_dataset(split="train"):
        want = streamed[example["id"]]
        assert example["metadata"] == want["metadata"]
        for column in ("input_audios", "output_audios"):
            for got, wanted in zip(example[column], want[column]):
                np.testing.assert_array_equal(got["array"], wanted["array"])


def test_an_export_reads_back_without_the_package(corpus, tmp_path):
    from audio_flan.export import export

    streamed = {e["id"]: e for s in ("train", "test") for e in stream(CONFIG, corpus.data_dir, split=s)}
    out = tmp_path / "audio-flan"
    export(out, configs=[CONFIG, "speech.asr"], data_dir=corpus.data_dir, progress=False, log=lambda *_: None)
    rows = [r for f in sorted((out / CONFIG).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert {r["id"] for r in rows} >= set(streamed)
    for row in rows:
        if row["id"] not in streamed:
            continue
        want = streamed[row["id"]]
        mixture = row["input_audios"][0]["bytes"]
        assert mixture[:4] == b"fLaC"
        back = sf.read(io.BytesIO(mixture), dtype="float32")[0]
        np.testing.assert_allclose(back, want["input_audios"][0]["array"], atol=2.0**-14)
        target = sf.read(io.BytesIO(row["output_audios"][0]["bytes"]), dtype="float32")[0]
        np.testing.assert_array_equal(target, want["output_audios"][0]["array"])  # 16-bit samples, rendered again
    loaded = load_without_package(out, [CONFIG], [], tmp_path)
    rows_back = {r["id"]: r for split in loaded["streaming"][CONFIG].values() for r in split}
    for iid, want in streamed.items():
        got = rows_back[iid]
        assert (got["instruction"], got["input"], got["output"]) == (want["instruction"], want["input"], want["output"])
        assert json.loads(got["metadata"]) == json.loads(want["metadata"])
        assert len(got["audios"]) == 3


def test_a_binding_naming_an_unknown_shape_is_refused():
    import yaml

    from audio_flan.registry import _bind, config_dir

    path = config_dir() / "speech" / "speaker_extraction.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["sources"]["librispeech"] = {**raw["sources"]["librispeech"], "shape": "blend"}
    with pytest.raises(RegistryError, match="shape 'blend' is not one of"):
        _bind(parse_task(str(path), raw))


def test_the_shape_checks_its_binding():
    from audio_flan.registry import load_registry

    task = load_registry()[CONFIG]
    fields = get_sources()["librispeech"].fields
    assert SHAPES["separate"].check(task, {"audio": "audio", "key": "speaker", "reference": "audio"}, fields) == []
    errors = SHAPES["separate"].check(task, {"audio": "audio", "reference": "audio", "window": -1}, fields)
    assert any("needs 'key'" in e for e in errors) and any("'window' must be" in e for e in errors)
    both = {"audio": "audio", "key": "speaker", "reference": "audio", "mixture": "audio", "window": 5}
    assert any("'window' cuts drawn mixtures only" in e for e in SHAPES["separate"].check(task, both, fields))
