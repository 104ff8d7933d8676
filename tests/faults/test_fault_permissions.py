"""Folders and files the user cannot read, tested as a user who is not root: the tests run as root (here and in
CI), for whom permissions are no obstacle, so each case runs in a subprocess that drops to ``nobody`` first. The
answer is always a sentence naming what cannot be read, never a traceback, an empty dataset or another folder.

Not root, the subprocess runs as the current user; the test is skipped only then, and only if removing the read
permission does not take effect (a user allowed to read anything)."""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from corpora import esc50 as esc50_corpus
from corpora import libritts_r as libritts_corpus
from corpora import nsynth as nsynth_corpus
from corpora.release import Release, record

import audio_flan

RUNNER = r"""
import contextlib, json, sys, warnings
warnings.simplefilter("ignore")
import datasets.streaming
# datasets 3.6 locks a file beside the folder holding the builder's package when it streams; the checkout is not
# writable by this user, and that lock has nothing to do with what is tested here
if hasattr(datasets.streaming, "lock_importable_file"):
    datasets.streaming.lock_importable_file = lambda *args, **kwargs: contextlib.nullcontext()
mode, config, data_dir = sys.argv[1:4]
try:
    if mode == "stream":
        from audio_flan.builder import AudioFlan
        builder = AudioFlan(config_name=config, data_dir=data_dir)
        for split in ("train", "validation", "test"):
            try:
                examples = list(builder.as_streaming_dataset(split=split))
            except ValueError as err:
                if "Bad split" in str(err) or "Unknown split" in str(err):
                    continue
                raise
            for e in examples:
                for a in e["input_audios"] + e["output_audios"]:
                    a["array"]
        print(json.dumps({"kind": "ok", "message": ""}))
    else:
        from audio_flan.cli import main
        code = main(["preview", config, "--data-dir", data_dir, "-n", "100"])
        print(json.dumps({"kind": f"exit {code}", "message": ""}))
except Exception as err:
    print(json.dumps({"kind": type(err).__name__, "message": str(err)}))
"""


def _nobody() -> pwd.struct_passwd:
    return pwd.getpwnam("nobody")


def _reachable(paths: list[str], opened: list[tuple[str, int]]) -> None:
    """Let another user reach ``paths`` (the interpreter, the package): o+x on every folder above them, noted in
    ``opened`` to be put back."""
    for path in paths:
        for parent in [Path(path).resolve(), *Path(path).resolve().parents]:
            if parent.is_dir():
                mode = parent.stat().st_mode
                if not mode & stat.S_IXOTH:
                    opened.append((str(parent), stat.S_IMODE(mode)))
                    os.chmod(parent, stat.S_IMODE(mode) | stat.S_IXOTH | stat.S_IROTH)


def _guard():
    """An exclusive lock shared by every run of these tests on the machine (None if this user cannot take it)."""
    path = os.path.join(tempfile.gettempdir(), "audio-flan-permission-tests.lock")
    try:
        guard = open(path, "a")
        if os.stat(path).st_uid == os.geteuid():
            os.chmod(path, 0o666)
    except OSError:
        return None
    fcntl.flock(guard, fcntl.LOCK_EX)
    return guard


@pytest.fixture
def other_user():
    """``run(mode, config, data_dir)`` runs the runner as a user who is not root; the outcome as a dict."""
    opened: list[tuple[str, int]] = []
    root = os.geteuid() == 0
    # test runs on one machine (two datasets versions at once) must not put the modes back under each other
    guard = _guard()
    if root:
        _reachable([os.path.realpath(sys.executable), sys.prefix, os.path.dirname(audio_flan.__file__)], opened)
    cache = tempfile.mkdtemp(prefix="af-perm-cache-")
    os.chmod(cache, 0o777)

    def drop():
        user = _nobody()
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    def run(mode: str, config: str, data_dir: Path) -> dict:
        env = dict(os.environ, HF_DATASETS_CACHE=cache, HOME=cache, HF_HOME=cache, PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, mode, config, str(data_dir)],
            preexec_fn=drop if root else None,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["stderr"] = done.stderr
        return result

    yield run
    for path, mode in reversed(opened):
        os.chmod(path, mode)
    shutil.rmtree(cache, ignore_errors=True)
    if guard is not None:
        fcntl.flock(guard, fcntl.LOCK_UN)
        guard.close()


@pytest.fixture
def shared():
    """A folder every user can read, for the data (pytest's tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="af-perm-"))
    os.chmod(base, 0o755)
    yield base
    for folder, subfolders, _ in os.walk(base):
        for name in subfolders:
            os.chmod(os.path.join(folder, name), 0o755)
    shutil.rmtree(base, ignore_errors=True)


def open_to_all(base: Path) -> None:
    for folder, _subfolders, files in os.walk(base):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def lock(path: Path) -> None:
    os.chmod(path, 0)
    if os.geteuid() != 0 and os.access(path, os.R_OK):
        pytest.skip("removing the read permission has no effect for this user")


def release(base: Path) -> Release:
    rel = Release(base / "release")
    a = rel.audio("speech", "13_LibriTTS-R", "a")
    rel.jsonl("speech", "13_LibriTTS-R", [record("one", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>")])
    return rel


def test_an_unreadable_data_dir(other_user, shared):
    rel = release(shared)
    open_to_all(shared)
    lock(rel.root)
    got = other_user("stream", "speech.asr", rel.root)
    assert got["kind"] == "SourceError"
    assert got["message"] == f"data_dir {rel.root} cannot be listed (Permission denied)"


LIBRITTS = [
    ("subset-folder", "train-clean-100", "UnreadableError", "{p}: cannot list this folder (Permission denied)"),
    ("speaker-folder", "train-clean-100/19", "UnreadableError", "{p}: cannot list this folder (Permission denied)"),
    ("chapter-folder", "train-clean-100/19/198", "UnreadableError", "{p}: cannot list this folder (Permission denied)"),
    (
        "transcript",
        "train-clean-100/19/198/19_198.trans.tsv",
        "LibriTTSFormatError",
        "{p}: cannot be read (Permission denied)",
    ),
    ("speakers", "SPEAKERS.txt", "LibriTTSFormatError", "{p}: cannot be read (Permission denied)"),
    ("audio", "train-clean-100/19/198/19_198_000000_000000.wav", "AudioDecodeError", "cannot decode audio {p}: "),
]


@pytest.mark.parametrize("rel,kind,says", [c[1:] for c in LIBRITTS], ids=[c[0] for c in LIBRITTS])
def test_libritts_an_unreadable_part_is_named(other_user, shared, rel, kind, says):
    corpus = libritts_corpus.build(shared / "data")
    open_to_all(shared)
    target = corpus.root / rel
    lock(target)
    got = other_user("stream", "speech.asr", corpus.data_dir)
    assert got["kind"] == kind, got
    assert got["message"].startswith(says.format(p=target)), got


def test_release_an_unreadable_metadata_folder_is_named(other_user, shared):
    rel = release(shared)
    open_to_all(shared)
    target = rel.root / "metadata/speech/understanding"
    lock(target)
    got = other_user("stream", "speech.asr", rel.root)
    assert (got["kind"], got["message"]) == (
        "UnreadableError",
        f"{target}: cannot list this folder (Permission denied); the release must be readable",
    )


@pytest.mark.parametrize(
    "rel",
    ["metadata/speech/understanding/train_dev/13_LibriTTS-R/jsonl/data.jsonl", "scp_files/speech/13_LibriTTS-R.scp"],
)
def test_release_an_unreadable_file_is_named(other_user, shared, rel):
    data = release(shared)
    open_to_all(shared)
    lock(data.root / rel)
    got = other_user("stream", "speech.asr", data.root)
    kind = "ScpFileError" if rel.endswith(".scp") else "ReleaseFormatError"  # (a ReleaseFormatError: every policy)
    assert (got["kind"], got["message"]) == (kind, f"{data.root / rel}: cannot be read (Permission denied)")


def test_esc50_an_unreadable_csv_is_named(other_user, shared):
    corpus = esc50_corpus.build(shared / "data")
    open_to_all(shared)
    path = corpus.root / "meta/esc50.csv"
    lock(path)
    got = other_user("stream", "audio.sound_event_recognition", corpus.data_dir)
    assert (got["kind"], got["message"]) == ("ESC50FormatError", f"{path}: cannot be read (Permission denied)")


def test_an_unreadable_data_dir_subfolder_holding_the_only_corpus_is_named(other_user, shared):
    corpus = esc50_corpus.build(shared / "data")
    open_to_all(shared)
    lock(corpus.root)
    got = other_user("stream", "audio.sound_event_recognition", corpus.data_dir)
    assert got["kind"] == "SourceError", got
    assert got["message"].endswith(f"Could not look into (permission denied): {corpus.root}")


def test_nsynth_an_unreadable_examples_json_is_named(other_user, shared):
    corpus = nsynth_corpus.build(shared / "data", splits=("nsynth-train",), train_notes=8)
    open_to_all(shared)
    path = corpus.root / "examples.json"
    lock(path)
    got = other_user("stream", "music.pitch_classification", corpus.data_dir)
    assert (got["kind"], got["message"]) == ("NSynthFormatError", f"{path}: cannot be read (Permission denied)")


def test_an_unreadable_folder_beside_the_corpus_is_no_obstacle(other_user, shared):
    rel = release(shared / "data")
    (shared / "data" / "lost+found").mkdir()
    open_to_all(shared)
    lock(shared / "data" / "lost+found")
    got = other_user("stream", "speech.asr", shared / "data")
    assert got["kind"] == "ok", got
    assert rel.root.is_dir()


def test_preview_of_an_unreadable_folder_is_a_sentence_naming_it(other_user, shared):
    corpus = libritts_corpus.build(shared / "data")
    open_to_all(shared)
    target = corpus.root / "train-clean-100/19"
    lock(target)
    got = other_user("preview", "speech.asr", corpus.data_dir)
    assert got["kind"] == "exit 1", got
    assert f"error: {target}: cannot list this folder (Permission denied)" in got["stderr"]
    assert "Traceback" not in got["stderr"]
