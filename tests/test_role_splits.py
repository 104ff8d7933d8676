"""Roles draw from the instance's own split: no noise clip or impulse response of a test instance is also used by
a train instance (audio_flan/roles.py), and the fallback for a corpus without that split is recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpora import dns as dns_fixture
from corpora import esc50 as esc50_fixture
from util import stream

from audio_flan.roles import SHARED, pool_split

SPLITS = ("train", "test")


def clean_files(per_split: int) -> list[str]:
    """DNS read-speech file names of readers the DNS split puts in train and in test (``per_split`` each)."""
    chosen: dict[str, list[str]] = {split: [] for split in SPLITS}
    reader = 0
    while any(len(v) < per_split for v in chosen.values()):
        reader += 1
        split = dns_fixture.expected_split("read_speech", f"reader_{reader:05d}")
        if split in chosen and len(chosen[split]) < per_split:
            chosen[split].append(f"read_speech/book_{reader:05d}_chp_0001_reader_{reader:05d}_0.wav")
    return [name for names in chosen.values() for name in names]


@pytest.fixture(scope="module")
def dns_with_pools(tmp_path_factory):
    """A DNS layout with enough noise clips and impulse responses that every split of each pool has some."""
    root = tmp_path_factory.mktemp("dns_splits") / "datasets_fullband"
    noise = [f"noise_Freesound_validated_{k:06d}_0.wav" for k in range(40)]
    rirs = [(f"SLR26/simulated_rirs_48k/smallroom/Room{k:03d}/Room{k:03d}-00001.wav", 16000, 0.05) for k in range(40)]
    dns_fixture.write(root, clean=clean_files(8), noise=noise, rirs=rirs)
    return root.parent


def drawn(config: str, data_dir: Path, role: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for split in SPLITS:
        items = [json.loads(e["metadata"])["roles"][role] for e in stream(config, data_dir, split=split, source="dns")]
        assert len(items) == 8
        assert all(item["split"] == split for item in items)  # the pool has items of every split: no fallback
        out[split] = {item["id"] for item in items}
    return out


@pytest.mark.parametrize(("config", "role"), [("speech.denoising", "noise"), ("speech.dereverberation", "rir")])
def test_no_role_item_is_shared_between_train_and_test(dns_with_pools, config, role):
    ids = drawn(config, dns_with_pools, role)
    assert ids["train"] and ids["test"]
    assert not ids["train"] & ids["test"]


def test_the_pool_split_is_a_stable_hash_of_the_item():
    assert pool_split("dns", "rir", "impulse_responses/SLR26/x.wav") == pool_split(
        "dns", "rir", "impulse_responses/SLR26/x.wav"
    )
    dealt = [pool_split("dns", "noise", f"noise_fullband/{k}.wav") for k in range(2000)]
    assert 0.75 < dealt.count("train") / 2000 < 0.85 and 0.07 < dealt.count("test") / 2000 < 0.13


def test_a_corpus_without_the_split_gives_its_items_to_every_split_and_says_so(tmp_path):
    """ESC-50 has only train: a test instance of denoising draws its noise from all of it, recorded as shared."""
    data = tmp_path / "data"
    dns_fixture.write(data / "datasets_fullband", clean=clean_files(2), noise=[], rirs=[])
    esc50_fixture.build(data)
    test_items = [json.loads(e["metadata"])["roles"]["noise"] for e in stream("speech.denoising", data, split="test")]
    assert test_items and all(item["source"] == "ESC-50" and item["split"] == SHARED for item in test_items)
    train_items = [json.loads(e["metadata"])["roles"]["noise"] for e in stream("speech.denoising", data, split="train")]
    assert train_items and all(item["split"] == "train" for item in train_items)
