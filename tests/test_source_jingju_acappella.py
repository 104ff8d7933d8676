"""The Jingju a cappella parser on a tiny copy in the published layout (catalogue names with spaces, the legend as
a key of file-name prefixes, a catalogue without final newline, a stereo WAV, a listed WAV absent and a WAV no row
lists), alone and through the builder for text-to-music and text-guided continuation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from corpora import jingju_acappella as fixture
from corpora.common import replace_line
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import jingju_acappella as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_records_and_descriptions_match_the_fixture(corpus):
    records, _ = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.ids("train"))
    for r in records:
        assert {**r, "split": "train"} == {"id": r["id"], **corpus.expected[r["id"]]}


def test_the_legend_is_a_key_of_prefixes(corpus):
    records = {r["id"]: r for r in read_all(corpus.root)[0]}
    inherited = records["lseh-Wei_guo_jia-Hong_yang_dong-lon"]  # its own legend cell is empty
    assert (inherited["role_type"], inherited["shengqiang"]) == ("lao sheng 老生", "er huang 二黄")
    undefined = records["lsfxp-Yang_si_lang-Si_lang_tan_mu-lon"]
    assert (undefined["role_type"], undefined["shengqiang"]) == ("lao sheng", None)
    assert " shengqiang" not in undefined["description"]


def test_absent_and_unlisted_wavs_are_counted(corpus):
    records, text = read_all(corpus.root)
    assert fixture.ABSENT not in {r["id"] for r in records} and fixture.UNLISTED not in {r["id"] for r in records}
    assert f"skipped 1 catalogue row(s) whose wav/laosheng/<name>.wav is missing ({fixture.ABSENT})" in text
    assert f"skipped 1 WAV(s) of wav/dan/ no catalogue row lists ({fixture.UNLISTED}.wav)" in text


def test_a_short_row_names_file_and_line_and_is_skipped_on_request(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.JingjuFormatError, match=re.escape(f"{path}:{line}: expected 5 comma-separated")):
        read_all(corpus.root)
    examples = stream("music.text_to_music", corpus.data_dir, on_error="skip")
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train") - {fixture.EXPECTED[3][1]})


def test_a_legend_not_in_its_form_names_file_and_line(corpus):
    path = corpus.root / "catalogue - dan.csv"
    replace_line(path, 3, 'daxp-Zhe_cai_shi-Suo_lin_nang-upf,work,,,"daxp: dan, xi pi"')
    with pytest.raises(parser.JingjuFormatError, match=re.escape(f"{path}:3: Legend 'daxp: dan, xi pi' is not")):
        read_all(corpus.root)


def test_text_to_music_end_to_end(corpus):
    examples = stream("music.text_to_music", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert want["description"] in e["input"]
        assert e["output_audios"][0]["path"] == want["audio"] and e["language"] == ["zh"]


def test_text_guided_continuation_end_to_end(corpus):
    examples = stream("music.text_guided_continuation", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        assert corpus.expected[record_id(e)]["description"] in e["input"]
        cut = json.loads(e["metadata"])["continuation"]
        prompt, answer = e["input_audios"][0], e["output_audios"][0]
        rate = prompt["sampling_rate"]
        assert rate == fixture.RATE and 2.0 <= cut["prompt_seconds"] <= fixture.SECONDS - 1.0
        assert abs(prompt["array"].shape[-1] / rate - cut["prompt_seconds"]) < 0.01
        assert abs(answer["array"].shape[-1] / rate - cut["continuation_seconds"]) < 0.01
        assert cut["start"] + cut["prompt_seconds"] + cut["continuation_seconds"] <= fixture.SECONDS + 1e-6


def test_the_bundled_sample_keeps_the_corpus_rate():
    """The sample's copy is at the corpus's 44.1 kHz (shortened, not downsampled, to fit the budget), and long
    enough for a continuation."""
    examples = [e for e in stream("music.text_guided_continuation") if "/jingju_acappella/" in e["id"]]
    assert examples
    for e in examples:
        assert e["input_audios"][0]["sampling_rate"] == e["output_audios"][0]["sampling_rate"] == 44100
