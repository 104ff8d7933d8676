"""LibriTTS-P over a LibriTTS-R copy: descriptions joined by utterance id (requests among the candidates never
used), invalid rows, excluded speakers and unannotated utterances left without one, and the two configs it
feeds end to end."""

from __future__ import annotations

import json
import warnings

import pytest
from corpora import libritts_p as fixture
from util import stream

from audio_flan.sources import libritts_p as parser


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def records(root):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            r["id"]: {**r, "split": split}
            for split, shards in parser.list_shards(root).items()
            for s in shards
            for r in parser.read_shard(root, s)
        }


def test_descriptions_are_joined_by_utterance_id(corpus):
    got = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for utt, want in corpus.expected.items():
        assert {k: got[utt][k] for k in want} == want, utt
    described = [r for r in got.values() if r["description"]]
    assert described and all(parser.is_description(r["description"]) for r in described)
    # the request that contradicts its key ("a high-pitched voice" under p-low) is never a description
    assert not any("high-pitched" in r["description"] for r in described if r["pitch_level"] == "low")
    assert got[fixture.INVALID]["description"] is None
    assert got[fixture.UNANNOTATED]["description"] is None
    assert all(r["description"] is None for r in got.values() if r["speaker"] in fixture.EXCLUDED)
    assert all(r["description"] is None for r in got.values() if r["speaker"] == "25")  # requests only
    r = next(r for r in described if r["speaker"] == "17")
    assert (r["pitch_level"], r["speed_level"], r["energy_level"], r["gender"]) == ("low", "slow", "low", "male")


def test_a_style_key_the_candidates_lack_names_the_row(corpus):
    path = corpus.root / fixture.TOP / "data" / f"metadata_w_style_prompt_tags_v{fixture.VERSION}.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("F_p-high_s-normal_e-normal", "F_p-low_s-fast_e-low")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(parser.LibriTTSPFormatError, match=f"{path}:2: style_prompt_key F_p-low_s-fast_e-low is not in"):
        records(corpus.root)


def test_a_short_row_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.LibriTTSPFormatError, match=f"{path}:{line}: expected 17 comma-separated fields"):
        records(corpus.root)


def test_the_configs_it_feeds(corpus):
    want = {k: v["description"] for k, v in corpus.expected.items() if v["split"] == "train" and v["description"]}
    captions = stream("speech.speech_caption", corpus.data_dir, source="libritts_p")
    got = {json.loads(e["metadata"])["id"]: e["output"] for e in captions}
    assert set(got) == set(want) and all(out.endswith(want[k]) for k, out in got.items())
    tts = stream("speech.descriptive_tts", corpus.data_dir, source="libritts_p")
    assert {json.loads(e["metadata"])["id"] for e in tts} == set(want)
    assert all(want[json.loads(e["metadata"])["id"]] in e["instruction"] + e["input"] for e in tts)
    # the LibriTTS-R copy inside is still read as LibriTTS-R by the configs it feeds
    asr = stream("speech.asr", corpus.root, split="test", source="libritts_r")
    assert asr
