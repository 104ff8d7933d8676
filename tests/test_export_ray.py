"""The Ray engine (``audio-flan[ray]``): the same bytes as the local engine, a killed worker retried, a killed
driver resumed. Run against the cluster at RAY_ADDRESS (CI starts a head and a second node on one machine with
``ray start``); with no RAY_ADDRESS, against a cluster of two one-CPU nodes these tests start themselves
(``ray.cluster_utils.Cluster``) and shut down at the end."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from export_helpers import digests
from test_export_parts import long_release

pytest.importorskip("ray", reason="the Ray engine is an optional extra: pip install 'audio-flan[ray]'")

from audio_flan.export import STAGING, export  # noqa: E402

CONFIGS = ["speech.asr", "music.pitch_classification", "audio.sound_event_recognition"]
QUIET = dict(progress=False, log=lambda _: None)


@pytest.fixture(scope="module")
def address():
    if os.environ.get("RAY_ADDRESS"):
        yield os.environ["RAY_ADDRESS"]
        return
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    try:
        cluster.add_node(num_cpus=1, object_store_memory=80_000_000)
        cluster.wait_for_nodes()
        yield cluster.address
    finally:
        cluster.shutdown()


def _cli(address: str, out: Path, *args: str) -> list[str]:
    cli = [sys.executable, "-m", "audio_flan.cli", "export", str(out), "--engine", "ray", "--ray-address", address]
    return [*cli, "--no-progress", *args]


def _run(cmd: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc


def _ray_tasks(name: str) -> list[int]:
    """Processes of Ray workers running a task of this name (Ray titles them ``ray::<name>``)."""
    pids = []
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(path, "rb") as f:
                if f.read().startswith(f"ray::{name}\0".encode()):
                    pids.append(int(path.split("/")[2]))
        except OSError:
            continue
    return pids


def _kill_a_worker_of(driver: subprocess.Popen, task: str) -> None:
    """SIGKILL the first worker seen running ``task``; the driver must still finish."""
    killed = []
    deadline = time.monotonic() + 300
    while not killed and driver.poll() is None and time.monotonic() < deadline:
        for pid in _ray_tasks(task):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(0.01)
    stdout, stderr = driver.communicate(timeout=600)
    assert killed, "the unit finished before its worker could be killed"
    assert driver.returncode == 0, stderr[-4000:]


def _kill_after_20_units(driver: subprocess.Popen, out: Path) -> None:
    """SIGKILL the driver once 20 units have their manifests in ``out``'s staging, before any file is placed."""
    deadline = time.monotonic() + 300
    done = 0
    while driver.poll() is None and time.monotonic() < deadline:
        done = len(glob.glob(str(out / STAGING / "*" / "*" / "unit-*.json")))
        if done >= 20:
            driver.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    driver.communicate(timeout=60)
    assert driver.returncode == -signal.SIGKILL and done >= 20, "the driver finished before it could be killed"
    assert not (out / "README.md").exists()


def test_ray_engine_gives_the_bytes_of_the_local_engine(tmp_path, address):
    local = tmp_path / "local" / "audio-flan"
    export(local, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    out = tmp_path / "ray" / "audio-flan"
    proc = _run(_cli(address, out, "--configs", *CONFIGS, "--row-group-mb", "0.05"))
    assert "3 configs written" in proc.stdout
    assert digests(out) == digests(local)


def test_a_worker_killed_mid_unit_is_retried_and_the_result_unchanged(tmp_path, address):
    # one large unit (300 long WAVs, about 77 MB), so that its worker can be caught while it writes
    data = long_release(tmp_path / "release", n=300, seconds=8.0)
    local = tmp_path / "local" / "audio-flan"
    export(local, configs=["speech.asr"], data_dir=data, include_restricted=True, row_group_mb=20, **QUIET)
    out = tmp_path / "ray" / "audio-flan"
    args = ["--configs", "speech.asr", "--data-dir", str(data), "--include-restricted", "--row-group-mb", "20"]
    driver = subprocess.Popen(_cli(address, out, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _kill_a_worker_of(driver, "run_unit")
    assert digests(out) == digests(local)


def test_a_killed_driver_resumes_when_run_again(tmp_path, address):
    local = tmp_path / "local" / "audio-flan"
    export(local, domain="music", row_group_mb=0.05, **QUIET)
    out = tmp_path / "ray" / "audio-flan"
    args = ["--domain", "music", "--row-group-mb", "0.05"]
    driver = subprocess.Popen(_cli(address, out, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _kill_after_20_units(driver, out)
    proc = _run(_cli(address, out, *args))
    assert "resuming:" in proc.stdout
    assert digests(out) == digests(local)


# --- to a URL: the tasks commit to URL/.audio-flan-export from scratch folders of their nodes, nothing through the
# driver. The URL is fsspec's local filesystem addressed as ``local://``: every Ray worker opens it from the URL as
# it would open s3://, with no package, registration or network, and both nodes of the test cluster share a disk.
# (The staging logic against an object store's semantics is tested without Ray in test_export_remote_staging.py.)


def _remote(folder: Path) -> dict[str, str]:
    """The digests of an export at a URL, its ledger left out (a local export has its own, of another form)."""
    return {name: digest for name, digest in digests(folder).items() if name != ".audio-flan-export.json"}


def test_ray_to_a_url_gives_the_bytes_of_the_local_engine(tmp_path, address):
    local = tmp_path / "local" / "audio-flan"
    export(local, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    hub = tmp_path / "hub"
    proc = _run(_cli(address, f"local://{hub}", "--configs", *CONFIGS, "--row-group-mb", "0.05"))
    assert f"3 configs written to local://{hub}" in proc.stdout
    assert not (hub / STAGING).exists() and (hub / ".audio-flan-export.json").is_file()
    assert _remote(hub) == {n: d for n, d in digests(local).items() if n != ".audio-flan-export.json"}


def test_ray_to_a_url_retries_a_worker_killed_mid_unit(tmp_path, address):
    data = long_release(tmp_path / "release", n=300, seconds=8.0)
    local = tmp_path / "local" / "audio-flan"
    export(local, configs=["speech.asr"], data_dir=data, include_restricted=True, row_group_mb=20, **QUIET)
    hub = tmp_path / "hub"
    args = ["--configs", "speech.asr", "--data-dir", str(data), "--include-restricted", "--row-group-mb", "20"]
    cmd = _cli(address, f"local://{hub}", *args)
    driver = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _kill_a_worker_of(driver, "run_unit_to_url")
    assert _remote(hub) == {n: d for n, d in digests(local).items() if n != ".audio-flan-export.json"}


def test_ray_to_a_url_resumes_from_the_urls_manifests_when_the_driver_is_killed(tmp_path, address):
    local = tmp_path / "local" / "audio-flan"
    export(local, domain="music", row_group_mb=0.05, **QUIET)
    hub = tmp_path / "hub"
    args = ["--domain", "music", "--row-group-mb", "0.05"]
    cmd = _cli(address, f"local://{hub}", *args)
    driver = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _kill_after_20_units(driver, hub)
    proc = _run(_cli(address, f"local://{hub}", *args))
    resumed = [line for line in proc.stdout.splitlines() if line.startswith("resuming: ")]
    assert resumed and int(resumed[0].split()[1]) >= 20
    assert _remote(hub) == {n: d for n, d in digests(local).items() if n != ".audio-flan-export.json"}
