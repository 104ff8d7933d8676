"""Shards are lists in gen_kwargs: num_shards > 1, and split_dataset_by_node splits the work without loss."""

from __future__ import annotations

from corpora.release import Release, record
from datasets.distributed import split_dataset_by_node

from audio_flan.builder import AudioFlan


def test_release_files_shard_across_nodes(tmp_path):
    rel = Release(tmp_path)
    a = rel.audio("speech", "13_LibriTTS-R", "a")
    for f in range(4):
        rel.jsonl(
            "speech",
            "13_LibriTTS-R",
            [record(f"f{f}-{i}", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>") for i in range(5)],
            name=f"part{f}.jsonl",
        )
    ds = AudioFlan(config_name="speech.asr", data_dir=str(tmp_path)).as_streaming_dataset(split="train")
    assert ds.n_shards == 4
    everything = sorted(e["id"] for e in ds)
    parts = [sorted(e["id"] for e in split_dataset_by_node(ds, rank=r, world_size=2)) for r in range(2)]
    assert parts[0] and parts[1]
    assert sorted(parts[0] + parts[1]) == everything and not set(parts[0]) & set(parts[1])


def test_sample_corpus_configs_have_several_shards():
    assert AudioFlan(config_name="music.pitch_classification").as_streaming_dataset(split="test").n_shards > 1
