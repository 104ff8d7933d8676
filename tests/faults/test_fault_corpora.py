"""Bad metadata of the corpus parsers (LibriTTS-R, ESC-50, NSynth, LJSpeech, VCTK, Common Voice, AudioSet strong),
built from the fixture corpora: each malformed item is an error naming file and line by default and a counted
skip under on_error="skip" (once, however many shards read the line); a whole file that cannot be read is an
error under every policy; spellings the corpora are known in are read as the original; a corpus's known gaps are
counted under every policy."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from corpora import audioset_strong as audioset_corpus
from corpora import common_voice as common_voice_corpus
from corpora import esc50 as esc50_corpus
from corpora import libritts_r as libritts_corpus
from corpora import ljspeech as ljspeech_corpus
from corpora import nsynth as nsynth_corpus
from corpora import vctk as vctk_corpus
from faults_helpers import Error, Skip, check_counted_once, ids, read_source

import audio_flan.sources.libritts_r as libritts_r_parser
import audio_flan.sources.vctk as vctk_parser
from audio_flan.sources.audioset_strong import AudioSetStrongFormatError
from audio_flan.sources.common_voice import CommonVoiceFormatError
from audio_flan.sources.esc50 import ESC50FormatError
from audio_flan.sources.libritts_r import LibriTTSFormatError
from audio_flan.sources.ljspeech import LJSpeechFormatError
from audio_flan.sources.nsynth import NSynthFormatError
from audio_flan.sources.readers import MAX_LINE_BYTES, MissingAudioError
from audio_flan.sources.vctk import VCTKFormatError


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    return {
        "libritts_r": libritts_corpus.build(base / "l"),
        "esc50": esc50_corpus.build(base / "e"),
        "nsynth": nsynth_corpus.build(base / "n", splits=("nsynth-train",), train_notes=24),
    }


def copy(templates: dict, name: str, tmp_path) -> tuple:
    corpus = templates[name]
    root = tmp_path / corpus.root.name
    shutil.copytree(corpus.root, root, symlinks=True)
    return root, sorted(corpus.expected)


# ------------------------------------------------------------------------------------------ LibriTTS-R

TRANS = "train-clean-100/19/198/19_198.trans.tsv"

BAD_TRANS = [
    ("two-fields", b"19_198_000009_000000\tonly two", "expected 3 tab-separated fields"),
    ("four-fields", b"19_198_000009_000000\ta\tb\tc", "expected 3 tab-separated fields"),
    ("one-field", b"19_198_000009_000000", "expected 3 tab-separated fields"),
    ("other-speaker", b"20_198_000009_000000\ta\tb", "is not '19_198_"),
    ("other-chapter", b"19_199_000009_000000\ta\tb", "is not '19_198_"),
    ("short-paragraph", b"19_198_9_000000\ta\tb", "is not '19_198_"),
    ("letters-in-id", b"19_198_00000x_000000\ta\tb", "is not '19_198_"),
    ("empty-id", b"\ta\tb", "is not '19_198_"),
    ("repeated-id", b"19_198_000000_000000\ta\tb", "repeats line 1"),
    ("latin-1", b"19_198_000009_000000\tcaf\xe9\tcafe", "not utf-8 text (byte 0xe9"),
    ("byte-ff", b"19_198_000009_000000\t\xff\tb", "not utf-8 text (byte 0xff"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in BAD_TRANS], ids=[c[0] for c in BAD_TRANS])
def test_libritts_a_bad_transcript_line(templates, tmp_path, raw, says):
    root, expected = copy(templates, "libritts_r", tmp_path)
    with open(root / TRANS, "ab") as f:
        f.write(raw + b"\n")
    Error(LibriTTSFormatError, TRANS, 5, says).check(root, lambda: read_source("libritts_r", root))
    records, got = read_source("libritts_r", root, "skip")
    assert ids(records) == expected
    Skip("malformed metadata line(s)", 1, f"{TRANS}:5").check(got)


def test_libritts_an_over_long_transcript_line_is_an_error_whatever_the_policy(templates, tmp_path):
    root, _ = copy(templates, "libritts_r", tmp_path)
    with open(root / TRANS, "ab") as f:
        f.write(b"19_198_000009_000000\t" + b"x" * MAX_LINE_BYTES + b"\tb\n")
    for policy in (None, "skip"):
        Error(LibriTTSFormatError, TRANS, 5, "longer than").check(
            root, lambda policy=policy: read_source("libritts_r", root, policy)
        )


def _speakers_row(root, replace_with):
    path = root / "SPEAKERS.txt"
    lines = path.read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"19 "))
    if replace_with is None:
        del lines[at]
    else:
        lines[at] = replace_with
    path.write_bytes(b"\n".join(lines))
    return at + 1


BAD_SPEAKERS = [
    ("sex-x", b"19   | X | train-clean-100  | 25.19 | Cy Reader", "SEX of speaker 19 is 'X'"),
    ("sex-empty", b"19   |   | train-clean-100  | 25.19 | Cy Reader", "SEX of speaker 19 is ''"),
    ("too-few-fields", b"19   | F", "expected 5 '|'-separated fields"),
    ("id-not-a-number", b"19a  | F | train-clean-100  | 25.19 | Cy Reader", "is not a number"),
]


@pytest.mark.parametrize("row,says", [c[1:] for c in BAD_SPEAKERS], ids=[c[0] for c in BAD_SPEAKERS])
def test_libritts_a_bad_speakers_row(templates, tmp_path, row, says):
    root, expected = copy(templates, "libritts_r", tmp_path)
    line = _speakers_row(root, row)
    Error(LibriTTSFormatError, "SPEAKERS.txt", line, says).check(root, lambda: read_source("libritts_r", root))
    records, got = read_source("libritts_r", root, "skip")
    assert ids(records) == [i for i in expected if not i.startswith("19_")]
    # the row counted as a malformed line once per split loaded (each reads SPEAKERS.txt), its speaker's folder
    # once, under its own reason
    assert got.by_reason() == {
        "malformed metadata line(s)": len(libritts_r_parser.list_shards(root)),
        "speaker folder(s) with no valid row in SPEAKERS.txt": 1,
    }
    assert any(f"SPEAKERS.txt:{line}: " in item and says in item for e in got.entries.values() for item in e.first)


def test_libritts_a_speaker_without_a_row(templates, tmp_path):
    root, expected = copy(templates, "libritts_r", tmp_path)
    _speakers_row(root, None)
    Error(LibriTTSFormatError, "SPEAKERS.txt", None, "speaker 19").check(root, lambda: read_source("libritts_r", root))
    records, got = read_source("libritts_r", root, "skip")
    Skip("speaker folder(s) with no valid row", 1, "speaker 19").check(got)


def test_libritts_speakers_without_a_header_is_an_error_whatever_the_policy(templates, tmp_path):
    root, _ = copy(templates, "libritts_r", tmp_path)
    path = root / "SPEAKERS.txt"
    lines = path.read_text().splitlines(True)
    at = next(i for i, line in enumerate(lines) if line.startswith(";ID"))
    path.write_text("".join(lines[:at] + lines[at + 1 :]))
    for policy in (None, "skip"):
        Error(LibriTTSFormatError, "SPEAKERS.txt", at + 1, "before the header").check(
            root, lambda policy=policy: read_source("libritts_r", root, policy)
        )


def test_libritts_a_name_that_is_not_utf8_is_read(templates, tmp_path):
    root, expected = copy(templates, "libritts_r", tmp_path)
    _speakers_row(root, b"19   | F | train-clean-100  | 25.19 | Cy R\xe9ader")
    records, got = read_source("libritts_r", root)
    assert ids(records) == expected and not got


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize("name", ["SPEAKERS.txt", TRANS])
def test_libritts_a_metadata_file_that_is_not_regular(templates, tmp_path, kind, name):
    root, _ = copy(templates, "libritts_r", tmp_path)
    (root / name).unlink()
    os.mkfifo(root / name) if kind == "fifo" else (root / name).mkdir()
    for policy in (None, "skip"):
        Error(LibriTTSFormatError, name, None, "not a regular file").check(
            root, lambda policy=policy: read_source("libritts_r", root, policy)
        )


def test_libritts_a_missing_wav_is_counted_and_an_error_under_raise(templates, tmp_path):
    root, expected = copy(templates, "libritts_r", tmp_path)
    (root / "train-clean-100/19/198/19_198_000000_000000.wav").unlink()
    records, got = read_source("libritts_r", root)
    assert ids(records) == [i for i in expected if i != "19_198_000000_000000"]
    Skip("transcript line(s) whose .wav file is missing", 1, f"19_198.trans.tsv:{1}").check(got)
    with pytest.raises(MissingAudioError, match="19_198.trans.tsv:1"):
        read_source("libritts_r", root, "raise")


def test_libritts_a_chapter_without_transcript_is_counted_and_an_error_under_raise(templates, tmp_path):
    root, expected = copy(templates, "libritts_r", tmp_path)
    (root / TRANS).unlink()
    records, got = read_source("libritts_r", root)
    assert ids(records) == [i for i in expected if not i.startswith("19_198_")]
    Skip("chapter folder(s) with no <spk>_<chapter>.trans.tsv", 1, "train-clean-100/19/198").check(got)
    with pytest.raises(MissingAudioError, match="train-clean-100/19/198"):
        read_source("libritts_r", root, "raise")


def test_libritts_the_known_corrupt_utterance_is_counted_whatever_the_policy(templates, tmp_path):
    root, expected = copy(templates, "libritts_r", tmp_path)
    chapter = root / "train-clean-100/19/198"
    with open(chapter / "19_198.trans.tsv", "a") as f:
        f.write("1092_134562_000013_000004\ta\tb\n")
    (chapter / "19_198.trans.tsv").write_text(
        (chapter / "19_198.trans.tsv").read_text().replace("1092_134562", "19_198")
    )
    import audio_flan.sources.libritts_r as parser

    corrupt = "19_198_000013_000004"
    shutil.copy(chapter / "19_198_000000_000000.wav", chapter / f"{corrupt}.wav")
    old = parser.KNOWN_CORRUPT
    parser.KNOWN_CORRUPT = frozenset({corrupt})
    try:
        for policy in (None, "raise", "skip"):
            records, got = read_source("libritts_r", root, policy)
            assert ids(records) == expected
            Skip("known-corrupt utterance(s)", 1, corrupt).check(got)
    finally:
        parser.KNOWN_CORRUPT = old


SPELLINGS = [
    ("underscores", "train_clean_100"),
    ("capitals", "Train-Clean-100"),
    ("capitals-and-underscores", "TRAIN_CLEAN_100"),
]


@pytest.mark.parametrize("folder", [c[1] for c in SPELLINGS], ids=[c[0] for c in SPELLINGS])
def test_libritts_a_subset_folder_spelled_otherwise_is_read(templates, tmp_path, folder):
    root, expected = copy(templates, "libritts_r", tmp_path)
    (root / "train-clean-100").rename(root / folder)
    records, got = read_source("libritts_r", root)
    assert ids(records) == expected and not got
    assert {r["subset"] for r in records if r["speaker"] == "19"} == {"train-clean-100"}


TRANS_SAME = [
    ("bom", lambda b: b"\xef\xbb\xbf" + b),
    ("crlf", lambda b: b.replace(b"\n", b"\r\n")),
    ("blank-lines", lambda b: b.replace(b"\n", b"\n\n")),
    ("no-final-newline", lambda b: b.rstrip(b"\n")),
]


@pytest.mark.parametrize("change", [c[1] for c in TRANS_SAME], ids=[c[0] for c in TRANS_SAME])
def test_libritts_a_transcript_written_otherwise_is_read_the_same(templates, tmp_path, change):
    root, expected = copy(templates, "libritts_r", tmp_path)
    before, _ = read_source("libritts_r", root)
    (root / TRANS).write_bytes(change((root / TRANS).read_bytes()))
    after, got = read_source("libritts_r", root)
    assert after == before and not got


# ---------------------------------------------------------------------------------------------- ESC-50

CSV = "meta/esc50.csv"

BAD_ESC50 = [
    ("fold-0", "1-1-A-0.wav,0,0,dog,True,1,A", "fold is 0; expected an integer from 1 to 5"),
    ("fold-6", "1-1-A-0.wav,6,0,dog,True,1,A", "fold is 6"),
    ("fold-word", "1-1-A-0.wav,one,0,dog,True,1,A", "fold is 'one'"),
    ("fold-empty", "1-1-A-0.wav,,0,dog,True,1,A", "fold is ''"),
    ("target-50", "1-1-A-0.wav,1,50,dog,True,1,A", "target is 50"),
    ("target-negative", "1-1-A-0.wav,1,-1,dog,True,1,A", "target is '-1'"),
    ("esc10-maybe", "1-1-A-0.wav,1,0,dog,maybe,1,A", "esc10 is 'maybe'"),
    ("esc10-empty", "1-1-A-0.wav,1,0,dog,,1,A", "esc10 is ''"),
    ("category-empty", "1-1-A-0.wav,1,0,,True,1,A", "category is empty"),
    ("filename-slash", "x/1-1-A-0.wav,1,0,dog,True,1,A", "is not a .wav file name"),
    ("filename-backslash", "x\\1-1-A-0.wav,1,0,dog,True,1,A", "is not a .wav file name"),
    ("filename-mp3", "1-1-A-0.mp3,1,0,dog,True,1,A", "is not a .wav file name"),
    ("filename-hidden", "._1-1-A-0.wav,1,0,dog,True,1,A", "is not a .wav file name"),
    ("too-few-fields", "1-1-A-0.wav,1,0,dog", "expected 7 comma-separated fields"),
    ("too-many-fields", "1-1-A-0.wav,1,0,dog,True,1,A,extra", "expected 7 comma-separated fields"),
    ("latin-1", b"1-1-A-0.wav,1,0,caf\xe9,True,1,A", "not utf-8 text (byte 0xe9"),
    ("text-after-quotes", '"1-1-A-0.wav"x,1,0,dog,True,1,A', "not valid comma-separated text"),
]


@pytest.mark.parametrize("row,says", [c[1:] for c in BAD_ESC50], ids=[c[0] for c in BAD_ESC50])
def test_esc50_a_bad_row(templates, tmp_path, row, says):
    root, expected = copy(templates, "esc50", tmp_path)
    raw = row if isinstance(row, bytes) else row.encode()
    lines = (root / CSV).read_bytes().rstrip(b"\n").split(b"\n")
    at = 3  # in the middle of the file
    lines.insert(at - 1, raw)
    (root / CSV).write_bytes(b"\n".join(lines) + b"\n")
    Error(ESC50FormatError, CSV, at, says).check(root, lambda: read_source("esc50", root))
    records, got = read_source("esc50", root, "skip")
    assert ids(records) == expected  # the rows after it are read
    Skip("malformed metadata line(s)", 1, f"{CSV}:{at}").check(got)  # once, not once per fold


@pytest.mark.parametrize(
    "text,line,says",
    [
        ("", 1, "the file is empty"),
        ("filename,fold,target,category\n", 1, "lacks esc10, src_file, take"),
        ("\n\n", 1, "the file is empty"),
    ],
    ids=["empty", "header-lacks-columns", "blank"],
)
def test_esc50_a_file_without_its_header_is_an_error_whatever_the_policy(templates, tmp_path, text, line, says):
    root, _ = copy(templates, "esc50", tmp_path)
    (root / CSV).write_text(text)
    for policy in (None, "skip"):
        Error(ESC50FormatError, CSV, line, says).check(root, lambda policy=policy: read_source("esc50", root, policy))


ESC50_SAME = [
    ("bom", lambda b: b"\xef\xbb\xbf" + b),
    ("crlf", lambda b: b.replace(b"\n", b"\r\n")),
    ("blank-lines", lambda b: b.replace(b"\n", b"\n\n")),
    ("no-final-newline", lambda b: b.rstrip(b"\n")),
    ("quoted-fields", lambda b: b.replace(b",dog,", b',"dog",')),
    ("padded-fields", lambda b: b.replace(b",True,", b", True ,")),
]


@pytest.mark.parametrize("change", [c[1] for c in ESC50_SAME], ids=[c[0] for c in ESC50_SAME])
def test_esc50_a_csv_written_otherwise_is_read_the_same(templates, tmp_path, change):
    root, _ = copy(templates, "esc50", tmp_path)
    before, _ = read_source("esc50", root)
    (root / CSV).write_bytes(change((root / CSV).read_bytes()))
    after, got = read_source("esc50", root)
    assert after == before and not got


def test_esc50_a_missing_clip_is_counted_and_an_error_under_raise(templates, tmp_path):
    root, expected = copy(templates, "esc50", tmp_path)
    gone = expected[0]
    (root / "audio" / f"{gone}.wav").unlink()
    records, got = read_source("esc50", root)
    assert ids(records) == expected[1:]
    Skip("whose audio file is missing", 1, f"audio/{gone}.wav").check(got)
    with pytest.raises(MissingAudioError, match=gone):
        read_source("esc50", root, "raise")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_esc50_a_csv_that_is_not_regular(templates, tmp_path, kind):
    root, _ = copy(templates, "esc50", tmp_path)
    (root / CSV).unlink()
    os.mkfifo(root / CSV) if kind == "fifo" else (root / CSV).mkdir()
    Error(ESC50FormatError, CSV, None, "not a regular file").check(root, lambda: read_source("esc50", root))


# ---------------------------------------------------------------------------------------------- NSynth

EXAMPLES = "examples.json"


def _edit_first_note(root, change):
    notes = json.loads((root / EXAMPLES).read_text())
    key = sorted(notes)[0]
    new_key = change(key, notes[key])
    if new_key is not None and new_key != key:
        notes = {new_key if k == key else k: v for k, v in notes.items()}
        key = new_key
    text = json.dumps(notes, indent=4)
    (root / EXAMPLES).write_text(text)
    line = text[: text.index(json.dumps(key) + ": ")].count("\n") + 1
    return key, line


def _set(field, value):
    def change(key, note):
        note[field] = value

    return change


def _drop(field):
    def change(key, note):
        del note[field]

    return change


def _replace(value):
    def change(key, note):
        note.clear()
        note.update({"value": value}) if value is not None else None

    return change


BAD_NOTES = [
    ("pitch-128", _set("pitch", 128), "pitch is 128; expected a MIDI value"),
    ("pitch-negative", _set("pitch", -1), "pitch is -1"),
    ("pitch-string", _set("pitch", "60"), "pitch is '60'"),
    ("pitch-bool", _set("pitch", True), "pitch is True"),
    ("pitch-float", _set("pitch", 60.5), "pitch is 60.5"),
    ("velocity-200", _set("velocity", 200), "velocity is 200"),
    ("velocity-null", _set("velocity", None), "velocity is None"),
    ("instrument-empty", _set("instrument_str", ""), "instrument_str is ''"),
    ("family-number", _set("instrument_family_str", 5), "instrument_family_str is 5"),
    ("source-list", _set("instrument_source_str", ["a"]), "instrument_source_str is ['a']"),
    ("qualities-string", _set("qualities_str", "bright"), "qualities_str is 'bright'"),
    ("qualities-numbers", _set("qualities_str", [1, 2]), "qualities_str is [1, 2]"),
    ("no-pitch", _drop("pitch"), "lacks pitch"),
    ("no-velocity", _drop("velocity"), "lacks velocity"),
    ("no-qualities", _drop("qualities_str"), "lacks qualities_str"),
    ("note-str-mismatch", _set("note_str", "other-060-100"), "not its key"),
]


@pytest.mark.parametrize("change,says", [c[1:] for c in BAD_NOTES], ids=[c[0] for c in BAD_NOTES])
def test_nsynth_a_bad_note(templates, tmp_path, change, says):
    root, expected = copy(templates, "nsynth", tmp_path)
    key, line = _edit_first_note(root, change)
    Error(NSynthFormatError, EXAMPLES, line, says).check(root, lambda: read_source("nsynth", root))
    records, got = read_source("nsynth", root, "skip")
    assert ids(records) == [i for i in expected if i != key]
    Skip("malformed note(s)", 1, f"{EXAMPLES}:{line}").check(got)


def test_nsynth_a_note_that_is_not_an_object(templates, tmp_path):
    root, expected = copy(templates, "nsynth", tmp_path)
    notes = json.loads((root / EXAMPLES).read_text())
    key = sorted(notes)[0]
    notes[key] = [1, 2]
    (root / EXAMPLES).write_text(json.dumps(notes, indent=4))
    Error(NSynthFormatError, EXAMPLES, None, "expected a JSON object, got list").check(
        root, lambda: read_source("nsynth", root)
    )
    records, got = read_source("nsynth", root, "skip")
    Skip("malformed note(s)", 1, key).check(got)


@pytest.mark.parametrize("key", ["a/b-060-100", "._hidden-060-100", ""], ids=["slash", "hidden", "empty"])
def test_nsynth_a_note_str_that_is_no_file_name(templates, tmp_path, key):
    root, expected = copy(templates, "nsynth", tmp_path)
    notes = json.loads((root / EXAMPLES).read_text())
    notes[key] = dict(next(iter(notes.values())), note_str=key)
    (root / EXAMPLES).write_text(json.dumps(notes, indent=4))
    Error(NSynthFormatError, EXAMPLES, None, "must be a plain file name").check(
        root, lambda: read_source("nsynth", root)
    )
    records, got = read_source("nsynth", root, "skip")
    assert ids(records) == expected
    Skip("malformed note(s)", 1, "plain file name").check(got)


BAD_EXAMPLES = [
    ("not-json", b"notes", 1, "not valid JSON"),
    ("truncated", b'{\n    "a": {\n', 3, "not valid JSON"),
    ("a-list", b"[1, 2]", 1, "expected one JSON object keyed by note_str, got a JSON list"),
    ("a-string", b'"notes"', 1, "got a JSON str"),
    ("latin-1", b'{\n"caf\xe9": {}\n}', 2, "not UTF-8 text (byte 0xe9)"),
    ("empty", b"", 1, "not valid JSON"),
]


@pytest.mark.parametrize("raw,line,says", [c[1:] for c in BAD_EXAMPLES], ids=[c[0] for c in BAD_EXAMPLES])
def test_nsynth_an_examples_json_that_is_not_one_object(templates, tmp_path, raw, line, says):
    root, _ = copy(templates, "nsynth", tmp_path)
    (root / EXAMPLES).write_bytes(raw)
    for policy in (None, "skip"):
        Error(NSynthFormatError, EXAMPLES, line, says).check(
            root, lambda policy=policy: read_source("nsynth", root, policy)
        )


def test_nsynth_an_examples_json_with_a_bom_is_read_the_same(templates, tmp_path):
    root, _ = copy(templates, "nsynth", tmp_path)
    before, _ = read_source("nsynth", root)
    (root / EXAMPLES).write_bytes(b"\xef\xbb\xbf" + (root / EXAMPLES).read_bytes())
    after, got = read_source("nsynth", root)
    assert after == before and not got


def test_nsynth_a_missing_note_wav_is_counted_and_an_error_under_raise(templates, tmp_path):
    root, expected = copy(templates, "nsynth", tmp_path)
    (root / "audio" / f"{expected[0]}.wav").unlink()
    records, got = read_source("nsynth", root)
    assert ids(records) == expected[1:]
    Skip("note(s) whose audio/<note_str>.wav is missing", 1, expected[0]).check(got)
    with pytest.raises(MissingAudioError, match=expected[0]):
        read_source("nsynth", root, "raise")


def test_nsynth_an_examples_json_that_is_a_fifo(templates, tmp_path):
    root, _ = copy(templates, "nsynth", tmp_path)
    (root / EXAMPLES).unlink()
    os.mkfifo(root / EXAMPLES)
    import audio_flan.sources.nsynth as parser

    with pytest.raises(NSynthFormatError, match="not a regular file"):
        list(parser.read_shard(root, [".", 0, 1]))


# --------------------------------------------- LJSpeech, VCTK, Common Voice, AudioSet strong: skip and count


@pytest.fixture(scope="module")
def more_templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("more")
    return {
        "ljspeech": ljspeech_corpus.build(base / "lj"),
        "vctk": vctk_corpus.build(base / "vc"),
        "common_voice": common_voice_corpus.build(base / "cv"),
        "audioset_strong": audioset_corpus.build(base / "as"),
    }


def insert_line(path, at: int, raw: bytes) -> None:
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    lines.insert(at - 1, raw)
    path.write_bytes(b"\n".join(lines) + b"\n")


LJ_CSV = "metadata.csv"

BAD_LJ = [
    ("two-fields", b"LJ009-0001|only the raw text", "expected 3 '|'-separated fields"),
    ("four-fields", b"LJ009-0001|a|b|c", "expected 3 '|'-separated fields"),
    ("bad-id", b"LJ9-1|a|b", "is not 'LJ<3 digits>-<4 digits>'"),
    ("repeated-id", b"LJ001-0001|again|again", "repeats line 1"),
    ("empty-normalized", b"LJ009-0001|raw| ", "the normalized transcription of LJ009-0001 is empty"),
    ("latin-1", b"LJ009-0001|caf\xe9|cafe", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in BAD_LJ], ids=[c[0] for c in BAD_LJ])
def test_ljspeech_a_bad_row(more_templates, tmp_path, monkeypatch, raw, says):
    import audio_flan.sources.ljspeech as parser

    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 80)  # several shards, each reading every row
    root, _ = copy(more_templates, "ljspeech", tmp_path)
    assert len(parser.list_shards(root)["train"]) > 1
    baseline = read_source("ljspeech", root)
    insert_line(root / LJ_CSV, 3, raw)
    for policy in (None, "raise"):
        Error(LJSpeechFormatError, LJ_CSV, 3, says).check(
            root, lambda policy=policy: read_source("ljspeech", root, policy)
        )
    check_counted_once("ljspeech", root, baseline, f"{LJ_CSV}:3")


SPEAKER_INFO_ROWS = [
    ("age-word", "p226  twenty-two  M    English  Surrey", "AGE of p226 is 'twenty-two'"),
    ("gender-x", "p226  22  X    English  Surrey", "GENDER of p226 is 'X'"),
    ("too-few-tokens", "p226  22", "expected 'ID AGE GENDER ACCENTS"),
]


@pytest.mark.parametrize("row,says", [c[1:] for c in SPEAKER_INFO_ROWS], ids=[c[0] for c in SPEAKER_INFO_ROWS])
def test_vctk_a_bad_speaker_info_row(more_templates, tmp_path, row, says):
    root, _ = copy(more_templates, "vctk", tmp_path)
    baseline = read_source("vctk", root)
    path = root / "speaker-info.txt"
    lines = path.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("p226 ")) + 1
    lines[at - 1] = row
    path.write_text("\n".join(lines))
    Error(VCTKFormatError, "speaker-info.txt", at, says).check(root, lambda: read_source("vctk", root))
    # counted by the split holding p226 (the shard holding it), its utterances left out with it
    lost = {i for i in ids(baseline[0]) if i.startswith("p226_")}
    check_counted_once("vctk", root, baseline, f"speaker-info.txt:{at}", lost, by={vctk_parser.split_of("p226")})


@pytest.mark.parametrize(
    "row,says",
    [
        ("p999  twenty  M    English  Surrey", "AGE of p999 is 'twenty'"),  # a speaker with no txt/ folder
        ("M  English", "expected 'ID AGE GENDER ACCENTS"),  # a row cut short: its first token is no speaker's
    ],
    ids=["no-txt-folder", "cut-short"],
)
def test_vctk_a_bad_speaker_info_row_of_no_split_is_counted_by_every_split(more_templates, tmp_path, row, says):
    root, _ = copy(more_templates, "vctk", tmp_path)
    baseline = read_source("vctk", root)
    path = root / "speaker-info.txt"
    with open(path, "a") as f:
        f.write(row + "\n")
    at = len(path.read_text().rstrip("\n").split("\n"))
    Error(VCTKFormatError, "speaker-info.txt", at, says).check(root, lambda: read_source("vctk", root))
    # no split holds the row's speaker: each split loaded counts it, alone or with the others
    splits = set(vctk_parser.list_shards(root))
    assert len(splits) > 1
    check_counted_once("vctk", root, baseline, f"speaker-info.txt:{at}", by=splits)


BAD_TRANSCRIPTS = [
    ("latin-1", b"caf\xe9 au lait\n", 1, "not utf-8 text (byte 0xe9"),
    ("second-line-latin-1", b"fine\n\xff\n", 2, "not utf-8 text (byte 0xff"),
    ("empty", b"\n", 1, "the transcript is empty"),
    ("blank", b"   \n\n", 1, "the transcript is empty"),
]


@pytest.mark.parametrize("raw,line,says", [c[1:] for c in BAD_TRANSCRIPTS], ids=[c[0] for c in BAD_TRANSCRIPTS])
def test_vctk_a_bad_transcript(more_templates, tmp_path, raw, line, says):
    root, _ = copy(more_templates, "vctk", tmp_path)
    baseline = read_source("vctk", root)
    name = "txt/p245/p245_002.txt"
    (root / name).write_bytes(raw)
    Error(VCTKFormatError, name, line, says).check(root, lambda: read_source("vctk", root))
    check_counted_once("vctk", root, baseline, f"{name}:{line}", {"p245_002"})


def test_vctk_a_transcript_named_otherwise(more_templates, tmp_path):
    root, _ = copy(more_templates, "vctk", tmp_path)
    baseline = read_source("vctk", root)
    (root / "txt/p245/p245_2.txt").write_text("A sentence.\n")
    Error(VCTKFormatError, "txt/p245/p245_2.txt", None, "not '<speaker>_<3 digits>.txt'").check(
        root, lambda: read_source("vctk", root)
    )
    check_counted_once("vctk", root, baseline, "p245_2.txt")


@pytest.mark.parametrize("policy", [None, "raise", "skip"])
def test_vctk_the_known_gaps_are_counted_whatever_the_policy(more_templates, tmp_path, policy):
    root, expected = copy(more_templates, "vctk", tmp_path)
    records, got = read_source("vctk", root, policy)
    assert ids(records) == expected
    reasons = got.by_reason()
    # p315: recordings, no txt/ folder; every fixture speaker has one recording without a transcript (<spk>_099);
    # s5: no speaker-info.txt row
    assert reasons.pop("recording(s) of speakers with no txt/ folder (p315 has none)") == 1
    assert reasons.pop("recording(s) with no transcript (0.92 ships about 172)") == len(vctk_corpus.SPEAKERS)
    assert reasons.pop("utterance(s) of speakers without a row in speaker-info.txt") == 1
    assert not reasons, got.text()
    shown = "\n".join(item for e in got.entries.values() for item in e.first)
    assert "p315_001" in shown and "s5_001" in shown
    by_id = {r["id"]: r for r in records}
    assert by_id["p280_001"]["audio"].endswith("p280_001_mic1.flac")  # p280 has no mic2: mic1, not a skip


def test_vctk_a_recording_without_transcript_in_a_fresh_copy_is_counted(more_templates, tmp_path):
    root, expected = copy(more_templates, "vctk", tmp_path)
    (root / "txt/p245/p245_002.txt").unlink()
    records, got = read_source("vctk", root)
    assert ids(records) == [i for i in expected if i != "p245_002"]
    entry = [e for e in got.entries.values() if e.reason.startswith("recording(s) with no transcript")]
    assert sum(e.count for e in entry) == len(vctk_corpus.SPEAKERS) + 1


CV_TSV = "train.tsv"


def cv_row(**changes) -> bytes:
    row = {**common_voice_corpus._row("fr", 1009, "Une autre phrase.", "3f9ae1", "twenties", "male"), **changes}
    return "\t".join(str(row.get(c, "")) for c in common_voice_corpus.V13).encode()


BAD_CV = [
    ("too-few-fields", b"3f9ae1\tcommon_voice_fr_1009.mp3\ttoo few", "expected 11 tab-separated fields"),
    ("path-in-a-folder", cv_row(path="x/common_voice_fr_1009.mp3"), "is not a clip file name inside clips/"),
    ("path-hidden", cv_row(path="._common_voice_fr_1009.mp3"), "is not a clip file name inside clips/"),
    ("empty-sentence", cv_row(sentence=" "), "the sentence of common_voice_fr_1009.mp3 is empty"),
    ("bad-locale", cv_row(locale="French"), "locale 'French' is not a language code"),
    ("latin-1", cv_row(sentence="caf\u00e9").replace("é".encode(), b"\xe9"), "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in BAD_CV], ids=[c[0] for c in BAD_CV])
def test_common_voice_a_bad_row(more_templates, tmp_path, monkeypatch, raw, says):
    import audio_flan.sources.common_voice as parser

    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 200)  # several shards per TSV, each reading every row
    root, _ = copy(more_templates, "common_voice", tmp_path)
    assert len([s for s in parser.list_shards(root)["train"] if s[1] == CV_TSV]) > 1
    baseline = read_source("common_voice", root)
    insert_line(root / CV_TSV, 3, raw)
    # (not under "raise": the fixture's clip-less row is an error there, in whichever shard comes first)
    Error(CommonVoiceFormatError, CV_TSV, 3, says).check(root, lambda: read_source("common_voice", root))
    check_counted_once("common_voice", root, baseline, f"{CV_TSV}:3")


def test_common_voice_a_bad_row_of_a_delta_release_is_counted_once_per_split(more_templates, tmp_path, monkeypatch):

    root, _ = copy(more_templates, "common_voice", tmp_path)
    for name in ("train.tsv", "dev.tsv", "test.tsv"):
        (root / name).unlink()
    rows = [cv_row(path=f"common_voice_fr_{n}.mp3", client_id=f"c{n}") for n in (1001, 1002, 1003)]
    (root / "validated.tsv").write_bytes(b"\n".join(["\t".join(common_voice_corpus.V13).encode(), *rows]) + b"\n")
    baseline = read_source("common_voice", root)
    assert len(ids(baseline[0])) == 3
    insert_line(root / "validated.tsv", 3, b"c9\tcommon_voice_fr_1009.mp3")
    Error(CommonVoiceFormatError, "validated.tsv", 3, "expected 11 tab-separated fields").check(
        root, lambda: read_source("common_voice", root)
    )
    # three splits read it: each counts it once, loaded alone (the second and the third too) or together
    per_split = check_counted_once("common_voice", root, baseline, "validated.tsv:3")
    assert per_split == {"listing": 0, "train": 1, "validation": 1, "test": 1}


AS_TSV = "audioset_train_strong.tsv"

BAD_AUDIOSET = [
    ("bad-segment-id", b"tooshort_1000\t0.0\t1.0\t/m/09x0r", "is not '<YouTube id>_<start in ms>'", None),
    ("end-over-10", b"-0RWZT-miFs_30000\t1.0\t11\t/m/09x0r", "end_time_seconds is '11'", "-0RWZT-miFs_30000"),
    ("start-word", b"-0RWZT-miFs_30000\tsoon\t2\t/m/09x0r", "start_time_seconds is 'soon'", "-0RWZT-miFs_30000"),
    ("ends-before-start", b"Yx_lGt805lT_420000\t5\t4\t/m/09x0r", "ends (4.0) before it starts", "Yx_lGt805lT_420000"),
    ("unknown-label", b"Yx_lGt805lT_420000\t1\t2\t/m/nope", "label '/m/nope' is not in", "Yx_lGt805lT_420000"),
    # a row the TSV reader refuses takes the segment its line begins with (its other events would mislabel it)
    ("three-fields", b"a1b2c3d4e5f_0\t1\t2", "expected 4 tab-separated fields", "a1b2c3d4e5f_0"),
    ("latin-1", b"a1b2c3d4e5f_0\t1\t2\t/m/caf\xe9", "not utf-8 text (byte 0xe9", "a1b2c3d4e5f_0"),
    ("three-fields-no-segment", b"a1b2c3d4e5f\t1\t2", "expected 4 tab-separated fields", None),
]


@pytest.mark.parametrize("raw,says,lost", [c[1:] for c in BAD_AUDIOSET], ids=[c[0] for c in BAD_AUDIOSET])
def test_audioset_strong_a_bad_row(more_templates, tmp_path, monkeypatch, raw, says, lost):
    import audio_flan.sources.audioset_strong as parser

    monkeypatch.setattr(parser, "BYTES_PER_SHARD", 60)  # several shards, each reading every row
    root, _ = copy(more_templates, "audioset_strong", tmp_path)
    assert len(parser.list_shards(root)["train"]) > 1
    baseline = read_source("audioset_strong", root)
    insert_line(root / AS_TSV, 3, raw)
    for policy in (None, "raise"):
        Error(AudioSetStrongFormatError, AS_TSV, 3, says).check(
            root, lambda policy=policy: read_source("audioset_strong", root, policy)
        )
    # the segment of a bad row is left out whole: a segment missing one of its events would be mislabelled
    check_counted_once("audioset_strong", root, baseline, f"{AS_TSV}:3", {lost} if lost else set())


def test_audioset_strong_a_bad_display_name_row(more_templates, tmp_path):
    root, _ = copy(more_templates, "audioset_strong", tmp_path)
    baseline = read_source("audioset_strong", root)
    insert_line(root / "mid_to_display_name.tsv", 2, b"no-slash\tThing")
    Error(AudioSetStrongFormatError, "mid_to_display_name.tsv", 2, "expected '<mid like /m/09x0r>").check(
        root, lambda: read_source("audioset_strong", root)
    )
    check_counted_once("audioset_strong", root, baseline, "mid_to_display_name.tsv:2")


@pytest.mark.parametrize("name", ["vctk", "common_voice", "audioset_strong"])  # (metadata.csv has no header)
def test_a_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(more_templates, tmp_path, name):
    root, _ = copy(more_templates, name, tmp_path)
    file, says, error = {
        "vctk": ("speaker-info.txt", "expected the header 'ID  AGE  GENDER", VCTKFormatError),
        "common_voice": (CV_TSV, "lacks", CommonVoiceFormatError),
        "audioset_strong": (AS_TSV, "lacks", AudioSetStrongFormatError),
    }[name]
    lines = (root / file).read_bytes().split(b"\n")
    (root / file).write_bytes(b"\n".join([b"something\telse", *lines[1:]]))
    for policy in (None, "skip"):
        Error(error, file, 1, says).check(root, lambda policy=policy: read_source(name, root, policy))
