"""aidatatang_200zh on a copy in the published layout (per-speaker tarballs unpacked in place, side files beside
the WAVs): transcripts cleaned, the official speaker-disjoint splits, WAVs without transcript kept for the
speaker tasks, a packed tarball counted, gender and age from the .metadata side files, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import aidatatang as fixture
from corpora.common import replace_line
from util import corpus_fixture, records_by_id, stream

from audio_flan import report
from audio_flan.sources import aidatatang as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


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


def test_gender_and_age_from_the_metadata_side_files(corpus):
    got, _ = records(corpus.root)
    labels = {k: {f: r[f] for f in ("gender", "age", "age_group")} for k, (_, r) in got.items()}
    assert labels == {k: {f: v[f] for f in ("gender", "age", "age_group")} for k, v in corpus.expected.items()}
    assert labels["T0055G0101S0001"] == {"gender": "female", "age": 19, "age_group": "teens"}


def test_a_speaker_without_metadata_has_no_labels(corpus):
    for path in (corpus.root / "corpus" / "test" / "G0202").glob("*.metadata"):
        path.unlink()
    got, _ = records(corpus.root)
    assert {f: got["T0055G0202S0001"][1][f] for f in ("gender", "age", "age_group")} == dict.fromkeys(
        ("gender", "age", "age_group")
    )
    assert got["T0055G0201S0001"][1]["gender"] == "male"


def test_a_bad_sex_value_names_file_and_line(corpus):
    path = corpus.root / "corpus" / "dev" / "G0101" / "T0055G0101S0001.metadata"
    replace_line(path, 22, "SEX\tunknown")
    with pytest.raises(parser.AidatatangFormatError, match=f"{path}:22: SEX is 'unknown'; expected Female or Male"):
        records(corpus.root)


def test_a_skipped_metadata_line_leaves_out_its_speakers_wavs(corpus):
    path = corpus.root / "corpus" / "train" / "G0013" / "T0055G0013S0001.metadata"
    replace_line(path, 23, "AGE\tforty")
    load = report.Load("skip", report.LoadReport("test"))
    with report.active(load):
        listing = parser.list_shards(corpus.root)
    got = {r["id"] for s in listing["train"] for r in report.scoped(load, parser.read_shard(corpus.root, s))}
    assert got == {"T0055G0002S0001", "T0055G0002S0002"}
    text = load.report.text()
    assert "T0055G0013S0001.metadata:23: AGE is 'forty'; expected a whole number of years" in text
    assert "2 WAV(s) of speakers whose .metadata line was skipped as malformed" in text


def test_a_transcript_line_without_text_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.AidatatangFormatError, match=f"{path}:{line}: expected '<utterance id> <text>'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    asr = stream("speech.asr", corpus.data_dir, source="aidatatang")
    assert {json.loads(e["metadata"])["id"] for e in asr} == {"T0055G0002S0001", "T0055G0002S0002", "T0055G0013S0001"}
    gender = stream("speech.gender_recognition", corpus.data_dir, source="aidatatang")
    labels = {json.loads(e["metadata"])["id"]: e["output"].rstrip(".").split()[-1] for e in gender}
    assert labels == {  # the untranscribed WAV too: its speaker's gender is known
        "T0055G0002S0001": "female",
        "T0055G0002S0002": "female",
        "T0055G0013S0001": "male",
        "T0055G0013S0002": "male",
    }
    age = stream("speech.age_recognition", corpus.data_dir, source="aidatatang")
    assert {json.loads(e["metadata"])["id"] for e in age} == set(labels)
    assert all(e["output"].rstrip(".").endswith("twenties") == ("G0002" in e["metadata"]) for e in age)
    sv = stream("speech.speaker_verification", corpus.data_dir, source="aidatatang")
    assert sv
    for e in sv:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and (a[5:10] == b[5:10]) == meta["same"]
