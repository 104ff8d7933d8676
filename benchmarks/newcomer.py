"""What a newcomer meets first: the start-up hook's cost, and exporting the bundled sample.

    python -m benchmarks.newcomer [--python PY] [--repeats 30] [--export-repeats 5] [--skip-export]
                                  [--out benchmarks/results]

**Start-up hook.** Every interpreter of an environment with audio-flan installed runs the line of
``audio_flan_autoload.pth``. Its cost for an interpreter that never imports datasets is measured three ways,
each in fresh processes of ``--python`` (which must have audio-flan installed, wheel or editable):

- ``hook``: in ``python -S``, ``site.main()`` (which processes every .pth file) with the hook's .pth held
  back, then that .pth processed alone and timed (reading it, running its line, importing the module, arming
  the finder); the ratio puts it against the whole start-up of ``python -c pass`` in the same run (the baseline);
- ``importtime``: ``python -X importtime -c pass``, the self and cumulative time of ``_audio_flan_autoload``;
- ``per import``: once armed, the finder is asked first about every later import; the time of that call.

**Export of the bundled sample.** ``audio-flan export OUT`` (all 80 configs, one process) in a fresh process,
as typed, from start to exit, into a new folder with an empty datasets cache each time: wall time, and the
child's CPU time (user + system), which other work on the machine disturbs less.

Writes ``newcomer.json`` and ``newcomer.md`` into ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PTH = "audio_flan_autoload.pth"
MODULE = "_audio_flan_autoload"

# site.main() with the hook's .pth held back, then that .pth processed alone, timed: its whole cost (reading the
# file, running the line, importing the module, arming the finder)
SITE_MAIN = r"""
import site, sys, time
real, held = site.addpackage, []
def addpackage(sitedir, name, known_paths):
    if name == "audio_flan_autoload.pth":
        held.append(sitedir)
        return known_paths
    return real(sitedir, name, known_paths)
site.addpackage = addpackage
t = time.perf_counter_ns()
site.main()
t_site = time.perf_counter_ns() - t
before = set(sys.modules)
t = time.perf_counter_ns()
real(held[0], "audio_flan_autoload.pth", set())
t_hook = time.perf_counter_ns() - t
armed = any(type(f).__name__ == "_WhenDatasetsLoads" for f in sys.meta_path)
print(t_site, t_hook, armed, "datasets" in sys.modules, ",".join(sorted(set(sys.modules) - before)))
"""

PER_IMPORT = r"""
import sys, time
finder = next(f for f in sys.meta_path if type(f).__name__ == "_WhenDatasetsLoads")
n = 200_000
t = time.perf_counter_ns()
for _ in range(n):
    finder.find_spec("json", None, None)
print((time.perf_counter_ns() - t) / n)
"""


def _env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra or {})
    return env


def _run(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env or _env(), cwd=cwd)


def check_installed(python: str) -> str:
    """The site-packages folder holding the hook's .pth (an error if the package is not installed there)."""
    code = (
        f"import site, os; print(next(p for p in site.getsitepackages() if os.path.exists(os.path.join(p, {PTH!r}))))"
    )
    try:
        return _run([python, "-c", code]).stdout.strip()
    except subprocess.CalledProcessError:
        raise SystemExit(f"{python}: no {PTH} in its site-packages; install audio-flan there first") from None


def measure_hook(python: str, repeats: int) -> dict:
    site_ns, hook_ns, pass_ns = [], [], []
    for _ in range(repeats):
        t_site, t_hook, armed, datasets_loaded, imported = _run([python, "-S", "-c", SITE_MAIN]).stdout.split()
        if armed != "True" or datasets_loaded != "False":
            raise RuntimeError(f"unexpected start-up state: armed={armed}, datasets imported={datasets_loaded}")
        if imported != MODULE:  # anything else would be a cost this timing hides when start-up loaded it first
            raise RuntimeError(f"processing {PTH} imported {imported}, not only {MODULE}")
        site_ns.append(int(t_site))
        hook_ns.append(int(t_hook))
        t = time.perf_counter_ns()
        _run([python, "-c", "pass"])
        pass_ns.append(time.perf_counter_ns() - t)
    self_us, cumulative_us = [], []
    for _ in range(repeats):
        err = _run([python, "-X", "importtime", "-c", "pass"]).stderr
        line = next(l for l in err.splitlines() if re.search(rf"\|\s*{MODULE}\s*$", l))
        s, c = (int(x.strip()) for x in line.split(":", 1)[1].split("|")[:2])
        self_us.append(s)
        cumulative_us.append(c)
    per_import = [float(_run([python, "-c", PER_IMPORT]).stdout) for _ in range(3)]
    hook_us = [v / 1000 for v in hook_ns]
    pass_ms = [v / 1e6 for v in pass_ns]
    return {
        "hook_us": _summary(hook_us),
        "site_main_other_pth_us": _summary([v / 1000 for v in site_ns]),
        "python_c_pass_ms": _summary(pass_ms),
        "hook_share_of_start": statistics.median(hook_us) / 1000 / statistics.median(pass_ms),
        "importtime_self_us": _summary(self_us),
        "importtime_cumulative_us": _summary(cumulative_us),
        "finder_call_ns": _summary(per_import),
    }


def measure_export(python: str, repeats: int, work: Path) -> dict:
    cli = [python, "-c", "import sys; from audio_flan.cli import main; sys.exit(main())"]
    seconds, cpu_seconds = [], []
    for i in range(repeats):
        out, cache = work / f"export-{i}", work / f"cache-{i}"
        env = _env({"HF_DATASETS_CACHE": str(cache), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        _run([*cli, "export", str(out), "--no-progress"], env=env, cwd=work)
        seconds.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        files = sorted(out.rglob("*.parquet"))
        if not files:
            raise RuntimeError(f"the export wrote no Parquet into {out}")
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        shutil.rmtree(out)
        shutil.rmtree(cache, ignore_errors=True)
    return {
        "seconds": _summary(seconds),
        "cpu_seconds": _summary(cpu_seconds),
        "parquet_mb": size_mb,
        "files": len(files),
    }


def _summary(values: Sequence[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def _machine() -> str:
    model = ""
    try:
        model = next(
            l.split(":", 1)[1].strip()
            for l in Path("/proc/cpuinfo").read_text().splitlines()
            if l.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    return f"{os.cpu_count()} cores ({model or 'unknown CPU'}), {platform.machine()}, {platform.system()} {platform.release()}"


def _cell(s: dict, unit: str, digits: int = 0) -> str:
    return f"{s['median']:.{digits}f} {unit} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


def markdown(result: dict) -> str:
    lines = [
        "# What a newcomer meets first",
        "",
        f"Generated by `python -m benchmarks.newcomer` on {result['date']} (commit {result['commit']}), {result['machine']}; "
        f"Python {result['python_version']}, datasets {result['datasets']} (`{result['python']}`). "
        f"Median (min–max) over fresh processes. Load average (1 min) {result['load_average_before']:.1f} before the "
        f"run and {result['load_average_after']:.1f} after: other work on the machine slows every figure alike.",
        "",
    ]
    hook = result.get("hook")
    if hook:
        lines += [
            "## The start-up hook, in an interpreter that never imports datasets",
            "",
            "| measurement | value |",
            "|---|---|",
            f"| **the hook: its .pth processed** (read, run, import, arm; target < 1 ms) | **{_cell(hook['hook_us'], 'µs')}** |",
            f"| `site.main()`, every other .pth of the environment | {_cell(hook['site_main_other_pth_us'], 'µs')} |",
            f"| `python -c pass`, the whole start-up (baseline) | {_cell(hook['python_c_pass_ms'], 'ms', 1)} |",
            f"| the hook's share of that start-up (medians) | {hook['hook_share_of_start'] * 100:.1f} % |",
            f"| `-X importtime`: `{MODULE}`, self | {_cell(hook['importtime_self_us'], 'µs')} |",
            f"| `-X importtime`: `{MODULE}`, cumulative | {_cell(hook['importtime_cumulative_us'], 'µs')} |",
            f"| each later import: the finder's call | {_cell(hook['finder_call_ns'], 'ns')} |",
            "",
        ]
    export = result.get("export")
    if export:
        lines += [
            "## `audio-flan export OUT`: the bundled sample, 80 configs, one process",
            "",
            f"From typing the command to its exit (interpreter start and imports included), a new folder and an empty "
            f"datasets cache each time: **{_cell(export['seconds'], 's', 1)}** wall time, "
            f"{_cell(export['cpu_seconds'], 's', 1)} of CPU (user + system, the export's process and any it waited "
            f"for); {export['files']} Parquet files, {export['parquet_mb']:.1f} MB.",
            "",
        ]
    return "\n".join(lines)


def _commit() -> str:
    try:
        return _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the environment to measure in (default: this one)")
    parser.add_argument("--repeats", type=int, default=30, help="fresh processes per start-up figure (default 30)")
    parser.add_argument("--export-repeats", type=int, default=5, help="exports of the sample (default 5)")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    check_installed(args.python)
    info = json.loads(
        _run(
            [
                args.python,
                "-c",
                "import json, platform, datasets; print(json.dumps([platform.python_version(), datasets.__version__]))",
            ]
        ).stdout
    )
    result: dict = {
        "date": _dt.datetime.now().isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "python": args.python,
        "python_version": info[0],
        "datasets": info[1],
        "load_average_before": os.getloadavg()[0],
        "hook": measure_hook(args.python, args.repeats),
    }
    if not args.skip_export:
        with tempfile.TemporaryDirectory(prefix="audio-flan-newcomer-") as work:
            result["export"] = measure_export(args.python, args.export_repeats, Path(work))
    result["load_average_after"] = os.getloadavg()[0]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "newcomer.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "newcomer.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
