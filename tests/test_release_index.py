"""The task index of a release copy and byte-range shards: the same instances in the same order with and without
the index (and after a file changes), every line read once whatever the cut, rare configs read only their ranges."""

from __future__ import annotations

import json

import pytest
from corpora.release import Release, record
from datasets.distributed import split_dataset_by_node
from util import stream

from audio_flan.builder import AudioFlan
from audio_flan.sources import _release_index as release_index
from audio_flan.sources import release as release_module
from audio_flan.sources._lines import cut, read_lines

LIB = "13_LibriTTS-R"


def _mixed(tmp_path, files=3, per_file=40):
    """Files of mixed tasks (ASR, gender, some dev), the rare emotion records at the end of the last file."""
    rel = Release(tmp_path / "Audio-FLAN-Dataset")
    a = rel.audio("speech", LIB, "a")
    for f in range(files):
        records = []
        for i in range(per_file):
            minor = "ASR" if i % 3 else "Gender Recognition"
            split = ["dev"] if i % 7 == 0 else ["train"]
            records.append(record(f"f{f}-{i}", minor, inp=f"audio: <|SOA|>{a}<|EOA|>", split=split, out="x" * (i % 5)))
        if f == files - 1:
            records += [record(f"emo-{i}", "Emotion Recognition", inp=f"audio: <|SOA|>{a}<|EOA|>") for i in range(3)]
        rel.jsonl("speech", LIB, records, name=f"part{f}.jsonl")
    return rel


def _ids(config, root, split="train"):
    return [e["id"] for e in stream(config, root, split=split)]


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of a few hundred bytes, so that every file is cut into many."""
    monkeypatch.setattr(release_module, "SHARD_BYTES", 700)
    monkeypatch.setattr(release_index, "CHECKPOINT", 200)
    monkeypatch.setattr(release_index, "GAP", 300)


@pytest.mark.parametrize("cut_small", [False, True])
def test_same_instances_in_the_same_order_with_and_without_the_index(tmp_path, monkeypatch, request, cut_small):
    if cut_small:
        request.getfixturevalue("small_shards")
    rel = _mixed(tmp_path)
    for config, split in [
        ("speech.asr", "train"),
        ("speech.asr", "validation"),
        ("speech.gender_recognition", "train"),
    ]:
        indexed = _ids(config, rel.root, split)
        monkeypatch.setenv(release_module.INDEX_ENV, "0")
        plain = _ids(config, rel.root, split)
        monkeypatch.delenv(release_module.INDEX_ENV)
        assert indexed == plain and len(indexed) > 5, config
    assert _ids("speech.emotion_recognition", rel.root) == ["emo-0", "emo-1", "emo-2"]


def test_an_appended_file_is_indexed_again(tmp_path, monkeypatch, small_shards):
    rel = _mixed(tmp_path)
    before = _ids("speech.asr", rel.root)
    path = rel.jsonl(
        "speech", LIB, [record("late-1", "ASR"), record("late-emo", "Emotion Recognition")], name="part0.jsonl"
    )
    after = _ids("speech.asr", rel.root)
    monkeypatch.setenv(release_module.INDEX_ENV, "0")
    assert after == _ids("speech.asr", rel.root)
    monkeypatch.delenv(release_module.INDEX_ENV)
    assert "late-1" in after and len(after) == len(before) + 1
    assert _ids("speech.emotion_recognition", rel.root) == ["late-emo", "emo-0", "emo-1", "emo-2"]
    index = release_module.open_index(rel.root, ["speech"])
    assert index is not None
    assert index.file(path.relative_to(rel.root).as_posix())[1] == path.stat().st_size
    index.close()


def test_a_rare_config_reads_only_the_ranges_of_its_records(tmp_path):
    rel = _mixed(tmp_path, files=4, per_file=300)
    task = AudioFlan(config_name="speech.emotion_recognition").config.task
    shards = release_module.list_shards(rel.root, task.query)
    ((name, label, ranges),) = shards["train"]  # one shard: the end of the last file
    assert name.endswith("part3.jsonl") and label == "train"
    size = (rel.root / name).stat().st_size
    read = sum(end - start for start, end, _ in ranges)
    assert read < 0.05 * size
    assert [r["id"] for r in release_module.read_shard(rel.root, shards["train"][0], task.query)] == [
        "emo-0",
        "emo-1",
        "emo-2",
    ]
    assert "validation" not in shards  # no emotion record is labelled dev


def test_a_large_file_is_cut_so_that_every_node_gets_work(tmp_path, small_shards):
    rel = _mixed(tmp_path, files=1, per_file=200)
    ds = AudioFlan(config_name="speech.asr", data_dir=str(rel.root)).as_streaming_dataset(split="train")
    size = next((rel.root / "metadata").rglob("*.jsonl")).stat().st_size
    assert ds.n_shards >= size // 700 // 2  # two thirds of the records are ASR: shards of at most 700 bytes of them
    everything = [e["id"] for e in ds]
    parts = [[e["id"] for e in split_dataset_by_node(ds, rank=r, world_size=2)] for r in range(2)]
    assert parts[0] and parts[1]
    assert sorted(parts[0] + parts[1]) == sorted(everything) and not set(parts[0]) & set(parts[1])


def _awkward_file(path):
    """A BOM, CRLF endings, blank lines, a line far longer than any cut, and a last line without a newline."""
    lines = [b'{"n": 0}', b"", b'{"n": 1, "long": "' + b"y" * 5000 + b'"}', b'{"n": 2}\r', b'{"n": 3}']
    lines += [b'{"n": %d}' % i for i in range(4, 40)]
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines))
    return lines


@pytest.mark.parametrize("target", [1, 7, 64, 333, 4096, 10**6])
def test_byte_ranges_cover_every_line_once(tmp_path, target):
    path = tmp_path / "x.jsonl"
    expected = _awkward_file(path)
    size = path.stat().st_size
    ranges = cut(str(path), size, target)
    assert ranges[0][0] == 0 and ranges[-1][1] == size
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:])) and all(s < e for s, e in ranges)
    got = [(n, line) for s, e in ranges for n, _, _, line in read_lines(str(path), s, e)]
    assert [n for n, _ in got] == list(range(1, len(expected) + 1))  # line numbers counted at each cut
    assert [line for _, line in got] == expected  # the BOM is not part of the first line


def test_awkward_lines_stream_once_with_and_without_the_index(tmp_path, monkeypatch, small_shards):
    rel = Release(tmp_path / "rel")
    a = rel.audio("speech", LIB, "a")
    rows = [
        json.dumps(record(f"r{i}", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>", out="z" * (3000 if i == 5 else 1)))
        for i in range(30)
    ]
    path = rel.root / "metadata/speech/understanding/train_dev" / LIB / "jsonl/data.jsonl"
    path.parent.mkdir(parents=True)
    body = "\r\n".join(rows[:10]) + "\n\n" + "\n".join(rows[10:])  # CRLF, a blank line, no final newline
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    indexed = stream("speech.asr", rel.root)
    monkeypatch.setenv(release_module.INDEX_ENV, "0")
    plain = stream("speech.asr", rel.root)
    assert [e["id"] for e in indexed] == [e["id"] for e in plain] == [f"r{i}" for i in range(30)]
    assert [json.loads(e["metadata"])["line"] for e in indexed] == [json.loads(e["metadata"])["line"] for e in plain]
    assert json.loads(plain[12]["metadata"])["line"] == 13 + 1  # the blank line counts


def test_the_index_command_in_parallel_gives_what_a_first_load_builds(tmp_path, monkeypatch, capsys, caplog):
    """`audio-flan index --num-proc 2` (files cut into pieces indexed by two processes) lists the same shards as
    the index a load builds alone, and a later load does not index again."""
    import logging

    import datasets.config

    from audio_flan.cli import main

    rel = _mixed(tmp_path, files=3, per_file=60)
    monkeypatch.setattr(release_index, "PIECE", 2000)  # several pieces per file
    task = AudioFlan(config_name="speech.asr").config.task
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache-a")
    assert main(["index", str(tmp_path), "--num-proc", "2"]) == 0
    assert "indexed in" in capsys.readouterr().out
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        parallel = release_module.list_shards(rel.root, task.query)
    assert not [r.getMessage() for r in caplog.records if "indexing" in r.getMessage()]
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache-b")
    with caplog.at_level(logging.WARNING):
        alone = release_module.list_shards(rel.root, task.query)
    assert [r for r in caplog.records if "indexing 3 metadata files" in r.getMessage()]
    assert parallel == alone and len(alone["train"]) == 3
