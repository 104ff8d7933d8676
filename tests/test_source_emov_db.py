"""EmoV-DB on copies in both published layouts (the sorted folder and the OpenSLR 115 archives): texts from
``cmuarctic.data`` by the file names' sentence numbers, the real file names' quirks, emotions from the folders,
the split by speaker, what is left out and counted, and the four configs it feeds end to end."""

from __future__ import annotations

import json
import re
import shutil
import tarfile
import warnings

import pytest
from corpora import emov_db as fixture
from corpora.common import replace_line
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import emov_db as parser
from audio_flan.sources.base import SkippedItemsWarning

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True, warning=SkippedItemsWarning)


def record_id(example: dict) -> str:
    return json.loads(example["metadata"])["id"]


def test_texts_labels_and_the_file_name_quirks(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected) and not reports
    for rid, want in corpus.expected.items():
        r = got[rid]
        assert (r["audio"], r["text"], r["emotion"], r["speaker"], r["sentence"]) == (
            want["audio"],
            want["text"],
            want["emotion"],
            want["speaker"],
            want["sentence"],
        ), rid
        assert (r["language"], r["language_name"]) == ("en", "English")
    assert got["bea_amused_1-15_0001"]["text"] == "Author of the danger trail, Philip Steels, etc."
    assert got["bea_sleepiness_1-28_0028"]["text"] == "Robbery, bribery, fraud,"  # the prompt's trailing space
    # capitalised style words, an underscore in the range, a sentence outside its range: all read
    assert got["bea_Neutral_1-28_0014"]["emotion"] == "neutral"
    assert got["sam_Disgust_29-56_0030"]["emotion"] == "disgusted"
    assert got["sam_neutral_197_224_0003"]["sentence"] == "arctic_a0003"
    # one sentence recorded twice in one emotion: two records of the same text
    assert got["bea_anger_1-28_0024"]["text"] == got["bea_anger_197-224_0024"]["text"]
    assert {r["gender"] for r in got.values() if r["speaker"] in ("bea", "jenie")} == {"female"}
    assert {r["gender"] for r in got.values() if r["speaker"] in ("josh", "sam")} == {"male"}
    assert {r["emotion"] for r in got.values()} == set(parser.SOURCE.labels["emotion"])


def test_the_openslr_archives_layout_gives_the_same_records(tmp_path, corpus):
    openslr = fixture.build(tmp_path / "openslr", layout="openslr")
    assert (openslr.root / "bea_Amused" / "amused_1-15_0001.wav").is_file()
    assert parser.detect(openslr.root) and parser.detect(corpus.root)
    sorted_records, _ = records(corpus.root)
    openslr_records, reports = records(openslr.root)
    assert not reports
    strip = lambda rs: {k: {f: v for f, v in r.items() if f != "audio"} for k, r in rs.items()}  # noqa: E731
    assert strip(openslr_records) == strip(sorted_records)
    assert all(r["audio"] == openslr.expected[k]["audio"] for k, r in openslr_records.items())


def test_split_by_speaker_one_shard_per_split_with_both_its_speakers(corpus):
    listing = parser.list_shards(corpus.root)
    assert listing == {"train": [["train", "bea", "sam"]], "test": [["test", "jenie", "josh"]]}
    got, _ = records(corpus.root)
    for split, shards in listing.items():
        speakers = {r["speaker"] for s in shards for r in parser.read_shard(corpus.root, s)}
        assert speakers == set(shards[0][1:])
        genders = {r["gender"] for r in got.values() if r["speaker"] in speakers}
        assert genders == {"female", "male"}, split


def test_a_copy_with_only_some_speakers_lists_only_their_splits(corpus):
    for speaker in ("bea", "sam"):
        shutil.rmtree(corpus.root / speaker)
    assert parser.list_shards(corpus.root) == {"test": [["test", "jenie", "josh"]]}


def test_a_missing_prompt_list_says_where_to_put_it(corpus):
    (corpus.root / "cmuarctic.data").unlink()
    assert parser.detect(corpus.root)
    with pytest.raises(parser.EmoVDBFormatError, match=r"cmuarctic\.data: not found; .*festvox\.org/cmu_arctic/"):
        parser.list_shards(corpus.root)


def test_a_bad_prompt_line_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.EmoVDBFormatError, match=f"{re.escape(str(path))}:{line}: expected"):
        records(corpus.root)


def test_a_repeated_prompt_names_both_lines(corpus):
    path = corpus.root / "cmuarctic.data"
    replace_line(path, 5, '( arctic_a0004 "Lord, but I\'m glad to see you again, Phil." )')
    with pytest.raises(parser.EmoVDBFormatError, match=f"{re.escape(str(path))}:5: arctic_a0004 repeats line 4"):
        records(corpus.root)


def test_under_skip_a_bad_prompt_line_and_its_recordings_are_counted(corpus):
    fixture.malform(corpus)  # the prompt of sentence 3
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train = stream("speech.asr", corpus.data_dir, source="emov_db", on_error="skip")
        test = stream("speech.asr", corpus.data_dir, split="test", source="emov_db", on_error="skip")
    want = {k for k, v in corpus.expected.items() if v["sentence"] != "arctic_a0003"}
    assert {record_id(e) for e in train + test} == want
    text = " ".join(str(w.message) for w in caught if issubclass(w.category, SkippedItemsWarning))
    assert "1 malformed metadata line(s)" in text and "cmuarctic.data:3" in text
    assert "recording(s) of a sentence cmuarctic.data does not hold" in text
    assert "neutral_197_224_0003.wav" in text and "sleepiness_1-28_0003.wav" in text


def test_stray_misfiled_and_unknown_sentence_files_are_left_out_and_counted(corpus):
    amused = corpus.root / "bea" / "Amused"
    (amused / "take2.wav").write_bytes(fixture.tone("bea", 1))
    (amused / "anger_1-28_0001.wav").write_bytes(fixture.tone("bea", 1))  # an Angry file in the Amused folder
    (amused / "amused_589-616_0600.wav").write_bytes(fixture.tone("bea", 1))  # no arctic_a0600 in this list
    (amused / "amused_1-15_0001.TextGrid").write_text("", encoding="utf-8")  # not audio: not looked at
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    assert len(reports) == 1
    assert "1 file(s) not named <style>_<first>-<last>_<NNNN>.wav" in reports[0] and "take2.wav" in reports[0]
    assert "1 file(s) whose style word is not their folder's emotion" in reports[0]
    assert "1 recording(s) of a sentence cmuarctic.data does not hold" in reports[0]


def test_both_layouts_under_one_root_are_read_once(corpus):
    fixture.write_recordings(corpus.root, "sam", "Amused", {"amused_1-28_0001.wav": fixture.tone("sam", 1)}, "openslr")
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    assert got["sam_amused_1-28_0001"]["audio"] == str(corpus.root / "sam" / "Amused" / "amused_1-28_0001.wav")
    assert len(reports) == 1 and "1 second copies of a speaker's emotion folder" in reports[0]
    assert "sam_Amused" in reports[0]


def test_the_configs_it_feeds(corpus):
    for split in ("train", "test"):
        ids = corpus.ids(split)
        asr = stream("speech.asr", corpus.data_dir, split=split, source="emov_db")
        assert {record_id(e) for e in asr} == ids
        for e in asr:
            want = corpus.expected[record_id(e)]
            assert e["output"].endswith(want["text"]) and e["input_audios"][0]["path"] == want["audio"]
            assert e["language"] == ["en"] and e["source"] == "EmoV-DB"
        tts = stream("speech.tts", corpus.data_dir, split=split, source="emov_db")
        assert {record_id(e) for e in tts} == ids
        emotional = stream("speech.emotional_tts", corpus.data_dir, split=split, source="emov_db")
        assert {record_id(e) for e in emotional} == ids
        for e in emotional:
            want = corpus.expected[record_id(e)]
            assert want["emotion"] in e["instruction"] + e["input"] and want["text"] in e["input"]
            assert e["output_audios"][0]["path"] == want["audio"]
        sv = stream("speech.speaker_verification", corpus.data_dir, split=split, source="emov_db")
        answers = [e["output"].rstrip(".").split()[-1].lower() for e in sv]
        assert sv and abs(answers.count("yes") - answers.count("no")) <= 1 and "no" in answers, split
        by_audio = {v["audio"]: v for v in corpus.expected.values()}
        for e, answer in zip(sv, answers):
            first, second = (by_audio[a["path"]] for a in e["input_audios"])
            assert (answer == "yes") == (first["speaker"] == second["speaker"])


def test_an_openslr_archive_left_packed_is_counted(tmp_path):
    openslr = fixture.build(tmp_path / "openslr", layout="openslr")
    folder = openslr.root / "jenie_Angry"
    with tarfile.open(openslr.root / "jenie_Angry.tar.gz", "w:gz") as archive:
        archive.add(folder, arcname="jenie_Angry")
    shutil.rmtree(folder)
    got, reports = records(openslr.root)
    assert set(got) == {k for k in openslr.expected if not k.startswith("jenie_anger")}
    assert len(reports) == 1 and "1 archive(s) not extracted" in reports[0] and "jenie_Angry.tar.gz" in reports[0]
    # a copy holding only packed archives is still recognised, and says so
    only = tmp_path / "packed"
    only.mkdir()
    (only / "cmuarctic.data").write_text(fixture.prompt_list(), encoding="ascii")
    (openslr.root / "jenie_Angry.tar.gz").rename(only / "jenie_Angry.tar.gz")
    assert parser.detect(only) and parser.list_shards(only) == {"test": [["test", "jenie"]]}
    got, reports = records(only)
    assert not got and "jenie_Angry.tar.gz" in reports[0]
