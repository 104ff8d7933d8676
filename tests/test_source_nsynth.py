"""The NSynth parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest
from corpora.esc50 import build as make_esc50
from corpora.libritts_r import build as make_libritts_r
from corpora.nsynth import build as make_nsynth
from util import audio_opened, corpus_fixture, metadata, pairs, record_id, record_opens, stream

from audio_flan.registry import load_registry
from audio_flan.sources import get_sources
from audio_flan.sources import nsynth as parser
from audio_flan.sources.base import MissingAudioWarning

FIELDS = {"id", "audio", "pitch", "velocity", "instrument", "instrument_family", "instrument_source", "qualities"}


corpus = corpus_fixture(make_nsynth)


@pytest.fixture(autouse=True)
def eight_shards(monkeypatch):
    """The tiny copy's examples.json files are small: give them the 8 shards of a real split."""
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 1)


def at(path: Path, line=None) -> str:
    return re.escape(f"{path}:{line}" if line is not None else str(path))


def read_split(root: Path, split: str) -> list[dict]:
    return [r for shard in parser.list_shards(root)[split] for r in parser.read_shard(root, shard)]


def edit_examples(folder: Path, edit) -> Path:
    path = folder / "examples.json"
    notes = json.loads(path.read_text(encoding="utf-8"))
    edit(notes)
    path.write_text(json.dumps(notes, indent=4), encoding="utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if line.strip().startswith(json.dumps(key) + ":")
    )


def test_the_package_finds_the_parser():
    source = get_sources()["nsynth"]
    assert source is parser.SOURCE
    assert source.corpus == "NSynth" and source.audio_prefix == "NSynth"
    assert source.license == "CC BY 4.0" and source.redistributable is True
    assert source.languages == ()
    assert source.fields == FIELDS


def test_detect(corpus, tmp_path):
    for name in ("nsynth-train", "nsynth-valid", "nsynth-test"):
        assert parser.detect(corpus.data_dir / name)
    assert not parser.detect(corpus.data_dir / "nsynth-train" / "audio")
    assert not parser.detect(make_esc50(tmp_path / "e").root)
    assert not parser.detect(make_libritts_r(tmp_path / "l").root)
    (corpus.data_dir / "nsynth-test" / "examples.json").rename(corpus.data_dir / "nsynth-test" / "examples.jsonl")
    assert not parser.detect(corpus.data_dir / "nsynth-test")


def test_split_names():
    assert [parser.split_of(n) for n in ("nsynth-train", "nsynth-valid", "nsynth-test", "train", "valid", "test")] == [
        "train", "validation", "test", "train", "validation", "test",
    ]  # fmt: skip
    assert parser.split_of("my-notes") == "train"
    assert parser.split_of("contest") == "train"  # only a whole word decides


def test_shards_listing_reads_nothing(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    shards = parser.list_shards(corpus.data_dir)
    single = parser.list_shards(corpus.data_dir / "nsynth-valid")
    assert opened == []
    assert shards == {
        s: [[f, i, 8] for i in range(8)]
        for s, f in (("train", "nsynth-train"), ("validation", "nsynth-valid"), ("test", "nsynth-test"))
    }
    assert single == {"validation": [[".", i, 8] for i in range(8)]}
    assert json.loads(json.dumps(shards)) == shards


def test_a_small_split_gets_fewer_shards_judged_by_size(corpus, monkeypatch):
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 256 * 1024)
    test = corpus.data_dir / "nsynth-test"
    assert parser.list_shards(test) == {"test": [[".", 0, 1]]}
    path = test / "examples.json"
    text = path.read_text()
    for padding, count in ((600 * 1024, 2), (3 * 1024 * 1024, 8)):
        path.write_text(text + " " * padding)  # trailing whitespace: the same JSON, a bigger file
        shards = parser.list_shards(test)["test"]
        assert shards == [[".", i, count] for i in range(count)]
        assert sorted(r["id"] for s in shards for r in parser.read_shard(test, s)) == sorted(corpus.ids("test"))


def test_a_small_split_still_pairs_notes(corpus, monkeypatch):
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 256 * 1024)
    examples = stream("music.instrument_comparison", corpus.data_dir, split="validation")
    counts = Counter(same for _, _, same in pairs(examples))
    # 12 notes: most are an anchor once; a pair is asked once whichever note drew it
    assert len(examples) >= 8 and abs(counts[True] - counts[False]) <= 1
    assert len({e["id"] for e in examples}) == len(examples)


def test_shards_split_the_notes_by_a_stable_hash(corpus):
    shards = parser.list_shards(corpus.data_dir)["train"]
    per_shard = [[r["id"] for r in parser.read_shard(corpus.data_dir, s)] for s in shards]
    everything = [i for ids in per_shard for i in ids]
    assert sorted(everything) == sorted(corpus.ids("train")) and len(set(everything)) == len(everything)
    for i, ids in enumerate(per_shard):
        assert ids == sorted(ids)
        assert all(parser.shard_of(n) == i for n in ids)
        if len(ids) >= 3:  # the hash mixes families
            assert len({corpus.expected[n]["instrument_family"] for n in ids}) >= 2
    assert parser.shard_of("guitar_acoustic_010-066-100") == parser.shard_of("guitar_acoustic_010-066-100", 8)
    assert sum(1 for ids in per_shard if ids) >= 6


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records = read_split(corpus.data_dir, split)
        assert sorted(r["id"] for r in records) == sorted(corpus.ids(split))
        for r in records:
            assert set(r) == FIELDS
            want = corpus.expected[r["id"]]
            assert r == {"id": r["id"], **{k: v for k, v in want.items() if k not in ("split", "note")}}
            assert r["pitch"] != str(want["note"])  # the MIDI pitch, not the sample id
            assert r["audio"].endswith(f"audio/{r['id']}.wav") and Path(r["audio"]).is_file()


def test_synth_lead_family_and_qualities(corpus):
    records = read_split(corpus.data_dir, "train")
    synth = [r for r in records if r["instrument"].startswith("synth_lead_")]
    assert synth and all(r["instrument_family"] == "synth_lead" for r in synth)
    assert any(r["qualities"] == "" for r in records)
    assert any(", " in r["qualities"] for r in records)


def test_a_single_split_folder_as_root(corpus, tmp_path):
    valid = corpus.data_dir / "nsynth-valid"
    assert sorted(r["id"] for r in read_split(valid, "validation")) == sorted(corpus.ids("validation"))
    renamed = tmp_path / "my-notes"
    shutil.copytree(valid, renamed)
    assert set(parser.list_shards(renamed)) == {"train"}  # another name: train
    assert sorted(r["id"] for r in read_split(renamed, "train")) == sorted(corpus.ids("validation"))


def test_bom_is_tolerated(corpus):
    before = read_split(corpus.data_dir, "test")
    path = corpus.data_dir / "nsynth-test" / "examples.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_split(corpus.data_dir, "test") == before


def test_invalid_json_names_file_and_line(corpus):
    path = corpus.data_dir / "nsynth-test" / "examples.json"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].rstrip().rstrip(",")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.NSynthFormatError, match=at(path, 7) + r": not valid JSON \(Expecting ',' delimiter"):
        read_split(corpus.data_dir, "test")


def test_a_top_level_list_is_an_error(corpus):
    path = corpus.data_dir / "nsynth-test" / "examples.json"
    path.write_text(json.dumps(list(json.loads(path.read_text()).values())))
    with pytest.raises(parser.NSynthFormatError, match=at(path, 1) + ": expected one JSON object keyed by note_str"):
        read_split(corpus.data_dir, "test")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("pitch", "sixty", "pitch is 'sixty'; expected a MIDI value, an integer from 0 to 127"),
        ("pitch", 128, "pitch is 128; expected a MIDI value"),
        ("velocity", True, "velocity is True; expected a MIDI value"),
        ("instrument_family_str", "", "instrument_family_str is ''; expected a non-empty string"),
        ("qualities_str", "dark", "qualities_str is 'dark'; expected a list of strings"),
        ("note_str", "other-060-100", "note_str is 'other-060-100', not its key"),
        ("pitch", None, "lacks pitch"),
    ],
)
def test_a_bad_note_names_file_line_and_note(corpus, field, value, message):
    folder = corpus.data_dir / "nsynth-test"
    key = sorted(json.loads((folder / "examples.json").read_text()))[-1]

    def spoil(notes):
        if value is None:
            del notes[key][field]
        else:
            notes[key][field] = value

    path = edit_examples(folder, spoil)
    with pytest.raises(
        parser.NSynthFormatError, match=at(path, line_of(path, key)) + re.escape(f": note {key!r}: {message}")
    ):
        read_split(corpus.data_dir, "test")


def test_a_note_without_wav_is_skipped_and_reported_once_per_shard(corpus):
    folder = corpus.data_dir / "nsynth-train"
    gone = sorted(corpus.ids("train"))[:3]
    for note in gone:
        (folder / "audio" / f"{note}.wav").unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = read_split(corpus.data_dir, "train")
    assert sorted(r["id"] for r in records) == sorted(corpus.ids("train") - set(gone))
    reports = [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]
    per_shard = Counter(parser.shard_of(n) for n in gone)
    assert len(reports) == len(per_shard)
    for shard, count in per_shard.items():
        assert any(f"shard {shard + 1}/8: skipped {count} note(s)" in m for m in reports)


def test_reading_and_streaming_open_no_audio(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    assert read_split(corpus.data_dir, "train")
    examples = stream("music.pitch_classification", corpus.data_dir)
    assert audio_opened(opened) == []
    examples[1]["input_audios"][0]["array"]
    assert set(audio_opened(opened)) == {
        examples[1]["input_audios"][0]["path"]
    }  # that file only (its header is read to check it is whole)


def test_pitch_classification_end_to_end(corpus):
    examples = stream("music.pitch_classification", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert e["output"].removesuffix(".").split()[-1] == want["pitch"]
        assert str(want["note"]) not in e["output"]
        assert f"<|SOA|>NSynth_{record_id(e)}<|EOA|>" in e["input"]
        assert e["input_audios"][0]["path"] == want["audio"]
        assert e["source"] == "NSynth"
    audio = examples[0]["input_audios"][0]
    assert audio["sampling_rate"] == 16000 and audio["array"].size > 0
    test = stream("music.pitch_classification", corpus.data_dir, split="test")
    assert sorted(record_id(e) for e in test) == sorted(corpus.ids("test"))


def test_instrument_classification_end_to_end(corpus):
    options = set(load_registry()["music.instrument_classification"].options)
    examples = stream("music.instrument_classification", corpus.data_dir, split="validation")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("validation"))
    for e in examples:
        family = corpus.expected[record_id(e)]["instrument_family"]
        assert family in options and e["output"].removesuffix(".").split()[-1] == family
        assert metadata(e)["instrument_source"] == corpus.expected[record_id(e)]["instrument_source"]
    assert examples[0]["input_audios"][0]["array"].size > 0


def test_instrument_comparison_end_to_end(corpus):
    examples = stream("music.instrument_comparison", corpus.data_dir)
    assert examples
    per_shard = {}
    for e, (a, b, same) in zip(examples, pairs(examples)):
        assert a != b and parser.shard_of(a) == parser.shard_of(b)  # pairs are drawn within a shard
        assert (corpus.expected[a]["instrument_family"] == corpus.expected[b]["instrument_family"]) is same
        assert e["output"].removesuffix(".").endswith("yes" if same else "no")
        assert [x["path"] for x in e["input_audios"]] == [corpus.expected[a]["audio"], corpus.expected[b]["audio"]]
        per_shard.setdefault(parser.shard_of(a), Counter())[same] += 1
    for counts in per_shard.values():  # balanced within each shard
        assert abs(counts[True] - counts[False]) <= 1
    total = Counter(same for _, _, same in pairs(examples))
    assert total[True] and total[False]
    assert examples[0]["input_audios"][1]["array"].size > 0


def test_instrument_comparison_is_seeded(corpus):
    once = pairs(stream("music.instrument_comparison", corpus.data_dir))
    assert pairs(stream("music.instrument_comparison", corpus.data_dir)) == once
    assert pairs(stream("music.instrument_comparison", corpus.data_dir, seed=1)) != once


def test_data_dir_can_be_one_split_folder(corpus):
    examples = stream("music.pitch_classification", corpus.data_dir / "nsynth-test", split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
