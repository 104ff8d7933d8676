"""What a release ships: one version everywhere, and a wheel (built from the sdist) holding all the package data."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

import audio_flan
from audio_flan.builder import AudioFlan

REPO = Path(__file__).resolve().parents[1]
# what the sdist is made from: the build inputs, and what MANIFEST.in adds
BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "audio_flan",
    "builder_configs",
    "_audio_flan_autoload.py",  # the start-up hook and the .pth line that runs it
    "audio_flan_autoload.pth",
)
SDIST_EXTRAS = ("CHANGELOG.md", "CONTRIBUTING.md", ".pre-commit-config.yaml", "tests", "scripts", "benchmarks")

_spec = importlib.util.spec_from_file_location("wheel_smoke", REPO / "scripts" / "wheel_smoke.py")
wheel_smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wheel_smoke)


def test_one_version_everywhere():
    version = audio_flan.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "versions are MAJOR.MINOR.PATCH (datasets.Version needs that form)"
    assert importlib.metadata.version("audio-flan") == version, "installed metadata is stale: pip install -e . again"
    assert {str(config.version) for config in AudioFlan.BUILDER_CONFIGS} == {version}
    assert str(AudioFlan(config_name="music.key_detection").config.version) == version
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, flags=re.M), (
        f"CHANGELOG.md has no dated section for {version}"
    )
    # the literal lives in audio_flan/version.py only
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and f'"{version}"' not in pyproject


def test_ruff_is_the_same_in_the_dev_extra_and_pre_commit():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    pins = {
        dep for repo in config["repos"] for hook in repo["hooks"] for dep in hook.get("additional_dependencies", [])
    }
    dev = importlib.metadata.metadata("audio-flan").get_all("Requires-Dist")
    dev_ruff = {re.sub(r";.*", "", d).strip() for d in dev if d.startswith("ruff")}
    assert dev_ruff and {p for p in pins if p.startswith("ruff")} == dev_ruff


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, str]:
    """The sdist, and the wheel built from its unpacked copy (as ``python -m build`` does), offline.

    Built from a copy of the build inputs so that nothing is written into the checkout; setuptools is the
    test environment's (the ``test`` extra pins one that reads SPDX licences). Returns the build's log too.
    """
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    assert major >= 77, f"setuptools {setuptools.__version__} cannot build this project: pip install -e '.[test]'"
    tmp = tmp_path_factory.mktemp("build")
    source = tmp / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in BUILD_INPUTS + SDIST_EXTRAS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=skip)
        else:
            shutil.copy2(path, source / name)
    dist = tmp / "dist"
    hook = "import sys; from setuptools import build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"
    sdist_step = subprocess.run(
        [sys.executable, "-c", hook, "build_sdist", str(dist)], cwd=source, capture_output=True, text=True
    )
    assert sdist_step.returncode == 0, sdist_step.stdout + sdist_step.stderr
    sdist = dist / sdist_step.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp / "unpacked", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (unpacked,) = (tmp / "unpacked").iterdir()
    wheel_step = subprocess.run(
        [sys.executable, "-c", hook, "build_wheel", str(dist)], cwd=unpacked, capture_output=True, text=True
    )
    assert wheel_step.returncode == 0, wheel_step.stdout + wheel_step.stderr
    wheel = dist / wheel_step.stdout.strip().splitlines()[-1]
    log = "\n".join(step.stdout + step.stderr for step in (sdist_step, wheel_step))
    return sdist, wheel, log


def test_the_wheel_holds_every_file_of_the_package(built):
    _, wheel, _ = built
    wheel_smoke.check_wheel(wheel)  # the same check as CI's smoke test: every file of the checkout, one top level
    names = set(zipfile.ZipFile(wheel).namelist())
    yamls = {n for n in names if n.startswith("audio_flan/builder_configs/") and n.endswith(".yaml")}
    assert len(yamls) == len(audio_flan.task_table()) == 80
    for needed in ("audio_flan/templates/dataset_card.md", "audio_flan/py.typed", "audio_flan/version.py"):
        assert needed in names
    sample = {n for n in names if n.startswith("audio_flan/sample/")}
    on_disk = {p for p in (REPO / "audio_flan" / "sample").rglob("*") if p.is_file()}
    assert len(sample) == len(on_disk) > 100
    assert any(n.startswith("audio_flan/sample/release/metadata/") and n.endswith(".jsonl") for n in sample)


def test_the_wheel_metadata_names_the_licence_and_version(built):
    _, wheel, _ = built
    archive = zipfile.ZipFile(wheel)
    dist_info = f"audio_flan-{audio_flan.__version__}.dist-info"
    metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert f"\nVersion: {audio_flan.__version__}\n" in metadata
    assert "\nLicense-Expression: Apache-2.0\n" in metadata
    assert archive.read(f"{dist_info}/licenses/LICENSE") == (REPO / "LICENSE").read_bytes()
    assert "audio-flan = audio_flan.cli:main" in archive.read(f"{dist_info}/entry_points.txt").decode()


def test_the_build_reports_no_unlisted_data_or_licence_table(built):
    _, _, log = built
    assert wheel_smoke.UNLISTED_DATA not in log
    assert "as a TOML table is deprecated" not in log


def test_the_sdist_can_run_the_tests(built):
    sdist, _, _ = built
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for needed in ("LICENSE", "CHANGELOG.md", "CONTRIBUTING.md", "tests/conftest.py", "tests/contract_configs.txt"):
        assert needed in names
    assert "audio_flan/templates/dataset_card.md" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
