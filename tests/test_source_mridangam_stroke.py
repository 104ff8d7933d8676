"""The Mridangam Stroke parser on a tiny copy in its published layout (tonic folders, Freesound-style names that
carry the stroke), alone and through the builder for instrumental technique classification and comparison."""

from __future__ import annotations

import json
from pathlib import Path

from corpora import mridangam_stroke as fixture
from util import corpus_fixture, record_id, records_of_split, stream

from audio_flan.sources import mridangam_stroke as parser

corpus = corpus_fixture(fixture.build)


def read_all(root: Path) -> tuple[list[dict], str]:
    return records_of_split(parser, root, "train", text=True)


def test_strokes_and_tonics_come_from_names_and_folders(corpus):
    records, text = read_all(corpus.root)
    assert parser.list_shards(corpus.root) == {"train": ["B", "C#"]}
    assert {r["id"]: {**r, "split": "train"} for r in records} == {
        rid: {"id": rid, **want} for rid, want in corpus.expected.items()
    }
    assert "1 WAV(s) not named <id>__<user>__<stroke>-<tonic>-<n>.wav" in text
    assert "B/224999__akshaylaya__tuning-b-001.wav" in text


def test_a_folder_of_other_wavs_is_not_the_corpus(tmp_path):
    folder = tmp_path / "B"
    folder.mkdir()
    (folder / "kick.wav").write_bytes(b"RIFF")
    assert not parser.detect(tmp_path)


def test_technique_classification_end_to_end(corpus):
    examples = stream("music.instrumental_technique_classification", corpus.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.ids("train"))
    for e in examples:
        want = corpus.expected[record_id(e)]
        assert e["output"].rstrip(".").split()[-1] == want["technique"]  # after any prefix
        assert e["input_audios"][0]["path"] == want["audio"]
        assert e["input_audios"][0]["sampling_rate"] == fixture.RATE


def test_technique_comparison_pairs_say_whether_the_strokes_match(corpus):
    examples = stream("music.instrumental_technique_comparison", corpus.data_dir)
    assert examples
    by_path = {v["audio"]: v["technique"] for v in corpus.expected.values()}
    answers = set()
    for e in examples:
        first, second = (by_path[a["path"]] for a in e["input_audios"])
        answer = "yes" if first == second else "no"
        assert e["output"].rstrip(".").split()[-1].lower() == answer
        answers.add(answer)
        assert json.loads(e["metadata"])  # the pair's records are described
    assert answers == {"yes", "no"}
