"""The Freesound Loop Dataset (FSL10K) parser on a tiny copy in the published layout, alone and through the
builder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpora import fsld as fixture
from util import corpus_fixture, metadata, record_id, records_of_split, stream

from audio_flan.sources import fsld as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_records_match_the_fixture(corpus):
    records, _ = read_all(corpus.root)
    assert [r["id"] for r in records] == sorted(corpus.expected, key=int)
    for r in records:
        assert {**r, "split": "train"} == {"id": r["id"], **corpus.expected[r["id"]]}


def test_labels_are_kept_only_where_annotators_agree(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)[0]}
    assert records["404"]["tempo"] is None and records["404"]["key"] == "F# minor"  # 85 vs 95 BPM
    assert records["505"]["key"] is None and records["505"]["tempo"] == 100.0  # G major vs D major
    assert records["707"]["key"] == "E minor" and records["707"]["annotators"] == 2
    assert records["303"]["key"] == "Bb major" and records["303"]["genre"] is None  # two genres: none chosen


def test_atonal_loops_and_other_modes_have_no_key(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)[0]}
    assert records["101"]["key"] is None and records["808"]["key"] is None and records["202"]["key"] == "C minor"


def test_upload_names_keep_their_extension(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)[0]}
    assert records["202"]["audio"].endswith("audio/wav/202_Dark Pad Cm.aiff.wav")
    assert records["404"]["audio"].endswith("404_hiphop beat.mp3.wav")


def test_a_discarded_loop_is_counted_not_read(corpus):
    records, text = read_all(corpus.root)
    assert str(fixture.DISCARDED) not in {r["id"] for r in records}
    assert f"skipped 1 loop(s) whose every annotation is discarded ({fixture.DISCARDED})" in text


def test_a_bad_bpm_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.FSLDFormatError, match=re.escape(f"{path}:{line}: bpm is 'ninety'; expected a tempo")):
        read_all(corpus.root)


def test_a_broken_json_names_file_and_line(corpus):
    path = corpus.root / "annotations" / "annotator_2" / "sound-707.json"
    path.write_text(path.read_text().replace('"key": "E",', '"key": "E"'))
    with pytest.raises(parser.FSLDFormatError, match=re.escape(f"{path}:") + r"\d+: not valid JSON"):
        read_all(corpus.root)


def test_key_detection_end_to_end(corpus):
    examples = stream("music.key_detection", corpus.root)
    keyed = {k for k, v in corpus.expected.items() if v["key"]}
    assert sorted(record_id(e) for e in examples) == sorted(keyed)
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["key"])


def test_tempo_comparison_end_to_end(corpus):
    examples = stream("music.tempo_comparison", corpus.root)
    assert examples
    for e in examples:
        a, b = metadata(e)["pair"]
        ta, tb = corpus.expected[a]["tempo"], corpus.expected[b]["tempo"]
        assert ta is not None and tb is not None and abs(ta - tb) >= 10
        assert e["output"].removesuffix(".").endswith("first" if ta > tb else "second")


def test_caption_and_text_to_music_end_to_end(corpus):
    captioned = {k for k, v in corpus.expected.items() if v["caption"]}
    examples = stream("music.caption", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(captioned)
    for e in examples:
        assert e["output"].endswith(corpus.expected[record_id(e)]["caption"])
    generated = stream("music.text_to_music", corpus.root)
    assert sorted(record_id(e) for e in generated) == sorted(captioned)
    assert all(corpus.expected[record_id(e)]["caption"] in e["input"] for e in generated)


def test_genre_classification_end_to_end(corpus):
    examples = stream("music.genre_classification", corpus.root)
    single = {k for k, v in corpus.expected.items() if v["genre"]}
    assert sorted(record_id(e) for e in examples) == sorted(single)
    assert any(e["output"].removesuffix(".").endswith("house and techno") for e in examples)
