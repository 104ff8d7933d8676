"""The LibriSpeech parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from corpora.librispeech import build as make_librispeech
from corpora.libritts_r import build as make_libritts_r
from util import record_id, stream

from audio_flan.sources import get_sources
from audio_flan.sources import librispeech as parser
from audio_flan.sources.base import MissingAudioWarning

FIELDS = {"id", "audio", "text", "speaker", "chapter", "gender", "language", "language_name", "subset"}


@pytest.fixture
def corpus(tmp_path):
    return make_librispeech(tmp_path / "data")


def at(path: Path, line=None) -> str:
    return re.escape(f"{path}:{line}" if line is not None else str(path))


def read_all(root: Path, split: str | None = None) -> list[dict]:
    shards = parser.list_shards(root)
    return [
        r for s in ([split] if split else sorted(shards)) for shard in shards[s] for r in parser.read_shard(root, shard)
    ]


def test_the_package_finds_the_parser():
    source = get_sources()["librispeech"]
    assert source is parser.SOURCE
    assert source.corpus == "LibriSpeech" and source.license == "CC BY 4.0" and source.redistributable
    assert source.fields == FIELDS


def test_detect(corpus, tmp_path):
    assert parser.detect(corpus.root)
    assert not parser.detect(corpus.data_dir)
    assert not parser.detect(corpus.root / "train-clean-100")
    assert not parser.detect(make_libritts_r(tmp_path / "tts").root)
    # LibriTTS's speakers file spelt as LibriSpeech spells it is still not LibriSpeech: its chapters hold .trans.tsv
    tts = make_libritts_r(tmp_path / "tts2").root
    (tts / "SPEAKERS.txt").rename(tts / "SPEAKERS.TXT")
    assert not parser.detect(tts)


def test_records_match_the_fixture_with_the_official_splits(corpus):
    shards = parser.list_shards(corpus.root)
    assert sorted(shards) == ["test", "train", "validation"]
    for split in shards:
        records = read_all(corpus.root, split)
        assert {r["id"] for r in records} == corpus.ids(split)
        for r in records:
            assert set(r) == FIELDS
            assert r == {"id": r["id"], **{k: v for k, v in corpus.expected[r["id"]].items() if k != "split"}}
    by_id = {r["id"]: r for r in read_all(corpus.root)}
    assert by_id["60-121082-0000"]["gender"] == "male"  # the reader whose name holds '|'
    assert by_id["19-198-0001"]["text"] == "HE HOPED THERE WOULD BE STEW FOR DINNER 1"
    assert by_id["19-198-0002"]["text"] == "SHE DIDN'T SAY A WORD 2"


def test_a_shard_holds_several_speakers(corpus):
    for shard in parser.list_shards(corpus.root)["train"]:
        assert len({r["speaker"] for r in parser.read_shard(corpus.root, shard)}) >= 2


def test_a_bad_speakers_row_names_file_and_line(corpus):
    path = corpus.root / "SPEAKERS.TXT"
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("26 "))
    lines[row] = lines[row].replace("| M |", "| X |")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.LibriSpeechFormatError, match=at(path, row + 1) + ": SEX of speaker 26 is 'X'"):
        read_all(corpus.root, "train")


def test_a_transcript_line_of_another_chapter_names_file_and_line(corpus):
    path = corpus.root / "train-clean-100" / "26" / "495" / "26-495.trans.txt"
    path.write_text("26-495-0000 FINE\n26-496-0001 WRONG CHAPTER\n")
    with pytest.raises(parser.LibriSpeechFormatError, match=at(path, 2) + r": utterance id '26-496-0001' is not"):
        read_all(corpus.root, "train")


def test_a_line_without_flac_is_skipped_and_counted_once(corpus):
    for utt in ("19-198-0001", "19-198-0002"):
        Path(corpus.expected[utt]["audio"]).unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = {r["id"] for r in read_all(corpus.root, "train")}
    assert "19-198-0001" not in ids and "19-198-0000" in ids
    reports = [w for w in caught if issubclass(w.category, MissingAudioWarning)]
    assert len(reports) == 1 and "skipped 2 transcript line(s)" in str(reports[0].message)


def test_asr_tts_and_gender_end_to_end(corpus):
    asr = stream("speech.asr", corpus.data_dir, split="validation", source="librispeech")
    assert sorted(record_id(e) for e in asr) == sorted(corpus.ids("validation"))
    for e in asr:
        assert e["output"].endswith(corpus.expected[record_id(e)]["text"])
        assert f"<|SOA|>LibriSpeech_{record_id(e)}<|EOA|>" in e["input"]
        assert e["input_audios"][0]["sampling_rate"] == 16000 and e["input_audios"][0]["array"].size > 0
    tts = stream("speech.tts", corpus.data_dir, split="test", source="librispeech")
    assert all(corpus.expected[record_id(e)]["text"] in e["input"] for e in tts)
    assert all(e["output_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"] for e in tts)
    gender = stream("speech.gender_recognition", corpus.data_dir, source="librispeech")
    assert {record_id(e): e["output"].rstrip(".").split()[-1] for e in gender} == {
        k: v["gender"] for k, v in corpus.expected.items() if v["split"] == "train"
    }
