"""The parser contract as checks: each function takes a source and its fixture corpus and raises AssertionError
saying what is broken. ``test_conformance.py`` runs them over every registered parser;
``test_conformance_catches.py`` proves they catch broken parsers."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import pytest

from audio_flan import report
from audio_flan.registry import load_registry
from audio_flan.sources.base import SPLITS, CorpusFormatError, MissingAudioWarning, Source, check_record
from audio_flan.sources.readers import MissingAudioError

_OPENED: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _OPENED and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED[-1].append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one records only inside `opens()`


@contextmanager
def opens() -> Iterator[list[str]]:
    """Every file opened (by any means: open, io.open, os.open, pathlib) inside the block."""
    _OPENED.append([])
    try:
        yield _OPENED[-1]
    finally:
        _OPENED.pop()


def narrowed(source: Source, fixture) -> Source:
    """The source as the conformance suite reads it: narrowed to the fixture's config where it holds many."""
    if source.narrow is None:
        return source
    return source.narrowed(load_registry()[fixture.CONFIG].query)


def read_split(source: Source, root: Path, split: str) -> list[dict]:
    shards = source.list_shards(root).get(split, [])
    return [r for shard in shards for r in source.read_shard(root, shard)]


def check_detection(source: Source, own, others: dict) -> None:
    assert source.detect(own.root), f"{source.name}: detect() rejects its own fixture at {own.root}"
    for name, other in others.items():
        assert not source.detect(other.root), f"{source.name}: detect() accepts the {name} fixture at {other.root}"


def check_listing_opens_nothing(source: Source, root: Path) -> None:
    with opens() as opened:
        source.list_shards(root)
    allowed = [str(root / pattern) for pattern in source.listing_reads]
    modules = (".py", ".pyc", ".so")  # a module imported on first use is not the corpus being read
    extra = [p for p in opened if not p.endswith(modules) and not any(fnmatch.fnmatch(p, a) for a in allowed)]
    assert not extra, f"{source.name}: list_shards opened {len(extra)} file(s) beyond listing_reads: {extra[:5]}"


def check_records(source: Source, root: Path, expected: dict) -> None:
    """Exactly the declared fields; ids unique and stable; shards disjoint and complete."""
    listing = source.list_shards(root)
    assert listing, f"{source.name}: list_shards lists nothing in {root}"
    # a fixture may hold more than the root (NSynth's other split folders beside it): judge the listed splits
    for split in listing:
        seen: dict[str, int] = {}
        for k, shard in enumerate(listing.get(split, [])):
            for record in source.read_shard(root, shard):
                check_record(source, record, f"{split} shard {shard!r}")
                rid = str(record["id"])
                assert rid not in seen, f"{source.name}: id {rid!r} in {split} twice (shards {seen[rid]} and {k})"
                seen[rid] = k
        # a fixture may hold more than the root (another locale or split folder beside it): judge what is under it
        want = {
            k for k, v in expected.items() if v["split"] == split and str(v.get("audio", root)).startswith(str(root))
        }
        assert set(seen) == want, (
            f"{source.name} {split}: the shards hold {sorted(set(seen) - want)[:5]} beyond the fixture and lack "
            f"{sorted(want - set(seen))[:5]}"
        )
        again = [str(r["id"]) for shard in listing.get(split, []) for r in source.read_shard(root, shard)]
        assert again == [str(r["id"]) for r in read_split(source, root, split)], (
            f"{source.name} {split}: two reads give the records in different orders"
        )


def _skip_reports(source: Source, root: Path, split: str) -> tuple[list[str], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [str(r["id"]) for r in read_split(source, root, split)]
    return ids, [str(w.message) for w in caught if issubclass(w.category, MissingAudioWarning)]


def _skipped(reports: list[str]) -> int:
    """Items counted in Skips warnings: "...: skipped 2 reason (...); 1 other reason (...)"."""
    return sum(int(n) for r in reports for n in re.findall(r"(?:skipped |; )(\d+) ", r))


def check_missing_audio(source: Source, corpus, fixture) -> None:
    """Deleting one listed audio file skips exactly that record, counted once more in the shard's one warning
    (a fixture may already list absent files, as real copies do)."""
    # a corpus that is its folders, or whose metadata lists no audio files (EmoV-DB: file names say the sentence
    # of a prompt list): nothing lists an absent file
    if not getattr(fixture, "LISTS_AUDIO", getattr(fixture, "METADATA", True)):
        before_ids = {split: [str(r["id"]) for r in read_split(source, corpus.root, split)] for split in SPLITS}
        split, gone = fixture.drop_audio(corpus)
        after = [str(r["id"]) for r in read_split(source, corpus.root, split)]
        assert after == [i for i in before_ids[split] if i != gone] and gone in before_ids[split], (
            f"{source.name}: deleting {gone!r} should remove that record and nothing else"
        )
        return
    if source.missing_audio == "error":
        split, gone = fixture.drop_audio(corpus)
        with pytest.raises(MissingAudioError):
            read_split(source, corpus.root, split)
        return
    before_ids: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for name in source.list_shards(corpus.root):
        before_ids[name], before[name] = _skip_reports(source, corpus.root, name)
    split, gone = fixture.drop_audio(corpus)
    ids, after = _skip_reports(source, corpus.root, split)
    assert gone not in ids, f"{source.name}: record {gone!r} whose audio is missing was not skipped"
    assert sorted(set(before_ids[split]) - set(ids)) == [gone], f"{source.name}: more than {gone!r} went missing"
    assert 1 <= len(after) <= len(before[split]) + 1, (
        f"{source.name}: expected one MissingAudioWarning per shard with skips, got {after}"
    )
    assert _skipped(after) == _skipped(before[split]) + 1, (
        f"{source.name}: the warnings do not count the one skipped item: {after}"
    )


def check_malformed_line(source: Source, corpus, fixture) -> None:
    if not getattr(fixture, "METADATA", True):  # no metadata to spoil: debris in its folders changes nothing
        before = {split: read_split(source, corpus.root, split) for split in SPLITS}
        fixture.malform(corpus)
        after = {split: read_split(source, corpus.root, split) for split in SPLITS}
        assert after == before, f"{source.name}: debris in the corpus folders changed its records"
        return
    path, line = fixture.malform(corpus)
    listing = source.list_shards(corpus.root)
    with pytest.raises(CorpusFormatError) as caught:
        for shards in listing.values():
            for shard in shards:
                list(source.read_shard(corpus.root, shard))
    assert f"{path}:{line}" in str(caught.value), (
        f"{source.name}: the error does not name {path}:{line}: {caught.value}"
    )


def check_malformed_line_skipped(source: Source, corpus, fixture) -> None:
    """Under ``on_error="skip"`` the malformed line (``malform`` spoils a record's line, not a header) is counted in
    the load's report, named by file and line, and the load goes on to the other records."""
    if not getattr(fixture, "METADATA", True):  # no metadata to spoil (check_malformed_line covers its debris)
        return
    before = _read_under(source, corpus.root, None)[0]
    path, line = fixture.malform(corpus)
    try:
        records, got = _read_under(source, corpus.root, "skip")
    except CorpusFormatError as err:
        raise AssertionError(
            f"{source.name}: under on_error='skip' the malformed line {path}:{line} stopped the load instead of "
            f"being counted and skipped ({err}); use Skips.bad (audio_flan/sources/readers.py)"
        ) from None
    named = [e for e in got.entries.values() if any(f"{path.name}:{line}" in item for item in e.first)]
    assert named, (
        f"{source.name}: under on_error='skip' the malformed line {path}:{line} is not counted in the load's report, "
        f"named by file and line: {got.text()}"
    )
    assert records and len(records) < len(before), f"{source.name}: the load did not go on past the malformed line"


def _read_under(source: Source, root: Path, policy: Optional[str]) -> tuple[list[dict], report.LoadReport]:
    """Every record of every shard, read as the builder reads them: listing and shards under one load."""
    load = report.Load(policy, report.LoadReport("conformance"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with report.active(load):
            listing = source.list_shards(root)
        records = [
            r
            for split in sorted(listing)
            for shard in listing[split]
            for r in report.scoped(load, source.read_shard(root, shard))
        ]
    return records, load.report


_DIGEST = """
import hashlib, json, sys
from pathlib import Path
from audio_flan.registry import load_registry
from audio_flan.sources import get_sources
name, root, config = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
source = get_sources()[name]
if source.narrow is not None:
    source = source.narrowed(load_registry()[config].query)
digest = hashlib.sha256()
for split, shards in sorted(source.list_shards(root).items()):
    for shard in shards:
        for record in source.read_shard(root, shard):
            digest.update(json.dumps(record, sort_keys=True, default=str).encode())
print(digest.hexdigest())
"""


def check_hash_seed_independent(source: Source, root: Path, fixture) -> None:
    config = getattr(fixture, "CONFIG", "")
    digests = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST, source.name, str(root), config],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1, f"{source.name}: records differ between PYTHONHASHSEED values"


def record_json(record: dict) -> str:
    return json.dumps(record, sort_keys=True, default=str)
