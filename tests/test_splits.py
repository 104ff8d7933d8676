"""Which splits a config lists (audio_flan/splits.py): the same in streaming, non-streaming and the export; a
listed split has instances and an unlisted one has none; the release's check and its limits."""

from __future__ import annotations

import datasets
import pytest
from corpora.release import Release, record

from audio_flan.builder import SAMPLE_DIR, AudioFlan
from audio_flan.registry import load_registry
from audio_flan.sources import get_sources, locate
from audio_flan.sources import release as release_source
from audio_flan.sources.release import ReleaseFormatError

LIB = "13_LibriTTS-R"


def _declared(builder: AudioFlan) -> dict[str, list]:
    """Every split the sources list shards for, before the rule: split -> shards as in gen_kwargs."""
    task = builder.config.task
    out: dict[str, list] = {}
    for source, root in locate(builder._data_dir(), task.parsers, builder.config.source):
        for split, shards in source.narrowed(task.query).list_shards(root).items():
            out.setdefault(split, []).extend([source.name, str(root), s] for s in shards)
    return out


def test_over_the_sample_a_split_is_listed_exactly_when_it_has_instances():
    dropped = 0
    for name in load_registry():
        builder = AudioFlan(config_name=name)
        listed = {g.name: g.gen_kwargs for g in builder._split_generators(None)}
        for split, kwargs in listed.items():
            assert next(iter(builder._generate_examples(**kwargs)), None) is not None, f"{name} lists empty {split}"
        for split, shards in _declared(builder).items():
            if split not in listed:
                dropped += 1
                assert next(iter(builder._generate_examples(shards, split)), None) is None, f"{name} hides {split}"
    assert dropped > 0  # the sample's release folders hold no dev or test records of most tasks


@pytest.mark.parametrize(
    "config",
    [
        "speech.speaker_verification",  # compare: LibriTTS-R's dev-clean in the sample has one speaker, no pair
        "music.genre_classification",  # release only: no test record
        "speech.asr",  # all three splits
    ],
)
def test_streaming_non_streaming_and_export_list_the_same_splits(config, tmp_path):
    from audio_flan.export import export

    streaming = set(datasets.load_dataset("audio-flan", config, streaming=True))
    full = datasets.load_dataset("audio-flan", config, cache_dir=str(tmp_path / "cache"))
    assert set(full) == streaming
    assert all(len(full[split]) > 0 for split in full)
    out = tmp_path / "export"
    export(out, configs=[config], progress=False, log=lambda _: None)
    exported = {p.name.split("-", 1)[0] for p in (out / config).glob("*.parquet")}
    assert exported == streaming


def test_a_pairing_shape_with_no_pair_drops_the_split():
    builder = AudioFlan(config_name="speech.speaker_verification", data_dir=str(SAMPLE_DIR / "LibriTTS_R"))
    assert "validation" in _declared(builder)  # dev-clean is there, with one speaker
    assert "validation" not in {g.name for g in builder._split_generators(None)}


def _query(config: str):
    return load_registry()[config].query


def test_release_has_records_answers_true_false_or_cannot_tell(tmp_path, monkeypatch):
    # without the task index, a split's shards are every file of the domain: has_records reads them
    monkeypatch.setenv("AUDIO_FLAN_RELEASE_INDEX", "0")
    rel = Release(tmp_path)
    a = rel.audio("speech", LIB, "x")
    other = [record(f"g{i}", "Gender Recognition", inp=f"audio: <|SOA|>{a}<|EOA|>") for i in range(50)]
    rel.jsonl("speech", LIB, [*other, record("asr-1", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>")])
    shards = release_source.list_shards(tmp_path, _query("speech.asr"))
    query = _query("speech.asr")
    assert release_source.has_records(tmp_path, shards["train"], query) is True
    assert release_source.has_records(tmp_path, shards["validation"], query) is False  # no dev record
    # the budget runs out among the gender records: cannot tell, so the split stays listed
    assert release_source.has_records(tmp_path, shards["train"], query, budget=2000) is None
    # the narrowed source carries the query
    narrowed = get_sources()["release"].narrowed(query)
    assert narrowed.has_records(tmp_path, shards["validation"]) is False
    # with the index, the listing itself is exact: no validation shard, and train's ranges start at an ASR record
    monkeypatch.delenv("AUDIO_FLAN_RELEASE_INDEX")
    indexed = release_source.list_shards(tmp_path, query)
    assert "validation" not in indexed
    assert release_source.has_records(tmp_path, indexed["train"], query, budget=2000) is True


def test_release_split_with_a_bad_line_stays_listed_and_its_reading_names_the_line(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIO_FLAN_RELEASE_INDEX", "0")
    rel = Release(tmp_path)
    path = rel.jsonl("speech", LIB, [], raw_lines=['{"instruction": "broken'])
    query = _query("speech.asr")
    shards = release_source.list_shards(tmp_path, query)
    assert release_source.has_records(tmp_path, shards["validation"], query) is None
    builder = AudioFlan(config_name="speech.asr", data_dir=str(tmp_path))
    assert {g.name for g in builder._split_generators(None)} == {"train", "validation"}
    with pytest.raises(ReleaseFormatError, match=f"{path}:1"):
        next(iter(builder.as_streaming_dataset(split="validation")))
