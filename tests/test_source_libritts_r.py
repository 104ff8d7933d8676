"""The LibriTTS-R parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest
from corpora.common import write_wav
from corpora.esc50 import build as make_esc50
from corpora.libritts_r import SPEAKERS as LIBRITTS_SPEAKERS
from corpora.libritts_r import build as make_libritts_r
from util import audio_opened, metadata, pairs, record_id, record_opens, stream

from audio_flan.sources import get_sources
from audio_flan.sources import libritts_r as parser
from audio_flan.sources.base import MissingAudioWarning

FIELDS = {
    "id",
    "audio",
    "text",
    "text_original",
    "speaker",
    "chapter",
    "paragraph_id",
    "gender",
    "language",
    "language_name",
    "subset",
}


@pytest.fixture
def corpus(tmp_path):
    return make_libritts_r(tmp_path / "data")


def at(path: Path, line=None) -> str:
    """The start of an error message naming a file (and line), as a regular expression."""
    return re.escape(f"{path}:{line}" if line is not None else str(path))


def read_all(root: Path, split: str = None) -> list[dict]:
    shards = parser.list_shards(root)
    splits = [split] if split else sorted(shards)
    return [r for s in splits for shard in shards[s] for r in parser.read_shard(root, shard)]


def expected_record(corpus, utt: str) -> dict:
    return {"id": utt, **{k: v for k, v in corpus.expected[utt].items() if k != "split"}}


# ------------------------------------------------------------------------------------------- declaration


def test_the_package_finds_the_parser():
    source = get_sources()["libritts_r"]
    assert source is parser.SOURCE
    assert source.corpus == "LibriTTS-R" and source.audio_prefix == "LibriTTS-R"
    assert source.license == "CC BY 4.0" and source.redistributable is True
    assert source.languages == ("en",)
    assert source.fields == FIELDS


# ------------------------------------------------------------------------------------------------ detect


def test_detect_accepts_the_published_layout(corpus, tmp_path):
    assert parser.detect(corpus.root)
    assert parser.detect(make_libritts_r(tmp_path / "unpadded", padded=False).root)


def test_detect_accepts_a_copy_without_readmes_by_its_trans_tsv(corpus):
    for name in ("README_libritts.txt", "README_libritts_r.txt", "README_librispeech.txt"):
        (corpus.root / name).unlink()
    assert parser.detect(corpus.root)


def test_detect_rejects_other_folders(corpus, tmp_path):
    assert not parser.detect(corpus.data_dir)  # the folder above the corpus
    assert not parser.detect(corpus.root / "train-clean-100")
    assert not parser.detect(make_esc50(tmp_path / "esc").root)
    assert not parser.detect(tmp_path / "does-not-exist")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "SPEAKERS.txt").write_text(";ID|SEX|SUBSET|MINUTES|NAME\n")
    assert not parser.detect(bare)  # no subset folder
    (bare / "SPEAKERS.txt").unlink()
    (bare / "train-clean-100").mkdir()
    assert not parser.detect(bare)  # no SPEAKERS.txt


def librispeech(base: Path, speakers_name: str) -> Path:
    root = base / "LibriSpeech"
    chapter = root / "train-clean-100" / "19" / "198"
    chapter.mkdir(parents=True)
    for name in ("README.TXT", "CHAPTERS.TXT", "BOOKS.TXT", "LICENSE.TXT"):
        (root / name).write_text("placeholder\n")
    (root / speakers_name).write_text(
        ";ID  |SEX| SUBSET           |MINUTES| NAME\n19   | F | train-clean-100  | 25.19 | Cy\n"
    )
    (chapter / "19-198.trans.txt").write_text("19-198-0000 NORTHANGER ABBEY\n")
    (chapter / "19-198-0000.flac").write_bytes(b"fLaC")
    return root


def test_detect_rejects_librispeech(tmp_path):
    assert not parser.detect(librispeech(tmp_path / "a", "SPEAKERS.TXT"))
    # even with the speakers file spelt as LibriTTS spells it: its chapters hold *.trans.txt, not *.trans.tsv
    assert not parser.detect(librispeech(tmp_path / "b", "SPEAKERS.txt"))


def test_plain_libritts_is_read_with_a_warning(tmp_path):
    corpus = make_libritts_r(tmp_path / "data", folder="LibriTTS", readme_r=False)
    assert parser.detect(corpus.root)
    with pytest.warns(UserWarning, match="looks like LibriTTS"):
        shards = parser.list_shards(corpus.root)
    assert sum(len(s) for s in shards["train"]) == 9


# ------------------------------------------------------------------------------------------------ shards


def test_shards_group_at_most_8_speakers_round_robin(corpus):
    shards = parser.list_shards(corpus.root)
    assert set(shards) == {"train", "validation", "test"}
    with_audio = {(sub, spk) for spk, _, sub, _, _, chapters in LIBRITTS_SPEAKERS if chapters}
    listed = [tuple(rel.split("/")) for split in shards.values() for shard in split for rel in shard]
    assert sorted(listed) == sorted(with_audio)
    assert all(1 <= len(shard) <= 8 for split in shards.values() for shard in split)
    train = shards["train"]
    assert len(train) == 2  # 9 train speakers
    assert abs(len(train[0]) - len(train[1])) <= 1
    for shard in train:  # round-robin over speakers sorted by id: each shard mixes subsets
        assert len({rel.split("/")[0] for rel in shard}) >= 2
    assert shards["validation"] == [["dev-clean/84", "dev-clean/174"]]
    assert shards["test"] == [["test-clean/61", "test-clean/121"]]
    assert json.loads(json.dumps(shards)) == shards  # JSON-like, for gen_kwargs


def test_listing_reads_no_file(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    parser.list_shards(corpus.root)
    assert opened == []


# ----------------------------------------------------------------------------------------------- records


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records = read_all(corpus.root, split)
        assert sorted(r["id"] for r in records) == sorted(corpus.ids(split))
        for r in records:
            assert set(r) == FIELDS
            assert r == expected_record(corpus, r["id"])
            assert isinstance(r["audio"], str) and Path(r["audio"]).is_file()


def test_transcripts_keep_quotes_and_non_ascii(corpus):
    by_id = {r["id"]: r for r in read_all(corpus.root)}
    quoted = [r for r in by_id.values() if r["text_original"].startswith('"Well')]
    assert quoted and all("café" in r["text"] and "\t" not in r["text"] for r in quoted)
    assert by_id["19_198_000000_000001"]["text_original"] != by_id["19_198_000000_000001"]["text"]


def test_genders_come_from_speakers_txt(corpus, tmp_path):
    genders = {r["speaker"]: r["gender"] for r in read_all(corpus.root)}
    assert genders == {spk: {"F": "female", "M": "male"}[sex] for spk, sex, _, _, _, ch in LIBRITTS_SPEAKERS if ch}
    assert genders["60"] == "male"  # the row whose NAME holds '|'
    unpadded = make_libritts_r(tmp_path / "u", padded=False)
    assert {r["speaker"]: r["gender"] for r in read_all(unpadded.root)} == genders


def test_paragraph_ids_group_sentences_of_a_paragraph(corpus):
    paragraphs = Counter(r["paragraph_id"] for r in read_all(corpus.root, "train"))
    assert set(paragraphs.values()) == {2}
    assert "19_198_000001" in paragraphs


def test_records_come_in_a_stable_sorted_order(corpus):
    shard = parser.list_shards(corpus.root)["train"][0]
    first = [r["id"] for r in parser.read_shard(corpus.root, shard)]
    assert first == [r["id"] for r in parser.read_shard(corpus.root, shard)]
    by_speaker = {}
    for utt in first:
        by_speaker.setdefault(utt.split("_")[0], []).append(utt)
    assert list(by_speaker) == [rel.split("/")[1] for rel in shard]
    for utts in by_speaker.values():
        assert utts == sorted(utts, key=lambda u: (int(u.split("_")[1]), u))


def test_appledouble_files_are_skipped(corpus):
    assert (corpus.root / "train-clean-100/19/198/._19_198.trans.tsv").exists()
    assert not any(r["id"].startswith("._") or "/._" in r["audio"] for r in read_all(corpus.root))


def test_utf8_bom_is_tolerated(corpus):
    before = read_all(corpus.root)
    for path in (corpus.root / "SPEAKERS.txt", corpus.root / "train-clean-100/19/198/19_198.trans.tsv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_all(corpus.root) == before


def test_crlf_line_endings_are_tolerated(corpus):
    before = read_all(corpus.root)
    for path in (corpus.root / "SPEAKERS.txt", corpus.root / "train-clean-100/19/198/19_198.trans.tsv"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert read_all(corpus.root) == before


# ------------------------------------------------------------------------------------------ bad metadata


def test_a_transcript_row_with_two_fields_names_file_and_line(corpus):
    tsv = corpus.root / "train-clean-100/26/495/26_495.trans.tsv"
    lines = tsv.read_text(encoding="utf-8").splitlines()
    lines[2] = "\t".join(lines[2].split("\t")[:2])
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(parser.LibriTTSFormatError, match=at(tsv, 3) + r": expected 3 tab-separated fields .* got 2"):
        read_all(corpus.root)


def test_a_wrong_utterance_id_names_file_and_line(corpus):
    tsv = corpus.root / "dev-clean/84/121123/84_121123.trans.tsv"
    tsv.write_text(
        tsv.read_text(encoding="utf-8").replace("84_121123_000001_000000", "85_121123_000001_000000"), encoding="utf-8"
    )
    with pytest.raises(
        parser.LibriTTSFormatError, match=at(tsv, 3) + r": utterance id '85_121123_000001_000000' is not '84_121123_"
    ):
        read_all(corpus.root, "validation")


def test_speakers_txt_without_its_header_is_an_error(corpus):
    path = corpus.root / "SPEAKERS.txt"
    path.write_text("".join(l for l in path.read_text().splitlines(True) if "|SEX|" not in l))
    with pytest.raises(parser.LibriTTSFormatError, match=at(path, 12) + r": a speaker row before the header line"):
        read_all(corpus.root, "test")


def test_a_bad_sex_in_speakers_txt_names_file_and_line(corpus):
    path = corpus.root / "SPEAKERS.txt"
    lines = path.read_text().splitlines()
    row = next(i for i, l in enumerate(lines) if l.startswith("84 "))
    lines[row] = lines[row].replace("| F |", "| X |")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        parser.LibriTTSFormatError, match=at(path, row + 1) + r": SEX of speaker 84 is 'X'; expected F or M"
    ):
        read_all(corpus.root, "validation")


def test_a_speakers_row_with_too_few_fields_names_file_and_line(corpus):
    path = corpus.root / "SPEAKERS.txt"
    lines = path.read_text().splitlines()
    lines[14] = "17   | M | train-clean-360"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.LibriTTSFormatError, match=at(path, 15) + r": expected 5 '\|'-separated fields"):
        read_all(corpus.root, "train")


def test_a_speaker_missing_from_speakers_txt_is_an_error(corpus):
    path = corpus.root / "SPEAKERS.txt"
    path.write_text("".join(l for l in path.read_text().splitlines(True) if not l.startswith("121 ")))
    with pytest.raises(parser.LibriTTSFormatError, match=at(path) + r": speaker 121 .* has no row"):
        read_all(corpus.root, "test")


# ----------------------------------------------------------------------------------------- missing audio


def test_a_transcript_id_without_wav_is_skipped_and_reported_once(corpus):
    gone = ["19_198_000001_000000", "19_227_000000_000001"]
    for utt in gone:
        (corpus.root / "train-clean-100/19" / utt.split("_")[1] / f"{utt}.wav").unlink()
    shards = parser.list_shards(corpus.root)["train"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = [r for shard in shards for r in parser.read_shard(corpus.root, shard)]
    assert sorted(r["id"] for r in records) == sorted(corpus.ids("train") - set(gone))
    reports = [w for w in caught if issubclass(w.category, MissingAudioWarning)]
    assert len(reports) == 1  # once for the shard holding speaker 19, with the count
    assert "2 transcript line(s) whose .wav file is missing" in str(reports[0].message)


def test_the_known_corrupt_utterance_is_skipped(tmp_path):
    corpus = make_libritts_r(tmp_path / "data")
    chapter = corpus.root / "train-clean-100" / "1092" / "134562"
    chapter.mkdir(parents=True)
    utt = "1092_134562_000013_000004"
    (chapter / "1092_134562.trans.tsv").write_text(f"{utt}\tA.\tA.\n1092_134562_000013_000005\tB.\tB.\n")
    write_wav(chapter / f"{utt}.wav", 24000)
    write_wav(chapter / "1092_134562_000013_000005.wav", 24000)
    path = corpus.root / "SPEAKERS.txt"
    path.write_text(path.read_text() + "1092 | M | train-clean-100  | 25.00 | Mo\n")
    with pytest.warns(MissingAudioWarning, match="known-corrupt"):
        ids = {r["id"] for r in read_all(corpus.root, "train")}
    assert utt not in ids and "1092_134562_000013_000005" in ids


# -------------------------------------------------------------------------------------------- laziness


def test_reading_and_streaming_open_no_audio(corpus, monkeypatch):
    opened = record_opens(monkeypatch)
    assert read_all(corpus.root)
    examples = stream("speech.asr", corpus.data_dir)
    assert len(examples) == len(corpus.ids("train"))
    assert audio_opened(opened) == []
    examples[0]["input_audios"][0]["array"]
    assert set(audio_opened(opened)) == {
        examples[0]["input_audios"][0]["path"]
    }  # that file only (its header is read to check it is whole)


# ------------------------------------------------------------------------------------------- end to end


def test_asr_end_to_end(corpus):
    examples = stream("speech.asr", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert e["output"].endswith(want["text"]) and e["output"] in {
            p + want["text"] for p in ("", "Transcription: ", "The transcript is: ", "The speaker says: ")
        }
        assert f"<|SOA|>LibriTTS-R_{record_id(e)}<|EOA|>" in e["input"]
        assert e["input_audios"][0]["path"] == want["audio"]
        assert e["output_audios"] == []
        assert e["source"] == "LibriTTS-R" and e["language"] == ["en"]
        assert metadata(e)["gender"] == want["gender"]
    audio = examples[0]["input_audios"][0]
    assert audio["sampling_rate"] == 24000 and audio["array"].size > 0


def test_validation_and_test_splits_end_to_end(corpus):
    for split in ("validation", "test"):
        examples = stream("speech.asr", corpus.data_dir, split=split)
        assert sorted(record_id(e) for e in examples) == sorted(corpus.ids(split))


def test_load_dataset_by_name(corpus):
    import datasets

    import audio_flan  # noqa: F401  (registers the name)

    ds = datasets.load_dataset("audio-flan", "speech.asr", data_dir=str(corpus.data_dir), streaming=True, split="train")
    first = next(iter(ds))
    assert first["output"].endswith(corpus.expected[record_id(first)]["text"])
    assert first["input_audios"][0]["array"].size > 0


def test_tts_end_to_end(corpus):
    examples = stream("speech.tts", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert want["text"] in e["input"]
        assert e["output"].endswith(f"<|SOA|>LibriTTS-R_{record_id(e)}<|EOA|>")
        assert e["input_audios"] == [] and e["output_audios"][0]["path"] == want["audio"]
    assert examples[0]["output_audios"][0]["array"].size > 0


def test_gender_recognition_end_to_end(corpus):
    examples = stream("speech.gender_recognition", corpus.data_dir)
    assert len(examples) == len(corpus.ids("train"))
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["gender"])
    assert {e["output"].removesuffix(".").split()[-1] for e in examples} == {"female", "male"}
    assert examples[-1]["input_audios"][0]["array"].size > 0


def test_language_identification_end_to_end(corpus):
    examples = stream("speech.language_identification", corpus.data_dir)
    assert len(examples) == len(corpus.ids("train"))
    assert all(e["output"].removesuffix(".").endswith("English") for e in examples)
    assert examples[0]["input_audios"][0]["array"].size > 0


def shard_of_speaker(corpus) -> dict:
    return {rel.split("/")[1]: i for i, shard in enumerate(parser.list_shards(corpus.root)["train"]) for rel in shard}


@pytest.mark.parametrize(
    "config, key", [("speech.speaker_verification", "speaker"), ("speech.spoken_paragraph_recognition", "paragraph_id")]
)
def test_compare_configs_end_to_end(corpus, config, key):
    examples = stream(config, corpus.data_dir)
    assert examples
    shard = shard_of_speaker(corpus)
    per_shard = {}
    for e, (a, b, same) in zip(examples, pairs(examples)):
        assert a != b
        assert shard[a.split("_")[0]] == shard[b.split("_")[0]]  # pairs are drawn within a shard
        assert (corpus.expected[a][key] == corpus.expected[b][key]) is same
        assert e["output"].removesuffix(".").endswith("yes" if same else "no")
        assert [x["path"] for x in e["input_audios"]] == [corpus.expected[a]["audio"], corpus.expected[b]["audio"]]
        per_shard.setdefault(shard[a.split("_")[0]], Counter())[same] += 1
    for counts in per_shard.values():  # balanced within each shard
        assert abs(counts[True] - counts[False]) <= 1
    total = Counter(same for _, _, same in pairs(examples))
    assert total[True] and total[False] and abs(total[True] - total[False]) <= len(per_shard)
    assert examples[0]["input_audios"][1]["array"].size > 0
    # one shard (validation): yes and no differ by at most one overall
    dev = Counter(same for _, _, same in pairs(stream(config, corpus.data_dir, split="validation")))
    assert dev[True] and abs(dev[True] - dev[False]) <= 1


@pytest.mark.parametrize("config", ["speech.speaker_verification", "speech.spoken_paragraph_recognition"])
def test_compare_pairs_are_seeded(corpus, config):
    once = pairs(stream(config, corpus.data_dir))
    assert pairs(stream(config, corpus.data_dir)) == once
    assert pairs(stream(config, corpus.data_dir, seed=0)) == once
    assert pairs(stream(config, corpus.data_dir, seed=1)) != once


def test_data_dir_can_be_the_corpus_root_itself(corpus):
    examples = stream("speech.gender_recognition", corpus.root, split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))


def test_a_copy_of_the_corpus_gives_the_same_instance_ids(corpus, tmp_path):
    ids = [e["id"] for e in stream("speech.asr", corpus.data_dir)]
    other = tmp_path / "elsewhere"
    shutil.copytree(corpus.data_dir, other)
    assert [e["id"] for e in stream("speech.asr", other)] == ids
