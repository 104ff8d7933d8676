"""A bad line several shards read is reported once per split loaded: by the load's report, streaming or not,
once when a split is prepared by several worker processes (``num_proc``), and once per split by an export. (Each split loaded alone, and a full
load once per split: ``check_counted_once`` in every parser's fault tests.)"""

from __future__ import annotations

import json
import pickle
import warnings

import pytest
from corpora import ljspeech as ljspeech_corpus
from corpora.release import Release, record
from test_fault_corpora import insert_line

import audio_flan.sources.ljspeech as ljspeech_parser
from audio_flan import report
from audio_flan.builder import AudioFlan
from audio_flan.export import export
from audio_flan.sources import SourceError
from audio_flan.sources.base import MissingAudioWarning, SkippedItemsWarning

BAD = "malformed metadata line(s)"


# ------------------------------------------------------------------------------------------ the report itself


def test_a_line_two_places_meet_is_counted_once_per_load():
    got = report.LoadReport("speech.asr, split train")
    assert got.add("shard 1", BAD, "/d/meta.csv:3: expected 3 fields", located=True)
    assert not got.add("shard 2", BAD, "/d/meta.csv:3: expected 3 fields", located=True)
    assert got.add("shard 2", BAD, "/d/meta.csv:4: expected 3 fields", located=True)
    assert got.total == 2 and got.by_reason() == {BAD: 2}


def test_an_item_that_names_no_file_is_counted_once_per_place():
    got = report.LoadReport()
    assert got.add("/d/a.tsv", "row(s) whose clip is missing", "line 4: x.mp3")
    assert not got.add("/d/a.tsv", "row(s) whose clip is missing", "line 4: x.mp3")
    assert got.add("/d/b.tsv", "row(s) whose clip is missing", "line 4: x.mp3")  # another file's line 4
    assert got.total == 2


def test_the_parts_of_one_load_merge_into_one_count_and_two_loads_add_up():
    part_a, part_b = report.LoadReport("t"), report.LoadReport("t")
    part_b.load = part_a.load  # two workers' parts of one load
    for part, where in ((part_a, "shard 1"), (part_b, "shard 2")):
        part.add(where, BAD, "/d/meta.csv:3: bad", located=True)
    part_b.add("shard 2", BAD, "/d/meta.csv:9: bad", located=True)
    whole = report.LoadReport("t", load=part_a.load)
    for part in (pickle.loads(pickle.dumps(part_b)), pickle.loads(pickle.dumps(part_a))):  # through processes
        whole.merge(part)
    assert whole.total == 2
    assert sorted(i for e in whole.entries.values() for i in e.first) == ["/d/meta.csv:3: bad", "/d/meta.csv:9: bad"]
    other = report.LoadReport("t")  # the same split loaded again: a load of its own
    other.add("shard 1", BAD, "/d/meta.csv:3: bad", located=True)
    collected = report.LoadReport()
    for one in (whole, other):
        collected.merge(one)
    assert collected.total == 3
    back = report.LoadReport.from_json(json.loads(json.dumps(whole.as_json())))  # as an export manifest keeps it
    assert back.text() == whole.text() and back.load == whole.load
    back.merge(part_a)
    assert back.total == 2


# ---------------------------------------------------------------------------------- through the builder


@pytest.fixture
def lj_bad(tmp_path, monkeypatch):
    """LJSpeech in several shards, each reading all of metadata.csv, whose line 3 is malformed."""
    monkeypatch.setattr(ljspeech_parser, "BYTES_PER_SHARD", 80)
    corpus = ljspeech_corpus.build(tmp_path / "lj")
    assert len(ljspeech_parser.list_shards(corpus.root)["train"]) > 2
    insert_line(corpus.root / "metadata.csv", 3, b"LJ009-0001|only the raw text")
    return corpus.root


def _skip_reports(caught) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, SkippedItemsWarning)]


@pytest.mark.parametrize("num_proc", [1, 2])
def test_a_prepared_split_reports_the_line_once_whatever_num_proc(lj_bad, tmp_path, num_proc):
    builder = AudioFlan(config_name="speech.asr", data_dir=str(lj_bad), cache_dir=str(tmp_path / "c"), on_error="skip")
    with report.collect() as collected, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        builder.download_and_prepare(num_proc=num_proc)
    assert collected.by_reason() == {BAD: 1}, collected.text()
    assert "metadata.csv:3" in next(iter(collected.entries.values())).first[0]
    split_reports = [t for t in _skip_reports(caught) if "split train" in t]
    assert len(split_reports) == 1 and "skipped 1 item(s)" in split_reports[0], split_reports
    assert len(builder.as_dataset(split="train")) == len(ljspeech_corpus.ROWS)


def test_a_streamed_split_reports_the_line_once(lj_bad):
    builder = AudioFlan(config_name="speech.asr", data_dir=str(lj_bad), on_error="skip")
    with report.collect() as collected, warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        ids = [e["id"] for e in builder.as_streaming_dataset(split="train")]
    assert len(ids) == len(ljspeech_corpus.ROWS)
    assert collected.by_reason() == {BAD: 1}, collected.text()


# ---------------------------------------------------------------------------------------------- the export


def test_an_export_reports_what_each_split_skipped_once_and_again_when_it_resumes(tmp_path):
    rel = Release(tmp_path / "release")
    ids = [rel.audio("speech", "13_LibriTTS-R", f"a{i}", seconds=0.1) for i in range(3)]
    rel.jsonl("speech", "13_LibriTTS-R", [record(f"u{i}", "ASR", inp=f"<|SOA|>{a}<|EOA|>") for i, a in enumerate(ids)])
    missing = rel.root / "audio_files" / "speech" / "13_LibriTTS-R" / "a1.wav"
    missing.unlink()
    out = tmp_path / "out"
    for run in ("fresh", "resumed"):  # the second run finds every unit done: their manifests hold what was skipped
        logged: list[str] = []
        with report.collect() as collected, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = export(
                out,
                configs=["speech.asr"],
                data_dir=rel.root,
                include_restricted=True,
                progress=False,
                log=logged.append,
            )
        assert result.configs[0].instances == 2, run
        assert collected.total == 1 and f"line 2: {missing}" in collected.text(), (run, collected.text())
        told = [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]
        assert len(told) == 1 and told[0].startswith("speech.asr, split train: skipped 1 item(s)"), (run, told)
        assert "speech.asr, split train: skipped 1 item(s)\n  " in logged[-1] and str(missing) in logged[-1], run


def test_a_split_left_out_because_every_line_is_bad_still_reports_them(tmp_path):
    corpus = ljspeech_corpus.build(tmp_path / "lj")
    rows = (corpus.root / "metadata.csv").read_bytes().rstrip(b"\n").split(b"\n")
    (corpus.root / "metadata.csv").write_bytes(b"\n".join(r.split(b"|")[0] for r in rows) + b"\n")  # no text
    builder = AudioFlan(config_name="speech.asr", data_dir=str(corpus.root), on_error="skip")
    with report.collect() as collected, warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        with pytest.raises(SourceError, match="nothing in it belongs to speech.asr"):
            builder.as_streaming_dataset(split="train")
    # the peek that found the split empty is the only read of it: its skips are reported, each line once
    assert collected.by_reason() == {BAD: len(rows)}, collected.text()
