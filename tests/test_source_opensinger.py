"""The OpenSinger parser on a tiny copy in the archive's layout (ManRaw/WomanRaw, singer ids restarting per gender
folder, Chinese song names, one holding ``_``): singers, split by singer, lyrics and their absence, conversion pairs,
and the three configs it feeds (synthesis from the lyrics alone: the corpus has no score)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import soundfile as sf
from corpora import m4singer, opencpop
from corpora import opensinger as fixture
from corpora.common import signal, wav_bytes
from util import read_records, record_id, stream

from audio_flan.features import AUDIO_MARK
from audio_flan.registry import task_table
from audio_flan.sources import m4singer as m4singer_parser
from audio_flan.sources import opencpop as opencpop_parser
from audio_flan.sources import opensinger as parser


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read_split(root: Path, split: str) -> tuple[dict[str, dict], str]:
    return read_records(parser, root, split)


def test_singers_are_gender_folder_and_id_and_no_singer_is_in_two_splits(corpus):
    singers: dict[str, set[str]] = {}
    for split in ("train", "validation", "test"):
        records, _ = read_split(corpus.root, split)
        assert sorted(records) == sorted(corpus.ids(split))
        for rid, r in records.items():
            want = corpus.expected[rid]
            got = (r["audio"], r["singer"], r["gender"], r["song"], r["lyrics"], r["language"])
            assert got == (want["audio"], want["singer"], want["gender"], want["song"], want["lyrics"], "zh")
            singers.setdefault(r["singer"], set()).add(split)
    # ManRaw/5_ and WomanRaw/5_ are two singers; every singer is in one split only
    assert {"Man_5", "Woman_5"} <= set(singers)
    assert all(len(splits) == 1 for splits in singers.values())
    assert parser.split_of("Woman_17") == "test" and parser.split_of("Man_24") == "validation"


def test_song_names_split_on_the_first_and_last_underscore(corpus):
    records, _ = read_split(corpus.root, "train")
    lover = records["Woman_12_Almost_lover_10"]
    assert (lover["song"], lover["lyrics"]) == ("Almost_lover", "goodbye my almost lover")


def test_missing_txt_lab_and_wav(corpus):
    records, text = read_split(corpus.root, "train")
    assert records["Woman_5_光年之外_2"]["lyrics"] is None  # no .txt: kept, without lyrics
    assert records["Woman_5_光年之外_1"]["lyrics"] == "遥远的星光"  # no .lab: nothing is missing
    assert "Woman_5_光年之外_3" not in records
    assert "skipped 1 take(s) whose .txt/.lab has no .wav (Woman_5_光年之外_3)" in text


def test_the_sample_rate_is_each_file_s_own(corpus):
    examples = stream("music.lyrics_to_song", corpus.data_dir)
    rates = {}
    for e in examples:
        audio = e["output_audios"][0]
        assert audio["sampling_rate"] == sf.info(audio["path"]).samplerate
        rates[record_id(e).split("_")[0]] = audio["sampling_rate"]
    assert rates == {"Man": 24000, "Woman": 44100}


def test_conversion_pairs_the_same_line_of_another_singer_in_the_split(corpus):
    train, _ = read_split(corpus.root, "train")
    man = train["Man_5_光年之外_0"]
    assert man["source_audio_id"] == "Woman_5_光年之外_0"  # the same line, another singer (of the other gender)
    assert man["source_audio"] == corpus.expected["Woman_5_光年之外_0"]["audio"]
    assert man["reference_audio_id"] == "Man_5_鼓楼_0"  # the target singer, another song
    assert man["reference_audio"] == corpus.expected["Man_5_鼓楼_0"]["audio"]
    assert train["Woman_5_光年之外_0"]["source_audio_id"] == "Man_5_光年之外_0"
    assert train["Man_5_光年之外_1"]["source_audio"] is None  # nobody else sings this line
    assert train["Woman_1_左边_0"]["source_audio"] is None  # the test singers' take is not drawn across splits
    # a singer with one song: another line of it; never the record's own recording
    assert train["Woman_12_Almost_lover_0"]["reference_audio_id"] == "Woman_12_Almost_lover_10"
    for r in train.values():
        assert r["source_audio"] != r["audio"] and r["reference_audio"] != r["audio"]
    test, _ = read_split(corpus.root, "test")
    assert test["Woman_17_左边_0"]["source_audio_id"] == "Man_22_左边_0"


def test_a_misnamed_file_and_a_bad_txt_name_the_file(corpus):
    fixture.malform(corpus)
    path = corpus.root / "WomanRaw" / "5_光年之外" / "5_光年之外_1.txt"
    with pytest.raises(parser.OpenSingerFormatError, match=re.escape(f"{path}:1: not utf-8 text")):
        read_split(corpus.root, "train")
    stray = corpus.root / "ManRaw" / "22_左边" / "22_右边_0.wav"
    stray.write_bytes(b"")
    with pytest.raises(parser.OpenSingerFormatError, match=re.escape(f"{stray}: expected <SingerID>_<SongName>_<n>")):
        read_split(corpus.root, "test")


def test_a_bad_txt_is_counted_under_on_error_skip(corpus):
    fixture.malform(corpus)
    examples = stream("music.lyrics_to_song", corpus.data_dir, on_error="skip")
    ids = {record_id(e) for e in examples}
    assert "Woman_5_光年之外_1" not in ids and "Woman_5_光年之外_0" in ids


def test_singing_voice_conversion_end_to_end(corpus):
    examples = stream("music.singing_voice_conversion", corpus.data_dir)
    by_id = {record_id(e): e for e in examples}
    assert set(by_id) == {"Man_5_光年之外_0", "Woman_5_光年之外_0"}
    e = by_id["Man_5_光年之外_0"]
    paths = [x["path"] for x in e["input_audios"]]
    assert paths == [corpus.expected["Woman_5_光年之外_0"]["audio"], corpus.expected["Man_5_鼓楼_0"]["audio"]]
    assert e["output_audios"][0]["path"] == corpus.expected["Man_5_光年之外_0"]["audio"]
    assert e["source"] == "OpenSinger"


def test_lyrics_to_song_end_to_end(corpus):
    examples = stream("music.lyrics_to_song", corpus.data_dir)
    with_lyrics = {rid for rid in corpus.ids("train") if corpus.expected[rid]["lyrics"] is not None}
    assert {record_id(e) for e in examples} == with_lyrics
    e = next(e for e in examples if record_id(e) == "Woman_12_Almost_lover_10")
    assert "goodbye my almost lover" in e["input"]
    test = stream("music.lyrics_to_song", corpus.data_dir, split="test")
    assert sorted(record_id(e) for e in test) == sorted(corpus.ids("test"))


def test_singing_voice_synthesis_from_the_lyrics_alone(corpus):
    """OpenSinger has no score: an SVS instance shows its lyrics only, with an instruction written for that, and
    the take as the answer."""
    examples = stream("music.singing_voice_synthesis", corpus.data_dir)
    by_id = {record_id(e): e for e in examples}
    assert set(by_id) == {rid for rid in corpus.ids("train") if corpus.expected[rid]["lyrics"] is not None}
    lyrics_only = task_table()["music.singing_voice_synthesis"].without(["notes"]).prompts
    e = by_id["Woman_12_Almost_lover_10"]
    label, _, lyrics = e["input"].partition(" ")
    assert label in lyrics_only.input_labels["lyrics"] and lyrics == "goodbye my almost lover"
    assert e["instruction"] in lyrics_only.all_instructions
    assert e["input_audios"] == [] and e["output"] == AUDIO_MARK.format("OpenSinger_Woman_12_Almost_lover_10")
    assert e["output_audios"][0]["path"] == corpus.expected["Woman_12_Almost_lover_10"]["audio"]
    assert (e["source"], e["language"]) == ("OpenSinger", ["zh"])
    # no instance asks for a score it does not show, and the instructions vary over the lyrics-only set
    for e in examples:
        assert "\n" not in e["input"] and not re.search(r"note|score|melod|pitch|midi", e["instruction"], re.I)
    assert len({e["instruction"] for e in examples}) > 1


def every_record(module, root: Path) -> dict[str, dict]:
    return {
        r["id"]: r for shards in module.list_shards(root).values() for s in shards for r in module.read_shard(root, s)
    }


def test_a_line_reads_the_same_in_every_mandarin_corpus(tmp_path):
    """Lyrics-to-song and synthesis ask the same of the same sung line whichever corpus holds it: OpenSinger's
    ``.txt`` (a final newline, CRLF, a line break), M4Singer's ``txt`` (a stray space) and Opencpop's label text
    give one text, and conversion pairs M4Singer's takes by that text."""
    m4 = m4singer.build(tmp_path / "m4")
    meta = m4.root / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"txt": "再没听到你"', '"txt": "再没听到你 "', 1), "utf-8")
    cpop = opencpop.build(tmp_path / "cpop")
    root = tmp_path / "os" / fixture.ROOT
    audio = wav_bytes(signal(24000, 0.05, 330.0), 24000)
    fixture.write_take(root, "WomanRaw", "3", "童话", 0, "忘了有多久\r", True, audio)
    fixture.write_take(root, "WomanRaw", "3", "童话", 1, " 再没听到你", True, audio)
    fixture.write_take(root, "WomanRaw", "3", "感受", 0, "感受\n\n停在", True, audio)
    ours = {r["id"]: r["lyrics"] for r in every_record(parser, root).values()}
    theirs = {r["id"]: r["lyrics"] for r in every_record(m4singer_parser, m4.root).values()}
    cpop_lyrics = {r["id"]: r["lyrics"] for r in every_record(opencpop_parser, cpop.root).values()}
    assert ours["Woman_3_童话_0"] == theirs["Alto-1#童话#0000"] == "忘了有多久"
    assert ours["Woman_3_童话_1"] == theirs["Alto-1#童话#0001"] == theirs["Tenor-3#童话#0001"] == "再没听到你"
    assert cpop_lyrics["2001000001"] == "感受停在" and ours["Woman_3_感受_0"] == "感受 / 停在"  # as CSD writes lines
    # the stray space does not hide M4Singer's parallel take: Alto-1's line is converted from another singer's
    alto = every_record(m4singer_parser, m4.root)["Alto-1#童话#0001"]
    assert alto["source_audio_id"] in {"Tenor-3#童话#0001", "Tenor-1#童话#0001"}
