"""The Ray engine's export to a URL, without Ray: every job commits to the URL's own staging area
(``URL/.audio-flan-export/``) from a scratch folder, manifests and markers last, and the driver places the final
names there. The engine is swapped for the caller's process so that the staging logic runs here, against a
``local://`` URL (fsspec's local filesystem reached through a URL, as every Ray worker reaches it in
``tests/test_export_ray.py``)."""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
import tempfile

import fsspec
import pytest

from audio_flan import export_engines, export_remote
from audio_flan.export import SCRATCH, STAGING, export
from audio_flan.export_folder import LEDGER, ExportError

QUIET = {"progress": False, "log": lambda message: None}
CONFIGS = ["speech.asr", "music.pitch_classification"]


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """``engine="ray"`` runs its jobs here, one after another: the same functions Ray would run."""
    monkeypatch.setattr(export_engines, "make", lambda engine, num_proc, address: export_engines.LocalEngine(1))


def _files(url: str) -> dict[str, bytes]:
    fs, root = fsspec.core.url_to_fs(url)
    return {posixpath.relpath(p, root): fs.cat_file(p) for p in fs.find(root)}


def _local(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).parts[0].startswith(".audio-flan-export")
    }


@pytest.fixture(scope="module")
def local_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("local") / "audio-flan"
    export(folder, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    return _local(folder)


def test_the_url_holds_the_bytes_of_a_local_export_and_a_ledger_of_their_digests(tmp_path, local_export):
    url = f"local://{tmp_path}/hub"
    logged: list[str] = []
    result = export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, progress=False, log=logged.append)
    first = _files(url)
    remote = dict(first)
    ledger = json.loads(remote.pop(LEDGER))["files"]
    assert remote == local_export
    assert set(ledger) == set(remote)
    assert all(ledger[n] == export_remote.sha256(tmp_path / "hub" / n) for n in remote)
    assert not (tmp_path / "hub" / STAGING).exists()
    assert f"2 configs written to {url}" in "\n".join(logged) and result.url == url
    # nothing is copied again on a second run
    logged.clear()
    export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, progress=False, log=logged.append)
    assert "0 Parquet file(s) placed" in logged[-1] and _files(url) == first


def test_a_job_killed_before_its_manifest_is_redone_and_the_rest_resumed(tmp_path, local_export, monkeypatch):
    url = f"local://{tmp_path}/hub"
    real = export_remote.upload
    manifests: list[str] = []

    def dies_at_the_third_manifest(fs, local, path):
        if path.endswith(".json") and "/unit-" in path:
            if len(manifests) == 2:
                raise KeyboardInterrupt  # the unit's data is uploaded, its manifest not
            manifests.append(path)
        real(fs, local, path)

    monkeypatch.setattr(export_remote, "upload", dies_at_the_third_manifest)
    with pytest.raises(KeyboardInterrupt):
        export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, **QUIET)
    staged = [p for p in _files(url) if p.startswith(STAGING) and "/unit-" in p]
    assert sum(p.endswith(".json") for p in staged) == 2 and any(p.endswith(".arrow") for p in staged)
    assert not any(not p.startswith(STAGING) for p in _files(url))  # nothing placed yet
    monkeypatch.setattr(export_remote, "upload", real)
    logged: list[str] = []
    export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, progress=False, log=logged.append)
    assert any(line.startswith("resuming: 2 of ") for line in logged)
    remote = _files(url)
    del remote[LEDGER]
    assert remote == local_export


def test_a_killed_finish_leaves_no_half_file_and_resumes(tmp_path, local_export, monkeypatch):
    url = f"local://{tmp_path}/hub"
    real = export_remote.copy_into_place
    copied: list[str] = []

    def dies_at_the_second_copy(fs, src, dst):
        if copied:
            fs.pipe_file(f"{dst}.tmp-4242", b"half a file")  # what a killed copy leaves
            raise KeyboardInterrupt
        copied.append(dst)
        real(fs, src, dst)

    monkeypatch.setattr(export_remote, "copy_into_place", dies_at_the_second_copy)
    with pytest.raises(KeyboardInterrupt):
        export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, **QUIET)
    monkeypatch.setattr(export_remote, "copy_into_place", real)
    logged: list[str] = []
    export(url, configs=CONFIGS, engine="ray", row_group_mb=0.05, progress=False, log=logged.append)
    assert "resuming:" in "\n".join(logged)
    remote = _files(url)
    assert not [n for n in remote if ".tmp-" in n]
    del remote[LEDGER]
    assert remote == local_export


def test_stale_files_of_ours_go_others_stay_and_fewer_configs_need_prune(tmp_path):
    url = f"local://{tmp_path}/hub"
    export(url, configs=CONFIGS, engine="ray", **QUIET)
    (tmp_path / "hub" / "speech.asr" / "mine.parquet").write_bytes(b"a user's file")
    asr = [n for n in _files(url) if n.startswith("speech.asr/") and n != "speech.asr/mine.parquet"]
    with pytest.raises(ExportError, match="--prune"):
        export(url, configs=["music.pitch_classification"], engine="ray", **QUIET)
    export(url, configs=["music.pitch_classification"], engine="ray", prune=True, **QUIET)
    remote = _files(url)
    assert asr and not [n for n in asr if n in remote]
    assert remote["speech.asr/mine.parquet"] == b"a user's file"
    assert set(json.loads(remote[LEDGER])["files"]) == {
        n for n in remote if n not in (LEDGER, "speech.asr/mine.parquet")
    }


def test_a_url_holding_files_no_export_wrote_is_refused(tmp_path):
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "README.md").write_text("someone else's dataset")
    with pytest.raises(ExportError, match="holds no export ledger"):
        export(f"local://{tmp_path}/hub", configs=["speech.asr"], engine="ray", **QUIET)
    assert [p.name for p in (tmp_path / "hub").iterdir()] == ["README.md"]


def test_scratch_folders_of_killed_workers_are_removed_by_the_next_job(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / "tmp" / SCRATCH / f"{dead.pid}-abc123"
    (left / STAGING).mkdir(parents=True)
    (left / STAGING / "unit-00000.arrow").write_bytes(b"half a unit")
    alive = tmp_path / "tmp" / SCRATCH / f"{os.getppid()}-def456"
    alive.mkdir()
    export(f"local://{tmp_path}/hub", configs=["speech.asr"], engine="ray", **QUIET)
    assert sorted(p.name for p in (tmp_path / "tmp" / SCRATCH).iterdir()) == [alive.name]
