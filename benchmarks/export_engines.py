"""Export throughput of the engines: local processes against Ray on one and two worker nodes.

    python -m benchmarks.export_engines --n 2000 --repeats 3 --work /tmp/bench-export \
        --out benchmarks/results/export_engines

Exports ``speech.asr`` and ``speech.tts`` of a generated LibriTTS-R corpus of N utterances (``benchmarks.corpus``)
with: the local engine on 1 and on 2 processes, and the Ray engine on a cluster of 1 and of 2 worker nodes of
one CPU each (``ray.cluster_utils.Cluster``, in this process). The export's driver runs in a fresh process; before
the clock starts it loads the task registry (which forked local workers then inherit) and, with Ray, connects
and starts its worker on every node (Ray starts workers per job: a fixed cost of a few seconds per run, not
part of the throughput at scale). Every export is checked to give the same bytes as the first. Writes
``<out>.json`` (every repeat) and ``<out>.md`` (medians, throughput per process, the ratios of the issue's
targets, and from the per-process throughput an estimate of the full 108.5M-instance export on N nodes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.corpus import make_libritts_r

CONFIGS = ["speech.asr", "speech.tts"]
FULL_INSTANCES = 108_500_000

DRIVER = r"""
import json, sys, time
args = json.loads(sys.argv[1])
from audio_flan.export import export
from audio_flan.registry import load_registry
load_registry()  # as the forked local workers inherit it
if args["address"]:
    import os, ray
    ray.init(address=args["address"], logging_level="WARNING", log_to_driver=False)

    @ray.remote(num_cpus=1)
    def warm():  # start this job's worker on every node and import the package there, before the clock
        import time
        import audio_flan.export
        audio_flan.registry.load_registry()
        time.sleep(1.0)
        return os.getpid()

    ray.get([warm.remote() for _ in range(int(ray.cluster_resources()["CPU"]))])
t0 = time.perf_counter()
result = export(args["out"], configs=args["configs"], data_dir=args["data_dir"], num_proc=args["processes"],
                engine="ray" if args["address"] else "local", progress=False, log=lambda _: None)
seconds = time.perf_counter() - t0
instances = sum(s.instances for s in result.configs)
print(json.dumps({"seconds": seconds, "instances": instances, "audio_mb": sum(s.audio_bytes for s in result.configs) / 1e6}))
"""


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _run(data_dir: Path, out: Path, processes: int, address: str | None) -> dict:
    if out.exists():
        shutil.rmtree(out)
    args = {"out": str(out), "configs": CONFIGS, "data_dir": str(data_dir), "processes": processes, "address": address}
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(args)], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["digest"] = _digest(out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/export_engines"))
    args = parser.parse_args(argv)
    from ray.cluster_utils import Cluster

    data_dir = make_libritts_r(args.work / "corpora", args.n)
    runs: dict[str, list[dict]] = {}
    modes = [("local/1", 1, 0), ("local/2", 2, 0), ("ray/1", 1, 1), ("ray/2", 1, 2)]
    clusters = {}
    try:
        for nodes in (1, 2):
            cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False})
            for _ in range(nodes):
                cluster.add_node(num_cpus=1, object_store_memory=100_000_000)
            cluster.wait_for_nodes()
            clusters[nodes] = cluster
        for repeat in range(args.repeats):
            for name, processes, nodes in modes:  # interleaved, so that load from elsewhere hits every mode
                address = clusters[nodes].address if nodes else None
                result = _run(data_dir, args.work / "out" / "audio-flan", processes, address)
                runs.setdefault(name, []).append(result)
                print(name, repeat, f"{result['seconds']:.2f} s", file=sys.stderr)
    finally:
        for cluster in clusters.values():
            cluster.shutdown()
    digests = {r["digest"] for rs in runs.values() for r in rs}
    if len(digests) != 1:
        raise SystemExit(f"the engines gave different bytes: {digests}")
    med = {name: statistics.median(r["seconds"] for r in rs) for name, rs in runs.items()}
    first = runs["local/1"][0]
    per_s = {name: first["instances"] / s for name, s in med.items()}
    mb_s = {name: first["audio_mb"] / s for name, s in med.items()}
    ratios = {
        "ray 1 node / local 1 process": per_s["ray/1"] / per_s["local/1"],
        "ray 2 nodes / local 2 processes": per_s["ray/2"] / per_s["local/2"],
        "ray 2 nodes / ray 1 node": per_s["ray/2"] / per_s["ray/1"],
        "local 2 processes / local 1 process": per_s["local/2"] / per_s["local/1"],
    }
    per_process = per_s["ray/1"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(
        json.dumps({"n": args.n, "configs": CONFIGS, "runs": runs, "ratios": ratios}, indent=1), encoding="utf-8"
    )
    lines = [
        f"# Export engines ({args.n} LibriTTS-R utterances, configs {', '.join(CONFIGS)}: "
        f"{first['instances']} instances, {first['audio_mb']:.0f} MB of audio; median of {args.repeats})",
        "",
        "| engine | seconds | instances/s | audio MB/s |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {med[name]:.2f} ({min(r['seconds'] for r in runs[name]):.2f}–{max(r['seconds'] for r in runs[name]):.2f}) "
            f"| {per_s[name]:.0f} | {mb_s[name]:.1f} |"
            for name in med
        ),
        "",
        "| ratio | measured | target |",
        "|---|---:|---|",
        f"| ray 1 node / local 1 process | {ratios['ray 1 node / local 1 process']:.2f}x | >= 0.8x |",
        f"| ray 2 nodes / local 2 processes | {ratios['ray 2 nodes / local 2 processes']:.2f}x | >= 0.8x |",
        f"| ray 2 nodes / ray 1 node | {ratios['ray 2 nodes / ray 1 node']:.2f}x | >= 1.6x |",
        f"| local 2 processes / local 1 process | {ratios['local 2 processes / local 1 process']:.2f}x | |",
        "",
        f"Full export ({FULL_INSTANCES:,} instances) at {per_process:.0f} instances/s per process (Ray, 1 node), "
        "assuming linear scaling:",
        "",
        "| processes | hours |",
        "|---:|---:|",
        *(f"| {p} | {FULL_INSTANCES / (per_process * p) / 3600:.1f} |" for p in (16, 64, 256, 1024)),
        "",
    ]
    args.out.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
