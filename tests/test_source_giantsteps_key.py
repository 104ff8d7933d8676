"""The GiantSteps Key parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from corpora import giantsteps_key as fixture
from util import corpus_fixture, metadata, record_id, records_of_split, stream

from audio_flan.registry import load_registry
from audio_flan.sources import _music_labels as music
from audio_flan.sources import giantsteps_key as parser
from audio_flan.sources.base import MissingAudioWarning

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> list[dict]:
    return records_of_split(parser, root, "train")[0]


def test_records_match_the_fixture(corpus):
    records = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.expected)
    for r in records:
        want = corpus.expected[r["id"]]
        assert r == {"id": r["id"], "audio": want["audio"], "key": want["key"], "genre": want["genre"]}


def test_flat_keys_are_spelled_as_everywhere(corpus):
    keys = {corpus.expected[r["id"]]["annotated"]: r["key"] for r in read_all(corpus.root)}
    assert keys["Gb major"] == "F# major"  # the six-accidental tie: F# major
    assert keys["Db major"] == "Db major" and keys["Ab major"] == "Ab major" and keys["Bb minor"] == "Bb minor"
    assert keys["Eb minor"] == "Eb minor"
    assert set(keys.values()) <= set(music.KEYS)


def test_a_failed_download_is_skipped_and_counted(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [r["id"] for s in parser.list_shards(corpus.root)["train"] for r in parser.read_shard(corpus.root, s)]
    assert fixture.FAILED_MD5 not in ids
    text = " ".join(str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning))
    assert re.search(r"skipped 1 track\(s\) whose audio/<id>\.LOFI\.mp3 is missing .*\(9999999\)", text)


def test_a_key_file_that_is_not_a_key_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.GiantStepsKeyFormatError, match=re.escape(f"{path}:{line}: 'C lydian' is not a key")):
        read_all(corpus.root)


def test_a_key_file_with_two_lines_is_an_error(corpus):
    track = sorted(corpus.expected)[2]
    path = corpus.root / "annotations" / "key" / f"{track}.LOFI.key"
    path.write_text("C minor\nD major\n")
    with pytest.raises(parser.GiantStepsKeyFormatError, match=re.escape(f"{path}:2: expected one line, got 2")):
        read_all(corpus.root)


def test_many_ids_make_several_shards(corpus, monkeypatch):
    monkeypatch.setattr(parser, "IDS_PER_SHARD", 3)
    shards = parser.list_shards(corpus.root)["train"]
    assert len(shards) == 4
    per = [[r["id"] for r in parser.read_shard(corpus.root, s)] for s in shards]
    assert sorted(i for p in per for i in p) == sorted(corpus.expected) and sum(1 for p in per if p) >= 3


def test_the_audio_is_the_annotated_triad(corpus):
    track = next(k for k, v in corpus.expected.items() if v["key"] == "A major")
    data, rate = sf.read(corpus.expected[track]["audio"])
    spectrum = np.abs(np.fft.rfft(data * np.hanning(len(data))))
    freqs = np.fft.rfftfreq(len(data), 1 / rate)
    peaks = sorted(freqs[np.argsort(spectrum)[-3:]])
    assert [round(music.frequency(n)) for n in (69, 73, 76)] == pytest.approx(peaks, abs=6)


def test_key_detection_end_to_end(corpus):
    options = load_registry()["music.key_detection"].options
    assert options == music.KEYS
    examples = stream("music.key_detection", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.expected)
    for e in examples:
        key = corpus.expected[record_id(e)]["key"]
        assert e["output"].removesuffix(".").endswith(key)
        assert e["source"] == "GiantSteps Key"
    assert examples[0]["input_audios"][0]["array"].size > 0


def test_key_comparison_end_to_end(corpus):
    examples = stream("music.key_comparison", corpus.root)
    assert len(examples) >= len(corpus.expected) // 2
    answers = Counter()
    for e in examples:
        meta = metadata(e)
        a, b = meta["pair"]
        want = music.key_relation(corpus.expected[a]["key"], corpus.expected[b]["key"])
        assert meta["answer"] == want and e["output"].removesuffix(".").endswith(want)
        assert [x["path"] for x in e["input_audios"]] == [corpus.expected[a]["audio"], corpus.expected[b]["audio"]]
        answers[want] += 1
    # twelve distinct keys hold five relative pairs and no parallel ones: drawn at random, about one pair in
    # eleven would be relative; drawn for the least-asked answer, most relative pairs are asked
    assert len(examples) == len(corpus.expected)  # each track an anchor once
    assert answers["relative keys"] >= 4 and answers["unrelated keys"] >= answers["relative keys"]
    again = [metadata(e)["pair"] for e in stream("music.key_comparison", corpus.root)]
    assert again == [metadata(e)["pair"] for e in examples]
    assert [metadata(e)["pair"] for e in stream("music.key_comparison", corpus.root, seed=3)] != again
