"""Issue 10's guarantees, for every parser and config of its table side by side in one data_dir: each (config,
parser) gives instances, and the same ones (text, metadata and rendered samples) in two processes under
different PYTHONHASHSEEDs, and an export of the configs that no other test exports reads back without audio-flan
with the same samples (within 16-bit FLAC quantisation). LibriSpeech's speaker extraction, VGGSound's and WavCaps'
configs are exported in test_export_separation.py."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import esc50, librimix, librispeech, medleydb, medleyvox, moisesdb, vggsound, wavcaps
from export_helpers import TEXT_FIELDS, load_without_package

from audio_flan.builder import AudioFlan
from audio_flan.export import export

#: (config, parser) for every parser of issue 10's table and every config it feeds with mixtures, placements or
#: excerpts
PAIRS = [
    ("speech.speaker_extraction", "librispeech"),
    ("speech.speaker_extraction", "librimix"),
    ("audio.text_guided_source_separation", "wavcaps"),
    ("audio.continuation", "wavcaps"),
    ("audio.speech_nonspeech_detection", "wavcaps"),
    ("audio.label_querying_sound_extraction", "vggsound"),
    ("audio.audio_querying_sound_extraction", "vggsound"),
    ("music.melody_extraction", "medleydb"),
    ("music.text_guided_source_separation", "medleydb"),
    ("music.text_guided_source_separation", "moisesdb"),
    ("music.text_guided_source_separation", "medleyvox"),
]
SPLITS = ("train", "validation", "test")

DIGESTS = """
import hashlib, json, sys
from audio_flan.builder import AudioFlan

def digest(config, data_dir, source):
    out = hashlib.sha256()
    builder = AudioFlan(config_name=config, data_dir=data_dir, source=source)
    for split in ("train", "validation", "test"):
        try:
            ds = builder.as_streaming_dataset(split=split)
        except ValueError:  # a split this config does not have here
            continue
        for e in ds:
            out.update(repr([e[k] for k in ("id", "instruction", "input", "output", "metadata")]).encode())
            for a in e["input_audios"] + e["output_audios"]:
                out.update(a["array"].tobytes())
    return out.hexdigest()

print(json.dumps({f"{c}|{s}": digest(c, sys.argv[1], s) for c, s in json.loads(sys.argv[2])}))
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("issue10")
    for module in (librispeech, librimix, wavcaps, vggsound, esc50, medleydb, moisesdb, medleyvox):
        module.build(base)
    return base


def in_subprocess(data_dir, hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    proc = subprocess.run(
        [sys.executable, "-c", DIGESTS, str(data_dir), json.dumps(PAIRS)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_config_and_parser_gives_the_same_instances_in_other_processes_whatever_the_hash_seed(data_dir):
    first, second = in_subprocess(data_dir, "0"), in_subprocess(data_dir, "4242")
    assert first == second
    empty = hashlib.sha256().hexdigest()
    assert set(first) == {f"{c}|{s}" for c, s in PAIRS}
    assert not [pair for pair, digest in first.items() if digest == empty]  # every pair gave instances


EXPORTED = [
    ("speech.speaker_extraction", "librimix"),
    ("music.melody_extraction", "medleydb"),
    ("music.text_guided_source_separation", None),  # MedleyDB, MoisesDB and MedleyVox
]


def streamed(config: str, data_dir, source) -> dict[str, dict]:
    out = {}
    builder = AudioFlan(config_name=config, data_dir=str(data_dir), source=source)
    for split in SPLITS:
        try:
            out.update({e["id"]: e for e in builder.as_streaming_dataset(split=split)})
        except ValueError:  # a split this config does not have here
            pass
    return out


def mono(array: np.ndarray) -> np.ndarray:
    return array.mean(axis=1) if array.ndim == 2 else array


def test_an_export_of_the_multitrack_and_librimix_configs_reads_back_without_the_package(data_dir, tmp_path):
    out = tmp_path / "audio-flan"
    configs = sorted({c for c, _ in EXPORTED})
    export(
        out,
        configs=[*configs, "speech.asr"],
        data_dir=data_dir,
        include_restricted=True,
        progress=False,
        log=lambda *_: None,
    )
    loaded = load_without_package(out, configs, [], tmp_path)
    for config, source in EXPORTED:
        want = streamed(config, data_dir, source)
        assert want, (config, source)
        rows = {r["id"]: r for f in sorted((out / config).glob("*.parquet")) for r in pq.read_table(f).to_pylist()}
        back = {r["id"]: r for split in loaded["streaming"][config].values() for r in split}
        assert set(want) <= set(rows) == set(back), config
        if source is None:
            assert {e["source"] for e in want.values()} == {"MedleyDB", "MoisesDB", "MedleyVox"}
        for iid, example in want.items():
            got = back[iid]
            assert {k: got[k] for k in TEXT_FIELDS} == {k: example[k] for k in TEXT_FIELDS}, iid
            arrays = [a["array"] for a in example["input_audios"] + example["output_audios"]]
            stored = rows[iid]["input_audios"] + rows[iid]["output_audios"]
            assert len(stored) == len(arrays) == len(got["audios"])
            for value, array, (_, digest, _) in zip(stored, arrays, got["audios"]):
                decoded = sf.read(io.BytesIO(value["bytes"]), dtype="float32")[0]
                np.testing.assert_allclose(mono(decoded), array, atol=2.0**-14)
                assert digest == hashlib.sha256(np.ascontiguousarray(decoded, dtype=np.float32).tobytes()).hexdigest()
