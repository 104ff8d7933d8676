"""Clotho 2.1 on a copy in the Zenodo layout and in aac-datasets' arrangement: file names kept byte for byte
(leading spaces), verbatim captions, quoted fields, absent clips counted, and the caption and text-to-audio
configs."""

from __future__ import annotations

import shutil

import pytest
from corpora import clotho as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import clotho as parser

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_records_match_the_captions_csvs(corpus):
    assert parser.list_shards(corpus.root) == {
        "train": ["development"],
        "validation": ["validation"],
        "test": ["evaluation"],
    }
    for split in ("train", "validation", "test"):
        records, reports = read(corpus.root, split)
        assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records} == {
            k: {f: v for f, v in e.items() if f != "split"} for k, e in corpus.expected.items() if e["split"] == split
        }
        if split == "train":
            path = corpus.root / "clotho_captions_development.csv"
            assert reports == [
                f"Clotho {path}: skipped 1 clip(s) listed in clotho_captions_development.csv but absent from "
                "development/ (line 4: Gone Missing.wav)"
            ]
    birds = next(r for r in read(corpus.root, "train")[0] if r["file_name"] == " Ambience Birds.wav")
    assert birds["id"] == " Ambience Birds" and birds["audio"].endswith("/development/ Ambience Birds.wav")
    assert birds["caption"] == "Birds are chirping in the trees, and a car passes."  # a quoted field
    assert birds["captions"][2] == "Birds call to each other  in a quiet park."  # verbatim


def test_aac_datasets_arrangement_reads_the_same(corpus):
    before = {s: read(corpus.root, s)[0] for s in ("train", "validation", "test")}
    (corpus.root / "clotho_csv_files").mkdir()
    (corpus.root / "clotho_audio_files").mkdir()
    for path in list(corpus.root.glob("clotho_*.csv")):
        shutil.move(str(path), corpus.root / "clotho_csv_files" / path.name)
    for split in fixture.SPLITS:
        shutil.move(str(corpus.root / split), corpus.root / "clotho_audio_files" / split)
    assert parser.detect(corpus.root)
    for split, records in before.items():
        moved = read(corpus.root, split)[0]
        assert [r["id"] for r in moved] == [r["id"] for r in records]
        assert all("/clotho_audio_files/" in r["audio"] for r in moved)


def test_detection(corpus, tmp_path):
    assert parser.detect(corpus.root) and not parser.detect(corpus.root / "development")
    for split in fixture.SPLITS:
        shutil.rmtree(corpus.root / split)
    assert not parser.detect(corpus.root)


def test_caption_and_text_to_audio(corpus):
    captions = stream("audio.caption", corpus.data_dir, source="clotho")
    assert sorted(record_id(e) for e in captions) == sorted(corpus.ids("train"))
    for e in captions:
        assert e["output"].endswith(corpus.expected[record_id(e)]["caption"]) and e["source"] == "Clotho"
        assert e["language"] == ["en"] and len(e["input_audios"]) == 1
    (generated,) = stream("audio.text_to_audio", corpus.data_dir, split="test", source="clotho")
    assert "Rain falls steadily on a metal roof 1" in generated["input"] and len(generated["output_audios"]) == 1


@pytest.mark.parametrize(
    "line, message",
    [
        ("Radio Garble.wav,A radio crackles,,a,b,c", "caption_2 is empty"),
        ("Radio Garble.wav,a,b,c", "expected 6 comma-separated fields"),
        ("../Radio Garble.wav,a,b,c,d,e", r"file_name '../Radio Garble.wav' is not a .wav file name"),
        ("Radio Garble.mp3,a,b,c,d,e", "file_name .Radio Garble.mp3. is not a .wav file name"),
        (" Ambience Birds.wav,a,b,c,d,e", r"file_name ' Ambience Birds.wav' is also on line 2"),
    ],
)
def test_a_bad_row_names_file_and_line(corpus, line, message):
    path = corpus.root / "clotho_captions_development.csv"
    fixture.replace_line(path, 3, line)
    with pytest.raises(parser.ClothoFormatError, match=f"{path}:3: {message}"):
        read(corpus.root, "train")


def test_captions_that_are_not_utf8_name_the_line(corpus):
    path = corpus.root / "clotho_captions_development.csv"
    fixture.replace_line(path, 3, "Radio Garble.wav,a,b,c,d,e")
    path.write_bytes(path.read_bytes().replace(b"b,c,d", b"caf\xe9,c,d"))
    with pytest.raises(parser.ClothoFormatError, match=f"{path}:3: not utf-8 text"):
        read(corpus.root, "train")
