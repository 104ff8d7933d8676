"""The ESC-50 parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from corpora.esc50 import HEADER as ESC50_HEADER
from corpora.esc50 import build as make_esc50
from corpora.libritts_r import build as make_libritts_r
from corpora.nsynth import build as make_nsynth
from util import audio_opened, corpus_fixture, metadata, record_id, record_opens, stream

from audio_flan.registry import load_registry
from audio_flan.sources import esc50 as parser
from audio_flan.sources import get_sources
from audio_flan.sources.base import MissingAudioWarning
from audio_flan.sources.esc50 import CATEGORIES as ESC50_CATEGORIES

FIELDS = {"id", "audio", "label", "category", "fold", "target", "esc10", "src_file", "take"}


corpus = corpus_fixture(make_esc50)


def at(path: Path, line=None) -> str:
    return re.escape(f"{path}:{line}" if line is not None else str(path))


def read_all(root: Path) -> list[dict]:
    return [r for shard in parser.list_shards(root)["train"] for r in parser.read_shard(root, shard)]


def rewrite_csv(corpus, edit) -> Path:
    path = corpus.root / "meta" / "esc50.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_package_finds_the_parser():
    source = get_sources()["esc50"]
    assert source is parser.SOURCE
    assert source.corpus == "ESC-50" and source.audio_prefix == "ESC-50"
    assert source.license == "CC BY-NC 3.0 (ESC-10 subset CC BY)" and source.redistributable is False
    assert source.languages == ()
    assert source.fields == FIELDS


def test_detect(corpus, tmp_path):
    assert parser.detect(corpus.root)
    assert not parser.detect(corpus.data_dir)
    assert not parser.detect(corpus.root / "meta")
    assert not parser.detect(make_libritts_r(tmp_path / "l").root)
    assert not parser.detect(make_nsynth(tmp_path / "n").root)
    (corpus.root / "audio").rename(corpus.root / "wav")
    assert not parser.detect(corpus.root)


def test_shards_are_the_five_folds_and_listing_reads_nothing(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    shards = parser.list_shards(corpus.root)
    assert opened == []
    assert shards == {"train": [1, 2, 3, 4, 5]}


def test_records_match_the_fixture(corpus):
    for fold in range(1, 6):
        records = list(parser.read_shard(corpus.root, fold))
        assert [r["id"] for r in records] == sorted(k for k, v in corpus.expected.items() if v["fold"] == fold)
        for r in records:
            assert set(r) == FIELDS
            assert r == {"id": r["id"], **{k: v for k, v in corpus.expected[r["id"]].items() if k != "split"}}
    by_id = {r["id"]: r for r in read_all(corpus.root)}
    assert len(by_id) == len(corpus.expected)
    dog = by_id["1-100032-A-0"]
    assert (dog["label"], dog["category"], dog["fold"], dog["target"], dog["esc10"], dog["src_file"], dog["take"]) == (
        "dog",
        "dog",
        1,
        0,
        True,
        "100032",
        "A",
    )
    birds = by_id["1-100038-A-14"]
    assert (birds["label"], birds["category"], birds["esc10"]) == ("chirping birds", "chirping_birds", False)
    assert all(Path(r["audio"]).is_file() and Path(r["audio"]).parent == corpus.root / "audio" for r in by_id.values())


def test_labels_are_the_options_of_sound_event_recognition(corpus):
    options = set(load_registry()["audio.sound_event_recognition"].options)
    assert {c.replace("_", " ") for c in ESC50_CATEGORIES} == options
    assert {r["label"] for r in read_all(corpus.root)} <= options


def test_columns_are_read_by_name(corpus):
    before = read_all(corpus.root)
    order = ["take", "esc10", "filename", "category", "src_file", "target", "fold"]
    columns = ESC50_HEADER.split(",")

    def reorder(lines):
        for i, line in enumerate(lines):
            values = dict(zip(columns, line.split(",")))
            lines[i] = ",".join(values[c] for c in order)

    rewrite_csv(corpus, reorder)
    assert read_all(corpus.root) == before


def test_bom_and_crlf_are_tolerated(corpus):
    before = read_all(corpus.root)
    path = corpus.root / "meta" / "esc50.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert read_all(corpus.root) == before


def test_a_wrong_header_names_file_and_line(corpus):
    path = rewrite_csv(corpus, lambda lines: lines.__setitem__(0, lines[0].replace("category", "class")))
    with pytest.raises(
        parser.ESC50FormatError,
        match=at(path, 1) + r": the header .* lacks category; expected the columns filename,fold,target",
    ):
        list(parser.read_shard(corpus.root, 3))


def test_an_empty_csv_is_an_error(corpus):
    path = corpus.root / "meta" / "esc50.csv"
    path.write_text("")
    with pytest.raises(parser.ESC50FormatError, match=at(path, 1) + ": the file is empty"):
        list(parser.read_shard(corpus.root, 1))


@pytest.mark.parametrize(
    "column, value, message",
    [
        (1, "6", "fold is 6; expected an integer from 1 to 5"),
        (1, "one", "fold is 'one'; expected an integer from 1 to 5"),
        (2, "50", "target is 50; expected an integer from 0 to 49"),
        (2, "-1", "target is '-1'; expected an integer from 0 to 49"),
        (4, "yes", "esc10 is 'yes'; expected True or False"),
        (0, "../../etc/passwd", "filename '../../etc/passwd' is not a .wav file name inside audio/"),
    ],
)
def test_a_bad_row_names_file_and_line(corpus, column, value, message):
    def spoil(lines):
        values = lines[7].split(",")
        values[column] = value
        lines[7] = ",".join(values)

    path = rewrite_csv(corpus, spoil)
    with pytest.raises(parser.ESC50FormatError, match=at(path, 8) + ": " + re.escape(message)):
        list(parser.read_shard(corpus.root, 1))  # any shard checks every row


def test_a_row_with_a_missing_field_names_file_and_line(corpus):
    path = rewrite_csv(corpus, lambda lines: lines.__setitem__(2, lines[2].rsplit(",", 1)[0]))
    with pytest.raises(parser.ESC50FormatError, match=at(path, 3) + ": expected 7 comma-separated fields .* got 6"):
        list(parser.read_shard(corpus.root, 5))


def test_a_row_without_wav_is_skipped_and_reported_once(corpus):
    gone = ["2-109505-A-20", "2-109505-B-20"]
    for clip in gone:
        (corpus.root / "audio" / f"{clip}.wav").unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = list(parser.read_shard(corpus.root, 2))
    assert [r["id"] for r in records] == ["2-102016-A-10"]
    reports = [w for w in caught if issubclass(w.category, MissingAudioWarning)]
    assert len(reports) == 1 and "skipped 2 row(s)" in str(reports[0].message)


def test_appledouble_files_are_ignored(corpus):
    assert any(p.name.startswith("._") for p in (corpus.root / "audio").iterdir())
    assert len(read_all(corpus.root)) == len(corpus.expected)


def test_reading_and_streaming_open_no_audio(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    assert read_all(corpus.root)
    examples = stream("audio.sound_event_recognition", corpus.data_dir)
    assert audio_opened(opened) == []
    examples[2]["input_audios"][0]["array"]
    assert set(audio_opened(opened)) == {
        examples[2]["input_audios"][0]["path"]
    }  # that file only (its header is read to check it is whole)


def test_sound_event_recognition_end_to_end(corpus):
    examples = stream("audio.sound_event_recognition", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.expected)
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert e["output"].removesuffix(".").endswith(want["label"])
        assert f"<|SOA|>ESC-50_{record_id(e)}<|EOA|>" in e["input"]
        assert e["input_audios"][0]["path"] == want["audio"]
        assert e["source"] == "ESC-50" and e["language"] == []
        meta = metadata(e)
        assert (meta["fold"], meta["target"], meta["esc10"]) == (want["fold"], want["target"], want["esc10"])
    audio = examples[0]["input_audios"][0]
    assert audio["sampling_rate"] == 44100 and audio["array"].size > 0


def test_only_a_train_split(corpus):
    from audio_flan.builder import AudioFlan

    ds = AudioFlan(config_name="audio.sound_event_recognition", data_dir=str(corpus.data_dir)).as_streaming_dataset()
    assert list(ds) == ["train"]
    assert ds["train"].n_shards == 5
