"""AudioCaps on a copy of the repository's caption CSVs beside user-downloaded clips: one record per caption row,
the five captions of a val/test clip on its one clip, verbatim captions, absent clips counted, and the caption and
text-to-audio configs."""

from __future__ import annotations

import shutil

import pytest
from corpora import audiocaps as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import audiocaps as parser

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_one_record_per_caption_row_and_absent_clips_counted(corpus):
    assert set(parser.list_shards(corpus.root)) == {"train", "validation", "test"}
    for split in ("train", "validation", "test"):
        records, reports = read(corpus.root, split)
        assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records} == {
            k: {f: v for f, v in e.items() if f != "split"} for k, e in corpus.expected.items() if e["split"] == split
        }
        if split == "train":
            path = corpus.root / "dataset" / "train.csv"
            assert reports == [
                f"AudioCaps {path} shard 1/1: skipped 1 caption row(s) whose clip is not in the folder "
                "(91141 (absentClip1_0))"
            ]
        else:
            assert reports == []
    val = read(corpus.root, "validation")[0]
    assert len(val) == 5 and len({r["audio"] for r in val}) == 1  # five captions, one clip
    assert {r["caption"] for r in val} >= {'A man says "hello" and ducks quack', "Quacking ducks and  splashing water"}


def test_audiocaps_2_is_read_when_both_versions_are_there(corpus):
    shutil.copytree(corpus.root / "dataset", corpus.root / "dataset2.0")
    fixture.replace_line(corpus.root / "dataset2.0" / "test.csv", 2, "103001,y2bVZ7rz-5M,280,A newer caption")
    (record,) = [r for r in read(corpus.root, "test")[0] if r["id"] == "103001"]
    assert record["caption"] == "A newer caption"


def test_detection_wants_the_caption_folder(corpus):
    assert parser.detect(corpus.root)
    assert not parser.detect(corpus.root / "dataset")
    (corpus.root / "dataset" / "test.csv").unlink()
    assert not parser.detect(corpus.root)


def test_caption_and_text_to_audio(corpus):
    captions = stream("audio.caption", corpus.data_dir, split="validation", source="audiocaps")
    assert sorted(record_id(e) for e in captions) == sorted(corpus.ids("validation"))
    for e in captions:
        assert e["output"].endswith(corpus.expected[record_id(e)]["caption"]) and len(e["input_audios"]) == 1
        assert e["source"] == "AudioCaps" and e["language"] == ["en"]
    generated = stream("audio.text_to_audio", corpus.data_dir, source="audiocaps")
    assert sorted(record_id(e) for e in generated) == ["91139", "91140"]
    for e in generated:
        assert corpus.expected[record_id(e)]["caption"] in e["input"] and len(e["output_audios"]) == 1


@pytest.mark.parametrize(
    "line, message",
    [
        ("97152,vfY_TJq7n_U,at noon,Water splashes", "start_time is 'at noon'"),
        ("97152,vfY_TJq7n_U,130,Water, splashes", r"expected 4 comma-separated fields"),
        ("97152,short,130,Water splashes", "youtube_id 'short' is not an 11-character YouTube id"),
        ("97151,vfY_TJq7n_U,130,Water splashes", "audiocap_id 97151 is also on line 2"),
        ("97152,vfY_TJq7n_U,130,", "the caption is empty"),
    ],
)
def test_a_bad_row_names_file_and_line(corpus, line, message):
    path = corpus.root / "dataset" / "val.csv"
    fixture.replace_line(path, 3, line)
    with pytest.raises(parser.AudioCapsFormatError, match=f"{path}:3: {message}"):
        read(corpus.root, "validation")
