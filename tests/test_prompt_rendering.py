"""Prompts as they reach the instances: options as prose and said once, the two audios of a pair labelled from
one family, answers as bare labels, labels after a colon, or sentences with a full stop; the ordinal compare
shape (which of two is more X, with a margin) and candidate lists for identification tasks."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from corpora.libritts_r import build as make_libritts_r
from corpora.nsynth import build as make_nsynth
from prompt_checks import VOCAB
from util import stream

from audio_flan.prompts import PromptSet, answer_text, prose
from audio_flan.registry import task_table
from audio_flan.shapes import SHAPES, Context
from audio_flan.sources import get_sources, libritts_r, nsynth

ORDINALS = [tuple(str(m) for m in pair) for pair in VOCAB["pair_markers"]]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    return {"nsynth": make_nsynth(base / "nsynth"), "libritts_r": make_libritts_r(base / "libritts")}


COMPARE_FED = [
    ("music.instrument_comparison", "nsynth"),
    ("speech.speaker_verification", "libritts_r"),
    ("speech.spoken_paragraph_recognition", "libritts_r"),
]


def same_family(first: str, second: str) -> bool:
    """'audio 1:' / 'audio 2:', 'first clip:' / 'second clip:', 'audio_sample1:' / 'audio_sample2:': one family,
    told apart by the ordinal only."""
    a, b = first.rstrip(":").split(), second.rstrip(":").split()
    for one, two in ORDINALS:
        if one in a and two in b and [w for w in a if w != one] == [w for w in b if w != two]:
            return True
    return len(a) == len(b) == 1 and a[0][:-1] == b[0][:-1] and (a[0][-1], b[0][-1]) == ("1", "2")


def said(option: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(option)}(?!\w)", text, re.IGNORECASE))


@pytest.mark.parametrize("config, corpus", COMPARE_FED)
def test_compare_instances_read_right(corpora, config, corpus):
    examples = stream(config, corpora[corpus].data_dir)
    assert len(examples) >= 8
    answers = Counter()
    for e in examples:
        labels = [line.split("<|SOA|>")[0].strip() for line in e["input"].splitlines()]
        assert len(labels) == 2 and same_family(*labels), e["input"]  # the pair labelled as a pair
        for option in ("yes", "no"):  # options said once, as prose, never appended to an instruction that has them
            assert said(option, e["instruction"]) == 1, e["instruction"]
        assert "yes, no" not in e["instruction"] and "Options:" not in e["instruction"]
        answer = "yes" if json.loads(e["metadata"])["same"] else "no"
        out = e["output"]
        bare_or_colon = out == answer or re.fullmatch(rf"[^.]*: {answer}", out)
        assert bare_or_colon or (out.endswith(f" {answer}.") and out[0].isupper()), out  # a sentence has its stop
        answers[out.replace(answer, "<answer>")] += 1
    assert len(answers) > 1  # the prefixes vary


COMPARE_CONFIGS = [t.name for t in task_table().values() if t.shape == "compare"]


@pytest.mark.parametrize("config", COMPARE_CONFIGS)
def test_compare_pairs_of_the_bundled_sample_are_labelled_as_pairs(config):
    """Every compare config, over the bundled sample (the release's instances and the corpora's)."""
    examples = stream(config, n=20)
    assert examples
    for e in examples:
        labels = [line.split("<|SOA|>")[0].strip() for line in e["input"].splitlines() if "<|SOA|>" in line]
        assert len(labels) == 2 and same_family(*labels), e["input"]


def test_answers_read_as_sentences_or_bare_labels():
    assert answer_text("", "brass") == "brass"
    assert answer_text("Instrument family:", "brass") == "Instrument family: brass"
    assert answer_text("The answer is", "yes") == "The answer is yes."
    assert answer_text("The answer is:", "It is a dog.") == "The answer is: It is a dog."
    assert answer_text("The instrument family is", "synth_lead") == "The instrument family is synth_lead."


def test_options_are_prose_and_not_repeated():
    assert prose(["yes", "no"]) == "yes or no"
    assert prose(["female", "male", "other"]) == "female, male or other"
    forms = {
        f: (f"{f}: say whether they match.", f"{f}: answer {{options}}.", f"{f}: yes or no?")
        for f in ("command", "request", "question", "suggestion")
    }
    ps = PromptSet(forms, {}, ("",))
    assert ps.instruction("Do they match?", {}, ("yes", "no")) == "Do they match? Answer yes or no."
    assert ps.instruction("Answer {options}.", {}, ("yes", "no")) == "Answer yes or no."
    assert ps.instruction("Do they match? Answer yes or no.", {}, ("yes", "no")) == "Do they match? Answer yes or no."
    assert ps.instruction("Is it bona fide?", {}, ("bonafide", "spoof")).endswith("Answer bonafide or spoof.")
    assert ps.instruction("Name it.", {}, ("a", "b", "c")) == "Name it. Choose one of: a, b or c."


def test_pair_labels_are_chosen_together():
    ps = PromptSet(
        {"command": ("x",)},
        {("audio", "audio2"): (("audio 1:", "audio 2:"), ("first clip:", "second clip:"), ("note 1:", "note 2:"))},
    )
    seen = set()
    for i in range(60):
        labels = ps.render(f"id{i}", 0, {}).input_labels
        assert same_family(labels["audio"], labels["audio2"])
        seen.add(labels["audio"])
    assert len(seen) == 3


# ------------------------------------------------------------------------------- the ordinal compare shape


def ordinal_context(margin, seed=0) -> Context:
    """Tempo comparison fed by NSynth notes, with pitch as the number compared (what a tempo parser's BPM is)."""
    task = task_table()["music.tempo_comparison"]
    return Context(task, get_sources()["nsynth"], {"audio": "audio", "value": "pitch", "margin": margin}, seed, "train")


def nsynth_records(corpus) -> list[dict]:
    root = corpus.root
    return [r for shard in nsynth.list_shards(root)["train"] for r in nsynth.read_shard(root, shard)]


def test_ordinal_pairs_differ_by_the_margin_and_answer_the_stronger(corpora):
    records = nsynth_records(corpora["nsynth"])
    pitch = {r["id"]: int(r["pitch"]) for r in records}
    examples = list(SHAPES["compare"].instances(records, ordinal_context(margin=5)))
    assert len(examples) >= len(records) // 2
    answers = Counter()
    for e in examples:
        meta = json.loads(e["metadata"])
        a, b = meta["pair"]
        assert a != b and abs(pitch[a] - pitch[b]) >= 5
        stronger = "first" if pitch[a] > pitch[b] else "second"
        assert meta["stronger"] == stronger and e["output"].rstrip(".").endswith(stronger)
        assert e["output"] in (stronger, f"Faster: {stronger}") or e["output"].endswith(f" the {stronger}.")
        assert "same" not in e["instruction"].lower()
        labels = [line.split("<|SOA|>")[0].strip() for line in e["input"].splitlines()]
        assert same_family(*labels)
        answers[stronger] += 1
    assert abs(answers["first"] - answers["second"]) <= 1  # balanced within the shard
    assert len({frozenset(json.loads(e["metadata"])["pair"]) for e in examples}) == len(examples)  # asked once


def test_ordinal_pairs_are_seeded_and_skip_what_the_margin_rules_out(corpora):
    records = nsynth_records(corpora["nsynth"])
    once = [e["id"] for e in SHAPES["compare"].instances(records, ordinal_context(5))]
    assert once == [e["id"] for e in SHAPES["compare"].instances(records, ordinal_context(5))]
    assert once != [e["id"] for e in SHAPES["compare"].instances(records, ordinal_context(5, seed=1))]
    assert not list(SHAPES["compare"].instances(records, ordinal_context(1000)))  # no pair is that far apart


@pytest.mark.parametrize(
    "binding, error",
    [
        ({"audio": "audio", "value": "pitch"}, "needs 'margin'"),
        ({"audio": "audio", "value": "pitch", "margin": 0}, "'margin' must be a number above 0"),
        ({"audio": "audio", "value": "nope", "margin": 2}, "field 'nope'"),
        ({"audio": "audio", "key": "pitch"}, "needs 'value'"),
    ],
)
def test_ordinal_binding_is_checked(binding, error):
    task = task_table()["music.tempo_comparison"]
    errors = SHAPES["compare"].check(task, binding, get_sources()["nsynth"].fields)
    assert any(error in e for e in errors), errors


def test_a_relation_answer_needs_a_relation_the_source_declares():
    task = task_table()["music.key_comparison"]
    fields = get_sources()["giantsteps_key"].fields
    errors = SHAPES["compare"].check(task, {"audio": "audio", "key": "key"}, fields)
    assert errors == ["the compare shape (label) needs 'relation' in the binding"]
    assert SHAPES["compare"].check(task, {"audio": "audio", "key": "key", "relation": "key"}, fields) == []
    ordinal = task_table()["music.tempo_comparison"]
    assert "unknown binding keys ['relation']" in " ".join(
        SHAPES["compare"].check(ordinal, {"audio": "audio", "value": "tempo", "margin": 10, "relation": "key"}, fields)
    )


# ------------------------------------------------------------------------------ candidates for identification


def identification_context(candidates, seed=0) -> Context:
    task = task_table()["speech.speaker_identification"]
    binding = {"audio": "audio", "candidates": candidates, "label": "speaker"}
    return Context(task, get_sources()["libritts_r"], binding, seed, "train")


def libritts_records(corpus) -> list[dict]:
    root = corpus.root
    return [r for shard in libritts_r.list_shards(root)["train"] for r in libritts_r.read_shard(root, shard)]


def test_identification_draws_its_candidates_from_the_shard(corpora):
    records = libritts_records(corpora["libritts_r"])
    speakers = {r["speaker"] for r in records}
    assert len(speakers) >= 3
    ctx = identification_context(3)
    examples = list(SHAPES["label"].instances(records, ctx))
    assert len(examples) == len(records)
    lists = set()
    for e, r in zip(examples, records):
        line = next(l for l in e["input"].splitlines() if "<|SOA|>" not in l)
        listed = re.split(r", | or ", line.split(":", 1)[1].strip())
        assert len(listed) == min(3, len(speakers)) and r["speaker"] in listed and set(listed) <= speakers
        assert e["output"].rstrip(".").endswith(r["speaker"])
        lists.add(tuple(listed))
    assert len(lists) > 1  # the distractors and their order vary
    again = [e["input"] for e in SHAPES["label"].instances(records, identification_context(3))]
    assert again == [e["input"] for e in examples]


def test_identification_binding_is_checked():
    task = task_table()["speech.speaker_identification"]
    fields = get_sources()["libritts_r"].fields
    assert not SHAPES["label"].check(task, {"audio": "audio", "candidates": 4, "label": "speaker"}, fields)
    assert SHAPES["label"].check(task, {"audio": "audio", "candidates": 1, "label": "speaker"}, fields)
    assert SHAPES["label"].check(task, {"audio": "audio", "candidates": "nope", "label": "speaker"}, fields)


def test_a_text_slot_of_an_ordinal_pair_groups_the_pairs(corpora):
    """'Which is more {emotion}?': both records of a pair share the slot's field, whose value fills the slot."""
    records = nsynth_records(corpora["nsynth"])
    task = task_table()["music.emotion_comparison"]
    binding = {"audio": "audio", "value": "pitch", "margin": 1, "emotion": "instrument_family"}
    ctx = Context(task, get_sources()["nsynth"], binding, 0, "train")
    family = {r["id"]: r["instrument_family"] for r in records}
    examples = list(SHAPES["compare"].instances(records, ctx))
    assert examples
    for e in examples:
        a, b = json.loads(e["metadata"])["pair"]
        assert family[a] == family[b]
        assert e["input"].splitlines()[-1].endswith(family[a])
