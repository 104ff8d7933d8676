"""Build the sdist and the wheel, check them, and use the wheel the way a user of ``pip install audio-flan`` would.

1. ``python -m build`` (the sdist, then the wheel built from the unpacked sdist) in a fresh virtual environment,
   failing if setuptools reports data that is not in a listed package; ``twine check --strict`` on both.
2. The wheel must hold every module, registry YAML, sample file, the card template, ``py.typed`` and the
   licence, compared file by file with this checkout, and nothing at the top level but ``audio_flan`` and the
   start-up hook (``_audio_flan_autoload.py`` and ``audio_flan_autoload.pth``, see setup.py).
3. The wheel alone is installed (its dependencies from the index) into another fresh virtual environment with
   that environment's own pip; from an empty folder, with no checkout on ``sys.path``, run ``audio-flan
   tasks``, ``audio-flan preview`` for one config of each domain (audio saved and read back), and ``audio-flan
   export`` of three configs, whose folder is read back with pyarrow, soundfile and ``datasets``.

Stops at the first failure with exit status 1 and says what is wrong. Run by ``.ci/run``; by hand:
``python3 scripts/wheel_smoke.py [--work DIR]`` (any Python >= 3.10, standard library only).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "audio_flan"
HOOK = {"_audio_flan_autoload.py", "audio_flan_autoload.pth"}  # the start-up hook, at the top of site-packages
SMOKE_CONFIGS = ("speech.asr", "music.pitch_classification", "audio.sound_event_recognition")
# setuptools' words for a data file in a folder that is not a listed package: a later setuptools may drop it
UNLISTED_DATA = "is absent from the `packages` configuration"

# Run by the installed environment's interpreter, from the folder holding the export: reads it back without
# audio_flan (pyarrow and soundfile, then datasets' own loader) and prints one line per config.
READ_BACK = r"""
import glob, io, json, sys
import datasets, pyarrow.parquet as pq, soundfile as sf
out, configs = sys.argv[1], sys.argv[2:]
for config in configs:
    files = sorted(glob.glob(f"{out}/{config}/*.parquet"))
    if not files:
        sys.exit(f"{out}/{config}: no Parquet files")
    rows = audios = 0
    for file in files:
        table = pq.read_table(file)
        rows += table.num_rows
        for column in ("input_audios", "output_audios"):
            for values in table.column(column).to_pylist():
                for value in values:
                    data, rate = sf.read(io.BytesIO(value["bytes"]))
                    if len(data) == 0 or rate <= 0:
                        sys.exit(f"{file}: {column} value {value['path']!r} decodes to no audio")
                    audios += 1
    if rows == 0 or audios == 0:
        sys.exit(f"{out}/{config}: {rows} rows, {audios} audio values; expected some of each")
    loaded = datasets.load_dataset(out, config)
    if sum(ds.num_rows for ds in loaded.values()) != rows:
        sys.exit(f"{out}/{config}: datasets loads {loaded.num_rows}, the Parquet files hold {rows} rows")
    feature = next(iter(loaded.values())).features["input_audios"]
    audio = feature[0] if isinstance(feature, list) else feature.feature
    if type(audio).__name__ != "Audio":
        sys.exit(f"{out}/{config}: input_audios read back as {feature!r}, not a list of Audio")
    print(json.dumps({"config": config, "files": len(files), "rows": rows, "audio_values": audios}))
"""


class SmokeError(RuntimeError):
    """A step of the smoke test failed; the message says which and why."""


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, show: bool = True) -> str:
    """Run ``cmd``; its output is returned (and printed if ``show``), or shown in full in the error if it fails."""
    print(f"$ {' '.join(map(str, cmd))}   (in {cwd})", flush=True)
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if done.returncode != 0:
        raise SmokeError(f"exit status {done.returncode} from: {' '.join(map(str, cmd))}\n{done.stdout}")
    if show and done.stdout.strip():
        print(done.stdout.rstrip(), flush=True)
    return done.stdout


def venv(path: Path) -> Path:
    """A fresh virtual environment at ``path``; returns its bin (Scripts) folder."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / ("Scripts" if os.name == "nt" else "bin")


def expected_wheel_files() -> set[str]:
    """Every file the wheel must hold, from this checkout: the package folder, and the registry mapped into it."""

    def files(root: Path, prefix: str) -> set[str]:
        return {
            f"{prefix}/{p.relative_to(root).as_posix()}"
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        }

    package = files(REPO / PACKAGE, PACKAGE)
    registry = {
        name
        for name in files(REPO / "builder_configs", f"{PACKAGE}/builder_configs")
        if name.endswith((".yaml", ".py", "/README.md"))
    }
    return package | registry


def check_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = next((n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")), None)
    if dist_info is None:
        raise SmokeError(f"{wheel.name} has no .dist-info folder")
    needed = expected_wheel_files() | {f"{dist_info}/licenses/LICENSE", f"{dist_info}/entry_points.txt"}
    must_have = {
        f"{PACKAGE}/py.typed",
        f"{PACKAGE}/templates/dataset_card.md",
        f"{PACKAGE}/builder_configs/speech/asr.yaml",
        f"{PACKAGE}/sample/LibriTTS_R/train-clean-100/19/198/19_198_000010_000000.wav",
    }
    missing = sorted((needed | must_have | HOOK) - names)
    if missing:
        shown = "\n  ".join(missing[:40]) + (f"\n  ... and {len(missing) - 40} more" if len(missing) > 40 else "")
        raise SmokeError(f"{wheel.name} lacks {len(missing)} file(s) of the checkout:\n  {shown}")
    tops = sorted({n.split("/")[0] for n in names} - {PACKAGE, dist_info} - HOOK)
    if tops:
        raise SmokeError(f"{wheel.name} installs more than {PACKAGE} at the top level: {', '.join(tops)}")
    yamls = sum(1 for n in names if n.startswith(f"{PACKAGE}/builder_configs/") and n.endswith(".yaml"))
    samples = sum(1 for n in names if n.startswith(f"{PACKAGE}/sample/"))
    print(
        f"{wheel.name}: {len(names)} files, all {len(needed)} of the checkout ({yamls} registry YAMLs, {samples} sample files)"
    )


def build(work: Path) -> tuple[Path, Path]:
    """The sdist and the wheel, built and checked; returns their paths."""
    bin_dir = venv(work / "build-env")
    run([bin_dir / "python", "-m", "pip", "install", "-q", "build", "twine"], cwd=work)
    dist = work / "dist"
    log = run([bin_dir / "python", "-m", "build", "--outdir", dist, REPO], cwd=work, show=False)
    unlisted = sorted({line.strip() for line in log.splitlines() if UNLISTED_DATA in line})
    if unlisted:
        raise SmokeError("setuptools ships data from folders that are not listed packages:\n" + "\n".join(unlisted))
    deprecations = sorted({line.strip() for line in log.splitlines() if "Deprecat" in line})
    for line in deprecations:
        print(f"note (build): {line}")
    sdists, wheels = sorted(dist.glob("*.tar.gz")), sorted(dist.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise SmokeError(f"expected one sdist and one wheel in {dist}, found {[p.name for p in dist.iterdir()]}")
    run([bin_dir / "twine", "check", "--strict", sdists[0], wheels[0]], cwd=work)
    return sdists[0], wheels[0]


def use_installed(wheel: Path, work: Path) -> None:
    """Install the wheel alone and use it from an empty folder."""
    bin_dir = venv(work / "wheel-env")
    # the environment's own pip, not upgraded: a fresh machine's
    run([bin_dir / "python", "-m", "pip", "--version"], cwd=work)
    run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=work, show=False)
    empty = work / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(HF_DATASETS_CACHE=str(work / "hf-cache"), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    site = run([bin_dir / "python", "-I", "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"], empty, env).strip()
    if not Path(site).resolve().is_relative_to((work / "wheel-env").resolve()):
        raise SmokeError(f"{PACKAGE} was imported from {site}, not from the wheel's environment")
    installed = Path(site).parent

    table = run([bin_dir / "audio-flan", "tasks"], empty, env, show=False)
    listed = [c for c in re.findall(r"^\s*((?:speech|music|audio)\.[a-z0-9_]+)\b", table, flags=re.M)]
    want = sorted(f"{p.parent.name}.{p.stem}" for p in (REPO / "builder_configs").glob("*/*.yaml"))
    if sorted(listed) != want:
        raise SmokeError(f"`audio-flan tasks` lists {len(listed)} configs, the registry has {len(want)}:\n{table}")
    print(f"audio-flan tasks: {len(listed)} configs")

    for config in SMOKE_CONFIGS:
        saved = empty / "preview" / config
        shown = run([bin_dir / "audio-flan", "preview", config, "-n", "1", "--save-audio", saved], empty, env)
        if f"[1] {config}" not in shown:
            raise SmokeError(f"`audio-flan preview {config}` printed no example")
        if str(installed / "sample") not in shown:
            raise SmokeError(f"`audio-flan preview {config}` did not read the sample installed in {installed}")
        wavs = sorted(saved.glob("*.wav"))
        if not wavs or any(w.stat().st_size <= 44 for w in wavs):
            raise SmokeError(f"`audio-flan preview {config} --save-audio` wrote no audio to {saved}")

    out = "hub-export"
    run([bin_dir / "audio-flan", "export", out, "--configs", *SMOKE_CONFIGS, "--no-progress"], empty, env)
    card = empty / out / "README.md"
    if not card.is_file() or any(c not in card.read_text(encoding="utf-8") for c in SMOKE_CONFIGS):
        raise SmokeError(f"the export's dataset card {card} is missing or does not name the configs")
    script = work / "read_back.py"
    script.write_text(READ_BACK, encoding="utf-8")
    run([bin_dir / "python", "-I", script, out, *SMOKE_CONFIGS], empty, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work", type=Path, help="an empty folder for the environments and the build (default: a new temporary one)"
    )
    args = parser.parse_args(argv)
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="audio-flan-wheel-"))
    if args.work:
        work.mkdir(parents=True, exist_ok=True)
        if any(work.iterdir()):
            print(f"error: --work {work} is not empty", file=sys.stderr)
            return 2
    try:
        _, wheel = build(work)
        check_wheel(wheel)
        use_installed(wheel, work)
    except SmokeError as error:
        print(f"\nWHEEL SMOKE TEST FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print("wheel smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
