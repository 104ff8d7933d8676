"""Property-based fuzzing of every metadata reader and the scp reader: arbitrary bytes give a record, a counted skip
or one of the documented errors (``CorpusFormatError`` and its subclasses), never another exception or a hang.
Examples are bounded (the whole module runs in well under a minute) and hypothesis's deadline is off (the machines
that run it are shared)."""

from __future__ import annotations

import atexit
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_flan import report
from audio_flan.sources import esc50, libritts_r, nsynth, release
from audio_flan.sources.base import CorpusFormatError
from audio_flan.sources.readers import Skips, csv_rows, read_json, text_lines

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


class FuzzError(CorpusFormatError):
    pass


_BASE = tempfile.TemporaryDirectory(prefix="af-fuzz-")  # removed when the module is done with it
atexit.register(_BASE.cleanup)


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(dir=_BASE.name))


# bytes that look like metadata more often than uniform bytes do: separators, quotes, newlines, BOM, non-UTF-8
PIECES = [b"\n", b"\r\n", b"\t", b",", b"|", b";", b'"', b"'", b"{", b"}", b"[", b"]", b":", b" ", b"\xef\xbb\xbf"]
PIECES += [b"\xe9", b"\xff", b"\x00", b"19_198_000000_000000", b"1-1-A-0.wav", b"<|SOA|>", b"<|EOA|>", b"true", b"1"]
METADATA = st.one_of(st.binary(max_size=400), st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join))


def _consume(make) -> None:
    """Run a reader to its end; only the documented errors may come out."""
    try:
        result = make()
        if hasattr(result, "__next__"):
            for _ in result:
                pass
    except CorpusFormatError:
        pass


def _skipping(make) -> None:
    """The same under on_error="skip": what is skipped is counted, file-level faults are still errors."""
    load = report.Load("skip", report.LoadReport())
    with report.active(load):
        _consume(make)


@FUZZ
@given(METADATA)
def test_text_lines(data):
    path = _tmp() / "x.txt"
    path.write_bytes(data)
    _consume(lambda: text_lines(path, FuzzError))


@FUZZ
@given(METADATA, st.sampled_from([",", "\t", "|"]))
def test_csv_rows(data, delimiter):
    path = _tmp() / "x.csv"
    path.write_bytes(data)
    _consume(lambda: csv_rows(path, FuzzError, delimiter=delimiter, required=("a", "b")))
    _consume(lambda: csv_rows(path, FuzzError, delimiter=delimiter, columns=("a", "b", "c")))


@FUZZ
@given(METADATA)
def test_read_json(data):
    path = _tmp() / "x.json"
    path.write_bytes(data)
    _consume(lambda: read_json(path, FuzzError))


@FUZZ
@given(METADATA)
def test_libritts_speakers_and_transcripts(data):
    folder = _tmp()
    (folder / "SPEAKERS.txt").write_bytes(b";ID |SEX| SUBSET |MINUTES| NAME\n" + data)
    (folder / "19_198.trans.tsv").write_bytes(data)
    _consume(lambda: libritts_r.read_speakers(folder / "SPEAKERS.txt"))
    _skipping(lambda: libritts_r.read_speakers(folder / "SPEAKERS.txt", Skips("fuzz")))
    _consume(lambda: libritts_r.read_transcript(folder / "19_198.trans.tsv", "19", "198"))


@FUZZ
@given(METADATA)
def test_esc50_rows(data):
    path = _tmp() / "esc50.csv"
    path.write_bytes(b"filename,fold,target,category,esc10,src_file,take\n" + data)
    _consume(lambda: esc50.read_rows(path))


@FUZZ
@given(
    st.one_of(
        METADATA,
        st.dictionaries(
            st.text(max_size=8),
            st.dictionaries(
                st.sampled_from(
                    [
                        "pitch",
                        "velocity",
                        "instrument_str",
                        "instrument_family_str",
                        "instrument_source_str",
                        "qualities_str",
                        "note_str",
                    ]
                ),
                st.one_of(
                    st.integers(-5, 200), st.text(max_size=5), st.lists(st.text(max_size=3), max_size=3), st.none()
                ),
            ),
            max_size=4,
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_nsynth_examples(data):
    folder = _tmp()
    (folder / "audio").mkdir()
    (folder / "examples.json").write_bytes(data)

    def every_note():
        notes = nsynth.load_examples(folder / "examples.json")
        for key, note in notes.items():
            nsynth.make_record(folder / "examples.json", key, note, folder)

    _consume(every_note)


RECORD = {
    "instruction": "Do.",
    "input": "audio: <|SOA|>13_X_a<|EOA|>",
    "output": "x",
    "uuid": "u",
    "split": ["train"],
    "task_type": {"minor": ["ASR"]},
    "domain": "speech",
}


def _release(data: bytes, scp: bytes) -> Path:
    root = _tmp() / "release"
    meta = root / "metadata/speech/understanding/train_dev/13_X/jsonl"
    meta.mkdir(parents=True)
    (meta / "data.jsonl").write_bytes(json.dumps(RECORD).encode() + b"\n" + data)
    (root / "scp_files/speech").mkdir(parents=True)
    (root / "scp_files/speech/13_X.scp").write_bytes(scp)
    (root / "audio_files/speech/13_X").mkdir(parents=True)
    (root / "audio_files/speech/13_X/a.wav").write_bytes(b"RIFF")
    return root


def _read_release(root: Path) -> None:
    for shards in release.list_shards(root).values():
        for shard in shards:
            for _ in release.read_shard(root, shard):
                pass


@FUZZ
@given(METADATA)
def test_release_jsonl(data):
    root = _release(data, b"13_X_a audio_files/speech/13_X/a.wav\n")
    _consume(lambda: _read_release(root))
    _skipping(lambda: _read_release(root))


@FUZZ
@given(METADATA)
def test_scp_reader(data):
    root = _release(b"", data + b"\n13_X_a audio_files/speech/13_X/a.wav\n")
    _consume(lambda: release.ScpFile(str(root / "scp_files/speech/13_X.scp")).find("13_X_a", "zzz"))
    _consume(lambda: _read_release(root))
    _skipping(lambda: _read_release(root))
