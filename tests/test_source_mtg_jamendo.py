"""The MTG-Jamendo autotagging parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from corpora import mtg_jamendo as fixture
from util import corpus_fixture, metadata, record_id, stream

from audio_flan.registry import load_registry
from audio_flan.sources import mtg_jamendo as parser
from audio_flan.sources.base import MissingAudioWarning

COMPARED = ("id", "audio", "artist_id", "album_id", "duration", "tags", "genre", "instrument", "moods")


corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> list[dict]:
    return [r for s in parser.list_shards(root)[split] for r in parser.read_shard(root, s)]


def split_tsv(corpus, split: str = "train") -> Path:
    return corpus.root / "splits" / "split-0" / f"autotagging-{split}.tsv"


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records = read_split(corpus.root, split)
        assert sorted(r["id"] for r in records) == sorted(corpus.ids(split))
        for r in records:
            want = corpus.expected[r["id"]]
            assert {k: r[k] for k in COMPARED} == {"id": r["id"], **{k: want[k] for k in COMPARED if k != "id"}}
    tags = {t for r in read_split(corpus.root, "train") for t in r["tags"].split(", ")}
    assert {"hip-hop", "r&b"} <= tags and not {"hiphop", "rnb"} & tags  # genres spelled as every corpus spells them


def test_variable_tag_columns_and_crlf(corpus):
    lines = split_tsv(corpus).read_bytes().split(b"\r\n")
    widths = {len(line.split(b"\t")) for line in lines[1:] if line}
    assert len(widths) >= 3  # the fixture has rows of several widths, as the corpus does
    assert all(not r["tags"].endswith("\r") for r in read_split(corpus.root, "train"))
    path = split_tsv(corpus)
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))  # LF copies read alike
    assert [r["tags"] for r in read_split(corpus.root, "train")] == [
        corpus.expected[r["id"]]["tags"] for r in read_split(corpus.root, "train")
    ]


def test_the_checkout_or_its_data_folder(corpus):
    assert (
        parser.detect(corpus.root) and not parser.detect(corpus.data_dir) and not parser.detect(corpus.root / "audio")
    )
    examples = stream("music.tagging", corpus.data_dir, split="test")  # the checkout: data/ found inside it
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    (corpus.root / "audio").rename(corpus.root / "downloaded")
    for name in (corpus.root / "downloaded").iterdir():  # audio folders straight in data/
        name.rename(corpus.root / name.name)
    assert sorted(r["id"] for r in read_split(corpus.root, "test")) == sorted(corpus.ids("test"))


def test_an_audio_low_download_is_read(corpus):
    low = [k for k, v in corpus.expected.items() if v["audio"].endswith(".low.mp3")]
    assert len(low) == 1
    records = {r["id"]: r for s in ("train", "validation", "test") for r in read_split(corpus.root, s)}
    assert records[low[0]]["audio"].endswith(".low.mp3")


def test_emotion_probes_are_tagged_or_not_as_their_score_says(corpus):
    for split in ("train", "validation", "test"):
        used = {e for k in corpus.ids(split) for e in corpus.expected[k]["emotion_tags"]}
        scores = Counter()
        for r in read_split(corpus.root, split):
            own = corpus.expected[r["id"]]["emotion_tags"]
            if not own:
                assert r["emotion"] is None and r["emotion_score"] is None
                continue
            assert r["emotion"] in parser.EMOTIONS and r["emotion"] in used
            assert r["emotion_score"] == (1.0 if r["emotion"] in own else 0.0)
            scores[r["emotion_score"]] += 1
        assert scores[1.0] and scores[0.0]


@pytest.mark.parametrize(
    "line, message",
    [
        ("track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0\tgenre:rock", "tag 'genre:rock' is not"),
        ("track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0", "expected at least 6 tab-separated"),
        ("track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\tlong\tgenre---rock", "DURATION 'long'"),
        ("1037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0\tgenre---rock", "TRACK_ID '1037'"),
        ("track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0\tinstrument---kazoo", "'kazoo' is not one"),
        ("track_0001037\tartist_000101\talbum_000201\t37/1037.mp3\t121.0\tmood---sad", "tag 'mood---sad' is not"),
    ],
)
def test_a_bad_row_names_file_and_line(corpus, line, message):
    path = split_tsv(corpus)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = line.encode()
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(parser.MTGJamendoFormatError, match=re.escape(f"{path}:3: ") + ".*" + re.escape(message)):
        read_split(corpus.root, "train")


def test_a_bad_header_is_an_error(corpus):
    path = split_tsv(corpus, "test")
    path.write_bytes(path.read_bytes().replace(b"TAGS", b"TAG", 1))
    with pytest.raises(parser.MTGJamendoFormatError, match=re.escape(f"{path}:1: the header")):
        read_split(corpus.root, "test")


def test_a_missing_mp3_is_skipped_and_counted(corpus):
    gone = sorted(corpus.ids("validation"))[:2]
    for track in gone:
        Path(corpus.expected[track]["audio"]).unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = {r["id"] for r in read_split(corpus.root, "validation")}
    assert ids == corpus.ids("validation") - set(gone)
    text = " ".join(str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning))
    assert (
        sum(int(n) for n in re.findall(r"(\d+) row\(s\) of autotagging-validation.tsv whose MP3 is missing", text)) == 2
    )


def test_tagging_end_to_end(corpus):
    examples = stream("music.tagging", corpus.root, split="test")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("test"))
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["tags"])
        assert e["source"] == "MTG-Jamendo"
    audio = examples[0]["input_audios"][0]
    assert audio["sampling_rate"] == fixture.RATE and audio["array"].size > 0  # real MP3


def test_genre_classification_takes_single_genre_tracks(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream("music.genre_classification", corpus.root)
    single = {k for k in corpus.ids("train") if corpus.expected[k]["genre"] is not None}
    assert single and single != corpus.ids("train")
    assert sorted(record_id(e) for e in examples) == sorted(single)
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["genre"])
    left_out = len(corpus.ids("train")) - len(single)
    assert any(f"skipped {left_out} record(s) without genre" in str(w.message) for w in caught)  # counted, reported


def test_instrument_classification_offers_the_40_instruments(corpus):
    options = load_registry()["music.instrument_classification"].bindings["mtg_jamendo"].slots["options"]
    assert tuple(options) == parser.INSTRUMENTS and len(options) == 40
    examples = stream("music.instrument_classification", corpus.root, split="validation")
    assert examples
    for e in examples:
        want = corpus.expected[record_id(e)]["instrument"]
        assert want and e["output"].removesuffix(".").split()[-1] == want
        assert "synthesizer" in e["instruction"]


def test_emotion_classification_end_to_end(corpus):
    examples = stream("music.emotion_classification", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(
        k for k in corpus.ids("train") if corpus.expected[k]["moods"]
    )
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["moods"])


def test_emotion_comparison_end_to_end(corpus, monkeypatch):
    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 1 << 30)  # one shard: the tiny copy pairs within it
    examples = stream("music.emotion_comparison", corpus.root)
    assert len(examples) >= 3
    answers = Counter()
    for e in examples:
        meta = metadata(e)
        a, b = meta["pair"]
        emotion = meta["emotion"]
        assert emotion in e["instruction"] or emotion in e["input"]
        tagged = [emotion in corpus.expected[x]["emotion_tags"] for x in (a, b)]
        assert sorted(tagged) == [False, True]  # one tagged with the emotion, one not
        want = "first" if tagged[0] else "second"
        assert e["output"].removesuffix(".").endswith(want)
        answers[want] += 1
    assert abs(answers["first"] - answers["second"]) <= 1
