"""The fast last stage of our streams (audio_flan/fast_stream.py), a hook into private datasets code: it must be
active on every supported datasets for the untouched stream, give exactly what the stock pipeline gives, and
step aside for anything else (formatting, decode(False), map, shuffle, resuming, splitting by node)."""

from __future__ import annotations

from itertools import islice

import datasets
import numpy as np
import pytest
from corpora.libritts_r import build as make_libritts_r
from corpora.release import Release, record
from util import CONTRACT

from audio_flan import LazyAudio, fast_stream
from audio_flan.builder import AudioFlan


def _stream(config="speech.asr", data_dir=None, split="train", **kwargs):
    builder = AudioFlan(config_name=config, data_dir=None if data_dir is None else str(data_dir), **kwargs)
    return builder.as_streaming_dataset(split=split)


@pytest.fixture
def stock(monkeypatch):
    """Turn the fast stage off (the stock datasets pipeline) inside a with-block."""
    import contextlib

    @contextlib.contextmanager
    def off():
        monkeypatch.setenv(fast_stream.ENV, "0")
        try:
            yield
        finally:
            monkeypatch.delenv(fast_stream.ENV)

    return off


def _same(fast: dict, slow: dict) -> None:
    assert list(fast) == list(slow)
    for key in fast:
        if key in ("input_audios", "output_audios"):
            assert len(fast[key]) == len(slow[key])
            for a, b in zip(fast[key], slow[key]):
                assert type(a) is type(b) is LazyAudio
                assert (a.path, a.bytes, a._target_rate, a._mono) == (b.path, b.bytes, b._target_rate, b._mono)
                assert not a.is_decoded
        else:
            assert fast[key] == slow[key], key
            assert type(fast[key]) is type(slow[key]), key


@pytest.fixture(scope="module")
def libritts(tmp_path_factory):
    return make_libritts_r(tmp_path_factory.mktemp("libritts"))


def test_the_untouched_stream_takes_the_fast_stage():
    assert fast_stream.AVAILABLE, f"datasets {datasets.__version__}: the private classes fast_stream relies on are gone"
    ds = _stream()
    assert type(ds).__name__ == "AudioFlanIterableDataset"
    assert isinstance(ds, datasets.IterableDataset)
    assert type(ds._prepare_ex_iterable_for_iteration()).__name__ == "_TypedExamplesIterable"


@pytest.mark.parametrize("config", CONTRACT)
def test_fast_stage_gives_what_datasets_gives(config, stock):
    fast = list(_stream(config))
    with stock():
        slow_ds = _stream(config)
        assert type(slow_ds._prepare_ex_iterable_for_iteration()).__name__ != "_TypedExamplesIterable"
        slow = list(slow_ds)
    assert len(fast) == len(slow) > 0
    for a, b in zip(fast, slow):
        _same(a, b)


def test_fast_stage_on_a_corpus_with_resampling(libritts, stock):
    fast = list(_stream("speech.speaker_verification", libritts.data_dir, sampling_rate=16000))
    with stock():
        slow = list(_stream("speech.speaker_verification", libritts.data_dir, sampling_rate=16000))
    assert len(fast) == len(slow) > 0
    for a, b in zip(fast, slow):
        _same(a, b)
    a, b = fast[0]["input_audios"][0], slow[0]["input_audios"][0]
    assert a["sampling_rate"] == b["sampling_rate"] == 16000
    np.testing.assert_array_equal(a["array"], b["array"])


def test_release_with_no_audio_and_empty_language(tmp_path, stock):
    rel = Release(tmp_path)
    audio = rel.audio("speech", "13_LibriTTS-R", "a", seconds=0.05)
    rel.jsonl(
        "speech",
        "13_LibriTTS-R",
        [record("r1", "ASR", inp=f"audio: <|SOA|>{audio}<|EOA|>"), record("r2", "ASR", inp="no audio here")],
    )
    fast = list(_stream("speech.asr", tmp_path))
    with stock():
        slow = list(_stream("speech.asr", tmp_path))
    assert [e["id"] for e in fast] == ["r1", "r2"]
    for a, b in zip(fast, slow):
        _same(a, b)


def test_transformed_streams_get_the_stock_pipeline():
    ds = _stream()
    raw = next(iter(ds.decode(False)))
    assert raw["input_audios"][0] == {"path": raw["input_audios"][0]["path"], "bytes": None}
    assert type(ds.with_format("python")._prepare_ex_iterable_for_iteration()).__name__ != "_TypedExamplesIterable"
    mapped = next(iter(ds.map(lambda e: {"output": e["output"].upper()})))
    assert mapped["output"] == next(iter(ds))["output"].upper()
    assert isinstance(mapped["input_audios"][0], LazyAudio)
    shuffled = list(ds.shuffle(seed=1))
    assert sorted(e["id"] for e in shuffled) == sorted(e["id"] for e in ds)


def test_state_dict_and_resume_match_the_stock_pipeline(libritts, stock):
    def resumed(after: int) -> tuple[list, list]:
        ds = _stream("speech.asr", libritts.data_dir)
        head = [e["id"] for e in islice(iter(ds), after)]
        state = ds.state_dict()
        again = _stream("speech.asr", libritts.data_dir)
        again.load_state_dict(state)
        return head, [e["id"] for e in again]

    full = [e["id"] for e in _stream("speech.asr", libritts.data_dir)]
    head, tail = resumed(5)
    assert head + tail == full
    with stock():
        s_head, s_tail = resumed(5)
    assert (s_head, s_tail) == (head, tail)


def test_split_by_node_covers_the_stream_once(libritts):
    from datasets.distributed import split_dataset_by_node

    ds = _stream("speech.asr", libritts.data_dir)
    parts = [[e["id"] for e in split_dataset_by_node(ds, rank=r, world_size=2)] for r in range(2)]
    assert sorted(parts[0] + parts[1]) == sorted(e["id"] for e in ds)
    assert not set(parts[0]) & set(parts[1])


def test_fast_stage_survives_sharding_for_workers(libritts):
    ds = _stream("speech.asr", libritts.data_dir)
    ex_iterable = ds._prepare_ex_iterable_for_iteration()
    shard = ex_iterable.shard_data_sources(num_shards=2, index=0, contiguous=False)
    assert type(shard).__name__ == "_TypedExamplesIterable"
    assert all(isinstance(e["input_audios"][0], LazyAudio) for _, e in shard)


def test_dataloader_workers_read_the_same_examples(libritts):
    torch = pytest.importorskip("torch")
    ds = _stream("speech.asr", libritts.data_dir)
    loader = torch.utils.data.DataLoader(
        ds, batch_size=None, num_workers=2, collate_fn=lambda e: (e["id"], e["input_audios"][0]["array"].shape)
    )
    got = sorted(i for i, _ in loader)
    assert got == sorted(e["id"] for e in ds)
