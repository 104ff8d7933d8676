"""Throughput of a collated mixture through a torch DataLoader, against the same batches made by a plain loop, and
the ways a worker can hand its batches to the main process.

    python -m benchmarks.collate_bench [--n 1000] [--batches 80] [--repeats 3] [--corpora DIR] [--out FILE]

Run it with an interpreter that has torch (``bash benchmarks/setup.sh``, or the train extra). The corpus is a
generated LibriTTS-R copy (``benchmarks/corpus.py``: 24 kHz speech-like audio of 2 to 6 s); the mixture is
``audio_flan.mixture`` over the six configs that copy feeds (proportional rates, seed 0), batches of 16, every
audio decoded and resampled to 16 kHz by ``audio_flan.AudioCollator`` and padded. Every measurement runs in a
fresh process; within a repeat the variants run one after the other, so ratios are taken pair by pair.

Variants (``plain`` is the reference):

- ``plain``: no datasets, no DataLoader: the batches a 0-worker run makes (recorded beforehand: which audio
  files, in which order), each file read with soundfile, resampled with soxr and padded, in one loop;
- ``w0``: DataLoader, 0 workers (the collator runs in the main process), numpy float32 batches;
- ``w2``: 2 workers, the collator's default: numpy float32 batches, which pickle packed (no padding, no mask;
  the main process rebuilds them): :class:`audio_flan.collate.Batch`;
- ``w2_padded``: the same batches as plain dicts, pickled padded with their mask (the collator's first default);
- ``w2_int16``: 2 workers, ``transfer="int16"``, turned back to float32 in the main process;
- ``w2_pt``: 2 workers, ``return_tensors="pt"``: torch moves the tensors through shared memory (file descriptors);
- ``w2_pt_fs``: the same with ``torch.multiprocessing.set_sharing_strategy("file_system")``;
- ``w2_pt_pin``: the same with ``pin_memory=True`` (a copy into page-locked memory; it only pays off for a copy
  to a GPU, which this machine does not have: recorded for what it costs);
- ``w2_main``: 2 workers decode and resample, and send each example's arrays unpadded; the main process pads.

Figures: examples a second and audio seconds a second, from the start of iteration to the last batch (worker
start-up included); the main process uses one torch thread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIGS = [
    "speech.asr",
    "speech.gender_recognition",
    "speech.language_identification",
    "speech.speaker_verification",
    "speech.spoken_paragraph_recognition",
    "speech.tts",
]
RATE = 16000
BATCH = 16
VARIANTS = ["plain", "w0", "w2", "w2_padded", "w2_int16", "w2_pt", "w2_pt_fs", "w2_pt_pin", "w2_main"]


# -------------------------------------------------------------------------------------------- in the child


def _mixture(data_dir: str):
    import datasets

    import audio_flan

    datasets.disable_progress_bars()
    return audio_flan.mixture(CONFIGS, data_dir=data_dir, source="libritts_r", seed=0)


def plan(args: dict) -> dict:
    """The audio files of the first ``batches`` batches a 0-worker run makes, in order (nothing decoded)."""
    ds = _mixture(args["data_dir"]).decode(False)
    batches, current = [], []
    for example in ds:
        current.append([a["path"] for a in example["input_audios"] + example["output_audios"]])
        if len(current) == BATCH:
            batches.append(current)
            current = []
            if len(batches) == args["batches"]:
                break
    return {"batches": batches}


def plain(args: dict) -> dict:
    import numpy as np
    import soundfile as sf
    import soxr

    batches = json.loads(Path(args["plan"]).read_text())["batches"]
    t0 = time.perf_counter()
    examples = samples = 0
    for batch in batches:
        arrays = []
        for paths in batch:
            for path in paths:
                data, rate = sf.read(path, dtype="float32")
                arrays.append(soxr.resample(data, rate, RATE, quality="HQ").astype(np.float32, copy=False))
        lengths = np.array([len(a) for a in arrays], dtype=np.int64)
        padded = np.zeros((len(arrays), int(lengths.max())), dtype=np.float32)
        for i, a in enumerate(arrays):
            padded[i, : len(a)] = a
        mask = np.arange(padded.shape[1])[None, :] < lengths[:, None]
        examples += len(batch)
        assert mask.shape == padded.shape
        samples += int(lengths.sum())
    return {"examples": examples, "audio_s": samples / RATE, "total_s": time.perf_counter() - t0}


class _AsDict:
    """collate_fn of ``w2_padded``: the collator's batch as a plain dict (pickled padded, with the mask)."""

    def __init__(self, collate):
        self.collate = collate

    def __call__(self, examples):
        return dict(self.collate(examples))


class _Unpadded:
    """collate_fn of ``w2_main``: decode and resample in the worker, send each audio as its own array."""

    def __call__(self, examples):
        from audio_flan.collate import load_samples

        return [[load_samples(a, RATE) for a in e["input_audios"] + e["output_audios"]] for e in examples]


def _pad_in_main(items) -> dict:
    import numpy as np

    arrays = [a for example in items for a in example]
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    padded = np.zeros((len(arrays), int(lengths.max())), dtype=np.float32)
    for i, a in enumerate(arrays):
        padded[i, : len(a)] = a
    return {"audio": padded, "audio_lengths": lengths, "n": len(items)}


def loader(args: dict) -> dict:
    import torch
    from torch.utils.data import DataLoader

    import audio_flan
    from audio_flan.collate import to_float32

    torch.set_num_threads(1)
    variant = args["variant"]
    workers = 0 if variant == "w0" else 2
    if variant == "w2_pt_fs":
        torch.multiprocessing.set_sharing_strategy("file_system")
    if variant == "w2_main":
        collate = _Unpadded()
    else:
        collate = audio_flan.AudioCollator(
            sampling_rate=RATE,
            transfer="int16" if variant == "w2_int16" else "float32",
            return_tensors="pt" if variant.startswith("w2_pt") else "np",
        )
    if variant == "w2_padded":
        collate = _AsDict(collate)
    ds = _mixture(args["data_dir"])
    dl = DataLoader(ds, batch_size=BATCH, num_workers=workers, collate_fn=collate, pin_memory=variant == "w2_pt_pin")
    t0 = time.perf_counter()
    examples = samples = batches = 0
    for batch in dl:
        if variant == "w2_main":
            batch = _pad_in_main(batch)
            n = batch["n"]
        else:
            if variant == "w2_int16":
                batch = to_float32(batch)
            n = len(batch["id"])
        audio = batch["audio"]
        assert str(audio.dtype) in ("float32", "torch.float32"), audio.dtype
        examples += n
        samples += int(batch["audio_lengths"].sum())
        batches += 1
        if batches == args["batches"]:
            break
    return {"examples": examples, "audio_s": samples / RATE, "total_s": time.perf_counter() - t0}


WORKERS = {"plan": plan, "plain": plain, "loader": loader}


def worker_main(name: str, raw: str) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    print(json.dumps(WORKERS[name](json.loads(raw))))


# -------------------------------------------------------------------------------------------- the parent


def _child(python: str, name: str, args: dict, cache: Path) -> dict:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        HF_DATASETS_CACHE=str(cache),
        HF_DATASETS_OFFLINE="1",
        HF_HUB_OFFLINE="1",
        TQDM_DISABLE="1",
        PYTHONWARNINGS="ignore",
    )
    proc = subprocess.run(
        [python, "-m", "benchmarks.collate_bench", "--worker", name, json.dumps(args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{name} {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def run(n: int, batches: int, repeats: int, corpora: Path, python: str) -> dict:
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import make_libritts_r

    data_dir = str(make_libritts_r(corpora, n))
    cache = corpora / "hf-cache"
    plan_file = corpora / f"plan-{n}-{batches}.json"
    plan_file.write_text(json.dumps(_child(python, "plan", {"data_dir": data_dir, "batches": batches}, cache)))
    samples: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    for repeat in range(repeats):
        for variant in VARIANTS:
            if variant == "plain":
                result = _child(python, "plain", {"plan": str(plan_file)}, cache)
            else:
                args = {"data_dir": data_dir, "batches": batches, "variant": variant}
                result = _child(python, "loader", args, cache)
            result["ex_per_s"] = result["examples"] / result["total_s"]
            samples[variant].append(result)
            print(
                f"repeat {repeat}  {variant:10s} {result['ex_per_s']:8.1f} ex/s  {result['examples']} examples",
                flush=True,
            )
    summary = {}
    for variant, results in samples.items():
        rates = [r["ex_per_s"] for r in results]
        vs_plain = [r["ex_per_s"] / p["ex_per_s"] for r, p in zip(results, samples["plain"])]
        vs_w0 = [r["ex_per_s"] / p["ex_per_s"] for r, p in zip(results, samples["w0"])]
        summary[variant] = {
            "ex_per_s": statistics.median(rates),
            "ex_per_s_min": min(rates),
            "ex_per_s_max": max(rates),
            "audio_s_per_s": statistics.median(r["audio_s"] / r["total_s"] for r in results),
            "vs_plain": statistics.median(vs_plain),
            "vs_w0": statistics.median(vs_w0),
        }
    return {"n": n, "batches": batches, "batch_size": BATCH, "repeats": repeats, "samples": samples, "summary": summary}


def markdown(result: dict) -> str:
    lines = [
        f"{result['batches']} batches of {result['batch_size']} from a mixture of {len(CONFIGS)} configs over a "
        f"{result['n']}-utterance LibriTTS-R copy; median of {result['repeats']} (min-max), ratios pair by pair.",
        "",
        "| variant | examples/s | audio s/s | vs plain loop | vs 0 workers |",
        "|---|--:|--:|--:|--:|",
    ]
    for variant, s in result["summary"].items():
        lines.append(
            f"| `{variant}` | {s['ex_per_s']:.1f} ({s['ex_per_s_min']:.1f}-{s['ex_per_s_max']:.1f}) | "
            f"{s['audio_s_per_s']:.0f} | {s['vs_plain']:.2f}x | {s['vs_w0']:.2f}x |"
        )
    return "\n".join(lines)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=1000, help="utterances in the generated corpus")
    p.add_argument("--batches", type=int, default=80, help="batches of 16 per measurement")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--corpora", default=None, help="keep the generated corpus here (default: a temporary folder)")
    p.add_argument("--python", default=sys.executable, help="interpreter to measure in (needs torch)")
    p.add_argument("--out", default=None, help="write the JSON here, and the table next to it (.md)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        corpora = Path(args.corpora) if args.corpora else Path(scratch)
        result = run(args.n, args.batches, args.repeats, corpora, args.python)
    table = markdown(result)
    print(table)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
        Path(args.out).with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2], sys.argv[3])
    else:
        main()
