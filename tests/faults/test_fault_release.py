"""Bad release metadata: each malformed JSONL line is an error naming file and line by default and a counted skip
under on_error="skip"; records and files the reader does not take are counted (never silently dropped); layouts
that are only spelled differently are read."""

from __future__ import annotations

import json
import os

import pytest
from corpora.release import Release, record
from faults_helpers import Error, Skip, ids, read_source, split_counts

from audio_flan.sources.readers import MAX_LINE_BYTES
from audio_flan.sources.release import ReleaseFormatError

LIB = "13_LibriTTS-R"
DATA = f"metadata/speech/understanding/train_dev/{LIB}/jsonl/data.jsonl"


@pytest.fixture
def rel(tmp_path):
    rel = Release(tmp_path / "release")
    rel.a = rel.audio("speech", LIB, "a")
    rel.jsonl("speech", LIB, [record("good", "ASR", inp=f"audio: <|SOA|>{rel.a}<|EOA|>")])
    return rel


def append(rel: Release, raw: bytes, name: str = DATA) -> None:
    with open(rel.root / name, "ab") as f:
        f.write(raw + b"\n")


def rec(**changes) -> dict:
    r = record("bad", "ASR", inp="audio: <|SOA|>13_LibriTTS-R_a<|EOA|>")
    r.update(changes)
    return {k: v for k, v in r.items() if v is not DROP}


DROP = object()

# a line that is not a release record: (case, raw line 2 of data.jsonl, what the error says)
MALFORMED = [
    ("truncated-object", b'{"instruction": "x"', "not valid JSON"),
    ("trailing-comma", b'{"a": 1,}', "not valid JSON"),
    ("bare-word", b"hello", "not valid JSON"),
    ("single-quotes", b"{'a': 1}", "not valid JSON"),
    ("two-objects", b"{} {}", "not valid JSON"),
    ("array", b"[1, 2]", "expected a JSON object, got list"),
    ("string", b'"a record"', "expected a JSON object, got str"),
    ("number", b"42", "expected a JSON object, got int"),
    ("null", b"null", "expected a JSON object, got NoneType"),
    ("no-instruction", json.dumps(rec(instruction=DROP)).encode(), "no 'instruction' field"),
    ("no-input", json.dumps(rec(input=DROP)).encode(), "no 'input' field"),
    ("no-output", json.dumps(rec(output=DROP)).encode(), "no 'output' field"),
    ("no-uuid", json.dumps(rec(uuid=DROP)).encode(), "no 'uuid' field"),
    ("no-task-type", json.dumps(rec(task_type=DROP)).encode(), "no 'task_type' field"),
    ("task-type-string", json.dumps(rec(task_type="ASR")).encode(), "task_type must be an object"),
    ("task-type-list", json.dumps(rec(task_type=["ASR"])).encode(), "task_type must be an object"),
    ("task-type-no-minor", json.dumps(rec(task_type={"major": ["x"]})).encode(), "task_type must be an object"),
    ("empty-minor", json.dumps(rec(task_type={"minor": []})).encode(), "task_type.minor is empty"),
    ("null-minor", json.dumps(rec(task_type={"minor": None})).encode(), "task_type.minor is empty"),
    ("latin-1", json.dumps(rec(output="caf\u00e9")).encode().replace(b"\\u00e9", b"\xe9"), "not utf-8 text (byte 0xe9"),
    ("byte-ff", b'{"a": "\xff"}', "not utf-8 text (byte 0xff"),
    ("lone-continuation", b'{"a": "\x80"}', "not utf-8 text (byte 0x80"),
    ("cut-multibyte", b'{"a": "\xe4\xb8"}', "not utf-8 text (byte 0xe4"),
    ("input-soa-unclosed", json.dumps(rec(input="audio: <|SOA|>13_LibriTTS-R_a")).encode(), "unbalanced"),
    ("output-eoa-only", json.dumps(rec(output="x<|EOA|>")).encode(), "the output has unbalanced"),
    ("no-scp-entry", json.dumps(rec(input="<|SOA|>13_LibriTTS-R_nothing<|EOA|>")).encode(), "has no scp entry"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_a_malformed_line_is_an_error_naming_file_and_line(rel, raw, says):
    append(rel, raw)
    Error(ReleaseFormatError, DATA, 2, says).check(rel.root, lambda: read_source("release", rel.root))
    Error(ReleaseFormatError, DATA, 2, says).check(rel.root, lambda: read_source("release", rel.root, "raise"))


@pytest.mark.parametrize("raw,says", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_a_malformed_line_is_skipped_and_counted_once_per_split_reading_it(rel, raw, says):
    append(rel, raw)
    append(rel, json.dumps(rec(uuid="after")).encode())  # the line after it is still read
    records, got = read_source("release", rel.root, "skip")
    assert ids(records) == ["after", "good"]
    # both splits of train_dev/ (train, validation) read every line: one that is not a record is counted by each, loaded alone or
    # together; a train record's own fault (its audio markers) only by train, the split that takes it
    per_split = split_counts("release", rel.root, "malformed metadata line(s)")
    own = any(word in says for word in ("unbalanced", "scp entry"))
    assert per_split == ({"train": 1, "validation": 0} if own else {"train": 1, "validation": 1})
    Skip("malformed metadata line(s)", sum(per_split.values()), f"{DATA}:2").check(got)
    assert says in next(iter(got.entries.values())).first[0]


def test_an_over_long_line_is_an_error_under_every_policy(rel):
    append(rel, b'{"a": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}')
    for policy in (None, "skip"):
        Error(ReleaseFormatError, DATA, 2, "longer than").check(
            rel.root, lambda policy=policy: read_source("release", rel.root, policy)
        )


# records the reader used to drop without a word: (case, changes to a record, reason counted)
DROPPED = [
    ("split-training", {"split": ["training"]}, "split label other than train, dev or test"),
    ("split-eval", {"split": ["eval"]}, "split label other than train, dev or test"),
    ("split-number", {"split": [1]}, "split label other than train, dev or test"),
    ("split-test-in-train-dev", {"split": ["test"]}, "labelled for a split their folder (train_dev) does not hold"),
    ("domain-music-in-speech", {"domain": "music"}, "domain is not speech"),
]


@pytest.mark.parametrize("changes,reason", [c[1:] for c in DROPPED], ids=[c[0] for c in DROPPED])
@pytest.mark.parametrize("policy", [None, "skip"])
def test_a_record_the_reader_does_not_take_is_counted_once_per_split(rel, changes, reason, policy):
    append(rel, json.dumps(rec(**changes)).encode())
    records, got = read_source("release", rel.root, policy)
    assert ids(records) == ["good"]
    # the train and the validation split each read train_dev/'s line and leave it out: each counts it, alone or together
    assert split_counts("release", rel.root, reason, policy) == {"train": 1, "validation": 1}
    Skip(reason, 2, "line 2").check(got)


def test_a_train_record_in_the_test_folder_is_counted(rel):
    rel.jsonl("speech", LIB, [rec(split=["train"])], part="test")
    records, got = read_source("release", rel.root)
    assert ids(records) == ["good"]
    Skip("labelled for a split their folder (test) does not hold", 1, "line 1").check(got)


def test_a_domain_in_another_case_is_read(rel):
    append(rel, json.dumps(rec(uuid="upper", domain="Speech")).encode())
    records, got = read_source("release", rel.root)
    assert ids(records) == ["good", "upper"] and not got


# files the listing does not read are counted; spellings of the layout are read
FILES = [
    ("json-suffix", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/data.json", "not .jsonl"),
    ("txt-suffix", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/notes.txt", "not .jsonl"),
    ("gzipped", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/data.jsonl.gz", "not .jsonl"),
    ("too-deep", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/extra/data.jsonl", "not at metadata/"),
    ("too-shallow", "metadata/speech/understanding/data.jsonl", "not at metadata/"),
    ("wrong-level-name", f"metadata/speech/understanding/train_dev/{LIB}/json/data.jsonl", "not at metadata/"),
    ("eval-folder", f"metadata/speech/understanding/eval/{LIB}/jsonl/data.jsonl", "split folder that is not train_dev"),
    ("in-metadata", "metadata/data.jsonl", "not at metadata/"),
    ("other-domain-name", f"metadata/speech_v2/understanding/train_dev/{LIB}/jsonl/x.jsonl", "not a domain"),
    ("in-music-like-folder", "metadata/musics/a.jsonl", "not a domain"),
]


@pytest.mark.parametrize("path,reason", [c[1:] for c in FILES], ids=[c[0] for c in FILES])
@pytest.mark.parametrize("policy", [None, "raise", "skip"])
def test_a_file_the_listing_does_not_read_is_counted(rel, path, reason, policy):
    target = rel.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(rec(uuid="elsewhere")) + "\n")
    records, got = read_source("release", rel.root, policy)
    assert ids(records) == ["good"]
    Skip(reason, 1, path.split("/", 2)[-1]).check(got)


def by_split(root, policy=None, query=None) -> tuple[dict[str, list[str]], object]:
    """The ids read per split (listing and reading under one load), and the load's report."""
    from audio_flan import report
    from audio_flan.sources import get_sources

    source = get_sources()["release"]
    source = source.narrowed(query) if query is not None else source
    load = report.Load(policy, report.LoadReport("test"))
    with report.active(load):
        shards = source.list_shards(root)
    found = {
        split: sorted(
            str(r["id"]) for shard in shards[split] for r in report.scoped(load, source.read_shard(root, shard))
        )
        for split in shards
    }
    return {split: got for split, got in found.items() if got}, load.report


def asr_query():
    from audio_flan.registry import load_registry

    return load_registry()["speech.asr"].query


# copies laid out by hand that only spell the layout otherwise: read, into the split their folder says
READ = [
    ("no-jsonl-level", f"metadata/speech/understanding/train_dev/{LIB}/more.jsonl", ["train"], "train"),
    ("no-jsonl-level-dev", f"metadata/speech/understanding/train_dev/{LIB}/more.jsonl", ["dev"], "validation"),
    ("upper-suffix", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/more.JSONL", ["train"], "train"),
    ("mixed-case-suffix", f"metadata/speech/understanding/train_dev/{LIB}/jsonl/more.Jsonl", ["train"], "train"),
    ("train-folder", f"metadata/speech/understanding/train/{LIB}/jsonl/more.jsonl", ["train"], "train"),
    ("dev-folder", f"metadata/speech/understanding/dev/{LIB}/jsonl/more.jsonl", ["dev"], "validation"),
    ("dev-folder-unlabelled", f"metadata/speech/understanding/dev/{LIB}/jsonl/more.jsonl", [], "validation"),
    ("train-folder-unlabelled", f"metadata/speech/understanding/train/{LIB}/jsonl/more.jsonl", [], "train"),
    ("upper-split-folder", f"metadata/speech/understanding/Test/{LIB}/jsonl/more.jsonl", ["test"], "test"),
    ("upper-domain-folder", f"metadata/Speech/understanding/train_dev/{LIB}/jsonl/more.jsonl", ["train"], "train"),
    ("all-at-once", f"metadata/SPEECH/understanding/Dev/{LIB}/more.JSONL", [], "validation"),
]


@pytest.mark.parametrize("path,labels,split", [c[1:] for c in READ], ids=[c[0] for c in READ])
@pytest.mark.parametrize("narrowed", [False, True], ids=["every-record", "speech.asr-through-the-index"])
def test_a_layout_spelled_otherwise_is_read(rel, path, labels, split, narrowed):
    target = rel.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(rec(uuid="more", split=labels)) + "\n")
    found, got = by_split(rel.root, query=asr_query() if narrowed else None)
    assert not got, got.text()
    expected = {"train": ["good"]}
    expected[split] = sorted(expected.get(split, []) + ["more"])
    assert found == expected
    records, _ = read_source("release", rel.root)
    assert next(r for r in records if r["id"] == "more")["folder"] == LIB


def test_a_train_record_in_a_dev_folder_is_counted(rel):
    rel.jsonl("speech", LIB, [rec(uuid="t", split=["train"]), rec(uuid="d", split=["dev"])], part="dev")
    found, got = by_split(rel.root)
    assert found == {"train": ["good"], "validation": ["d"]}
    Skip("labelled for a split their folder (dev) does not hold", 1, "line 1").check(got)


def test_a_sound_folder_is_read_as_the_audio_domain(rel):
    (rel.root / "metadata/sound/understanding/test/17_ESC").mkdir(parents=True)
    inp = "<|SOA|>13_LibriTTS-R_a<|EOA|>"
    line = json.dumps(record("snd", "Sound Event Classification", domain="sound", inp=inp, split=["test"]))
    (rel.root / "metadata/sound/understanding/test/17_ESC/x.jsonl").write_text(line + "\n")
    found, got = by_split(rel.root)
    assert found == {"train": ["good"], "test": ["snd"]} and not got


@pytest.mark.parametrize(
    "path",
    [
        f"metadata/speech/understanding/train_dev/{LIB}/jsonl/other.jsonl",
        f"metadata/speech/understanding/train_dev/{LIB}/other.jsonl",
        f"metadata/speech/understanding/train_dev/{LIB}/jsonl/other.JSONL",
    ],
    ids=["in-jsonl", "in-corpus-folder", "upper-suffix"],
)
@pytest.mark.parametrize("holding", [False, True], ids=["empty", "holding-a-file"])
@pytest.mark.parametrize("policy", [None, "raise", "skip"])
def test_a_folder_named_like_a_metadata_file_is_an_error(rel, path, holding, policy):
    (rel.root / path).mkdir()
    if holding:
        (rel.root / path / "data.jsonl").write_text(json.dumps(rec(uuid="inside")) + "\n")
    Error(ReleaseFormatError, path, None, "a folder, where a metadata file (JSON lines) is expected").check(
        rel.root, lambda: read_source("release", rel.root, policy)
    )


def test_the_release_is_detected_with_a_domain_folder_in_another_case(tmp_path):
    from audio_flan.sources.release import detect

    rel = Release(tmp_path / "release")
    rel.jsonl("speech", LIB, [rec(uuid="x")])
    (rel.root / "metadata/speech").rename(rel.root / "metadata/Speech")
    assert detect(rel.root)
    (rel.root / "metadata/Speech").rename(rel.root / "metadata/notes")
    assert not detect(rel.root)


# ------------------------------------------------------------------------------------------ scp files

SCP = f"scp_files/speech/{LIB}.scp"

BAD_SCP = [
    ("one-column", b"13_LibriTTS-R_b", 2, "expected '<audio id> <relative path>'"),
    ("absolute", b"13_LibriTTS-R_b /etc/passwd", 2, "leaves the dataset root"),
    ("dot-dot", b"13_LibriTTS-R_b audio_files/../../x.wav", 2, "leaves the dataset root"),
    ("windows-drive", b"13_LibriTTS-R_b C:/x.wav", 2, "leaves the dataset root"),
    (
        "not-utf8",
        b"13_LibriTTS-R_b audio_files/\xe9.wav",
        2,
        "not UTF-8 text (byte 0xe9 at column 29); expected '<audio",
    ),
    ("not-utf8-id", b"13_LibriTTS-R_\xff b.wav", 2, "not UTF-8 text (byte 0xff at column 15); expected '<audio"),
]


@pytest.mark.parametrize("line,line_no,says", [c[1:] for c in BAD_SCP], ids=[c[0] for c in BAD_SCP])
def test_a_bad_scp_line_is_an_error_naming_file_and_line(rel, line, line_no, says):
    append(rel, line, SCP)
    append(rel, json.dumps(rec(input="<|SOA|>13_LibriTTS-R_b<|EOA|>")).encode())
    Error(ReleaseFormatError, SCP, line_no, says).check(rel.root, lambda: read_source("release", rel.root))


@pytest.mark.parametrize("policy", [None, "raise", "skip"])
def test_an_over_long_scp_line_is_an_error_under_every_policy(rel, policy):
    append(rel, b"13_LibriTTS-R_b " + b"x" * (MAX_LINE_BYTES + 5), SCP)
    append(rel, b"13_LibriTTS-R_c c.wav", SCP)
    append(rel, json.dumps(rec(uuid="c", input="<|SOA|>13_LibriTTS-R_c<|EOA|>")).encode())
    Error(ReleaseFormatError, SCP, 2, f"longer than {MAX_LINE_BYTES} bytes; expected '<audio id>").check(
        rel.root, lambda: read_source("release", rel.root, policy)
    )


def test_a_malformed_scp_line_is_counted_under_skip(rel):
    append(rel, b"13_LibriTTS-R_b audio_files/\xe9.wav", SCP)
    append(rel, json.dumps(rec(uuid="b", input="<|SOA|>13_LibriTTS-R_b<|EOA|>")).encode())
    records, got = read_source("release", rel.root, "skip")
    assert ids(records) == ["good"]
    Skip("malformed metadata line(s)", 1, f"{SCP}:2: not UTF-8 text (byte 0xe9").check(got)


def test_an_scp_entry_through_a_symlink_leaving_the_root_is_refused(rel, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.wav").write_bytes((rel.root / "audio_files/speech" / LIB / "a.wav").read_bytes())
    os.symlink(outside, rel.root / "audio_files/speech/escape")
    rel.scp_line("speech", LIB, "13_LibriTTS-R_s audio_files/speech/escape/secret.wav")
    append(rel, json.dumps(rec(uuid="s", input="<|SOA|>13_LibriTTS-R_s<|EOA|>")).encode())
    Error(ReleaseFormatError, SCP, 2, "outside the dataset root").check(
        rel.root, lambda: read_source("release", rel.root)
    )
    records, got = read_source("release", rel.root, "skip")
    assert ids(records) == ["good"]
    Skip("malformed metadata line(s)", 1, "outside the dataset root").check(got)


def test_an_audio_file_symlinked_out_of_the_root_is_refused(rel, tmp_path):
    (tmp_path / "elsewhere.wav").write_bytes(b"RIFF")
    os.symlink(tmp_path / "elsewhere.wav", rel.root / "audio_files/speech" / LIB / "link.wav")
    rel.scp_line("speech", LIB, "13_LibriTTS-R_l audio_files/speech/13_LibriTTS-R/link.wav")
    append(rel, json.dumps(rec(uuid="l", input="<|SOA|>13_LibriTTS-R_l<|EOA|>")).encode())
    Error(ReleaseFormatError, SCP, 2, "outside the dataset root").check(
        rel.root, lambda: read_source("release", rel.root)
    )


def test_a_symlink_that_stays_inside_the_root_is_fine(rel):
    os.symlink(rel.root / "audio_files/speech" / LIB, rel.root / "audio_files/speech/alias")
    rel.scp_line("speech", LIB, "13_LibriTTS-R_in audio_files/speech/alias/a.wav")
    append(rel, json.dumps(rec(uuid="in", input="<|SOA|>13_LibriTTS-R_in<|EOA|>")).encode())
    records, got = read_source("release", rel.root)
    assert ids(records) == ["good", "in"] and not got


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize("policy", [None, "skip"])
def test_an_scp_that_is_not_a_regular_file_is_refused(rel, kind, policy):
    scp = rel.root / "scp_files/speech/99_Other.scp"
    os.mkfifo(scp) if kind == "fifo" else scp.mkdir()
    rel.jsonl("speech", "99_Other", [rec(uuid="o", input="<|SOA|>99_Other_x<|EOA|>")])
    # refused before it is opened (opening a named pipe would block), whatever the policy: it is not an item
    Error(ReleaseFormatError, "scp_files/speech/99_Other.scp", None, "not a regular file").check(
        rel.root, lambda: read_source("release", rel.root, policy)
    )


@pytest.mark.parametrize("policy", [None, "skip"])
def test_a_jsonl_that_is_a_named_pipe_is_refused(rel, policy):
    path = rel.root / f"metadata/speech/understanding/train_dev/{LIB}/jsonl/other.jsonl"
    os.mkfifo(path)  # (a folder named so: test_a_folder_named_like_a_metadata_file_is_an_error)
    Error(ReleaseFormatError, str(path.relative_to(rel.root)), None, "not a regular file").check(
        rel.root, lambda: read_source("release", rel.root, policy)
    )


def test_a_missing_audio_is_counted_by_default_and_an_error_under_raise(rel):
    from audio_flan.sources.readers import MissingAudioError

    rel.scp_line("speech", LIB, "13_LibriTTS-R_gone audio_files/speech/13_LibriTTS-R/gone.wav")
    append(rel, json.dumps(rec(uuid="g", input="<|SOA|>13_LibriTTS-R_gone<|EOA|>")).encode())
    records, got = read_source("release", rel.root)
    assert ids(records) == ["good"]
    Skip("record(s) whose audio file is missing", 1, "gone.wav").check(got)
    with pytest.raises(MissingAudioError, match="gone.wav"):
        read_source("release", rel.root, "raise")


def test_a_bad_scp_line_is_reported_the_same_on_every_later_lookup(rel):
    rel.scp_line("speech", LIB, "13_LibriTTS-R_b")
    append(rel, json.dumps(rec(uuid="b", input="<|SOA|>13_LibriTTS-R_b<|EOA|>")).encode())
    for _ in range(2):  # the scp reader is shared between loads: the second sees the same fault, not past it
        Error(ReleaseFormatError, SCP, 2, "expected '<audio id>").check(
            rel.root, lambda: read_source("release", rel.root)
        )


def _fix_b(rel):
    scp = rel.root / SCP
    scp.write_text(
        scp.read_text().replace("13_LibriTTS-R_b\n", "13_LibriTTS-R_b audio_files/speech/13_LibriTTS-R/a.wav\n")
    )


@pytest.mark.parametrize("narrowed", [False, True], ids=["every-record", "speech.asr-through-the-index"])
def test_an_scp_edited_between_loads_is_read_again(rel, narrowed):
    rel.scp_line("speech", LIB, "13_LibriTTS-R_b")
    append(rel, json.dumps(rec(uuid="b", input="<|SOA|>13_LibriTTS-R_b<|EOA|>")).encode())
    query = asr_query() if narrowed else None
    with pytest.raises(ReleaseFormatError, match="expected '<audio id>"):
        by_split(rel.root, query=query)
    _fix_b(rel)
    found, got = by_split(rel.root, query=query)
    assert found == {"train": ["b", "good"]} and not got


def test_an_scp_edited_to_the_same_size_is_read_again(rel):
    rel.scp_line("speech", LIB, "13_LibriTTS-R_b audio_files/speech/13_LibriTTS-R/gone.wav")
    append(rel, json.dumps(rec(uuid="b", input="<|SOA|>13_LibriTTS-R_b<|EOA|>")).encode())
    found, got = by_split(rel.root)
    Skip("record(s) whose audio file is missing", 1, "gone.wav").check(got)
    scp = rel.root / SCP
    before = scp.stat()
    first, second = scp.read_text().splitlines(keepends=True)
    # the same size, the lines swapped (the old index's offsets now point at the other id); trailing blanks not read
    scp.write_text(second.replace("gone.wav", "a.wav   ") + first)
    assert scp.stat().st_size == before.st_size
    os.utime(scp, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))  # a coarse clock could tie
    found, got = by_split(rel.root)
    assert found == {"train": ["b", "good"]} and not got


def test_an_scp_added_between_loads_is_found(rel):
    rel.jsonl("speech", "20_Other", [rec(uuid="o", input="<|SOA|>20_Other_x<|EOA|>")])
    with pytest.raises(ReleaseFormatError, match="has no scp entry"):
        by_split(rel.root)
    rel.scp_line("speech", "20_Other", "20_Other_x audio_files/speech/13_LibriTTS-R/a.wav")
    found, got = by_split(rel.root)
    assert found == {"train": ["good", "o"]} and not got
