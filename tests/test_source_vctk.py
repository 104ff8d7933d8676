"""VCTK 0.92 on a copy in the published layout, gaps included (p280 without mic2, p315 without text, s5 without a
speaker-info row, recordings without transcript), and the configs it feeds."""

from __future__ import annotations

import json
import warnings
from collections import Counter

import pytest
from corpora import vctk as fixture
from util import stream

from audio_flan import report
from audio_flan.sources import vctk as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def records(root):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = {
            r["id"]: r
            for shards in parser.list_shards(root).values()
            for s in shards
            for r in parser.read_shard(root, s)
        }
    return got, [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]


def test_texts_labels_and_the_known_gaps(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    assert {k: r["text"] for k, r in got.items()} == {k: v["text"] for k, v in corpus.expected.items()}
    assert got["p280_001"]["audio"].endswith("p280_001_mic1.flac")  # no mic2: mic1
    assert got["p225_001"]["audio"].endswith("p225_001_mic2.flac")
    assert (got["p351_001"]["accent"], got["p351_001"]["region"]) == ("Northern Irish", "Derry")
    assert (got["p280_001"]["region"], got["p294_001"]["region"]) == ("France", "San Francisco")
    assert (got["p225_001"]["gender"], got["p225_001"]["age_group"], got["p294_001"]["age_group"]) == (
        "female",
        "twenties",
        "thirties",
    )
    assert any("1 utterance(s) of speakers without a row in speaker-info.txt (s5_001)" in r for r in reports)


def test_splits_are_by_speaker(corpus):
    got, _ = records(corpus.root)
    by_speaker = {}
    for shards_split, shards in parser.list_shards(corpus.root).items():
        for shard in shards:
            for speaker in shard:
                assert by_speaker.setdefault(speaker, shards_split) == shards_split
    assert all(parser.split_of(r["speaker"]) == by_speaker[r["speaker"]] for r in got.values())


def test_device_recognition_sees_both_microphones_and_each_utterance_once(corpus):
    got, _ = records(corpus.root)
    devices = Counter(r["device"] for r in got.values())
    assert set(devices) == set(parser.MICS.values())
    for r in got.values():
        mic = "mic1" if r["device"] == parser.MICS["mic1"] else "mic2"
        assert r["device_audio"].endswith(f"{r['id']}_{mic}.flac")


def test_zero_shot_prompts_are_another_utterance_of_the_same_speaker(corpus):
    got, _ = records(corpus.root)
    for r in got.values():
        if r["prompt_audio"] is None:
            assert sum(1 for o in got.values() if o["speaker"] == r["speaker"]) == 1
            continue
        assert r["prompt_audio_id"] != r["id"] and r["prompt_audio_id"].startswith(r["speaker"] + "_")
    split = corpus.expected["p234_001"]["split"]
    zs = stream("speech.zero_shot_tts", corpus.data_dir, split=split, source="vctk")
    assert "p234_001" not in {json.loads(e["metadata"])["id"] for e in zs}  # alone: no prompt, left out
    assert all(len(e["input_audios"]) == 1 and len(e["output_audios"]) == 1 for e in zs)


def test_under_skip_an_utterance_with_an_empty_transcript_is_nobody_s_prompt(corpus):
    (corpus.root / "txt" / "p226" / "p226_002.txt").write_text("\n")
    load = report.Load("skip", report.LoadReport("test"))
    with report.active(load):
        listing = parser.list_shards(corpus.root)
    got = {
        r["id"]: r
        for shards in listing.values()
        for s in shards
        for r in report.scoped(load, parser.read_shard(corpus.root, s))
    }
    assert "p226_002" not in got and load.report.by_reason()["malformed metadata line(s)"] == 1
    # the prompts go round the utterances kept: p226_001 -> p226_003 -> p226_001
    assert {k: r["prompt_audio_id"] for k, r in got.items() if r["speaker"] == "p226"} == {
        "p226_001": "p226_003",
        "p226_003": "p226_001",
    }


def test_a_bad_age_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.VCTKFormatError, match=f"{path}:{line}: AGE of p226 is 'twenty-two'"):
        records(corpus.root)
