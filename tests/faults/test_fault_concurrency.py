"""Loads at the same time: each keeps its own policy and its own report (streams interleaved in one thread, loads in
threads), concurrent reads give what one read gives, and two processes preparing one cache at once agree."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from itertools import zip_longest

import pytest
from corpora.release import Release, record

from audio_flan import report
from audio_flan.builder import AudioFlan
from audio_flan.sources.release import ReleaseFormatError

LIB = "13_LibriTTS-R"


@pytest.fixture
def damaged(tmp_path):
    """A release whose speech file holds one malformed line between good ones, and a music file that is clean."""
    rel = Release(tmp_path / "release")
    a = rel.audio("speech", LIB, "a")
    good = [record(f"asr-{i}", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>") for i in range(4)]
    path = rel.jsonl("speech", LIB, good[:2], raw_lines=["{not json"])
    rel.jsonl("speech", LIB, good[2:])
    b = rel.audio("music", "20_Other", "b")
    rel.jsonl("music", "20_Other", [record("k-1", "Key Detection", domain="music", inp=f"<|SOA|>{b}<|EOA|>", out="C")])
    return rel, path


def _stream(rel, config="speech.asr", **kwargs):
    return iter(AudioFlan(config_name=config, data_dir=str(rel.root), **kwargs).as_streaming_dataset(split="train"))


def test_interleaved_streams_keep_their_own_policy_and_report(damaged):
    rel, path = damaged
    skipping, raising = _stream(rel, on_error="skip"), _stream(rel)
    got_skip, got_raise = [], []
    with report.collect() as collected, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):  # both read their first two records, in turns
            got_skip.append(next(skipping)["id"])
            got_raise.append(next(raising)["id"])
        with pytest.raises(ReleaseFormatError, match=f"{path}:3"):
            next(raising)  # the default policy stops at the bad line
        got_skip.extend(e["id"] for e in skipping)  # the skipping stream passes it, counted in its own report
    assert got_skip == ["asr-0", "asr-1", "asr-2", "asr-3"] and got_raise == ["asr-0", "asr-1"]
    assert collected.by_reason() == {"malformed metadata line(s)": 1}
    reports = [str(w.message) for w in caught if "skipped" in str(w.message)]
    assert len(reports) == 1 and f"{path}:3" in reports[0]


def test_loads_in_threads_report_separately(damaged):
    rel, path = damaged

    def load(config, policy):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [e["id"] for e in _stream(rel, config, on_error=policy)]

    jobs = [("speech.asr", "skip"), ("music.key_detection", None)] * 4
    with report.collect() as collected, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: load(*job), jobs))
    assert results == [["asr-0", "asr-1", "asr-2", "asr-3"], ["k-1"]] * 4
    assert collected.by_reason() == {"malformed metadata line(s)": 4}  # one per skipping load, none from the others


def test_concurrent_reads_of_one_release_give_what_one_read_gives(damaged):
    rel, _ = damaged
    (rel.root / "metadata/speech/understanding/train_dev" / LIB / "jsonl/data.jsonl").write_text(
        "".join(json.dumps(record(f"r{i}", "ASR", inp=f"<|SOA|>{LIB}_a<|EOA|>")) + "\n" for i in range(50))
    )
    one = [e["id"] for e in _stream(rel)]
    with ThreadPoolExecutor(8) as pool:
        many = list(pool.map(lambda _: [e["id"] for e in _stream(rel)], range(8)))
    assert all(m == one for m in many) and len(one) == 50


def test_two_streams_of_one_builder_zipped_give_each_split_whole(damaged):
    rel, _ = damaged
    builder = AudioFlan(config_name="speech.asr", data_dir=str(rel.root), on_error="skip")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = builder.as_streaming_dataset(split="train"), builder.as_streaming_dataset(split="train")
        pairs = list(zip_longest((e["id"] for e in a), (e["id"] for e in b)))
    assert [x for x, _ in pairs] == [y for _, y in pairs] == ["asr-0", "asr-1", "asr-2", "asr-3"]


PREPARE = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from audio_flan.builder import AudioFlan
builder = AudioFlan(config_name="speech.asr", data_dir=sys.argv[1], cache_dir=sys.argv[2], on_error="skip")
builder.download_and_prepare()
print(json.dumps([r["id"] for r in builder.as_dataset(split="train")]))
"""


def test_two_processes_preparing_one_cache_at_once_agree(damaged, tmp_path):
    rel, _ = damaged
    cache = tmp_path / "cache"
    procs = [
        subprocess.Popen([sys.executable, "-c", PREPARE, str(rel.root), str(cache)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [json.loads(o.strip().splitlines()[-1]) for o in outs] == [["asr-0", "asr-1", "asr-2", "asr-3"]] * 2
