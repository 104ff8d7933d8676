"""An export of the mixture, continuation and placement configs (LibriSpeech, VGGSound, WavCaps side by side in one
data_dir, ESC-50 as the noise under speaker-extraction mixtures, restricted sources included) reads back without
audio-flan: the same text, and audio that is the rendered recipe (FLAC, within 16-bit quantisation of what the builder renders)."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import esc50, librispeech, vggsound, wavcaps
from export_helpers import TEXT_FIELDS, load_without_package
from util import stream

from audio_flan.export import export

CONFIGS = [
    "speech.speaker_extraction",
    "audio.label_querying_sound_extraction",
    "audio.audio_querying_sound_extraction",
    "audio.text_guided_source_separation",
    "audio.continuation",
    "audio.speech_nonspeech_detection",
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    for module in (librispeech, vggsound, wavcaps, esc50):
        module.build(base)
    return base


def digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array, dtype=np.float32).tobytes()).hexdigest()


def test_the_export_reads_back_without_the_package(data_dir, tmp_path):
    out = tmp_path / "audio-flan"
    export(
        out,
        configs=[*CONFIGS, "speech.asr"],
        data_dir=data_dir,
        include_restricted=True,
        progress=False,
        log=lambda *_: None,
    )
    loaded = load_without_package(out, CONFIGS, [], tmp_path)
    for config in CONFIGS:
        streamed = {e["id"]: e for split in ("train", "test") for e in _split(config, data_dir, split)}
        rows = {r["id"]: r for f in sorted((out / config).glob("*.parquet")) for r in pq.read_table(f).to_pylist()}
        back = {r["id"]: r for split in loaded["streaming"][config].values() for r in split}
        assert set(rows) == set(back) >= set(streamed) and streamed, config
        for iid, want in streamed.items():
            row, got = rows[iid], back[iid]
            assert {k: got[k] for k in TEXT_FIELDS} == {k: want[k] for k in TEXT_FIELDS}, iid
            if config == "speech.speaker_extraction":  # the ESC-50 noise is in the rendered mixture
                assert '"noise_snr_db"' in want["metadata"], iid
            audios = row["input_audios"] + row["output_audios"]
            arrays = [a["array"] for a in want["input_audios"] + want["output_audios"]]
            assert len(audios) == len(arrays) == len(got["audios"])
            for stored, array, (_, loaded_digest, _) in zip(audios, arrays, got["audios"]):
                decoded = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")[0]
                np.testing.assert_allclose(decoded, array, atol=2.0**-14)
                assert loaded_digest == digest(decoded)


def _split(config: str, data_dir, split: str) -> list[dict]:
    try:
        return stream(config, data_dir, split=split)
    except ValueError:  # datasets' error for a split this config does not have
        return []
