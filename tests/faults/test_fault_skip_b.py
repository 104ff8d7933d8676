"""Bad metadata of CVSS, FLEURS, MLS, Hi-Fi TTS and LibriTTS-P, built from the fixture corpora: each malformed line
is an error naming file and line and what was expected by default, and under on_error="skip" a counted skip (once,
however many shards read the line) with every other record read; items that depend on a skipped line are left out
and counted under their own reason; a header that is not the corpus's is an error under every policy."""

from __future__ import annotations

import shutil

import pytest
from corpora import cvss as cvss_corpus
from corpora import fleurs as fleurs_corpus
from corpora import hifi_tts as hifi_corpus
from corpora import libritts_p as libritts_p_corpus
from corpora import mls as mls_corpus
from corpora.common import replace_line
from faults_helpers import Error, check_counted_once, check_each_split, ids, malformed, others, read_source, read_splits
from test_fault_corpora import insert_line

import audio_flan.sources.hifi_tts as hifi_parser
import audio_flan.sources.libritts_r as libritts_r_parser
import audio_flan.sources.mls as mls_parser
from audio_flan.sources import get_sources
from audio_flan.sources.cvss import CVSSFormatError
from audio_flan.sources.fleurs import FleursFormatError
from audio_flan.sources.hifi_tts import HiFiTTSFormatError
from audio_flan.sources.libritts_p import LibriTTSPFormatError
from audio_flan.sources.mls import MLSFormatError

BUILDERS = {
    "cvss": cvss_corpus.build,
    "fleurs": fleurs_corpus.build,
    "hifi_tts": hifi_corpus.build,
    "libritts_p": libritts_p_corpus.build,
    "mls": mls_corpus.build,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("skip-b")
    return {name: build(base / name) for name, build in BUILDERS.items()}


@pytest.fixture
def several_shards(monkeypatch):
    """More shards than the fixtures' sizes give: MLS deals one transcripts.txt to several shards, LibriTTS-P's
    shards (one speaker each) all read one metadata CSV, Hi-Fi TTS reads one manifest per shard."""
    monkeypatch.setattr(mls_parser, "BYTES_PER_SHARD", 40)
    monkeypatch.setattr(libritts_r_parser, "SPEAKERS_PER_SHARD", 1)
    monkeypatch.setattr(hifi_parser, "MANIFESTS_PER_SHARD", 1)


def copy(templates: dict, name: str, tmp_path):
    corpus = templates[name]
    root = tmp_path / corpus.root.name
    shutil.copytree(corpus.root, root, symlinks=True)
    return root


def shards(name, root) -> dict:
    return get_sources()[name].list_shards(root)


def check_bad_line(name, error, root, file, at, raw, says, lost=frozenset()):
    """Insert ``raw`` as line ``at`` of ``file``: an error naming file:line saying ``says`` by default; under "skip"
    every other record read and the one line counted once."""
    baseline = read_source(name, root)
    insert_line(root / file, at, raw)
    Error(error, file, at, says).check(root, lambda: read_source(name, root))
    check_counted_once(name, root, baseline, f"{file}:{at}", lost)


def spoil(root, file, at, raw: bytes) -> None:
    lines = (root / file).read_bytes().split(b"\n")
    lines[at - 1] = raw
    (root / file).write_bytes(b"\n".join(lines))


def line_of(root, file, start: bytes, holding: bytes = b"") -> tuple[int, bytes]:
    """(1-based number, bytes) of the first line of ``file`` that starts with ``start`` and holds ``holding``."""
    lines = (root / file).read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(start) and holding in line)
    return at + 1, lines[at]


def check_dependents(got, reason: str, count: int, shows: str) -> None:
    entries = [e for e in got.entries.values() if reason in e.reason]
    assert sum(e.count for e in entries) == count, got.text()
    assert any(shows in item for e in entries for item in e.first), got.text()


def check_header_is_an_error(name, error, root, file, header: bytes, says):
    spoil(root, file, 1, header)
    for policy in (None, "skip"):
        Error(error, file, 1, says).check(root, lambda policy=policy: read_source(name, root, policy))


# ----------------------------------------------------------------------------------------------------- CVSS

CVSS_TSV = "cvss_c_fr_en_v1.0/train.tsv"
CVSS_ROWS = [
    ("space-not-tab", b"common_voice_fr_19176199.mp3 it rains", "expected 2 tab-separated fields"),
    ("three-fields", b"common_voice_fr_19176199.mp3\tit rains\tagain", "expected 2 tab-separated fields"),
    ("not-a-clip", b"clip_19176199.wav\tit rains", "is not a Common Voice clip name"),
    (
        "empty-translation",
        b"common_voice_fr_19176199.mp3\t ",
        "the translation of common_voice_fr_19176199.mp3 is empty",
    ),
    ("latin-1", b"common_voice_fr_19176199.mp3\tcaf\xe9", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in CVSS_ROWS], ids=[c[0] for c in CVSS_ROWS])
def test_cvss_a_bad_row(templates, tmp_path, raw, says):
    root = copy(templates, "cvss", tmp_path)
    check_bad_line("cvss", CVSSFormatError, root, CVSS_TSV, 2, raw, says)


def test_cvss_a_bad_row_loses_only_its_own_pair(templates, tmp_path):
    """Spoiling a listed pair's CVSS-C row loses its CVSS-C record; its CVSS-T record is read as before."""
    root = copy(templates, "cvss", tmp_path)
    baseline = read_source("cvss", root)
    replace_line(root / CVSS_TSV, 2, "common_voice_fr_19176155.mp3")
    Error(CVSSFormatError, CVSS_TSV, 2, "expected 2 tab-separated fields").check(
        root, lambda: read_source("cvss", root)
    )
    check_counted_once("cvss", root, baseline, "train.tsv:2", {"c_common_voice_fr_19176155"})
    records, _ = read_source("cvss", root, "skip")
    assert {r["id"]: r for r in records}["t_common_voice_fr_19176155"] == {r["id"]: r for r in baseline[0]}[
        "t_common_voice_fr_19176155"
    ]


# --------------------------------------------------------------------------------------------------- FLEURS

FLEURS_TSV = "data/en_us/train.tsv"
FLEURS_ROWS = [
    ("six-fields", b"1004\t10000000000000000019.wav\tA.\ta\ta |\t640", "expected 7 tab-separated fields"),
    ("id-word", b"abc\t10000000000000000019.wav\tA.\ta\ta |\t640\tMALE", "id 'abc' is not a sentence number"),
    ("not-wav", b"1004\t10000000000000000019.mp3\tA.\ta\ta |\t640\tMALE", "is not a .wav file name"),
    ("in-a-folder", b"1004\tsub/10000000000000000019.wav\tA.\ta\ta |\t640\tMALE", "is not a .wav file name"),
    ("samples-word", b"1004\t10000000000000000019.wav\tA.\ta\ta |\tmany\tMALE", "is not a number of samples"),
    ("gender", b"1004\t10000000000000000019.wav\tA.\ta\ta |\t640\tMAN", "expected MALE, FEMALE or OTHER"),
    ("empty-text", b"1004\t10000000000000000019.wav\t \ta\ta |\t640\tMALE", "raw_transcription is empty"),
    ("latin-1", b"1004\t10000000000000000019.wav\tcaf\xe9\ta\ta |\t640\tMALE", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in FLEURS_ROWS], ids=[c[0] for c in FLEURS_ROWS])
def test_fleurs_a_bad_row_counted_once_though_other_languages_read_it_for_partners(templates, tmp_path, raw, says):
    root = copy(templates, "fleurs", tmp_path)
    # en_us/train.tsv is read by its own shard and, for translation partners, by the other languages' shards
    assert len(shards("fleurs", root)["train"]) == 3
    check_bad_line("fleurs", FleursFormatError, root, FLEURS_TSV, 2, raw, says)


def test_fleurs_a_bad_row_in_a_partner_file_changes_no_other_record(templates, tmp_path):
    root = copy(templates, "fleurs", tmp_path)
    baseline, _ = read_source("fleurs", root)
    insert_line(root / "data/fr_fr/train.tsv", 1, b"1001\t10000000000000000029.wav\tX.\tx\tx |\t640\tMAN")
    records, got = read_source("fleurs", root, "skip")
    assert records == baseline
    assert malformed(got)[0] == 1


# ------------------------------------------------------------------------------------------------------ MLS

MLS_TRANSCRIPTS = "train/transcripts.txt"
MLS_ROWS = [
    ("space-not-tab", b"1844_931_000009 sie ging", "expected '<speaker>_<book>_<seq><TAB><text>'"),
    ("bad-id", b"1844-931-000009\tsie ging", "expected '<speaker>_<book>_<seq><TAB><text>'"),
    ("empty-text", b"1844_931_000009\t ", "expected '<speaker>_<book>_<seq><TAB><text>'"),
    ("latin-1", b"1844_931_000009\tcaf\xe9", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in MLS_ROWS], ids=[c[0] for c in MLS_ROWS])
def test_mls_a_bad_transcript_line_counted_once_by_the_shards_sharing_the_file(
    templates, tmp_path, several_shards, raw, says
):
    root = copy(templates, "mls", tmp_path)
    assert len(shards("mls", root)["train"]) > 1
    check_bad_line("mls", MLSFormatError, root, MLS_TRANSCRIPTS, 3, raw, says)


METAINFO = "metainfo.txt"
MLS_SPEAKER_ROWS = [
    ("gender-x", b" 2422     |  X  | train | 12.345 | 2157 | Faust | Nacht", b"2157", "expected F or M"),
    ("two-fields", b" 2422     |  M", b"2157", "expected 7 '|'-separated fields"),
    # speaker 1844 has a row per book: one malformed row leaves the speaker's gender in doubt
    ("one-of-two-rows", b" 1844 | female | train | 1.0 | 932 | Werther 2 | Zweiter Brief", b"932", "expected F or M"),
]


@pytest.mark.parametrize("raw,book,says", [c[1:] for c in MLS_SPEAKER_ROWS], ids=[c[0] for c in MLS_SPEAKER_ROWS])
def test_mls_a_bad_speaker_row_loses_the_speakers_utterances(templates, tmp_path, several_shards, raw, book, says):
    root = copy(templates, "mls", tmp_path)
    baseline, base_got = read_source("mls", root)
    speaker = raw.split(b"|")[0].strip().decode()
    at = line_of(root, METAINFO, f" {speaker} ".encode(), f"| {book.decode()} ".encode())[0]
    spoil(root, METAINFO, at, raw)
    Error(MLSFormatError, METAINFO, at, says).check(root, lambda: read_source("mls", root))
    records, got = read_source("mls", root, "skip")
    lost = {i for i in ids(baseline) if i.startswith(f"{speaker}_")}
    assert lost and ids(records) == sorted(set(ids(baseline)) - lost)
    count, first = malformed(got)
    # every shard of every split reads metainfo.txt: each split counts the row, alone or with the others
    per_split = check_each_split("mls", root, f"{METAINFO}:{at}")
    assert per_split.pop("listing") == 0  # the listing reads neither file
    assert set(per_split.values()) == {1} and count == len(per_split), got.text()
    assert any(f"{METAINFO}:{at}" in item for item in first), got.text()
    check_dependents(got, "of a speaker whose metainfo.txt row is malformed", len(lost), sorted(lost)[0])
    assert {k: v for k, v in others(got).items() if "metainfo" not in k} == others(base_got)


def test_mls_a_bad_speaker_number_loses_nothing_else(templates, tmp_path, several_shards):
    root = copy(templates, "mls", tmp_path)
    check_bad_line(
        "mls", MLSFormatError, root, METAINFO, 3, b" abc | F | train | 1.0 | 1 | T | C", "SPEAKER 'abc' is not a"
    )


def test_mls_a_metainfo_without_its_header_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "mls", tmp_path)
    check_header_is_an_error("mls", MLSFormatError, root, METAINFO, b"ID | SEX | SUBSET", "expected the header")


# ------------------------------------------------------------------------------------------------ Hi-Fi TTS

MANIFEST = "6097_manifest_clean_train.json"
FLAC = "audio/6097_clean/5892/walden_02_thoreau_0009.flac"
HIFI_ROWS = [
    ("not-json", b'{"audio_filepath": ', "not a JSON object"),
    ("a-list", f'["{FLAC}", "text"]'.encode(), "expected a JSON object with audio_filepath and text"),
    ("no-text", f'{{"audio_filepath": "{FLAC}"}}'.encode(), "'text' is None; expected a non-empty string"),
    ("no-path", b'{"text": "the pond"}', "'audio_filepath' is None; expected a non-empty string"),
    ("outside-audio", b'{"audio_filepath": "../x/5892/a.flac", "text": "a"}', "is not 'audio/<speaker>_<quality>/"),
    ("not-flac", f'{{"audio_filepath": "{FLAC[:-5]}.wav", "text": "a"}}'.encode(), "is not 'audio/<speaker>_"),
    (
        "listed-twice",
        b'{"audio_filepath": "audio/6097_clean/5892/walden_02_thoreau_0007.flac", "text": "again"}',
        "is listed twice (first at line 1)",
    ),
    ("latin-1", f'{{"audio_filepath": "{FLAC}", "text": "caf'.encode() + b'\xe9"}', "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in HIFI_ROWS], ids=[c[0] for c in HIFI_ROWS])
def test_hifi_tts_a_bad_manifest_line(templates, tmp_path, several_shards, raw, says):
    root = copy(templates, "hifi_tts", tmp_path)
    assert len(shards("hifi_tts", root)["train"]) > 1
    check_bad_line("hifi_tts", HiFiTTSFormatError, root, MANIFEST, 2, raw, says)


# ----------------------------------------------------------------------------------------------- LibriTTS-P

P_DATA = f"{libritts_p_corpus.TOP}/data"
P_METADATA = f"{P_DATA}/metadata_w_style_prompt_tags_v{libritts_p_corpus.VERSION}.csv"
P_CANDIDATES = f"{P_DATA}/style_prompt_candidates_v{libritts_p_corpus.VERSION}.csv"
P_UTT = "14_212_000001_000000"  # annotated F_p-high_s-normal_e-normal, its row "...Chapter four — the return 2.,..."
P_KEY = b"F_p-high_s-normal_e-normal"
P_ROWS = [  # (id, how the utterance's row is spoiled, what the error says, whether the utterance is counted apart)
    ("short-row", lambda line: line[:26], "expected 17 comma-separated fields", True),
    ("other-speaker", lambda line: line.replace(b",14,", b",15,", 1), "of speaker '15'", True),
    ("invalid-2", lambda line: line[:-1] + b"2", "invalid is '2'; expected 0 or 1", True),
    ("bad-key", lambda line: line.replace(P_KEY, b"F_p-loud_s-normal_e-normal"), "is not '<M|F>_p-<pitch>", True),
    ("latin-1", lambda line: line.replace(b"Chapter", b"Ch\xe9pter"), "not utf-8 text (byte 0xe9", True),
    ("key-not-in-candidates", lambda line: line.replace(P_KEY, b"F_p-low_s-fast_e-low"), "is not in", False),
]


@pytest.mark.parametrize("spoiled,says,apart", [c[1:] for c in P_ROWS], ids=[c[0] for c in P_ROWS])
def test_libritts_p_a_bad_metadata_row_loses_its_utterance_and_is_counted_once(
    templates, tmp_path, several_shards, spoiled, says, apart
):
    root = copy(templates, "libritts_p", tmp_path)
    assert len(shards("libritts_p", root)["train"]) > 1  # every shard reads the metadata CSV
    baseline = read_source("libritts_p", root)
    home = next(s for s in shards("libritts_p", root) if P_UTT in ids(read_splits("libritts_p", root, splits=[s])[0]))
    at, line = line_of(root, P_METADATA, P_UTT.encode())
    spoil(root, P_METADATA, at, spoiled(line))
    Error(LibriTTSPFormatError, P_METADATA, at, says).check(root, lambda: read_source("libritts_p", root))
    records, got = read_source("libritts_p", root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - {P_UTT})
    count, first = malformed(got)
    # every shard reads the metadata CSV (a cached parse): each split counts a malformed row, alone or with the
    # others; a key missing from the candidates is found per utterance, by the utterance's split only
    per_split = check_each_split("libritts_p", root, f"{P_METADATA}:{at}")
    assert per_split.pop("listing") == 0  # the listing reads neither file
    assert per_split == {s: int(apart or s == home) for s in per_split} and count == sum(per_split.values())
    assert any(f"{P_METADATA.split('/')[-1]}:{at}" in item for item in first), got.text()
    if apart:
        check_dependents(got, "whose row in metadata_w_style_prompt_tags", 1, P_UTT)
    assert got.total - count == baseline[1].total + apart, got.text()
    kept = {r["id"]: r for r in baseline[0]}
    assert all(r == kept[r["id"]] for r in records)  # the other records keep their annotations


def test_libritts_p_a_bad_candidates_line_loses_the_utterances_with_its_key(templates, tmp_path, several_shards):
    root = copy(templates, "libritts_p", tmp_path)
    baseline, base_got = read_source("libritts_p", root)
    at, line = line_of(root, P_CANDIDATES, P_KEY)
    spoil(root, P_CANDIDATES, at, line.replace(b"|", b";", 1))
    Error(LibriTTSPFormatError, P_CANDIDATES, at, "expected '<M|F>_p-").check(
        root, lambda: read_source("libritts_p", root)
    )
    records, got = read_source("libritts_p", root, "skip")
    lost = {r["id"] for r in baseline if r["style_prompt_key"] == P_KEY.decode()}
    assert len(lost) > 1 and ids(records) == sorted(set(ids(baseline)) - lost)
    count, first = malformed(got)
    per_split = check_each_split("libritts_p", root, f"{P_CANDIDATES}:{at}")
    assert per_split.pop("listing") == 0  # the listing reads neither file
    assert set(per_split.values()) == {1} and count == len(per_split), got.text()
    assert any(f"{P_CANDIDATES.split('/')[-1]}:{at}" in item for item in first), got.text()
    check_dependents(got, "whose style key has no valid line in", len(lost), "")
    assert got.total == count + len(lost) + base_got.total, got.text()


def test_libritts_p_a_metadata_header_without_its_columns_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "libritts_p", tmp_path)
    check_header_is_an_error("libritts_p", LibriTTSPFormatError, root, P_METADATA, b"name,speaker,key", "lacks")
