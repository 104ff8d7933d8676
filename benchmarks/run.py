"""Run every benchmark and write ``results.json`` and ``results.md``.

    python -m benchmarks.run [--sizes 1000 20000] [--repeats 5] [--out benchmarks/results]
                             [--python PY ...] [--corpora DIR] [--skip-lhotse] [--skip-export]

Every measurement runs in a fresh child process (``benchmarks.workers``) started with each interpreter given
by ``--python`` (default: this one), so that one run compares datasets versions, and environments with and
without torch and lhotse. A measurement that cannot run somewhere (lhotse or torch missing, export not built
yet) is recorded with the reason. Each figure is the median over ``--repeats`` runs, with min and max; each
ratio is computed pair by pair (the two runs of one repeat, made one right after the other) and then
summarised the same way. The corpora are generated into ``--corpora`` (kept and reused) or a temporary folder
(deleted at the end).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from . import corpus

REPO = Path(__file__).resolve().parents[1]
CONFIG = "speech.asr"
SOURCES = ("libritts_r", "release")
MODES = ("decoded", "text")
DATALOADER_PAYLOADS = ("tensor", "lengths")
WORKER_TIMEOUT_S = 3600


# ------------------------------------------------------------------------------------------ child processes


def child_env(cache: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "HF_DATASETS_CACHE": str(cache),
            "HF_DATASETS_OFFLINE": "1",
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
            "TQDM_DISABLE": "1",
            "PYTHONWARNINGS": "ignore",
        }
    )
    return env


def run_worker(python: str, name: str, args: dict, env: dict, scratch: Path) -> dict:
    """Run one worker in a fresh process; its JSON, plus ``peak_rss_mb`` from the child's rusage (os.wait4)."""
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=scratch) as out, tempfile.TemporaryFile(dir=scratch) as err:
        proc = subprocess.Popen(
            [python, "-m", "benchmarks.workers", name, json.dumps(args)], cwd=REPO, env=env, stdout=out, stderr=err
        )
        deadline = time.monotonic() + WORKER_TIMEOUT_S
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    lines = [l for l in stdout.splitlines() if l.strip()]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"worker {name} {args} failed with exit code {proc.returncode} under {python}:\n{tail}")
    result = json.loads(lines[-1])
    if "skip" not in result:
        result["peak_rss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def probe(python: str, env: dict) -> dict:
    code = (
        "import json, importlib.util as u, platform, datasets, audio_flan\n"
        "print(json.dumps({'python': platform.python_version(), 'datasets': datasets.__version__,"
        " 'audio_flan': audio_flan.__file__, 'torch': u.find_spec('torch') is not None,"
        " 'lhotse': u.find_spec('lhotse') is not None, 'export': u.find_spec('audio_flan.export') is not None}))"
    )
    out = subprocess.run([python, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    info["executable"] = python
    info["label"] = f"datasets {info['datasets']}" + (" + torch" if info["torch"] else "")
    return info


# ------------------------------------------------------------------------------------------- the schedule


class Recorder:
    """Samples per measurement key, in repeat order; skips with their reasons."""

    def __init__(self):
        self.samples: dict[str, list[dict]] = {}
        self.skips: dict[str, str] = {}

    def add(self, key: str, result: dict) -> None:
        if "skip" in result:
            self.skips[key] = result["skip"]
        else:
            self.samples.setdefault(key, []).append(result)

    def values(self, key: str, field: str) -> list[float]:
        return [s[field] for s in self.samples.get(key, [])]


def schedule(envs: list[dict], sizes: list[int], corpora: dict, work: Path, args) -> list[tuple[str, str, str, dict]]:
    """One repeat's jobs, in order: (key, python, worker, args). Pairs that form a ratio run back to back."""
    jobs = []
    big = max(sizes)
    for n in sizes:
        libri, release = str(corpora[n]["libritts_r"]), str(corpora[n]["release"])
        for env in envs:
            e, py = env["id"], env["executable"]
            for source, data_dir in (("libritts_r", libri), ("release", release)):
                for mode in MODES:
                    jobs.append(
                        (
                            f"stream/{e}/{source}/{mode}/{n}",
                            py,
                            "stream",
                            {"data_dir": data_dir, "source": source, "mode": mode, "config": CONFIG},
                        )
                    )
            jobs.append((f"plain/{e}/{n}", py, "plain", {"data_dir": libri}))
            if not args.skip_lhotse and env["lhotse"]:
                jobs.append(
                    (
                        f"lhotse_iterate/{e}/{n}",
                        py,
                        "lhotse_iterate",
                        {"output_dir": str(work / "lhotse" / f"manifests-{n}")},
                    )
                )
            if n == big:
                for payload in DATALOADER_PAYLOADS:
                    for workers in (0, 2):
                        jobs.append(
                            (
                                f"dataloader/{e}/{payload}/{workers}/{n}",
                                py,
                                "dataloader",
                                {
                                    "data_dir": libri,
                                    "source": "libritts_r",
                                    "workers": workers,
                                    "payload": payload,
                                    "batch_size": 16,
                                },
                            )
                        )
    for env in envs:
        e, py = env["id"], env["executable"]
        jobs.append((f"import/{e}", py, "import_time", {}))
        for source in SOURCES:
            jobs.append(
                (
                    f"library/{e}/{source}",
                    py,
                    "library_work",
                    {"data_dir": str(corpora[big][source]), "source": source, "config": CONFIG},
                )
            )
    return jobs


def lhotse_env(envs: list[dict]) -> Optional[dict]:
    return next((e for e in envs if e["lhotse"]), None)


def export_jobs(envs: list[dict], sizes: list[int], corpora: dict, work: Path) -> list[tuple[str, str, str, dict]]:
    env = next((e for e in envs if e["export"] and not e["datasets"].startswith("3.")), None) or next(
        e for e in envs if e["export"]
    )
    n = max(sizes)
    libri = str(corpora[n]["libritts_r"])
    jobs = [(f"copy_audio/{n}", env["executable"], "copy_audio", {"data_dir": libri, "output_dir": str(work / "copy")})]
    for processes in (1, 2):
        jobs.append(
            (
                f"export/{processes}/{n}",
                env["executable"],
                "export",
                {"data_dir": libri, "processes": processes, "output_dir": str(work / "export"), "config": CONFIG},
            )
        )
    return jobs


# ------------------------------------------------------------------------------------------------- figures


def summary(values: list[float]) -> Optional[dict]:
    if not values:
        return None
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "values": values,
    }


def paired(a: list[float], b: list[float], f: Callable[[float, float], float] = lambda x, y: x / y) -> Optional[dict]:
    if not a or not b:
        return None
    return summary([f(x, y) for x, y in zip(a, b)])


class Figures:
    """Named figures (summaries) and ratios, each with a unit, or a skip reason."""

    def __init__(self, rec: Recorder):
        self.rec = rec
        self.items: dict[str, dict] = {}

    def figure(self, name: str, key: str, field: str, unit: str, what: str, scale: float = 1.0) -> None:
        values = [v * scale for v in self.rec.values(key, field)]
        if values:
            self.items[name] = {"what": what, "unit": unit, **summary(values)}
        else:
            self.items[name] = {"what": what, "unit": unit, "skip": self.rec.skips.get(key, "not measured in this run")}

    def ratio(
        self,
        name: str,
        num: tuple[str, str],
        den: tuple[str, str],
        what: str,
        per_example: Optional[tuple[int, int]] = None,
    ) -> None:
        a, b = self.rec.values(*num), self.rec.values(*den)
        if per_example:  # time per example of num over time per example of den
            a = [x / per_example[0] for x in a]
            b = [x / per_example[1] for x in b]
        r = paired(a, b)
        if r:
            self.items[name] = {"what": what, "unit": "x", **r}
        else:
            reason = self.rec.skips.get(num[0]) or self.rec.skips.get(den[0]) or "not measured in this run"
            self.items[name] = {"what": what, "unit": "x", "skip": reason}


def figures(
    rec: Recorder, envs: list[dict], sizes: list[int], export_sizes: list[int], export_skip: Optional[str] = None
) -> dict:
    F = Figures(rec)
    small, big = min(sizes), max(sizes)
    lh = lhotse_env(envs)
    for env in envs:
        e, label = env["id"], env["label"]
        for n in sizes:
            F.figure(
                f"{e}/stream/libritts_r/decoded/{n}",
                f"stream/{e}/libritts_r/decoded/{n}",
                "ex_per_s",
                "ex/s",
                f"{label}: streaming {CONFIG} from LibriTTS-R, audio decoded, {n} utterances",
            )
            F.figure(
                f"{e}/stream/libritts_r/text/{n}",
                f"stream/{e}/libritts_r/text/{n}",
                "ex_per_s",
                "ex/s",
                f"{label}: the same stream, text fields only, {n} utterances",
            )
            F.figure(
                f"{e}/plain/{n}",
                f"plain/{e}/{n}",
                "ex_per_s",
                "ex/s",
                f"{label}: plain loop, trans.tsv + soundfile.read, {n} utterances (the raw limit)",
            )
            F.ratio(
                f"{e}/ratio/decoded_vs_plain/{n}",
                (f"stream/{e}/libritts_r/decoded/{n}", "ex_per_s"),
                (f"plain/{e}/{n}", "ex_per_s"),
                f"{label}: decoded stream / plain loop, {n}",
            )
            F.ratio(
                f"{e}/ratio/text_vs_decoded/{n}",
                (f"stream/{e}/libritts_r/text/{n}", "ex_per_s"),
                (f"stream/{e}/libritts_r/decoded/{n}", "ex_per_s"),
                f"{label}: text-only stream / decoded stream, {n}",
            )
            if lh is not None:
                F.ratio(
                    f"{e}/ratio/decoded_vs_lhotse/{n}",
                    (f"stream/{e}/libritts_r/decoded/{n}", "ex_per_s"),
                    (f"lhotse_iterate/{lh['id']}/{n}", "ex_per_s"),
                    f"{label}: decoded stream / lhotse (manifests read, CutSet, load_audio), {n}",
                )
            else:
                F.items[f"{e}/ratio/decoded_vs_lhotse/{n}"] = {
                    "what": f"{label}: decoded stream / lhotse, {n}",
                    "unit": "x",
                    "skip": "no environment with lhotse in this run (see benchmarks/README.md; or --skip-lhotse was given)",
                }
            for source in SOURCES:
                for mode in MODES:
                    key = f"stream/{e}/{source}/{mode}/{n}"
                    F.figure(
                        f"{e}/first_example/{source}/{mode}/{n}",
                        key,
                        "first_example_s",
                        "ms",
                        f"{label}: time to the first example ({source}, {mode}), {n}",
                        1000,
                    )
                    F.figure(
                        f"{e}/peak_rss/{source}/{mode}/{n}",
                        key,
                        "peak_rss_mb",
                        "MB",
                        f"{label}: peak RSS over the whole split ({source}, {mode}), {n}",
                    )
                    F.figure(
                        f"{e}/whole/{source}/{mode}/{n}",
                        key,
                        "total_s",
                        "s",
                        f"{label}: the whole split ({source}, {mode}), {n}",
                    )
        if small != big:
            for source in SOURCES:
                for mode in MODES:
                    ks, kb = f"stream/{e}/{source}/{mode}/{small}", f"stream/{e}/{source}/{mode}/{big}"
                    F.ratio(
                        f"{e}/growth/first_example/{source}/{mode}",
                        (kb, "first_example_s"),
                        (ks, "first_example_s"),
                        f"{label}: time to first example at {big} / at {small} ({source}, {mode})",
                    )
                    F.ratio(
                        f"{e}/growth/peak_rss/{source}/{mode}",
                        (kb, "peak_rss_mb"),
                        (ks, "peak_rss_mb"),
                        f"{label}: peak RSS at {big} / at {small} ({source}, {mode})",
                    )
                    F.ratio(
                        f"{e}/growth/per_example_time/{source}/{mode}",
                        (kb, "total_s"),
                        (ks, "total_s"),
                        f"{label}: whole-split time per example at {big} / at {small} ({source}, {mode}); 1.0 is linear",
                        per_example=(big, small),
                    )
        for payload in DATALOADER_PAYLOADS:
            sent = "padded batch tensors" if payload == "tensor" else "only the lengths sent back"
            for w in (0, 2):
                F.figure(
                    f"{e}/dataloader/{payload}/{w}",
                    f"dataloader/{e}/{payload}/{w}/{big}",
                    "ex_per_s",
                    "ex/s",
                    f"{label}: DataLoader, {w} workers, batches of 16 decoded, {sent}, {big}",
                )
            F.ratio(
                f"{e}/ratio/dataloader_2_vs_0/{payload}",
                (f"dataloader/{e}/{payload}/2/{big}", "ex_per_s"),
                (f"dataloader/{e}/{payload}/0/{big}", "ex_per_s"),
                f"{label}: DataLoader 2 workers / 0 workers, {sent}, {big}",
            )
        F.figure(f"{e}/import/datasets", f"import/{e}", "import_datasets_s", "ms", f"{label}: import datasets", 1000)
        F.figure(
            f"{e}/import/audio_flan",
            f"import/{e}",
            "import_audio_flan_s",
            "ms",
            f"{label}: import audio_flan, beyond import datasets",
            1000,
        )
        F.figure(
            f"{e}/import/task_table",
            f"import/{e}",
            "task_table_s",
            "ms",
            f"{label}: audio_flan.task_table() (reads and validates the 80 registry files)",
            1000,
        )
        F.figure(
            f"{e}/import/builder",
            f"import/{e}",
            "builder_module_s",
            "ms",
            f"{label}: import audio_flan.builder after the task table (the 80 configs)",
            1000,
        )
        for source in SOURCES:
            k = f"library/{e}/{source}"
            F.figure(
                f"{e}/library/{source}/total",
                k,
                "library_us_per_example",
                "µs/ex",
                f"{label}: the library's own work per example ({source}): generator + schema",
            )
            F.figure(
                f"{e}/library/{source}/generator",
                k,
                "generator_us_per_example",
                "µs/ex",
                f"{label}: _generate_examples alone ({source}): parsing, shape, prompt choice, metadata",
            )
            F.figure(
                f"{e}/library/{source}/schema",
                k,
                "schema_us_per_example",
                "µs/ex",
                f"{label}: audio_flan.Audio encode + decode ({source})",
            )
            F.figure(
                f"{e}/library/{source}/datasets_typing",
                k,
                "datasets_typing_us_per_example",
                "µs/ex",
                f"{label}: for information, datasets' Features.encode_example + decode_example ({source})",
            )
    if lh is not None:
        for n in sizes:
            F.figure(
                f"lhotse/iterate/{n}",
                f"lhotse_iterate/{lh['id']}/{n}",
                "ex_per_s",
                "ex/s",
                f"lhotse: read manifests, CutSet, load_audio of every cut, {n}",
            )
            F.figure(
                f"lhotse/prepare/{n}",
                f"lhotse_prepare/{n}",
                "total_s",
                "s",
                f"lhotse: prepare_librittsr (its LibriTTS-R recipe), {n}",
            )
        if small != big:
            F.ratio(
                "lhotse/growth/prepare_per_example",
                (f"lhotse_prepare/{big}", "total_s"),
                (f"lhotse_prepare/{small}", "total_s"),
                f"lhotse: prepare time per utterance at {big} / at {small}; 1.0 is linear",
                per_example=(big, small),
            )
    else:
        reason = "no environment with lhotse in this run (see benchmarks/README.md; or --skip-lhotse was given)"
        for n in sizes:
            F.items[f"lhotse/iterate/{n}"] = {"what": f"lhotse iteration, {n}", "unit": "ex/s", "skip": reason}
            F.items[f"lhotse/prepare/{n}"] = {"what": f"lhotse prepare_librittsr, {n}", "unit": "s", "skip": reason}
    for n in export_sizes:
        if export_skip:
            for name, unit in (
                (f"export/copy/{n}", "MB/s"),
                (f"export/1proc/{n}", "MB/s"),
                (f"export/2proc/{n}", "MB/s"),
                (f"export/ratio/2_vs_1/{n}", "x"),
                (f"export/ratio/1_vs_copy/{n}", "x"),
            ):
                F.items[name] = {"what": f"export: {name.split('/', 1)[1]}", "unit": unit, "skip": export_skip}
            continue
        F.figure(
            f"export/copy/{n}",
            f"copy_audio/{n}",
            "mb_per_s",
            "MB/s",
            f"copying the same WAV files (shutil.copyfile), {n}",
        )
        for p in (1, 2):
            F.figure(
                f"export/{p}proc/{n}",
                f"export/{p}/{n}",
                "mb_per_s",
                "MB/s",
                f"audio-flan export {CONFIG} to Parquet, {p} process(es), audio MB/s, {n}",
            )
        F.ratio(
            f"export/ratio/2_vs_1/{n}",
            (f"export/2/{n}", "mb_per_s"),
            (f"export/1/{n}", "mb_per_s"),
            f"export, 2 processes / 1 process, {n}",
        )
        F.ratio(
            f"export/ratio/1_vs_copy/{n}",
            (f"export/1/{n}", "mb_per_s"),
            (f"copy_audio/{n}", "mb_per_s"),
            f"export with 1 process / copying the files, {n}",
        )
    return F.items


# ------------------------------------------------------------------------------------------------- targets


def targets(items: dict, envs: list[dict], sizes: list[int], export_sizes: list[int]) -> list[dict]:
    """The issue's targets, each checked against the median of its figure."""
    big = max(sizes)
    out = []

    def check(target: str, name: str, op: str, threshold: float) -> None:
        item = items.get(name)
        row = {"target": target, "figure": name, "op": op, "threshold": threshold}
        if item is None or "skip" in item:
            row.update(status="skipped", reason=(item or {}).get("skip", "not measured"))
        else:
            value = item["median"]
            row.update(value=value, min=item["min"], max=item["max"], unit=item["unit"])
            row["status"] = "met" if (value >= threshold if op == ">=" else value <= threshold) else "missed"
        out.append(row)

    for env in envs:
        e, major = env["id"], env["datasets"].split(".")[0]
        label = env["label"]
        if major == "3":
            check(f"{label}: decoded stream >= 0.4x the plain loop", f"{e}/ratio/decoded_vs_plain/{big}", ">=", 0.4)
        else:
            check(f"{label}: decoded stream >= 0.9x the plain loop", f"{e}/ratio/decoded_vs_plain/{big}", ">=", 0.9)
            if env["lhotse"] or lhotse_env(envs):
                check(f"{label}: decoded stream >= 1.0x lhotse", f"{e}/ratio/decoded_vs_lhotse/{big}", ">=", 1.0)
            check(f"{label}: text-only >= 7x the decoded stream", f"{e}/ratio/text_vs_decoded/{big}", ">=", 7.0)
        if len(sizes) > 1:
            for source in SOURCES:
                check(
                    f"{label}: time to first example at {big} <= 1.3x at {min(sizes)} ({source})",
                    f"{e}/growth/first_example/{source}/decoded",
                    "<=",
                    1.3,
                )
                check(
                    f"{label}: peak memory at {big} <= 1.3x at {min(sizes)} ({source})",
                    f"{e}/growth/peak_rss/{source}/decoded",
                    "<=",
                    1.3,
                )
                check(
                    f"{label}: whole-corpus time linear: per-example time at {big} <= 1.3x at {min(sizes)} ({source})",
                    f"{e}/growth/per_example_time/{source}/decoded",
                    "<=",
                    1.3,
                )
        if env["torch"]:
            check(
                f"{label}: DataLoader 2 workers >= 1.6x 0 workers (padded batch tensors)",
                f"{e}/ratio/dataloader_2_vs_0/tensor",
                ">=",
                1.6,
            )
            check(
                f"{label}: DataLoader 2 workers >= 1.6x 0 workers (lengths only: no tensor traffic)",
                f"{e}/ratio/dataloader_2_vs_0/lengths",
                ">=",
                1.6,
            )
        check(f"{label}: import audio_flan < 1 s beyond import datasets", f"{e}/import/audio_flan", "<=", 1000.0)
        for source in SOURCES:
            check(f"{label}: library work < 50 µs per example ({source})", f"{e}/library/{source}/total", "<=", 50.0)
    for n in export_sizes:
        check(f"export: 2 processes >= 1.5x 1 process ({n})", f"export/ratio/2_vs_1/{n}", ">=", 1.5)
    if not any(e["torch"] for e in envs):
        out.append(
            {
                "target": "DataLoader 2 workers >= 1.6x 0 workers",
                "status": "skipped",
                "reason": "no environment with torch in this run",
            }
        )
    return out


# ------------------------------------------------------------------------------------------------ markdown


def _fmt(v: float) -> str:
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def _cell(item: Optional[dict]) -> str:
    if item is None:
        return "—"
    if "skip" in item:
        return f"skipped: {item['skip']}"
    unit = item["unit"]
    return f"{_fmt(item['median'])} {unit} ({_fmt(item['min'])}–{_fmt(item['max'])})"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *("| " + " | ".join(r) + " |" for r in rows), ""]


def markdown(result: dict) -> str:
    meta, items = result["meta"], result["figures"]
    sizes = meta["sizes"]
    small, big = min(sizes), max(sizes)
    envs = meta["envs"]
    c = lambda name: _cell(items.get(name))  # noqa: E731
    lines = [
        "# audio-flan benchmarks",
        "",
        f"Generated by `python -m benchmarks.run` on {meta['date']} (commit {meta['commit']}), {meta['machine']}. "
        f"Sizes: {', '.join(map(str, sizes))} utterances; {meta['repeats']} repeat(s). Each cell: median (min–max) "
        "over the repeats; ratios are taken pair by pair within a repeat (the two runs made one after the other), "
        "then summarised. Every run is a fresh process. The corpora are generated (LibriTTS-R and release layouts, "
        "speech-like 24 kHz audio of 2 to 6 s) and read warm from the page cache: these are CPU costs.",
        "",
        "Environments:",
        "",
    ]
    for env in envs:
        lines.append(
            f"- `{env['id']}`: {env['label']} (Python {env['python']}, `{env['executable']}`; lhotse: {'yes' if env['lhotse'] else 'no'})"
        )
    lines += ["", "## Targets", ""]
    rows = []
    for t in result["targets"]:
        if t["status"] == "skipped":
            rows.append([t["target"], f"skipped: {t['reason']}", "skipped"])
        else:
            rows.append(
                [
                    t["target"],
                    f"{_fmt(t['value'])} {t['unit']} ({_fmt(t['min'])}–{_fmt(t['max'])})",
                    f"**{t['status']}**",
                ]
            )
    lines += _table(["target", "measured (median, min–max)", "status"], rows)

    lines += [f"## Streaming `{CONFIG}` from LibriTTS-R, {big} utterances", ""]
    rows = []
    for env in envs:
        e = env["id"]
        rows.append(
            [
                f"`{e}`",
                c(f"{e}/stream/libritts_r/decoded/{big}"),
                c(f"{e}/plain/{big}"),
                c(f"{e}/ratio/decoded_vs_plain/{big}"),
                c(f"lhotse/iterate/{big}"),
                c(f"{e}/ratio/decoded_vs_lhotse/{big}"),
                c(f"{e}/stream/libritts_r/text/{big}"),
                c(f"{e}/ratio/text_vs_decoded/{big}"),
            ]
        )
    lines += _table(
        [
            "env",
            "decoded",
            "plain loop",
            "decoded / plain",
            "lhotse",
            "decoded / lhotse",
            "text only",
            "text / decoded",
        ],
        rows,
    )

    lines += [
        "## Time to the first example, peak memory, whole split",
        "",
        "Time to the first example counts from just before the builder is made (imports excluded, torch's too "
        "where it is installed). Peak memory is the process's peak RSS over the whole split, "
        "audio decoded. Growth: the figure at the largest size over the same at the smallest.",
        "",
    ]
    rows = []
    for env in envs:
        e = env["id"]
        for source in SOURCES:
            k = f"{source}/decoded"
            rows.append(
                [
                    f"`{e}`",
                    source,
                    c(f"{e}/first_example/{k}/{small}"),
                    c(f"{e}/first_example/{k}/{big}"),
                    c(f"{e}/growth/first_example/{k}"),
                    c(f"{e}/peak_rss/{k}/{small}"),
                    c(f"{e}/peak_rss/{k}/{big}"),
                    c(f"{e}/growth/peak_rss/{k}"),
                    c(f"{e}/whole/{k}/{small}"),
                    c(f"{e}/whole/{k}/{big}"),
                    c(f"{e}/growth/per_example_time/{k}"),
                ]
            )
    lines += _table(
        [
            "env",
            "source",
            f"first ex. {small}",
            f"first ex. {big}",
            "growth",
            f"peak RSS {small}",
            f"peak RSS {big}",
            "growth",
            f"whole split {small}",
            f"whole split {big}",
            "time per ex. growth",
        ],
        rows,
    )

    lines += ["## lhotse's LibriTTS-R recipe", ""]
    lines += _table(
        ["", f"{small}", f"{big}", "per-utterance growth"],
        [
            [
                "`prepare_librittsr`",
                c(f"lhotse/prepare/{small}"),
                c(f"lhotse/prepare/{big}"),
                c("lhotse/growth/prepare_per_example"),
            ],
            ["iterate (manifests, CutSet, load_audio)", c(f"lhotse/iterate/{small}"), c(f"lhotse/iterate/{big}"), ""],
        ],
    )

    lines += [f"## DataLoader, batches of 16, {big} utterances", ""]
    rows = []
    for env in envs:
        e = env["id"]
        for payload in DATALOADER_PAYLOADS:
            rows.append(
                [
                    f"`{e}`",
                    payload,
                    c(f"{e}/dataloader/{payload}/0"),
                    c(f"{e}/dataloader/{payload}/2"),
                    c(f"{e}/ratio/dataloader_2_vs_0/{payload}"),
                ]
            )
    lines += _table(["env", "sent back", "0 workers", "2 workers", "2 / 0"], rows)

    lines += ["## Start-up and the library's own work", ""]
    rows = []
    for env in envs:
        e = env["id"]
        rows.append(
            [
                f"`{e}`",
                c(f"{e}/import/datasets"),
                c(f"{e}/import/audio_flan"),
                c(f"{e}/import/task_table"),
                c(f"{e}/import/builder"),
                c(f"{e}/library/libritts_r/total"),
                c(f"{e}/library/release/total"),
                c(f"{e}/library/libritts_r/datasets_typing"),
            ]
        )
    lines += _table(
        [
            "env",
            "import datasets",
            "import audio_flan (beyond)",
            "task table",
            "builder module",
            "library work, LibriTTS-R",
            "library work, release",
            "datasets' generic typing (info)",
        ],
        rows,
    )

    lines += ["## Export", ""]
    rows = []
    for name in sorted(n for n in items if n.startswith("export/")):
        rows.append([f"`{name}`", items[name]["what"], c(name)])
    lines += _table(["figure", "what", "value"], rows)

    lines += ["## Every figure", ""]
    lines += _table(
        ["figure", "what", "value"], [[f"`{name}`", item["what"], _cell(item)] for name, item in items.items()]
    )
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------ main


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except Exception:
        return "unknown"


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 20000], help="corpus sizes in utterances (default: 1000 20000)"
    )
    p.add_argument("--repeats", type=int, default=5, help="runs of each measurement (default: 5)")
    p.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results", help="folder for results.json and results.md"
    )
    p.add_argument(
        "--python",
        action="append",
        dest="pythons",
        metavar="PY",
        help="an interpreter to measure in (repeatable; default: this one)",
    )
    p.add_argument(
        "--corpora", type=Path, help="folder for the generated corpora, kept and reused (default: a temporary folder)"
    )
    p.add_argument("--skip-lhotse", action="store_true", help="do not measure lhotse even where it is installed")
    p.add_argument("--skip-export", action="store_true", help="do not measure the export")
    p.add_argument(
        "--jobs", type=int, default=1, help="run this many workers at once: only for smoke runs, it spoils the timings"
    )
    p.add_argument("--quiet", action="store_true")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    sizes = sorted(set(args.sizes))
    temp = Path(tempfile.mkdtemp(prefix="audio-flan-bench-"))
    try:
        work = temp / "work"
        env = child_env(temp / "hf_cache")
        pythons = args.pythons or [sys.executable]
        envs = []
        for i, py in enumerate(pythons):
            info = probe(py, env)
            info["id"] = f"e{i}-ds{info['datasets'].split('.')[0]}" + ("-torch" if info["torch"] else "")
            envs.append(info)
            say(f"environment {info['id']}: {info['label']} ({py})")
        base = args.corpora or temp / "corpora"
        t0 = time.perf_counter()
        corpora = corpus.make_corpora(base, sizes)
        say(f"corpora ready in {time.perf_counter() - t0:.1f} s under {base}")

        rec = Recorder()
        lh = None if args.skip_lhotse else lhotse_env(envs)

        def run(job):
            key, py, name, wargs = job
            return key, run_worker(py, name, wargs, env, work / "scratch")

        def run_all(jobs):
            if args.jobs > 1:
                with ThreadPoolExecutor(args.jobs) as pool:
                    results = list(pool.map(run, jobs))
            else:
                results = [run(j) for j in jobs]
            for key, result in results:
                rec.add(key, result)

        export_sizes = [max(sizes)]
        if args.skip_export:
            export_skip = "--skip-export was given"
        elif not any(e["export"] for e in envs):
            export_skip = "audio_flan.export is not available yet (the Parquet export has not landed)"
        else:
            export_skip = None
        for r in range(args.repeats):
            say(f"repeat {r + 1}/{args.repeats}")
            if lh is not None:
                prep = []
                for n in sizes:
                    out = work / "lhotse" / f"manifests-{n}"
                    shutil.rmtree(out, ignore_errors=True)
                    prep.append(
                        (
                            f"lhotse_prepare/{n}",
                            lh["executable"],
                            "lhotse_prepare",
                            {"data_dir": str(corpora[n]["libritts_r"]), "output_dir": str(out)},
                        )
                    )
                run_all(prep)
            run_all(schedule(envs, sizes, corpora, work, args))
            if export_skip is None:
                jobs = export_jobs(envs, sizes, corpora, work)
                for job in jobs:  # one at a time, whatever --jobs says: each uses the cores it is given
                    run_all([job])
                    shutil.rmtree(work / "copy", ignore_errors=True)
        items = figures(rec, envs, sizes, export_sizes, export_skip)
        result = {
            "meta": {
                "date": _dt.datetime.now().isoformat(timespec="seconds"),
                "commit": _commit(),
                "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
                "sizes": sizes,
                "repeats": args.repeats,
                "envs": envs,
                "corpus": {
                    "utterances_per_chapter": corpus.UTTS_PER_CHAPTER,
                    "chapters_per_speaker": corpus.CHAPTERS_PER_SPEAKER,
                    "seconds": [2.0, 6.0],
                    "rate": corpus.RATE,
                    "audio_mb": {n: corpus.audio_bytes(corpora[n]["libritts_r"]) / 1e6 for n in sizes},
                },
            },
            "figures": items,
            "targets": targets(items, envs, sizes, export_sizes),
            "samples": rec.samples,
            "skips": rec.skips,
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        (args.out / "results.md").write_text(markdown(result), encoding="utf-8")
        say(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'}")
        return result
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
