"""The GTZAN parser (with GTZAN-Rhythm tempi) on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from corpora import gtzan as fixture
from util import corpus_fixture, metadata, record_id, records_of_split, stream

from audio_flan.sources import SourceError
from audio_flan.sources import gtzan as parser

corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> list[dict]:
    return records_of_split(parser, root, split)[0]


def reports(root: Path, split: str) -> list[str]:
    return records_of_split(parser, root, split)[1]


def test_the_fault_filtered_split_has_its_published_sizes():
    counts = Counter(parser.SPLIT_OF.values())
    assert counts == {"train": 443, "validation": 197, "test": 290}
    assert len(parser.ALL_CLIPS) == 1000 and set(parser.SPLIT_OF) < set(parser.ALL_CLIPS)
    assert parser.SPLIT_OF["jazz.00054"] == "train" and parser.SPLIT_OF["blues.00000"] == "validation"
    assert "reggae.00013" not in parser.SPLIT_OF and parser.SPLIT_OF["blues.00012"] == "test"


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records = read_split(corpus.root, split)
        assert sorted(r["id"] for r in records) == sorted(corpus.ids(split))
        for r in records:
            want = corpus.expected[r["id"]]
            assert r == {"id": r["id"], **{k: v for k, v in want.items() if k != "split"}}
            assert r["genre"] in parser.GENRES
    genres = {r["genre"] for r in read_split(corpus.root, "train")}
    assert "hip-hop" in genres and "hiphop" not in genres  # one spelling across corpora


def test_the_corrupt_jazz_clip_is_skipped_and_reported(corpus):
    assert "jazz.00054" not in {r["id"] for r in read_split(corpus.root, "train")}
    text = " ".join(reports(corpus.root, "train"))
    assert re.search(
        r"skipped 1 clip\(s\) whose audio does not decode \(a known corrupt file\) \([^)]*jazz\.00054\.wav", text
    )


def test_a_sound_jazz_00054_is_kept(corpus):
    fixture.write_clip(corpus.root / "genres", "jazz.00054", 90.0)
    records = {r["id"]: r for r in read_split(corpus.root, "train")}
    assert records["jazz.00054"]["tempo"] == 120.0 and records["jazz.00054"]["genre"] == "jazz"
    assert "does not decode" not in " ".join(reports(corpus.root, "train"))


def test_clips_outside_the_split_are_counted_not_read(corpus):
    everything = [r["id"] for s in ("train", "validation", "test") for r in read_split(corpus.root, s)]
    assert fixture.LEFT_OUT not in everything
    text = reports(corpus.root, "train")
    assert sum("skipped 1 clip(s) the fault-filtered split leaves out (pop.00015)" in t for t in text) == 1
    assert not any("leaves out" in t for t in reports(corpus.root, "test"))


def missing(texts: list[str]) -> int:
    return sum(
        int(n) for t in texts for n in re.findall(r"(\d+) clip\(s\) whose genres/<genre>/<clip>\.wav is missing", t)
    )


def test_an_absent_clip_is_counted(corpus):
    before = missing(reports(corpus.root, "test"))
    gone = sorted(corpus.ids("test"))[0]
    Path(corpus.expected[gone]["audio"]).unlink()
    assert gone not in {r["id"] for r in read_split(corpus.root, "test")}
    assert missing(reports(corpus.root, "test")) == before + 1
    assert before == 290 - len(corpus.ids("test"))  # a partial copy: every listed clip it lacks is counted


def held(corpus) -> dict[str, str]:
    """The split lists of the clips the copy holds (the corrupt jazz.00054 is in the published train list)."""
    return {fixture.CORRUPT: "train", **{clip: want["split"] for clip, want in corpus.expected.items()}}


def test_split_lists_of_the_clips_a_copy_holds_load_quietly(corpus):
    fixture.write_split_files(corpus.root, held(corpus))
    for split in ("train", "validation", "test"):
        assert sorted(r["id"] for r in read_split(corpus.root, split)) == sorted(corpus.ids(split))
        assert missing(reports(corpus.root, split)) == 0
    # the clip on disk that no list names is still counted as left out
    assert sum("leaves out (pop.00015)" in t for t in reports(corpus.root, "train")) == 1


def test_split_lists_decide_the_split(corpus):
    moved = sorted(corpus.ids("test"))[0]
    fixture.write_split_files(corpus.root, {**held(corpus), moved: "validation"})
    assert moved in {r["id"] for r in read_split(corpus.root, "validation")}
    assert moved not in {r["id"] for r in read_split(corpus.root, "test")}


def test_a_clip_the_split_lists_name_but_the_copy_lacks_is_still_reported(corpus):
    absent = "rock.00099"  # in the fault-filtered train list; the fixture does not write it
    assert parser.SPLIT_OF[absent] == "train" and absent not in corpus.expected
    fixture.write_split_files(corpus.root, {**held(corpus), absent: "train"})
    assert missing(reports(corpus.root, "train")) == 1
    assert sum(absent in t for t in reports(corpus.root, "train")) == 1


def test_only_some_split_lists_mean_the_built_in_split(corpus):
    fixture.write_split_files(corpus.root, held(corpus))
    (corpus.root / parser.SPLIT_FILES["test"]).unlink()
    assert missing(reports(corpus.root, "test")) == 290 - len(corpus.ids("test"))


def test_a_bad_split_list_line_names_file_and_line(corpus):
    fixture.write_split_files(corpus.root, held(corpus))
    path = corpus.root / parser.SPLIT_FILES["validation"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "blues/rock.00003.wav\n", encoding="utf-8")
    with pytest.raises(
        parser.GTZANFormatError, match=re.escape(f"{path}:2: 'blues/rock.00003.wav' is not a GTZAN clip")
    ):
        read_split(corpus.root, "test")


def test_a_clip_in_two_split_lists_names_both(corpus):
    fixture.write_split_files(corpus.root, held(corpus))
    clip = sorted(corpus.ids("train"))[0]
    test_list = corpus.root / parser.SPLIT_FILES["test"]
    with test_list.open("a", encoding="utf-8") as f:
        f.write(f"{clip.split('.')[0]}/{clip}.wav\n")
    line = len(test_list.read_text(encoding="utf-8").splitlines())
    with pytest.raises(
        parser.GTZANFormatError, match=rf"test_filtered\.txt:{line}: .* is listed before \(at train_filtered\.txt:\d+\)"
    ):
        read_split(corpus.root, "train")


def test_without_gtzan_rhythm_there_is_no_tempo(corpus):
    shutil.rmtree(corpus.root / fixture.RHYTHM_DIR)
    records = read_split(corpus.root, "validation")
    assert records and all(r["tempo"] is None and r["artist"] is None for r in records)
    with pytest.raises(SourceError, match="nothing in it belongs to music.tempo_comparison"):
        stream("music.tempo_comparison", corpus.root, split="validation")


def test_old_au_copies_and_the_kaggle_layout(corpus, tmp_path):
    kaggle = tmp_path / "Data"
    shutil.copytree(corpus.root / "genres", kaggle / "genres_original")
    assert parser.detect(kaggle) and not parser.detect(tmp_path)
    assert sorted(r["id"] for r in read_split(kaggle, "test")) == sorted(corpus.ids("test"))
    clip = sorted(corpus.ids("test"))[0]
    wav = Path(corpus.expected[clip]["audio"])
    data, rate = sf.read(wav)
    sf.write(wav.with_suffix(".au"), data, rate, format="AU", subtype="PCM_16")
    wav.unlink()
    found = {r["id"]: r["audio"] for r in read_split(corpus.root, "test")}
    assert found[clip].endswith(f"{clip}.au")


def test_a_bad_tempo_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.GTZANFormatError, match=re.escape(f"{path}:{line}: tempo 'fast' is not a number")):
        read_split(corpus.root, "test")


def test_a_clip_listed_twice_names_both_lines(corpus):
    path = corpus.root / fixture.RHYTHM_DIR / "stats.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(parser.GTZANFormatError, match=rf":{len(lines) + 1}: .* is listed twice \(first at line 2\)"):
        read_split(corpus.root, "test")


def test_the_header_must_hold_the_tempo(corpus):
    path = corpus.root / fixture.RHYTHM_DIR / "stats.csv"
    path.write_text(path.read_text().replace("tempo mean", "tempo"))
    with pytest.raises(parser.GTZANFormatError, match=re.escape(f"{path}:1: the header")):
        read_split(corpus.root, "test")


def test_genre_classification_end_to_end(corpus):
    examples = stream("music.genre_classification", corpus.root, split="validation")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("validation"))
    for e in examples:
        genre = corpus.expected[record_id(e)]["genre"]
        assert e["output"].removesuffix(".").endswith(genre)
        assert all(g in e["instruction"] for g in parser.GENRES)  # the closed set is offered
        assert e["source"] == "GTZAN" and e["input_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"]
    assert examples[0]["input_audios"][0]["sampling_rate"] == fixture.RATE


def test_clips_are_clicks_at_their_tempo(corpus):
    checked = 0
    for want in corpus.expected.values():
        if want["tempo"] is None:
            continue
        data, rate = sf.read(want["audio"])
        onsets = np.flatnonzero((np.abs(data[1:]) > 0.1) & (np.abs(data[:-1]) <= 0.1))
        starts = onsets[np.insert(np.diff(onsets) > 0.01 * rate, 0, True)]
        assert len(starts) >= 2
        assert abs(60 * rate / np.median(np.diff(starts)) - want["tempo"]) < 2
        checked += 1
    assert checked == len(corpus.expected) - 1


def test_tempo_comparison_end_to_end(corpus):
    examples = stream("music.tempo_comparison", corpus.root)
    assert examples
    unannotated = {k for k, v in corpus.expected.items() if v["tempo"] is None}
    answers = Counter()
    for e in examples:
        meta = metadata(e)
        a, b = meta["pair"]
        ta, tb = corpus.expected[a]["tempo"], corpus.expected[b]["tempo"]
        assert a not in unannotated and b not in unannotated
        assert abs(ta - tb) >= 10  # the documented margin: never a near-tie
        assert meta["values"] == [ta, tb]
        want = "first" if ta > tb else "second"
        assert e["output"].removesuffix(".").endswith(want)
        answers[want] += 1
        assert [x["path"] for x in e["input_audios"]] == [corpus.expected[a]["audio"], corpus.expected[b]["audio"]]
    assert abs(answers["first"] - answers["second"]) <= len(parser.list_shards(corpus.root)["train"])
    again = [json.loads(e["metadata"])["pair"] for e in stream("music.tempo_comparison", corpus.root)]
    assert again == [metadata(e)["pair"] for e in examples]
