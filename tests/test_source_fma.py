"""The FMA parser on a tiny copy in the published layout, alone and through the builder."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from corpora import fma as fixture
from util import check_records_match, corpus_fixture, metadata, record_id, records_of_split, stream

from audio_flan.sources import fma as parser

corpus = corpus_fixture(fixture.build)


def read_split(root: Path, split: str) -> list[dict]:
    return records_of_split(parser, root, split)[0]


def reports(root: Path, split: str) -> str:
    return records_of_split(parser, root, split, text=True)[1]


def test_records_match_the_fixture(corpus):
    for split in ("train", "validation", "test"):
        records = read_split(corpus.root, split)
        check_records_match(records, corpus, split)
    genres = {r["genre_top"] for s in ("train", "validation", "test") for r in read_split(corpus.root, s)}
    assert {"hip-hop", "soul and r&b", "old-time and historic", None} <= genres


def test_multi_line_quoted_cells_and_commas_in_names(corpus):
    text = (corpus.root / "fma_metadata" / "tracks.csv").read_text()
    assert '"<p>AWOL plays, sings\nand records ""live"".</p>"' in text
    artists = {r["artist"] for r in read_split(corpus.root, "train")}
    assert "Sigur Rós, and friends" in artists


def test_splits_keep_each_artist_in_one(corpus):
    where: dict[str, set] = {}
    for split in ("train", "validation", "test"):
        for r in read_split(corpus.root, split):
            where.setdefault(r["artist_id"], set()).add(split)
    assert all(len(s) == 1 for s in where.values()) and len(where) == len(fixture.ARTISTS)


def test_only_the_subset_of_the_audio_folder_is_read(corpus, tmp_path):
    medium = f"{2 + 13 * (fixture.MEDIUM_ONLY - 1):06d}"
    assert medium not in {r["id"] for r in read_split(corpus.root, "train")}
    assert medium not in reports(corpus.root, "train")  # not in fma_small: not missing either
    shutil.copytree(corpus.root / "fma_small", corpus.root / "fma_medium")
    assert parser.audio_dir(corpus.root).name == "fma_medium"
    assert re.search(
        r"skipped 1 track\(s\) of fma_medium whose MP3 is missing \(line \d+: " + medium, reports(corpus.root, "train")
    )


def test_the_known_undecodable_mp3_is_skipped_and_counted(corpus):
    assert "099134" not in {r["id"] for r in read_split(corpus.root, "train")}
    assert "skipped 1 track(s) whose MP3 holds no decodable audio (known) (099134)" in reports(corpus.root, "train")


def test_a_bad_subset_names_the_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.FMAFormatError, match=re.escape(f"{path}:{line}: set.subset is 'tiny'")):
        read_split(corpus.root, "test")


def test_a_short_row_names_the_line(corpus):
    path = corpus.root / "fma_metadata" / "tracks.csv"
    text = path.read_text()
    path.write_text(text + "999999,only,three\n")
    lines = len(text.split("\n"))
    with pytest.raises(
        parser.FMAFormatError, match=re.escape(f"{path}:{lines}: expected 53 comma-separated fields, got 3")
    ):
        read_split(corpus.root, "test")


def test_the_three_header_rows_are_required(corpus):
    path = corpus.root / "fma_metadata" / "tracks.csv"
    lines = path.read_text().split("\n")
    path.write_text("\n".join(lines[:2] + lines[3:]))  # pandas' one-level header: no track_id row
    with pytest.raises(parser.FMAFormatError, match=re.escape(f"{path}:3: expected the third header row 'track_id'")):
        read_split(corpus.root, "test")


def test_an_unknown_top_genre_is_an_error(corpus):
    path = corpus.root / "fma_metadata" / "tracks.csv"
    path.write_text(path.read_text().replace(",Rock,", ",Rokc,", 1))
    with pytest.raises(parser.FMAFormatError, match="track.genre_top 'Rokc' is not one of FMA's 16"):
        read_split(corpus.root, "train")


def test_genre_classification_end_to_end(corpus):
    examples = stream("music.genre_classification", corpus.root, split="validation")
    want = {k for k in corpus.ids("validation") if corpus.expected[k]["genre_top"]}
    assert sorted(record_id(e) for e in examples) == sorted(want)
    for e in examples:
        assert e["output"].removesuffix(".").endswith(corpus.expected[record_id(e)]["genre_top"])
        assert "old-time and historic" in e["instruction"]  # FMA's 16 genres are offered


def test_artist_identification_picks_among_candidates(corpus):
    examples = stream("music.artist_identification", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    train_artists = {v["artist"] for k, v in corpus.expected.items() if v["split"] == "train"}
    sizes = Counter()
    for e in examples:
        artist = corpus.expected[record_id(e)]["artist"]
        assert e["output"].removesuffix(".").endswith(artist)
        listed = [a for a in train_artists if a in e["input"]]
        assert artist in listed
        sizes[len(listed)] += 1
        assert metadata(e)["artist_id"] == corpus.expected[record_id(e)]["artist_id"]
    assert set(sizes) == {4}  # the answer and three other artists of the same split
    other = stream("music.artist_identification", corpus.root, seed=1)
    assert [e["input"] for e in other] != [e["input"] for e in examples]
