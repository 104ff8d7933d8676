"""The conformance checks catch broken parsers: each broken variant of a real parser fails the check it breaks."""

from __future__ import annotations

import dataclasses
import sys
import warnings

import pytest
from conformance import (
    check_listing_opens_nothing,
    check_malformed_line,
    check_missing_audio,
    check_records,
)
from corpora import esc50 as esc50_fixture
from corpora import libritts_r as libritts_fixture

from audio_flan.sources import discover, get_sources
from audio_flan.sources.base import CorpusFormatError, Source, SourceDefinitionError


@pytest.fixture
def libritts(tmp_path):
    return libritts_fixture.build(tmp_path / "data")


def broken(parser: str, **changes) -> Source:
    return dataclasses.replace(get_sources()[parser], **changes)


def test_a_parser_that_opens_every_file_while_listing_fails(libritts):
    real = get_sources()["libritts_r"]

    def list_by_reading(root):
        for path in sorted(root.rglob("*.trans.tsv")):
            path.read_text(encoding="utf-8")
        return real.list_shards(root)

    with pytest.raises(AssertionError, match="list_shards opened"):
        check_listing_opens_nothing(broken("libritts_r", list_shards=list_by_reading), libritts.root)
    check_listing_opens_nothing(real, libritts.root)  # the real one passes


def test_a_parser_with_duplicate_ids_fails(libritts):
    real = get_sources()["libritts_r"]

    def twice(root, shard):
        for record in real.read_shard(root, shard):
            yield record
            yield dict(record)

    with pytest.raises(AssertionError, match="twice"):
        check_records(broken("libritts_r", read_shard=twice), libritts.root, libritts.expected)


def test_a_parser_whose_records_lack_a_declared_field_fails(libritts):
    real = get_sources()["libritts_r"]

    def lacking(root, shard):
        for record in real.read_shard(root, shard):
            yield {k: v for k, v in record.items() if k != "gender"}

    with pytest.raises(SourceDefinitionError, match=r"lacking \['gender'\]"):
        check_records(broken("libritts_r", read_shard=lacking), libritts.root, libritts.expected)


def test_a_parser_that_loses_a_shard_fails(libritts):
    real = get_sources()["libritts_r"]

    def fewer(root):
        return {split: shards[1:] for split, shards in real.list_shards(root).items()}

    with pytest.raises(AssertionError, match="lack"):
        check_records(broken("libritts_r", list_shards=fewer), libritts.root, libritts.expected)


def test_a_parser_that_keeps_records_without_audio_fails(tmp_path):
    corpus = esc50_fixture.build(tmp_path / "data")
    real = get_sources()["esc50"]

    def keep_all(root, shard):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            records = list(real.read_shard(root, shard))
        ids = {r["id"] for r in records}
        yield from records
        for clip, values in corpus.expected.items():  # put back the row whose file is gone, silently
            if values["fold"] == shard and clip not in ids:
                yield {"id": clip, **{k: v for k, v in values.items() if k != "split"}}

    with pytest.raises(AssertionError, match="was not skipped"):
        check_missing_audio(broken("esc50", read_shard=keep_all), corpus, esc50_fixture)


def test_a_parser_whose_errors_do_not_name_the_line_fails(tmp_path):
    corpus = esc50_fixture.build(tmp_path / "data")
    real = get_sources()["esc50"]

    def vague(root, shard):
        try:
            yield from real.read_shard(root, shard)
        except CorpusFormatError:
            raise CorpusFormatError("esc50.csv is broken somewhere") from None

    with pytest.raises(AssertionError, match="does not name"):
        check_malformed_line(broken("esc50", read_shard=vague), corpus, esc50_fixture)


def _package(tmp_path, name: str, body: str):
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "somecorpus.py").write_text(body)
    sys.path.insert(0, str(tmp_path))
    return pkg


def test_a_parser_module_without_source_is_an_error_at_discovery(tmp_path):
    pkg = _package(tmp_path, "fake_sources_a", "def detect(root):\n    return False\n")
    try:
        with pytest.raises(SourceDefinitionError, match="fake_sources_a.somecorpus defines no SOURCE"):
            discover("fake_sources_a", [str(pkg)])
    finally:
        sys.path.remove(str(tmp_path))


def test_a_source_that_is_not_a_source_is_an_error_at_discovery(tmp_path):
    pkg = _package(tmp_path, "fake_sources_b", "SOURCE = {'name': 'somecorpus'}\n")
    try:
        with pytest.raises(SourceDefinitionError, match="SOURCE is a dict, not a Source"):
            discover("fake_sources_b", [str(pkg)])
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Bad Name"}, "not a lower-case identifier"),
        ({"fields": frozenset({"audio"})}, "at least 'id'"),
        ({"audio_fields": frozenset({"wave"})}, r"audio_fields \['wave'\]"),
        ({"detect": None}, "detect must be callable"),
        ({"missing_audio": "ignore"}, "missing_audio"),
        ({"labels": {"nothing": ("a",)}}, "labels"),
        ({"license": ""}, "license must be"),
    ],
)
def test_a_wrong_source_is_refused_when_defined(changes, message):
    with pytest.raises(SourceDefinitionError, match=message):
        broken("libritts_r", **changes)
