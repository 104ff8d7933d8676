"""MLS on copies in the published layout (mls_german with FLAC, mls_polish_opus with Opus decoded by soundfile):
transcripts, metainfo.txt read by header name (padding, a title holding '|', the secret partition), genders and
languages, official splits, a missing file counted, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
import soundfile as sf
from corpora import mls as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import mls as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_transcripts_genders_and_languages(corpus):
    got, reports = records(corpus.root)
    opus, _ = records(corpus.data_dir / "mls_polish_opus")
    got.update(opus)
    assert {k: (s, r["text"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["text"]) for k, v in corpus.expected.items()
    }
    assert {r["speaker"]: r["gender"] for _, r in got.values()} == {
        "1844": "female", "2422": "male", "3503": "female", "7001": "male", "8002": "female", "6892": "male", "7142": "female"
    }  # fmt: skip
    assert got["1844_932_000003"][1]["book"] == "932"
    assert {(r["language"], r["language_name"]) for _, r in got.values()} == {("de", "German"), ("pl", "Polish")}
    assert any("skipped 1 row(s) whose .flac file is missing (line 7: 3503_3580_000002)" in r for r in reports)


def test_opus_audio_decodes_with_soundfile(corpus):
    opus, _ = records(corpus.data_dir / "mls_polish_opus")
    data, rate = sf.read(opus["6892_10350_000001"][1]["audio"])
    assert rate == 16000 and len(data) > 0


def test_a_speaker_stays_in_one_shard(corpus, monkeypatch):
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 40)
    listing = parser.list_shards(corpus.root)
    assert len(listing["train"]) > 1
    where = {}
    for shard in listing["train"]:
        for r in parser.read_shard(corpus.root, shard):
            assert where.setdefault(r["speaker"], shard[1]) == shard[1]


def test_a_line_without_a_tab_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.MLSFormatError, match=f"{path}:{line}: expected '<speaker>_<book>_<seq><TAB><text>'"):
        records(corpus.root)


def test_a_bad_gender_in_metainfo_names_file_and_line(corpus):
    path = corpus.root / "metainfo.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("  M ", "  X ", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(parser.MLSFormatError, match=f"{path}:3: GENDER of speaker 2422 is 'X'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    lid = stream("speech.language_identification", corpus.data_dir, source="mls")
    assert {e["output"].rstrip(".").split()[-1] for e in lid} == {"German", "Polish"}
    sv = stream("speech.speaker_verification", corpus.data_dir, source="mls")
    for e in sv:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and (a.split("_")[0] == b.split("_")[0]) == meta["same"]
