"""AISHELL-2 on a copy in the release layout (iOS/{data,dev,test} with trans.txt and wav.scp): the two lists
joined by id with the ones missing from either counted, text normalised as the recipes do, speakers from the WAV
folders, genders from spk_info.txt, the data/train and iOS/IOS spellings, prompts, and the configs it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import aishell2 as fixture
from corpora.common import replace_line
from util import corpus_fixture, records_by_id, stream

from audio_flan import report
from audio_flan.sources import aishell2 as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root)


def test_lists_joined_and_text_normalised(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    assert {k: (s, r["speaker"]) for k, (s, r) in got.items()} == {
        k: (v["split"], v["speaker"]) for k, v in corpus.expected.items()
    }
    texts = {k: r["text"] for k, (_, r) in got.items()}
    assert texts["iOS_IC0001W0002"] == "我要去ATM取钱"
    assert texts["iOS_IC0002W0001"] == "搬不走的要及时关停并转"  # apostrophes after Chinese characters go
    assert texts["iOS_IC0002W0002"] == "帮我放一首歌LET'S"
    assert texts["iOS_IC0003W0001"] == "赵孟頫的字"
    joined = " ".join(reports)
    assert "1 wav.scp entries without a trans.txt line (line 6: IC0003W0002)" in joined
    assert "1 trans.txt lines without a wav.scp entry (line 6: IC0001W0003)" in joined


def test_genders_from_spk_info(corpus):
    got, _ = records(corpus.root)
    assert {k: r["gender"] for k, (_, r) in got.items()} == {k: v["gender"] for k, v in corpus.expected.items()}
    assert got["iOS_IC0001W0001"][1]["gender"] == "female" and got["iOS_IC0002W0001"][1]["gender"] == "male"
    assert got["iOS_IC0003W0001"][1]["gender"] is None  # not in spk_info.txt
    assert got["iOS_ID0011W0001"][1]["gender"] is None  # the dev folder has no spk_info.txt


def test_a_bad_gender_in_spk_info_names_file_and_line(corpus):
    path = corpus.root / "iOS" / "data" / "spk_info.txt"
    replace_line(path, 2, "C0002\t-\tM\tSouth")
    with pytest.raises(parser.Aishell2FormatError, match=f"{path}:2: gender of C0002 is 'M'; expected 女 or 男"):
        records(corpus.root)


def test_a_skipped_spk_info_row_leaves_out_its_speakers_entries(corpus):
    path = corpus.root / "iOS" / "data" / "spk_info.txt"
    replace_line(path, 1, "C0001\t-\t女")
    load = report.Load("skip", report.LoadReport("test"))
    with report.active(load):
        listing = parser.list_shards(corpus.root)
    got = {r["id"] for s in listing["train"] for r in report.scoped(load, parser.read_shard(corpus.root, s))}
    assert got == {"iOS_IC0002W0001", "iOS_IC0002W0002", "iOS_IC0003W0001"}
    text = load.report.text()
    assert "spk_info.txt:1" in text
    assert "2 wav.scp entries of speakers whose spk_info.txt row was skipped as malformed" in text


def test_the_other_spellings_of_the_folders(corpus):
    (corpus.root / "iOS" / "data").rename(corpus.root / "iOS" / "train")
    (corpus.root / "iOS").rename(corpus.root / "IOS")
    got, _ = records(corpus.root)
    assert {k.replace("IOS_", "iOS_") for k in got} == set(corpus.expected)
    assert {s for s, _ in got.values()} == {"train", "validation", "test"}


def test_a_line_that_is_not_tab_separated_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.Aishell2FormatError, match=f"{path}:{line}: expected '<utterance id><TAB><text>'"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    zs = stream("speech.zero_shot_tts", corpus.data_dir, source="aishell2")
    for e in zs:
        meta = json.loads(e["metadata"])
        assert meta["prompt_audio_id"] != meta["id"]
        assert meta["prompt_audio_id"].split("W")[0] == meta["id"].split("W")[0]  # the same speaker
    assert "iOS_IC0003W0001" not in {json.loads(e["metadata"])["id"] for e in zs}  # alone: left out
    gender = stream("speech.gender_recognition", corpus.data_dir, source="aishell2")
    labels = {json.loads(e["metadata"])["id"]: e["output"].rstrip(".").split()[-1] for e in gender}
    assert labels == {  # C0003 has no spk_info.txt row, the dev and test speakers no spk_info.txt: left out
        "iOS_IC0001W0001": "female",
        "iOS_IC0001W0002": "female",
        "iOS_IC0002W0001": "male",
        "iOS_IC0002W0002": "male",
    }
    lid = stream("speech.language_identification", corpus.data_dir, source="aishell2")
    assert {e["language"][0] for e in lid} == {"zh"}
