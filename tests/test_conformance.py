"""Every registered parser keeps the contract (tests/conformance.py) on its fixture module (tests/corpora/),
with no test code of its own: adding a parser and its fixture module adds it here."""

from __future__ import annotations

import pytest
from conformance import (
    check_detection,
    check_hash_seed_independent,
    check_listing_opens_nothing,
    check_malformed_line,
    check_malformed_line_skipped,
    check_missing_audio,
    check_records,
    narrowed,
)
from corpora import fixture_module

from audio_flan.sources import get_sources

NAMES = sorted(get_sources())


def build(name: str, base):
    return fixture_module(name).build(base / name)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """One pristine copy of every fixture corpus, for the checks that do not change files."""
    base = tmp_path_factory.mktemp("conformance")
    return {name: build(name, base) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_every_parser_has_a_fixture_module(name):
    fixture = fixture_module(name)
    for attr in ("build", "malform", "drop_audio"):
        assert callable(getattr(fixture, attr, None)), f"tests/corpora/{name}.py lacks {attr}()"


@pytest.mark.parametrize("name", NAMES)
def test_detects_its_own_layout_only(name, corpora):
    others = {n: c for n, c in corpora.items() if n != name}
    check_detection(get_sources()[name], corpora[name], others)


@pytest.mark.parametrize("name", NAMES)
def test_listing_opens_no_file(name, corpora):
    source = narrowed(get_sources()[name], fixture_module(name))
    check_listing_opens_nothing(source, corpora[name].root)


@pytest.mark.parametrize("name", NAMES)
def test_records_fields_ids_and_shards(name, corpora):
    source = narrowed(get_sources()[name], fixture_module(name))
    check_records(source, corpora[name].root, corpora[name].expected)


@pytest.mark.parametrize("name", NAMES)
def test_missing_audio_is_skipped_and_counted(name, tmp_path):
    fixture = fixture_module(name)
    check_missing_audio(narrowed(get_sources()[name], fixture), build(name, tmp_path), fixture)


@pytest.mark.parametrize("name", NAMES)
def test_malformed_metadata_names_file_and_line(name, tmp_path):
    fixture = fixture_module(name)
    check_malformed_line(narrowed(get_sources()[name], fixture), build(name, tmp_path), fixture)


@pytest.mark.parametrize("name", NAMES)
def test_records_do_not_depend_on_the_hash_seed(name, corpora):
    check_hash_seed_independent(get_sources()[name], corpora[name].root, fixture_module(name))


@pytest.mark.parametrize("name", NAMES)
def test_malformed_metadata_is_skipped_and_counted_under_skip(name, tmp_path):
    fixture = fixture_module(name)
    check_malformed_line_skipped(narrowed(get_sources()[name], fixture), build(name, tmp_path), fixture)
