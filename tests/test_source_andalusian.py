"""The Arab-Andalusian parser on a tiny copy in the Dunya notebooks' layout (one-line ``andalusian_*.json``,
``documents/<mbid>/<mbid>.mp3``): sections as regions with their labels, the recordings without sections or audio
counted, and the builder's text-to-music and text-guided continuation from sections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from corpora import andalusian as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.audio_values import Region
from audio_flan.sources import andalusian as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_sections_are_regions_with_their_labels(corpus):
    records, text = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.ids("train"))
    for r in records:
        want = corpus.expected[r["id"]]
        assert r["audio"] == Region(want["audio"], want["start"], want["duration"])
        assert r["description"] == want["description"]
        assert r["mbid"] == r["id"].split("/")[0]
    first = next(r for r in records if r["id"].endswith("c4/2"))
    assert (first["nawba"], first["tab"], first["mizan"], first["form"]) == (
        "rumil al-māīyah",
        "rumil al-māīyah",
        "basīṭ",
        "al-mūssi‘",
    )
    assert first["title"] == "basīṭ raml al-māīyah"
    flat = next(r for r in records if r["id"].startswith("64eb"))
    assert flat["audio"].path.endswith("documents/64eb6302-34ec-4434-a004-4e7e503c3e6c.mp3")
    assert flat["title"] == "قدام الحجاز المشرقي"  # no transliterated title: the Arabic one
    assert "1 recording(s) without annotated sections (b99ff2e9-2246-47be-875a-b2e33b28aff5)" in text
    assert "1 recording(s) whose documents/<mbid>/<mbid>.mp3 is missing (7448d9c2" in text


def test_a_section_region_decodes_to_its_seconds(corpus):
    records, _ = read_all(corpus.root)
    region = next(r["audio"] for r in records if r["id"].endswith("c4/2"))
    array, rate = region.render_mono()
    assert rate == fixture.RATE and abs(array.size / rate - 4.0) < 0.06


def test_a_bad_section_names_file_line_and_recording(corpus):
    path, line = fixture.malform(corpus)
    pattern = re.escape(f"{path}:{line}: recording 2d91d7e4-904a-46b7-bce2-230ca4e1b1c4, section 2:")
    with pytest.raises(parser.AndalusianFormatError, match=pattern + ".*not HH:MM:SS"):
        read_all(corpus.root)
    examples = stream("music.text_to_music", corpus.data_dir, on_error="skip")
    bad = "2d91d7e4-904a-46b7-bce2-230ca4e1b1c4/2"
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train") - {bad})


def test_a_section_that_ends_before_it_starts_is_an_error(corpus):
    path = corpus.root / parser.DESCRIPTION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"start_time": "00:00:01"', '"start_time": "00:00:09"'), encoding="utf-8")
    with pytest.raises(parser.AndalusianFormatError, match="section 1: ends \\(00:00:05\\) before it starts"):
        read_all(corpus.root)


def test_text_to_music_end_to_end(corpus):
    examples = stream("music.text_to_music", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert want["description"] in e["input"]
        audio = e["output_audios"][0]
        assert abs(audio["array"].size / audio["sampling_rate"] - want["duration"]) < 0.06


def test_text_guided_continuation_stays_inside_the_section(corpus):
    examples = stream("music.text_guided_continuation", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert want["description"] in e["input"]
        cut = json.loads(e["metadata"])["continuation"]
        assert cut["start"] + cut["prompt_seconds"] + cut["continuation_seconds"] <= want["duration"] + 1e-6
        prompt, answer = e["input_audios"][0], e["output_audios"][0]
        rate = prompt["sampling_rate"]
        assert abs(prompt["array"].size / rate - cut["prompt_seconds"]) < 0.06
        assert abs(answer["array"].size / rate - cut["continuation_seconds"]) < 0.06
        assert prompt["path"].startswith(want["audio"] + "#t=")
        offset = float(prompt["path"].split("#t=")[1].split(",")[0])
        assert abs(offset - (want["start"] + cut["start"])) < 1e-6  # the section's offset plus the drawn start
