"""aidatatang_200zh on a copy in the published layout (per-speaker tarballs unpacked in place, side files beside
the WAVs): transcripts cleaned, the official speaker-disjoint splits, WAVs without transcript kept for the
speaker tasks, a packed tarball counted, and the configs it feeds."""

from __future__ import annotations

import json
import warnings

import pytest
from corpora import aidatatang as fixture
from util import stream

from audio_flan.sources import aidatatang as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def records(root):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = {
            r["id"]: (split, r)
            for split, shards in parser.list_shards(root).items()
            for s in shards
            for r in parser.read_shard(root, s)
        }
    return got, [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]


def test_transcripts_speakers_and_splits(corpus):
    got, reports = records(corpus.root)
    assert {k: (s, r["text"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"]) for k, v in corpus.expected.items()
    }
    assert got["T0055G0002S0002"][1]["text"] == "兰州哪有买A货"
    assert got["T0055G0013S0002"][1]["text"] is None  # no transcript line: kept for the speaker tasks
    assert {r["speaker"] for _, r in got.values()} == {"G0002", "G0013", "G0101", "G0201", "G0202"}
    assert any(
        "1 transcript line(s) of speakers with no corpus/ folder (tarball not unpacked?) (T0055G0020S0001)" in r
        for r in reports
    )


def test_a_transcript_line_without_text_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.AidatatangFormatError, match=f"{path}:{line}: expected '<utterance id> <text>'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    asr = stream("speech.asr", corpus.data_dir, source="aidatatang")
    assert {json.loads(e["metadata"])["id"] for e in asr} == {"T0055G0002S0001", "T0055G0002S0002", "T0055G0013S0001"}
    sv = stream("speech.speaker_verification", corpus.data_dir, source="aidatatang")
    assert sv
    for e in sv:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and (a[5:10] == b[5:10]) == meta["same"]
