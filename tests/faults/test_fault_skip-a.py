"""Bad metadata of the Kaldi-table Mandarin corpora (aidatatang_200zh, AISHELL-1, AISHELL-2, AISHELL-3, KeSpeech),
built from the fixture corpora: each malformed line is an error naming file and line and what was expected by
default, and under on_error="skip" a counted skip (once, however many shards read the file) with every other
record read; items that depend on a skipped line (the WAV of a transcript line, the utterances of a speaker-table
row, the other half of a wav.scp/trans.txt pair) are left out and counted under their own reason."""

from __future__ import annotations

import shutil

import pytest
from corpora import aidatatang as aidatatang_corpus
from corpora import aishell1 as aishell1_corpus
from corpora import aishell2 as aishell2_corpus
from corpora import aishell3 as aishell3_corpus
from corpora import kespeech as kespeech_corpus
from faults_helpers import Error, check_counted_once, check_each_split, ids, malformed, read_source
from test_fault_corpora import insert_line

import audio_flan.sources.aidatatang as aidatatang_parser
import audio_flan.sources.aishell1 as aishell1_parser
import audio_flan.sources.aishell2 as aishell2_parser
import audio_flan.sources.aishell3 as aishell3_parser
import audio_flan.sources.kespeech as kespeech_parser
from audio_flan.sources import get_sources
from audio_flan.sources.aidatatang import AidatatangFormatError
from audio_flan.sources.aishell1 import Aishell1FormatError
from audio_flan.sources.aishell2 import Aishell2FormatError
from audio_flan.sources.aishell3 import Aishell3FormatError
from audio_flan.sources.kespeech import KeSpeechFormatError

BUILDERS = {
    "aidatatang": aidatatang_corpus.build,
    "aishell1": aishell1_corpus.build,
    "aishell2": aishell2_corpus.build,
    "aishell3": aishell3_corpus.build,
    "kespeech": kespeech_corpus.build,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("kaldi")
    return {name: build(base / name) for name, build in BUILDERS.items()}


@pytest.fixture
def several_shards(monkeypatch):
    """Each speaker (or a few wav.scp lines) its own shard, every shard reading the shared files."""
    for parser in (aidatatang_parser, aishell1_parser, aishell3_parser):
        monkeypatch.setattr(parser, "SPEAKERS_PER_SHARD", 1)
    monkeypatch.setattr(aishell2_parser, "BYTES_PER_SHARD", 50)
    monkeypatch.setattr(kespeech_parser, "BYTES_PER_SHARD", 50)


def copy(templates: dict, name: str, tmp_path):
    root = tmp_path / templates[name].root.name
    shutil.copytree(templates[name].root, root, symlinks=True)
    return root


def shards(name, root, split="train") -> list:
    return get_sources()[name].list_shards(root)[split]


ERRORS = {
    "aidatatang": AidatatangFormatError,
    "aishell1": Aishell1FormatError,
    "aishell2": Aishell2FormatError,
    "aishell3": Aishell3FormatError,
    "kespeech": KeSpeechFormatError,
}
MIN_SHARDS = {"kespeech": 3}  # under several_shards; every other corpus more than one


def check_bad_line(name, error, root, file, at, raw, says):
    """Insert ``raw`` as line ``at`` of ``file``: an error naming file:line saying ``says`` by default; under "skip"
    every other record read and the one line counted once."""
    baseline = read_source(name, root)
    insert_line(root / file, at, raw)
    Error(error, file, at, says).check(root, lambda: read_source(name, root))
    check_counted_once(name, root, baseline, f"{root / file}:{at}")


def replace(path, at: int, raw: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[at - 1] = raw
    path.write_bytes(b"\n".join(lines))


def check_dependents_lost(
    name, error, root, file, at, raw, says, lost: set[str], reason: str | None, insert: bool = False
):
    """Line ``at`` of ``file`` replaced by ``raw`` (or ``raw`` inserted there): an error by default; under "skip"
    the line counted once per split reading it and the records ``lost`` left out, counted (one each) under ``reason`` (None: the line's
    own record goes, nothing else is counted)."""
    baseline, before = read_source(name, root)
    (insert_line if insert else replace)(root / file, at, raw)
    Error(error, file, at, says).check(root, lambda: read_source(name, root))
    records, got = read_source(name, root, "skip")
    assert ids(records) == sorted(set(ids(baseline)) - lost)
    count, first = malformed(got)  # once per split reading the file
    assert count == sum(check_each_split(name, root, f"{file}:{at}").values()), got.text()
    assert any(f"{root / file}:{at}" in item for item in first), got.text()
    extra = {r: n - before.by_reason().get(r, 0) for r, n in got.by_reason().items() if "malformed" in r}
    extra.pop("malformed metadata line(s)")
    if reason is None:
        assert not extra, got.text()
    else:
        assert extra == {reason: len(lost)}, got.text()


# ------------------------------------------------------------------------------------------- aidatatang_200zh

DATATANG = "transcript/aidatatang_200_zh_transcript.txt"
DATATANG_ROWS = [
    ("no-text", b"T0055G0002S0009", "expected '<utterance id> <text>'"),
    ("no-text-but-spaces", b"T0055G0002S0009   ", "expected '<utterance id> <text>'"),
    ("bad-id", b"T55G2S9 \xe4\xbd\xa0\xe5\xa5\xbd", "utterance id 'T55G2S9' is not T####G####S####"),
    ("unknown-speaker-bad-id", b"T0055X0002S0009 \xe4\xbd\xa0", "is not T####G####S####"),
    ("latin-1", b"T0055G0002S0009 caf\xe9", "not utf-8 text (byte 0xe9"),
]
WAV_LOST = "WAV(s) whose transcript line was skipped as malformed"

# ----------------------------------------------------------------------------------------------- AISHELL-1

AISHELL1 = "data_aishell/transcript/aishell_transcript_v0.8.txt"
SPEAKER_INFO = "resource_aishell/speaker.info"
AISHELL1_ROWS = [
    ("no-text", b"BAC009S0002W0999", "expected '<utterance id> <text>'"),
    ("bad-id", b"BAC9S2W9 \xe4\xbd\xa0\xe5\xa5\xbd", "utterance id 'BAC9S2W9' is not BAC009S####W####"),
    ("latin-1", b"BAC009S0002W0999 caf\xe9", "not utf-8 text (byte 0xe9"),
]
SPEAKER_ROWS = [  # speaker 0099 has no WAVs: nothing depends on the row
    ("word-gender", b"0099 female", "gender of S0099 is 'female'; expected F or M"),
    ("no-gender", b"0099", "expected '<speaker number> <F|M>'"),
    ("not-a-number", b"S0099 F", "expected '<speaker number> <F|M>'"),
    ("latin-1", b"0099 \xe9", "not utf-8 text (byte 0xe9"),
]
SPEAKER_LOST = "WAV(s) of speakers whose speaker.info row was skipped as malformed"

# ----------------------------------------------------------------------------------------------- AISHELL-2

TRANS = "iOS/data/trans.txt"
SCP = "iOS/data/wav.scp"
TRANS_ROWS = [
    ("space-not-tab", b"IC0009W0001 \xe4\xbd\xa0\xe5\xa5\xbd", "expected '<utterance id><TAB><text>'"),
    ("no-text", b"IC0009W0001\t", "expected '<utterance id><TAB><text>'"),
    ("latin-1", b"IC0009W0001\tcaf\xe9", "not utf-8 text (byte 0xe9"),
]
SCP_ROWS = [
    ("absolute", b"IC0009W0001\t/data/wav/C0009/IC0009W0001.wav", "is not a path like wav/<speaker>/<utt>.wav"),
    ("leaves-the-folder", b"IC0009W0001\t../wav/C0009/x.wav", "is not a path like wav/<speaker>/<utt>.wav"),
    ("no-folder", b"IC0009W0001\tIC0009W0001.wav", "is not a path like wav/<speaker>/<utt>.wav"),
    ("space-not-tab", b"IC0009W0001 wav/C0009/IC0009W0001.wav", "expected '<utterance id><TAB><path>'"),
]
SCP_LOST = "wav.scp entries whose trans.txt line was skipped as malformed"
TRANS_LOST = "trans.txt lines whose wav.scp entry was skipped as malformed"

# ----------------------------------------------------------------------------------------------- AISHELL-3

CONTENT = "train/content.txt"
SPK_INFO = "spk-info.txt"
CONTENT_ROWS = [
    ("odd-tokens", "SSB00090009.wav\t你 ni3 好".encode(), "expected characters and pinyin in turn, got 3 tokens"),
    ("no-wav-suffix", "SSB00090009\t你 ni3".encode(), "expected '<SSBxxxxxxxx>.wav<TAB><char> <pinyin> ...'"),
    ("space-not-tab", "SSB00090009.wav 你 ni3".encode(), "expected '<SSBxxxxxxxx>.wav<TAB><char> <pinyin> ...'"),
    ("not-pinyin", "SSB00090009.wav\t你 你".encode(), "token 2 is '你'; expected a tone-numbered pinyin"),
    ("no-text", b"SSB00090009.wav\t", "expected characters and pinyin in turn, got 0 tokens"),
    ("repeated", "SSB00050001.wav\t广 guang3".encode(), "SSB00050001 is listed twice (first at line 1)"),
    ("latin-1", b"SSB00090009.wav\tcaf\xe9 ka1", "not utf-8 text (byte 0xe9"),
]
SPK_ROWS = [  # speaker SSB0077 has no rows: nothing depends on it
    ("age-group", b"SSB0077\tE\tfemale\tnorth", "age group of SSB0077 is 'E'; expected A, B, C or D"),
    ("gender", b"SSB0077\tB\twoman\tnorth", "gender of SSB0077 is 'woman'; expected female or male"),
    ("accent", b"SSB0077\tB\tfemale\teast", "accent of SSB0077 is 'east'; expected north, south or others"),
    ("three-fields", b"SSB0077\tB\tfemale", "expected '<speaker> <age group> <gender> <accent>'"),
    ("latin-1", b"SSB0077\tB\tfemale\t\xe9", "not utf-8 text (byte 0xe9"),
]

# ------------------------------------------------------------------------------------------------ KeSpeech

PART = "Tasks/ASR/train_phase1"
KE_TABLE_ROWS = [  # an utterance no other table holds: nothing depends on the line
    ("text-no-value", "text", b"1000009_aaaaaaaa", "expected '<utterance id> <text>'"),
    ("text-latin-1", "text", b"1000009_aaaaaaaa caf\xe9", "not utf-8 text (byte 0xe9"),
    ("utt2spk-no-value", "utt2spk", b"1000009_aaaaaaaa", "expected '<utterance id> <spk>'"),
    (
        "scp-unjoined",
        "wav.scp",
        b"1000009_aaaaaaaa Audio/1000009/phase1/1000009_aaaaaaaa.wav",
        "1000009_aaaaaaaa has no line in text, utt2spk, utt2subdialect",
    ),
]
UTT = "1000002_1b2c3d4f"  # line 4 of every train_phase1 table but text (line 6)
KE_OWN_LINE = [  # the line is the record's own: it goes, nothing else
    ("subdialect", "utt2subdialect", 4, b"1000002_1b2c3d4f Cantonese", "subdialect 'Cantonese'; expected one of"),
    ("absolute-path", "wav.scp", 4, b"1000002_1b2c3d4f /Audio/x.wav", "is not a path relative to the corpus root"),
    ("leaves-root", "wav.scp", 4, b"1000002_1b2c3d4f ../x.wav", "is not a path relative to the corpus root"),
]
KE_LOST = "utterance(s) with a line of the subset skipped as malformed"
KE_DEPENDENT = [
    ("text-no-value", "text", 6, b"1000002_1b2c3d4f", "expected '<utterance id> <text>'"),
    ("utt2spk-no-value", "utt2spk", 4, b"1000002_1b2c3d4f", "expected '<utterance id> <spk>'"),
    ("scp-no-value", "wav.scp", 4, b"1000002_1b2c3d4f", "expected '<utterance id> <path>'"),
    ("text-repeated", "text", 7, b"1000002_1b2c3d4f again", "1000002_1b2c3d4f is listed twice (first at line 6)"),
]  # (a line 7 is inserted, the others replaced)
META_ROWS = [  # speaker 1000009 has no utterances: nothing depends on the row
    ("age-word", "spk2age", b"1000009 old", "age of 1000009 is 'old'; expected a number of years"),
    ("age-missing", "spk2age", b"1000009", "expected '<speaker> <age in years>'"),
    ("gender-letter", "spk2gender", b"1000009 F", "gender of 1000009 is 'F'; expected Female or Male"),
    ("city-missing", "spk2city", b"1000009", "expected '<speaker> <city>'"),
    ("latin-1", "spk2city", b"1000009 Caf\xe9", "not utf-8 text (byte 0xe9"),
]
SPEAKER_2 = {"1000002_1b2c3d4e", "1000002_1b2c3d4f", "1000002_4e5f6072"}  # in train_phase1 and train_phase2
KE_SPEAKER_LOST = "utterance(s) of speakers whose Metadata/ row was skipped as malformed"

# ------------------------------------------------------------------------------------------------- the tests

# (test id, corpus, file, line, the line's bytes, what the error says): nothing else depends on the line
BAD_LINES = [
    *[(f"aidatatang-transcript-{i}", "aidatatang", DATATANG, 2, raw, says) for i, raw, says in DATATANG_ROWS],
    *[(f"aishell1-transcript-{i}", "aishell1", AISHELL1, 2, raw, says) for i, raw, says in AISHELL1_ROWS],
    *[(f"aishell1-speaker-info-{i}", "aishell1", SPEAKER_INFO, 2, raw, says) for i, raw, says in SPEAKER_ROWS],
    *[(f"aishell2-trans-{i}", "aishell2", TRANS, 2, raw, says) for i, raw, says in TRANS_ROWS],
    *[(f"aishell2-wav-scp-{i}", "aishell2", SCP, 2, raw, says) for i, raw, says in SCP_ROWS],
    *[(f"aishell3-content-{i}", "aishell3", CONTENT, 2, raw, says) for i, raw, says in CONTENT_ROWS],
    *[(f"aishell3-spk-info-{i}", "aishell3", SPK_INFO, 3, raw, says) for i, raw, says in SPK_ROWS],
    *[(f"kespeech-{i}", "kespeech", f"{PART}/{table}", 2, raw, says) for i, table, raw, says in KE_TABLE_ROWS],
    *[(f"kespeech-metadata-{i}", "kespeech", f"Metadata/{t}", 2, raw, says) for i, t, raw, says in META_ROWS],
]


@pytest.mark.parametrize("name,file,at,raw,says", [c[1:] for c in BAD_LINES], ids=[c[0] for c in BAD_LINES])
def test_a_bad_line_is_an_error_or_one_counted_skip(templates, tmp_path, several_shards, name, file, at, raw, says):
    root = copy(templates, name, tmp_path)
    assert len(shards(name, root)) >= MIN_SHARDS.get(name, 2)
    check_bad_line(name, ERRORS[name], root, file, at, raw, says)


# (test id, corpus, file, line, the line's bytes, what the error says, the ids lost with it, the reason they are
# counted under (None: the line's own record goes, nothing else is counted), whether the line is inserted there)
DEPENDENTS = [
    ("aidatatang-transcript-no-text", "aidatatang", DATATANG, 3, b"T0055G0013S0001", "expected '<utterance id> <text>'",
     {"T0055G0013S0001"}, WAV_LOST, False),
    ("aidatatang-transcript-repeated-id", "aidatatang", DATATANG, 2, b"T0055G0002S0001 \xe5\x8f\x88",
     "listed twice (first at line 1)", {"T0055G0002S0001"}, WAV_LOST, True),
    ("aishell1-speaker-info-bad-gender", "aishell1", SPEAKER_INFO, 3, b"0004 female", "gender of S0004 is 'female'",
     {"BAC009S0004W0301", "BAC009S0004W0302"}, SPEAKER_LOST, False),
    ("aishell1-speaker-info-repeated", "aishell1", SPEAKER_INFO, 4, b"0004 M", "S0004 is listed twice (first at line 3)",
     {"BAC009S0004W0301", "BAC009S0004W0302"}, SPEAKER_LOST, True),  # line 4: 0004 after line 3's 0004
    ("aishell1-transcript-no-text", "aishell1", AISHELL1, 3, b"BAC009S0003W0201", "expected '<utterance id> <text>'",
     {"BAC009S0003W0201"}, WAV_LOST, False),
    ("aishell2-trans-no-text", "aishell2", TRANS, 2, b"IC0001W0002", "expected '<utterance id><TAB><text>'",
     {"iOS_IC0001W0002"}, SCP_LOST, False),
    ("aishell2-trans-repeated-id", "aishell2", TRANS, 7, b"IC0002W0001\tagain", "IC0002W0001 is listed twice (first at line 3)",
     {"iOS_IC0002W0001"}, SCP_LOST, True),
    ("aishell2-wav-scp-bad-path", "aishell2", SCP, 2, b"IC0001W0002\t/abs/IC0001W0002.wav", "is not a path like",
     {"iOS_IC0001W0002"}, TRANS_LOST, False),
    *[(f"kespeech-own-line-{i}", "kespeech", f"{PART}/{table}", at, raw, says, {UTT}, None, False)
      for i, table, at, raw, says in KE_OWN_LINE],
    *[(f"kespeech-dependent-{i}", "kespeech", f"{PART}/{table}", at, raw, says, {UTT}, KE_LOST, at == 7)
      for i, table, at, raw, says in KE_DEPENDENT],
    ("kespeech-metadata-age", "kespeech", "Metadata/spk2age", 2, b"1000002 thirty-five", "age of 1000002 is 'thirty-five'",
     SPEAKER_2, KE_SPEAKER_LOST, False),
    ("kespeech-metadata-gender", "kespeech", "Metadata/spk2gender", 2, b"1000002 M", "gender of 1000002 is 'M'",
     SPEAKER_2, KE_SPEAKER_LOST, False),
    ("kespeech-metadata-repeated", "kespeech", "Metadata/spk2gender", 7, b"1000002 Male", "1000002 is listed twice (first at line 2)",
     SPEAKER_2, KE_SPEAKER_LOST, True),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,file,at,raw,says,lost,reason,insert", [c[1:] for c in DEPENDENTS], ids=[c[0] for c in DEPENDENTS]
)
def test_a_bad_line_loses_what_depends_on_it(
    templates, tmp_path, several_shards, name, file, at, raw, says, lost, reason, insert
):
    root = copy(templates, name, tmp_path)
    check_dependents_lost(name, ERRORS[name], root, file, at, raw, says, lost, reason, insert=insert)


def test_aishell3_a_bad_spk_info_row_loses_the_speakers_rows_in_every_split(templates, tmp_path, several_shards):
    root = copy(templates, "aishell3", tmp_path)
    lost = {utt for utt in templates["aishell3"].expected if utt.startswith("SSB0005")}
    assert len(lost) == 3
    check_dependents_lost(
        "aishell3", Aishell3FormatError, root, SPK_INFO, 3, b"SSB0005\tB\tgirl\tnorth", "gender of SSB0005 is 'girl'",
        lost, "row(s) of speakers whose spk-info.txt row was skipped as malformed",
    )  # fmt: skip


def test_aishell3_without_spk_info_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "aishell3", tmp_path)
    (root / SPK_INFO).unlink()
    for policy in (None, "skip"):
        Error(Aishell3FormatError, SPK_INFO, None, "expected the speaker table").check(
            root, lambda policy=policy: read_source("aishell3", root, policy)
        )
