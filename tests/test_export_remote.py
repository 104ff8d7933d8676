"""An export to a URL (any fsspec filesystem): made in a work folder, then mirrored; the same bytes as a local
export, nothing re-sent that is already there, stale files of ours removed, nothing else touched."""

from __future__ import annotations

import posixpath
import uuid

import fsspec
import pytest

from audio_flan import export_remote
from audio_flan.export import export
from audio_flan.export_folder import LEDGER, ExportError

QUIET = {"progress": False, "log": lambda message: None}


def _url() -> str:
    return f"memory://audio-flan-test-{uuid.uuid4().hex}/hub"


def _remote_files(url: str) -> dict[str, bytes]:
    fs, root = fsspec.core.url_to_fs(url)
    return {posixpath.relpath(p, root): fs.cat_file(p) for p in fs.find(root)}


def _local_files(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).parts[0].startswith(".audio-flan-export")
    }


def test_a_url_export_holds_the_bytes_of_a_local_export(tmp_path):
    url = _url()
    local = tmp_path / "local"
    export(local, configs=["speech.asr", "music.pitch_classification"], **QUIET)
    export(url, configs=["speech.asr", "music.pitch_classification"], work_dir=tmp_path / "work", **QUIET)
    remote = _remote_files(url)
    assert LEDGER in remote
    del remote[LEDGER]
    assert remote == _local_files(local)
    assert any(name.endswith(".parquet") for name in remote)


def test_a_second_run_sends_nothing_and_a_killed_upload_resumes(tmp_path, monkeypatch):
    url, work = _url(), tmp_path / "work"
    configs = ["speech.asr"]
    real_put = export_remote._put_file
    sent: list[str] = []

    def dies_after_one(fs, local, path):
        if sent:
            fs.pipe_file(f"{path}.tmp-4242", b"half a file")  # what a killed upload leaves
            raise KeyboardInterrupt
        sent.append(path)
        real_put(fs, local, path)

    monkeypatch.setattr(export_remote, "_put_file", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        export(url, configs=configs, work_dir=work, **QUIET)
    monkeypatch.setattr(export_remote, "_put_file", real_put)
    logged: list[str] = []
    export(url, configs=configs, work_dir=work, progress=False, log=logged.append)
    remote = _remote_files(url)
    assert not [n for n in remote if ".tmp-" in n]
    del remote[LEDGER]
    assert remote == _local_files(work)
    assert "1 already there" in logged[-1]  # the file sent before the kill is not sent again
    logged.clear()
    export(url, configs=configs, work_dir=work, progress=False, log=logged.append)
    assert f"0 file(s) uploaded, {len(remote)} already there, 0 removed" in logged[-1]


def test_stale_files_of_ours_are_removed_and_nothing_else(tmp_path):
    url = _url()
    export(url, configs=["speech.asr", "speech.tts"], work_dir=tmp_path / "work", **QUIET)
    fs, root = fsspec.core.url_to_fs(url)
    fs.pipe_file(posixpath.join(root, "speech.asr", "mine.parquet"), b"a user's file")
    fs.pipe_file(posixpath.join(root, "notes.txt"), b"a user's notes")
    asr = [n for n in _remote_files(url) if n.startswith("speech.asr/") and n != "speech.asr/mine.parquet"]
    assert asr
    export(url, configs=["speech.tts"], work_dir=tmp_path / "work", prune=True, **QUIET)
    remote = _remote_files(url)
    assert not [n for n in asr if n in remote]
    assert remote["speech.asr/mine.parquet"] == b"a user's file" and remote["notes.txt"] == b"a user's notes"
    assert any(n.startswith("speech.tts/") for n in remote)


def test_a_url_that_holds_other_files_is_refused(tmp_path):
    url = _url()
    fs, root = fsspec.core.url_to_fs(url)
    fs.pipe_file(posixpath.join(root, "README.md"), b"someone else's dataset")
    with pytest.raises(ExportError, match="holds no export ledger"):
        export(url, configs=["speech.asr"], work_dir=tmp_path / "work", **QUIET)
    assert fs.cat_file(posixpath.join(root, "README.md")) == b"someone else's dataset"


def test_a_protocol_whose_package_is_missing_is_named_before_any_work(tmp_path):
    try:
        import s3fs  # noqa: F401
    except ImportError:
        with pytest.raises(ExportError, match="s3fs"):
            export("s3://bucket/audio-flan", configs=["speech.asr"], work_dir=tmp_path / "work", **QUIET)
        assert not (tmp_path / "work").exists()
    with pytest.raises(ExportError, match="protocol|not known|unknown"):
        export("nosuchfs://x/y", configs=["speech.asr"], work_dir=tmp_path / "work", **QUIET)


def test_the_ray_engine_refuses_a_url_its_workers_cannot_reach(tmp_path):
    with pytest.raises(ExportError, match="Ray's workers cannot reach it"):
        export(_url(), configs=["speech.asr"], engine="ray", **QUIET)


def test_the_ray_engine_to_a_url_refuses_a_work_dir_it_would_not_use(tmp_path):
    with pytest.raises(ExportError, match="leave --work-dir out"):
        export(f"local://{tmp_path / 'out'}", configs=["speech.asr"], engine="ray", work_dir=tmp_path / "w", **QUIET)
    assert not (tmp_path / "w").exists() and not (tmp_path / "out").exists()


def test_file_urls_are_local_paths(tmp_path):
    result = export(f"file://{tmp_path / 'out'}", configs=["speech.asr"], **QUIET)
    assert result.out == tmp_path / "out" and any((tmp_path / "out" / "speech.asr").glob("*.parquet"))
