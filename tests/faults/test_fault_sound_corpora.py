"""Bad metadata of the sound corpus parsers (ADD 2023, AudioCaps, AudioSet weak, Clotho, NSynth, TAU Urban, Vocal
Imitation), built from the fixture corpora: each malformed line is an error naming file and line and what was
expected by default, and under on_error="skip" a counted skip (once, however many shards read the line) with every
other record read; items that depend on a skipped line are left out and counted under their own reason; a header
that is not the corpus's, or a file that breaks as a whole, is an error under every policy."""

from __future__ import annotations

import shutil

import pytest
from corpora import add2023 as add_corpus
from corpora import audiocaps as audiocaps_corpus
from corpora import audioset_weak as audioset_corpus
from corpora import clotho as clotho_corpus
from corpora import nsynth as nsynth_corpus
from corpora import tau_urban as tau_corpus
from corpora import vocal_imitation as vocal_corpus
from faults_helpers import Error, check_counted_once, check_each_split, ids, malformed, read_source
from test_fault_corpora import insert_line

import audio_flan.sources._audioset as audioset_shards
import audio_flan.sources.nsynth as nsynth_parser
import audio_flan.sources.tau_urban as tau_parser
from audio_flan.sources import get_sources
from audio_flan.sources.add2023 import ADD2023FormatError
from audio_flan.sources.audiocaps import AudioCapsFormatError
from audio_flan.sources.audioset_weak import AudioSetWeakFormatError
from audio_flan.sources.clotho import ClothoFormatError
from audio_flan.sources.nsynth import NSynthFormatError
from audio_flan.sources.tau_urban import TauUrbanFormatError
from audio_flan.sources.vocal_imitation import VocalImitationFormatError

BUILDERS = {
    "add2023": add_corpus.build,
    "audiocaps": audiocaps_corpus.build,
    "audioset_weak": audioset_corpus.build,
    "clotho": clotho_corpus.build,
    "nsynth": lambda base: nsynth_corpus.build(base, splits=("nsynth-train",), train_notes=24),
    "tau_urban": tau_corpus.build,
    "vocal_imitation": vocal_corpus.build,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("sound")
    return {name: build(base / name) for name, build in BUILDERS.items()}


@pytest.fixture
def several_shards(monkeypatch):
    """Metadata files cut into several shards, each reading every line (so a bad line is met by all of them)."""
    monkeypatch.setattr(audioset_shards, "BYTES_PER_SHARD", 60)
    monkeypatch.setattr(tau_parser, "BYTES_PER_SHARD", 40)
    monkeypatch.setattr(nsynth_parser, "BYTES_PER_SHARD", 1024)


def copy(templates: dict, name: str, tmp_path):
    corpus = templates[name]
    root = tmp_path / corpus.root.name
    shutil.copytree(corpus.root, root, symlinks=True)
    return root


def check_bad_line(name, error, root, file, at, raw, says):
    """Insert ``raw`` as line ``at`` of ``file``: an error naming file:line saying ``says`` by default; under "skip"
    every other record read and the one line counted once."""
    baseline = read_source(name, root)
    insert_line(root / file, at, raw)
    Error(error, file, at, says).check(root, lambda: read_source(name, root))
    check_counted_once(name, root, baseline, f"{file}:{at}")


def read_shards(name, root) -> dict:
    return get_sources()[name].list_shards(root)


def check_header_is_an_error(name, error, root, file, header, line, says):
    lines = (root / file).read_bytes().split(b"\n")
    lines[line - 1] = header
    (root / file).write_bytes(b"\n".join(lines))
    for policy in (None, "skip"):
        Error(error, file, line, says).check(root, lambda policy=policy: read_source(name, root, policy))


# ------------------------------------------------------------------------------------------------ ADD 2023

ADD_LABELS = "train/label.txt"
ADD_ROWS = [
    ("other-label", b"ADD2023_T1.2_T_00000009.wav bonafide", "expected '<file name>.wav genuine'"),
    ("two-spaces", b"ADD2023_T1.2_T_00000009.wav  fake", "(one space)"),
    ("tab", b"ADD2023_T1.2_T_00000009.wav\tfake", "(one space)"),
    ("not-wav", b"ADD2023_T1.2_T_00000009.flac fake", "expected '<file name>.wav genuine'"),
    ("one-field", b"ADD2023_T1.2_T_00000009.wav", "expected '<file name>.wav genuine'"),
    ("repeated", b"ADD2023_T1.2_T_00000000.wav fake", "ADD2023_T1.2_T_00000000.wav is also on line 1"),
    ("latin-1", b"ADD2023_T1.2_T_0000000\xe9.wav fake", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in ADD_ROWS], ids=[c[0] for c in ADD_ROWS])
def test_add2023_a_bad_label_line(templates, tmp_path, raw, says):
    root = copy(templates, "add2023", tmp_path)
    check_bad_line("add2023", ADD2023FormatError, root, ADD_LABELS, 2, raw, says)


# ----------------------------------------------------------------------------------------------- AudioCaps

CAPS_CSV = "dataset/val.csv"
CAPS_ROWS = [
    ("three-fields", b"97160,vfY_TJq7n_U,130", "expected 4 comma-separated fields"),
    ("id-word", b"abc,vfY_TJq7n_U,130,Ducks", "audiocap_id 'abc' is not a number"),
    ("short-ytid", b"97160,short,130,Ducks", "'short' is not an 11-character YouTube id"),
    ("start-word", b"97160,vfY_TJq7n_U,noon,Ducks", "start_time is 'noon'; expected seconds"),
    ("repeated-id", b"97151,vfY_TJq7n_U,130,again", "audiocap_id 97151 is also on line 2"),
    ("empty-caption", b"97160,vfY_TJq7n_U,130, ", "the caption is empty"),
    ("latin-1", b"97160,vfY_TJq7n_U,130,caf\xe9", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in CAPS_ROWS], ids=[c[0] for c in CAPS_ROWS])
def test_audiocaps_a_bad_row(templates, tmp_path, several_shards, raw, says):
    root = copy(templates, "audiocaps", tmp_path)
    assert len(read_shards("audiocaps", root)["validation"]) > 1
    check_bad_line("audiocaps", AudioCapsFormatError, root, CAPS_CSV, 3, raw, says)


def test_audiocaps_a_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "audiocaps", tmp_path)
    check_header_is_an_error("audiocaps", AudioCapsFormatError, root, CAPS_CSV, b"id,ytid,start,text", 1, "lacks")


# -------------------------------------------------------------------------------------------- AudioSet weak

SEGMENTS = "metadata/balanced_train_segments.csv"
CLASS_LIST = "metadata/class_labels_indices.csv"
SEGMENT_ROWS = [
    ("three-fields", b"abcdefghijk, 0.000, 10.000", "expected 4 fields"),
    ("short-ytid", b'short, 0.000, 10.000, "/m/09x0r"', "YTID 'short' is not an 11-character YouTube id"),
    ("start-word", b'abcdefghijk, soon, 10.000, "/m/09x0r"', "start_seconds is 'soon'"),
    ("end-before-start", b'abcdefghijk, 10.000, 5.000, "/m/09x0r"', "end_seconds 5.0 is not after start_seconds"),
    ("unknown-label", b'abcdefghijk, 0.000, 10.000, "/m/nonesuch"', "label '/m/nonesuch' is not in"),
    ("repeated", b'--PJHxphWEs, 30.000, 40.000, "/m/09x0r"', "segment --PJHxphWEs at 30.0 s is listed twice"),
    ("latin-1", b'abcdefghijk, 0.000, 10.000, "/m/caf\xe9"', "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in SEGMENT_ROWS], ids=[c[0] for c in SEGMENT_ROWS])
def test_audioset_weak_a_bad_segment_line(templates, tmp_path, several_shards, raw, says):
    root = copy(templates, "audioset_weak", tmp_path)
    assert len([s for s in read_shards("audioset_weak", root)["train"] if s[0] in SEGMENTS]) > 1
    check_bad_line("audioset_weak", AudioSetWeakFormatError, root, SEGMENTS, 5, raw, says)


CLASS_ROWS = [
    ("index-word", b'x140,/m/0342h,"Guitar"', "expected '<index>,<mid like /m/09x0r>"),
    ("empty-name", b'140,/m/0342h,""', "expected '<index>,<mid like /m/09x0r>"),
    ("mid-without-slash", b'140,m0342h,"Guitar"', "expected '<index>,<mid like /m/09x0r>"),
    ("two-fields", b"140,/m/0342h", "expected 3 comma-separated fields"),
]


@pytest.mark.parametrize("row,says", [c[1:] for c in CLASS_ROWS], ids=[c[0] for c in CLASS_ROWS])
def test_audioset_weak_a_bad_class_row_loses_the_segments_labelled_with_it(
    templates, tmp_path, several_shards, row, says
):
    root = copy(templates, "audioset_weak", tmp_path)
    baseline, _ = read_source("audioset_weak", root)
    lines = (root / CLASS_LIST).read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if b"/m/0342h" in line) + 1  # Guitar, a label of -0SdAVK79lg only
    lines[at - 1] = row
    (root / CLASS_LIST).write_bytes(b"\n".join(lines))
    Error(AudioSetWeakFormatError, CLASS_LIST, at, says).check(root, lambda: read_source("audioset_weak", root))
    records, got = read_source("audioset_weak", root, "skip")
    assert ids(records) == sorted(set(ids(baseline)) - {"-0SdAVK79lg_0"})
    count, first = malformed(got)
    assert count == sum(check_each_split("audioset_weak", root, f"{CLASS_LIST}:{at}").values()), got.text()
    assert any(f"{CLASS_LIST.split('/')[1]}:{at}" in item for item in first), got.text()
    lost = [e for e in got.entries.values() if "labelled with a class not read from" in e.reason]
    assert sum(e.count for e in lost) == 1 and "-0SdAVK79lg_0" in lost[0].first[0], got.text()


def test_audioset_weak_a_class_list_without_its_header_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "audioset_weak", tmp_path)
    check_header_is_an_error("audioset_weak", AudioSetWeakFormatError, root, CLASS_LIST, b"mid,name", 1, "lacks")


# --------------------------------------------------------------------------------------------------- Clotho

CAPTIONS = "clotho_captions_development.csv"
CLOTHO_ROWS = [
    ("five-fields", b"New.wav,a,b,c,d", "expected 6 comma-separated fields"),
    ("not-wav", b"New.mp3,a,b,c,d,e", "file_name 'New.mp3' is not a .wav file name"),
    ("in-a-folder", b"sub/New.wav,a,b,c,d,e", "is not a .wav file name"),
    ("hidden", b".New.wav,a,b,c,d,e", "is a hidden file"),
    ("repeated", b" Ambience Birds.wav,a,b,c,d,e", "file_name ' Ambience Birds.wav' is also on line 2"),
    ("empty-caption", b"New.wav,a,,c,d,e", "caption_2 is empty"),
    ("latin-1", b"New.wav,caf\xe9,b,c,d,e", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in CLOTHO_ROWS], ids=[c[0] for c in CLOTHO_ROWS])
def test_clotho_a_bad_row(templates, tmp_path, raw, says):
    root = copy(templates, "clotho", tmp_path)
    check_bad_line("clotho", ClothoFormatError, root, CAPTIONS, 3, raw, says)


def test_clotho_an_open_quote_on_the_last_row(templates, tmp_path):
    root = copy(templates, "clotho", tmp_path)
    at = len((root / CAPTIONS).read_bytes().rstrip(b"\n").split(b"\n")) + 1  # a quote left open runs to the end
    check_bad_line("clotho", ClothoFormatError, root, CAPTIONS, at, b'New.wav,a,b,c,d,"e', "not valid comma-separated")


def test_clotho_a_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "clotho", tmp_path)
    check_header_is_an_error("clotho", ClothoFormatError, root, CAPTIONS, b"file,caption", 1, "lacks")


# --------------------------------------------------------------------------------------------------- NSynth

EXAMPLES = "examples.json"


def _note_lines(root) -> list[str]:
    return (root / EXAMPLES).read_text().split("\n")


NOTE_SYNTAX = [  # (the change to a "field": value, line of the note, the line the error is at: 0 that one, 1 the next)
    ("two-numbers", lambda line: line.replace(": ", ": 60 ", 1), 0),
    ("no-comma", lambda line: line.rstrip().rstrip(","), 1),
    ("bare-word", lambda line: line.split(":")[0] + ": sixty, ", 0),
]


@pytest.mark.parametrize("change,later", [c[1:] for c in NOTE_SYNTAX], ids=[c[0] for c in NOTE_SYNTAX])
def test_nsynth_a_note_that_is_not_valid_json_is_skipped_once_under_skip(
    templates, tmp_path, several_shards, change, later
):
    root = copy(templates, "nsynth", tmp_path)
    assert len(read_shards("nsynth", root)["train"]) > 1
    baseline = read_source("nsynth", root)
    lines = _note_lines(root)
    key_at = next(i for i, line in enumerate(lines) if line.rstrip().endswith("{") and i > 0)
    key = lines[key_at].strip().split('"')[1]
    at = next(i for i in range(key_at + 1, len(lines)) if ": " in lines[i] and lines[i].rstrip().endswith(","))
    lines[at] = change(lines[at])
    (root / EXAMPLES).write_text("\n".join(lines))
    line = at + 1 + later
    Error(NSynthFormatError, EXAMPLES, line, "not valid JSON").check(root, lambda: read_source("nsynth", root))
    records, got = read_source("nsynth", root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - {key})
    count, first = malformed(got)  # once, though every shard parses the file
    assert count == 1 and f"{EXAMPLES}:{line}: note {key!r}: not valid JSON" in first[0], got.text()


BROKEN_WHOLE = [  # (change, the line of the error)
    ("unclosed-note", lambda text: text.replace("\n    },", "\n    ", 1), None),
    ("truncated", lambda text: text[: len(text) // 2], None),
    ("key-not-quoted", lambda text: text.replace('    "', "    ", 1), 2),
    ("text-after", lambda text: text + "\n{}", None),
    ("a-list", lambda text: "[" + text + "]", 1),
]


@pytest.mark.parametrize("change,line", [c[1:] for c in BROKEN_WHOLE], ids=[c[0] for c in BROKEN_WHOLE])
def test_nsynth_an_examples_json_broken_as_a_whole_is_an_error_whatever_the_policy(templates, tmp_path, change, line):
    root = copy(templates, "nsynth", tmp_path)
    (root / EXAMPLES).write_text(change((root / EXAMPLES).read_text()))
    says = "expected one JSON object" if line == 1 else "not valid JSON"
    for policy in (None, "skip"):
        Error(NSynthFormatError, EXAMPLES, line, says).check(
            root, lambda policy=policy: read_source("nsynth", root, policy)
        )


# ----------------------------------------------------------------------------------------------- TAU Urban

META = "meta.csv"
FOLD = "evaluation_setup/fold1_train.csv"
FOLD_ROWS = [
    ("not-in-meta", b"audio/airport-nowhere-9-9-9-a.wav\tairport", "is not in meta.csv"),
    ("other-scene", b"audio/tram-vienna-5-7-0-a.wav\tbus", "is bus here but tram in meta.csv"),
    ("no-audio-prefix", b"airport-barcelona-0-0-0-a.wav\tairport", "is not 'audio/<name>.wav'"),
    ("unknown-scene", b"audio/tram-vienna-5-7-0-a.wav\tharbour", "scene_label 'harbour' is not one of"),
    ("one-field", b"audio/tram-vienna-5-7-0-a.wav", "expected 2 tab-separated fields"),
    ("repeated", b"audio/airport-barcelona-0-0-0-a.wav\tairport", "is also on line 2"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in FOLD_ROWS], ids=[c[0] for c in FOLD_ROWS])
def test_tau_urban_a_bad_fold_row(templates, tmp_path, several_shards, raw, says):
    root = copy(templates, "tau_urban", tmp_path)
    assert len(read_shards("tau_urban", root)["train"]) > 1
    check_bad_line("tau_urban", TauUrbanFormatError, root, FOLD, 3, raw, says)


CLIP = "airport-barcelona-0-0-0-b"  # in fold1_train
META_ROWS = [
    ("device", f"audio/{CLIP}.wav\tairport\tbarcelona-0\tphone", "source_label 'phone' is not a device"),
    ("scene", f"audio/{CLIP}.wav\tharbour\tbarcelona-0\tb", "scene_label 'harbour' is not one of"),
    ("identifier", f"audio/{CLIP}.wav\tairport\tbarcelona\tb", "identifier 'barcelona' is not '<city>-<location>'"),
    ("three-fields", f"audio/{CLIP}.wav\tairport\tb", "expected 4 tab-separated fields"),
    ("no-audio-prefix", f"{CLIP}.wav\tairport\tbarcelona-0\tb", "is not 'audio/<name>.wav'"),
]


@pytest.mark.parametrize("row,says", [c[1:] for c in META_ROWS], ids=[c[0] for c in META_ROWS])
def test_tau_urban_a_bad_meta_row_loses_its_fold_rows(templates, tmp_path, several_shards, row, says):
    root = copy(templates, "tau_urban", tmp_path)
    baseline, _ = read_source("tau_urban", root)
    clip = CLIP
    lines = (root / META).read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"audio/{clip}.wav")) + 1
    lines[at - 1] = row
    (root / META).write_text("\n".join(lines))
    Error(TauUrbanFormatError, META, at, says).check(root, lambda: read_source("tau_urban", root))
    records, got = read_source("tau_urban", root, "skip")
    assert ids(records) == sorted(set(ids(baseline)) - {clip})
    count, first = malformed(got)  # once per split reading meta.csv, not once per shard
    assert count == sum(check_each_split("tau_urban", root, f"{META}:{at}").values()), got.text()
    assert any(f"{META}:{at}" in item for item in first), got.text()
    lost = [e for e in got.entries.values() if "row was skipped as malformed" in e.reason]
    assert sum(e.count for e in lost) == 1 and clip in lost[0].first[0], got.text()


@pytest.mark.parametrize("file", [META, FOLD])
def test_tau_urban_a_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path, file):
    root = copy(templates, "tau_urban", tmp_path)
    check_header_is_an_error("tau_urban", TauUrbanFormatError, root, file, b"file\tlabel\tx\ty", 1, "lacks")


# --------------------------------------------------------------------------------------------- Vocal Imitation

IMITATIONS = "vocal_imitations.txt"
TRAIN = vocal_corpus.PARTICIPANTS["train"][0]


def imitation_row(**changes) -> bytes:
    """A row of an included imitation 9 (whose file is absent), with some fields changed by position."""
    fields = vocal_corpus.row(9, 9, 4, TRAIN, True, "a bark").split("\t")
    for at, value in changes.items():
        fields[int(at[1:])] = value
    return "\t".join(fields).encode("utf-8", "surrogateescape")


VOCAL_ROWS = [
    ("included-yes", imitation_row(f11="yes"), "included is 'yes'; expected True or False"),
    ("id-word", imitation_row(f1="nine"), "imitation_id 'nine' is not a number"),
    ("repeated-id", imitation_row(f1="0"), "imitation_id 0 is also on line 2"),
    ("not-wav", imitation_row(f2="bark.mp3"), "imitation_filename 'bark.mp3' is not a .wav file name"),
    ("category-gap", imitation_row(f5=""), "category_d1..d6 are not a path from the top"),
    ("no-participant", imitation_row(f14=""), "participant_id is empty"),
    ("short", b"9\t9\tbark.wav", "expected 18 tab-separated fields"),
    ("latin-1", imitation_row(f16="caf\udce9"), "not utf-8 text"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in VOCAL_ROWS], ids=[c[0] for c in VOCAL_ROWS])
def test_vocal_imitation_a_bad_row(templates, tmp_path, raw, says):
    root = copy(templates, "vocal_imitation", tmp_path)
    assert len(read_shards("vocal_imitation", root)) == 3  # three splits, each reading every row
    check_bad_line("vocal_imitation", VocalImitationFormatError, root, IMITATIONS, 3, raw, says)


def test_vocal_imitation_a_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "vocal_imitation", tmp_path)
    check_header_is_an_error("vocal_imitation", VocalImitationFormatError, root, IMITATIONS, b"\tid\tfile", 1, "lacks")
