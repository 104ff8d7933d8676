"""DNS Challenge fullband: its clean speech, noise and impulse-response pools as distributed, and the pairs it
feeds (denoising, dereverberation, declipping, bandwidth extension, voice activity detection), measured."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
import soxr
from corpora import dns as fixture
from util import record_opens, stream

from audio_flan import dsp
from audio_flan.audio_values import from_bytes
from audio_flan.roles import pool_split
from audio_flan.segments import parse_segments
from audio_flan.sources import dns
from audio_flan.sources.dns import SOURCE


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("dns"))


def meta(example) -> dict:
    return json.loads(example["metadata"])


def records(corpus) -> dict:
    return {
        r["id"]: dict(r, split=split)
        for split, shards in SOURCE.list_shards(corpus.root).items()
        for shard in shards
        for r in SOURCE.read_shard(corpus.root, shard)
    }


def test_clean_speech_records_with_language_speaker_and_a_split_by_speaker(corpus):
    got = records(corpus)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want
    by_speaker: dict[str, set] = {}
    for r in got.values():
        by_speaker.setdefault((r["subset"], r["speaker"]), set()).add(r["split"])
    assert all(len(splits) == 1 for splits in by_speaker.values())
    assert got["read_speech/book_00012_chp_0003_reader_01017_0"]["speaker"] == "reader_01017"
    assert got["vctk_wav48_silence_trimmed/p226/p226_004_mic1"]["speaker"] == "p226"


def test_the_pools_list_noise_and_impulse_responses_without_opening_audio(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    noise = [r["id"] for r in SOURCE.read_shard(corpus.root, SOURCE.pools["noise"](corpus.root)[0])]
    rirs = [r["id"] for r in SOURCE.read_shard(corpus.root, SOURCE.pools["rir"](corpus.root)[0])]
    assert opened == []
    assert noise == sorted(f"noise_fullband/{n[:-4]}" for n in fixture.NOISE)
    assert rirs == sorted(f"impulse_responses/{rel[:-4]}" for rel, _, _ in fixture.RIRS)  # SLR28's noise left out


def test_a_noise_and_rir_only_copy_is_detected_and_lists_no_split(tmp_path):
    root = tmp_path / "datasets_fullband"
    fixture.write(root, clean=[])
    assert SOURCE.detect(root) and SOURCE.list_shards(root) == {}


def test_a_folder_read_in_many_slices_is_listed_once_and_listed_again_when_it_changes(tmp_path, monkeypatch):
    """DNS keeps ~200k files in one folder, read in slices: each slice must not list the whole folder again, yet a
    file added between two passes is read."""
    root = tmp_path / "datasets_fullband"
    fixture.write(root)
    monkeypatch.setattr(dns, "SHARD_FILES", 1)
    folder = root / "clean_fullband" / "read_speech"
    listed: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(dns.os, "scandir", lambda path: listed.append(os.fspath(path)) or scandir(path))

    def read_folder() -> list[str]:
        shards = [s for ss in SOURCE.list_shards(root).values() for s in ss if s[1] == "read_speech"]
        listed.clear()
        ids = [r["id"] for s in shards for r in SOURCE.read_shard(root, s)]
        assert len(shards) == len(ids) > 2  # one file a slice
        return ids

    first = read_folder()
    assert listed.count(os.fspath(folder)) <= 1
    extra = "book_09999_chp_0001_reader_09999_0.wav"
    sf.write(folder / extra, fixture.speech_like(0.2, 99), fixture.RATE, subtype="PCM_16")
    os.utime(folder, ns=(folder.stat().st_atime_ns, folder.stat().st_mtime_ns + 1_000_000))
    second = read_folder()
    assert sorted(second) == sorted([*first, f"read_speech/{extra[:-4]}"])


# -- the pairs ------------------------------------------------------------------------------------------------


def test_denoising_with_dns_noise_has_the_recorded_snr(corpus):
    examples = stream("speech.denoising", corpus.data_dir, source="dns")
    assert len(examples) == len(corpus.ids("train"))
    for example in examples:
        noisy, clean = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        m = meta(example)
        assert m["roles"]["noise"]["parser"] == "dns"  # ESC-50 is not in this data_dir
        assert abs(dsp.snr_db(clean, noisy - clean) - m["simulation"]["snr_db"]) < 0.1


def _lag_ms(a: np.ndarray, b: np.ndarray, rate: int) -> float:
    n = 1 << (a.size + b.size).bit_length()
    corr = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    lag = int(np.argmax(np.abs(corr)))
    lag = lag - n if lag > n // 2 else lag
    return 1000 * lag / rate


def test_dereverberation_target_is_time_aligned_with_the_reverberant_input(corpus):
    examples = stream("speech.dereverberation", corpus.data_dir, source="dns")
    rirs = set()
    for example in examples:
        wet, dry = example["input_audios"][0], example["output_audios"][0]
        assert wet["array"].shape == dry["array"].shape
        assert abs(_lag_ms(wet["array"], dry["array"], dry["sampling_rate"])) <= 1.0
        assert not np.allclose(wet["array"], dry["array"], atol=1e-3)  # the tail is there
        rirs.add(meta(example)["roles"]["rir"]["id"])
    # train instances draw from the responses the pool deals to train (audio_flan/roles.py), every one of them here
    dealt = {f"impulse_responses/{rel[:-4]}" for rel, _, _ in fixture.RIRS}
    train = {r for r in dealt if pool_split("dns", "rir", r) == "train"} or dealt
    assert rirs == train


def test_a_multichannel_response_gives_each_instance_one_drawn_channel_recorded_and_aligned(tmp_path):
    """SLR28's REVERB-challenge responses are microphone-array recordings: an instance convolves with one
    channel, drawn from its seed and recorded in its recipe, and its target is aligned to that channel."""
    root = tmp_path / "datasets_fullband"
    fixture.write(root, rirs=[])
    delays = (0.004, 0.011)  # the direct sound reaches the two microphones 7 ms apart
    response = np.stack(
        [
            np.roll(fixture.impulse_response(fixture.RIR_RATE, 0.3, 20 + k), round((d - 0.004) * fixture.RIR_RATE))
            for k, d in enumerate(delays)
        ],
        axis=1,
    )
    rir = (
        root
        / "impulse_responses/SLR28/RIRS_NOISES/real_rirs_isotropic_noises/RVB2014_type1_rir_largeroom1_far_angla.wav"
    )
    rir.parent.mkdir(parents=True)
    sf.write(rir, response, fixture.RIR_RATE, subtype="FLOAT")
    examples = stream("speech.dereverberation", tmp_path, source="dns")
    channels = []
    for example in examples:
        wet, dry = example["input_audios"][0], example["output_audios"][0]
        channel = meta(example)["simulation"]["channel"]
        channels.append(channel)
        assert abs(_lag_ms(wet["array"], dry["array"], dry["sampling_rate"])) <= 1.0
        # the input is the (scaled) target convolved with that one channel, resampled to the speech's rate
        h = soxr.resample(response[:, channel], fixture.RIR_RATE, dry["sampling_rate"], quality="HQ")
        np.testing.assert_allclose(wet["array"], dsp.convolve_rir(dry["array"], h), atol=2e-5)
    assert sorted(set(channels)) == [0, 1]  # both microphones are drawn over the instances
    again = [meta(e)["simulation"]["channel"] for e in stream("speech.dereverberation", tmp_path, source="dns")]
    assert again == channels


def test_voice_activity_segments_are_where_the_speech_was_placed(corpus):
    examples = stream("audio.voice_activity_detection", corpus.data_dir, source="dns")
    assert len(examples) == len(corpus.ids("train"))
    for example in examples:
        (segment,) = parse_segments(example["output"])
        recipe = from_bytes(example["input_audios"][0].bytes)
        placed, rate = recipe.clean.render()
        assert placed.size == example["input_audios"][0]["array"].size
        clip, clip_rate = sf.read(recipe.clean.source.path, dtype="float32")
        start = round(recipe.clean.before * rate)
        # the clip sits, whole, at the placement; nothing but noise before and after it
        assert clip_rate == rate and not placed[:start].any() and not placed[start + clip.size :].any()
        np.testing.assert_array_equal(placed[start : start + clip.size], clip)
        # and the answer says so (times written with two decimals)
        assert abs(start / rate - segment.start) <= 0.005 + 1e-9
        assert abs((start + clip.size) / rate - segment.end) <= 0.005 + 1e-9
        sim = meta(example)["simulation"]
        assert dsp.PLACE_SECONDS[0] <= sim["clean"]["before"] <= dsp.PLACE_SECONDS[1]
        assert abs(segment.end - segment.start - fixture.CLEAN_SECONDS) <= 0.01


def test_declipping_and_bandwidth_extension_from_dns_speech(corpus):
    for example in stream("speech.declipping", corpus.data_dir, source="dns"):
        clipped, clean = example["input_audios"][0]["array"], example["output_audios"][0]["array"]
        assert np.abs(clipped).max() <= meta(example)["simulation"]["level"] * np.abs(clean).max() + 1e-6
    for example in stream("speech.bandwidth_extension", corpus.data_dir, source="dns"):
        assert meta(example)["simulation"]["low_rate"] < fixture.RATE


def test_an_export_of_the_dns_configs_reads_back_without_the_package(corpus, tmp_path):
    from audio_flan.export import export

    configs = ["speech.denoising", "speech.dereverberation", "audio.voice_activity_detection"]
    streamed = {
        e["id"]: e["input_audios"][0]["array"] for c in configs for e in stream(c, corpus.data_dir, source="dns")
    }
    export(tmp_path / "out", configs=configs, data_dir=corpus.data_dir, progress=False, log=lambda *_: None)
    rows = [
        r
        for c in configs
        for f in sorted((tmp_path / "out" / c).glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    assert {r["id"] for r in rows} == set(streamed)
    for row in rows:
        stored = row["input_audios"][0]
        assert stored["bytes"][:4] == b"fLaC"  # pyarrow and soundfile alone read it
        back = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")[0]
        np.testing.assert_allclose(back, streamed[row["id"]], atol=2.0**-14)
        assert "DNS Challenge" in json.loads(row["metadata"])["licenses"]
    card = (Path(tmp_path) / "out" / "README.md").read_text()
    assert "DNS Challenge" in card
