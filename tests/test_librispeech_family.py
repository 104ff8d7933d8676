"""What LibriSpeech and LibriTTS-R read alike (``audio_flan/sources/_librispeech_family.py``), on both corpora's
fixtures: a malformed row of the readers' SPEAKERS file is an error naming file, line and row, or under
``on_error="skip"`` is counted once with its speaker's folders, and the other speakers are read."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from corpora import librispeech as librispeech_fixture
from corpora import libritts_r as libritts_fixture
from corpora.common import Corpus

from audio_flan import report
from audio_flan.sources import librispeech, libritts_r

# parser, fixture, speakers file, the separator after the speaker in an utterance id
CORPORA = {
    "librispeech": (librispeech, librispeech_fixture, "SPEAKERS.TXT", "-"),
    "libritts_r": (libritts_r, libritts_fixture, "SPEAKERS.txt", "_"),
}
SPEAKER = "84"  # a reader of dev-clean in both fixtures


def with_row(name: str, base: Path, row: str) -> tuple[Corpus, Path, int]:
    """The corpus's fixture with speaker 84's row of its speakers file replaced by ``row``: (corpus, the speakers
    file, the row's line)."""
    corpus = CORPORA[name][1].build(base / "data")
    path = corpus.root / CORPORA[name][2]
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{SPEAKER} "))
    lines[index] = row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus, path, index + 1


def read_all(parser: ModuleType, root: Path) -> list[dict]:
    shards = parser.list_shards(root)
    return [r for split in shards for shard in shards[split] for r in parser.read_shard(root, shard)]


@pytest.mark.parametrize("name", CORPORA)
def test_a_speakers_row_with_too_few_fields_names_file_line_and_row(name, tmp_path):
    parser = CORPORA[name][0]
    corpus, path, line = with_row(name, tmp_path, "84   | F | dev-clean")
    expected = re.escape(
        f"{path}:{line}: expected 5 '|'-separated fields (ID | SEX | SUBSET | MINUTES | NAME), got 3: "
    )
    with pytest.raises(parser.LAYOUT.error, match=expected + "'84 "):
        read_all(parser, corpus.root)


@pytest.mark.parametrize("name", CORPORA)
def test_under_skip_a_bad_speakers_row_is_counted_and_its_speaker_left_out(name, tmp_path):
    parser, _, speakers_file, sep = CORPORA[name]
    corpus, path, line = with_row(name, tmp_path, "84   | X | dev-clean        | 8.02  | Jo Reader")
    load = report.Load("skip", report.LoadReport("test"))
    with report.active(load):
        ids = {r["id"] for r in read_all(parser, corpus.root)}
    assert ids == {u for u in corpus.expected if not u.startswith(f"{SPEAKER}{sep}")}
    # the row once (every shard reads the file), the speaker's folder once, by its shard
    assert load.report.by_reason() == {
        "malformed metadata line(s)": 1,
        f"speaker folder(s) with no valid row in {speakers_file}": 1,
    }
    assert f"{path}:{line}: SEX of speaker 84 is 'X'; expected F or M" in load.report.text()
