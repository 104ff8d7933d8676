"""ESD on a copy in the published layout: transcripts in four encodings read right, emotions from the numbering,
the corpus's own splits (and the block rule for a flattened mirror), the pairs of the conversion and zero-shot
configs, and the configs it feeds end to end."""

from __future__ import annotations

import json

import pytest
from corpora import esd as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.sources import esd as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True)


def test_texts_in_every_encoding_labels_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for utt, want in corpus.expected.items():
        r = got[utt]
        assert (r["text"], r["emotion"], r["audio"]) == (want["text"], want["emotion"], want["audio"]), utt
        assert parser.split_of(int(utt[5:])) == want["split"]
    assert got["0001_000001"]["text"] == "打远一看，它们的确很美。"  # GB2312
    assert got["0003_000002"]["text"] == "我们去公园散步吧。"  # UTF-16
    assert got["0016_000002"]["text"] == "They had the café to themselves."  # Latin-1
    assert got["0011_000052"]["text"] == "She sells sea shells."  # the line separated by spaces
    assert (got["0001_000001"]["gender"], got["0011_000001"]["gender"], got["0016_000001"]["gender"]) == (
        "female",
        "male",
        "female",
    )
    assert (got["0003_000001"]["language"], got["0013_000001"]["language_name"]) == ("zh", "English")
    assert [r for r in reports if "1 transcript line(s) whose .wav file is missing (0016.txt:" in r]
    assert "0016_001451" not in got


def test_splits_follow_the_folders_and_the_flattened_mirror_the_numbering(corpus):
    listing = parser.list_shards(corpus.root)
    for split, shards in listing.items():
        for shard in shards:
            for r in parser.read_shard(corpus.root, shard):
                assert corpus.expected[r["id"]]["split"] == split
                if r["speaker"] != "0016":
                    folder = {"train": "train", "validation": "evaluation", "test": "test"}[split]
                    assert f"/{folder}/" in r["audio"]
    # shards hold one language's speakers, several of them
    assert all(len({parser.SPEAKERS[s] for s in shard[1:]}) == 1 and len(shard) > 2 for shard in listing["train"])


def test_pairs_are_drawn_right_and_never_the_record_itself(corpus):
    got, _ = records(corpus.root)
    for utt, r in got.items():
        assert utt not in (r["prompt_audio_id"], r["vc_source_audio_id"], r["emotion_source_audio_id"])
        prompt = got[r["prompt_audio_id"]]
        assert prompt["speaker"] == r["speaker"] and prompt["sentence"] != r["sentence"]
        assert prompt["emotion"] == "neutral"
        source = got[r["vc_source_audio_id"]]
        assert source["speaker"] != r["speaker"] and source["language"] == r["language"]
        assert (source["sentence"], source["emotion"]) == (r["sentence"], r["emotion"])
        converted = got[r["emotion_source_audio_id"]]
        assert (converted["speaker"], converted["sentence"]) == (r["speaker"], r["sentence"])
        assert converted["emotion"] != r["emotion"]
        if r["emotion"] != "neutral":
            assert converted["emotion"] == "neutral"
        for other in (prompt, source, converted):
            assert corpus.expected[other["id"]]["split"] == corpus.expected[utt]["split"]
    # 0013 spells sentence 1 in capitals: still the same sentence, so still a voice-conversion partner
    assert got["0011_000001"]["vc_source_audio_id"] == "0013_000001"
    # a neutral record converts from an emotion drawn per id; across records every emotion is drawn
    drawn = {got[r["emotion_source_audio_id"]]["emotion"] for r in got.values() if r["emotion"] == "neutral"}
    assert len(drawn) >= 3


def test_an_absent_partner_leaves_the_pair_unset(corpus):
    got, _ = records(corpus.root)
    assert got["0016_000051"]["emotion_source_audio_id"] is not None
    # 0016's Surprise sentence 51 has no audio: its neutral version converts from another emotion
    assert got["0016_000051"]["emotion_source_audio_id"] != "0016_001451"


def test_an_undecodable_byte_names_the_line(corpus):
    path = corpus.root / "0016" / "0016.txt"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"the", b"th\x81")  # 0x81 is neither UTF-8 nor Windows-1252
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(parser.ESDFormatError, match=f"{path}:5: not cp1252 text"):
        records(corpus.root)


def test_a_mandarin_transcript_that_is_not_chinese_after_decoding_is_refused(corpus):
    path = corpus.root / "0001" / "0001.txt"
    lines = path.read_bytes().split(b"\n")
    lines[1] = "0001_000002\tDéjà vu\t中立".encode("gb18030").replace("é".encode("gb18030"), b"\xe9")
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(parser.ESDFormatError, match=f"{path}:2: "):
        records(corpus.root)


def test_utf16_without_byte_order_mark_is_read(corpus):
    path = corpus.root / "0013" / "0013.txt"
    path.write_bytes(path.read_bytes().decode("utf-16").encode("utf-16-le"))
    got, _ = records(corpus.root)
    assert got["0013_000002"]["text"] == "They had the café to themselves."


def test_a_bad_line_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.ESDFormatError, match=f"{path}:{line}: expected '<utterance id><TAB><text><TAB>"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    emotions = stream("speech.emotion_recognition", corpus.data_dir, source="esd")
    assert {e["output"].rstrip(".").split()[-1] for e in emotions} <= {"angry", "happy", "neutral", "sad", "surprise"}
    by_id = {json.loads(e["metadata"])["id"]: e for e in emotions}
    assert by_id["0011_000401"]["output"].rstrip(".").endswith("angry")
    vc = stream("speech.voice_conversion", corpus.data_dir, source="esd")
    assert vc and all(len(e["input_audios"]) == 2 and len(e["output_audios"]) == 1 for e in vc)
    first = vc[0]
    meta = json.loads(first["metadata"])
    assert meta["vc_source_audio_id"] in first["input"] and meta["prompt_audio_id"] in first["input"]
    assert meta["id"] in first["output"]
    ec = stream("speech.emotion_conversion", corpus.data_dir, source="esd", split="test")
    assert ec and all(json.loads(e["metadata"])["emotion"] in e["instruction"] + e["input"] for e in ec)
    zs = stream("speech.zero_shot_emotional_tts", corpus.data_dir, source="esd", split="validation")
    assert zs and all(len(e["input_audios"]) == 1 for e in zs)
    sv = stream("speech.speaker_verification", corpus.data_dir, source="esd")
    answers = [e["output"].rstrip(".").split()[-1].lower() for e in sv]
    assert abs(answers.count("yes") - answers.count("no")) <= len(parser.list_shards(corpus.root)["train"])
