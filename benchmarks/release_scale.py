"""The release at its real size (issues 13 and 19): task index, byte-range shards, scp index, as ratios in one run.

    python -m benchmarks.release_scale [--records 2000000] [--files 20] [--big-mb 520] [--scp-lines 2000000]
        [--torch-python PY] [--data DIR] [--out benchmarks/results/release_scale]

Generates (in a temporary folder, or ``--data DIR`` to keep it) a synthetic release in the real layout:
``--records`` speech records over ``--files`` JSONL files of mixed tasks in blocks of 500 (ASR, gender, language,
TTS), the last two files above ``--big-mb`` MB, ``speech.dialect_asr`` only in the first large file, five
emotion and five accent records (the rare configs) at the end of the last two files; one scp of ``--scp-lines``
lines that every record's audio id points into. For issue 19, two more copies of 1,000 records whose ids are
spread over a ``--scp-lines`` scp and over a 1,000-line scp. Every measurement runs in a fresh process (peak RSS
from ``os.wait4``); the DataLoader ones need torch (``--torch-python``, e.g. a venv made by ``setup.sh``).
Writes ``results.json`` and ``results.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIB = "13_LibriTTS-R"
BLOCK = 500
COMMON = ["ASR", "Gender Recognition", "Language Identification", "Text to Speech"]
META = f"metadata/speech/understanding/train_dev/{LIB}/jsonl"
PAD = "the quick brown fox jumps over the lazy dog " * 8
AUDIOS = 1000  # distinct audio files the records use (hard links to one short WAV: records whose audio is absent are skipped)


def _audio_files(root: Path, lines: list[int]) -> None:
    """The WAV files of these scp lines, as hard links to one 0.1 s file."""
    import io

    import numpy as np
    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(1600, dtype=np.float32), 16000, format="WAV", subtype="PCM_16")
    first = None
    for n in sorted(set(lines)):
        path = root / "audio_files/speech" / LIB / f"{n % 1000:03d}" / f"{n:08d}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        if first is None:
            path.write_bytes(buffer.getvalue())
            first = path
        else:
            os.link(first, path)


def _audio_line(i: int, scp_lines: int) -> int:
    """The scp line whose audio record ``i`` uses: one of ``AUDIOS`` lines spread over the whole scp."""
    return ((i * 7919) % AUDIOS) * max(1, scp_lines // AUDIOS)


def _line(i: int, minor: str, scp_lines: int, ug: str = "U") -> str:
    audio = f"{LIB}_{_audio_line(i, scp_lines):08d}_x"
    return json.dumps(
        {
            "instruction": "Please listen to the recording and answer as the task asks.",
            "input": f"audio: <|SOA|>{audio}<|EOA|>",
            "output": f"record {i}: {PAD}",
            "uuid": f"bench-{i:09d}",
            "split": ["train"],
            "task_type": {"major": ["Speech"], "minor": [minor], "U/G": [ug], "unseen": False},
            "domain": "speech",
            "source": ["audiobook"],
            "other": None,
        }
    )


def _scp(path: Path, lines: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(lines):
            f.write(f"{LIB}_{i:08d}_x speech/{LIB}/{i % 1000:03d}/{i:08d}.wav\n")


def make_release(base: Path, records: int, files: int, big_files: int, big_mb: float, scp_lines: int) -> Path:
    root = base / "release"
    params = [records, files, big_files, big_mb, scp_lines, 2]
    if (root / ".complete").is_file() and json.loads((root / ".complete").read_text()) == params:
        return root
    shutil.rmtree(root, ignore_errors=True)
    (root / META).mkdir(parents=True)
    _scp(root / "scp_files/speech" / f"{LIB}.scp", scp_lines)
    _audio_files(root, [_audio_line(i, scp_lines) for i in range(AUDIOS)])
    size_per = len(_line(0, "ASR", scp_lines)) + 1
    big_records = min(records - 10, int(big_mb * 1e6 / size_per) + 1) if big_files else 0
    small = files - big_files
    left = records - 10 - big_records * big_files
    counts = [left // small + (1 if k < left % small else 0) for k in range(small)] + [big_records] * big_files
    i = 0
    for k, count in enumerate(counts):
        with open(root / META / f"part-{k:02d}.jsonl", "w", encoding="utf-8") as f:
            for j in range(count):
                block = j // BLOCK
                minor = COMMON[block % len(COMMON)]
                if k == small and block % 4 == 3:
                    minor = "Dialect ASR"  # only in the first large file
                f.write(_line(i, minor, scp_lines) + "\n")
                i += 1
            if k >= files - 2:
                for _ in range(5):
                    f.write(
                        _line(i, "Emotion Recognition" if k == files - 1 else "Accent Recognition", scp_lines) + "\n"
                    )
                    i += 1
    (root / ".complete").write_text(json.dumps(params))
    return root


def make_scp_release(base: Path, name: str, records: int, scp_lines: int) -> Path:
    root = base / name
    if (root / ".complete").is_file() and (root / ".complete").read_text() == str([records, scp_lines, 2]):
        return root
    shutil.rmtree(root, ignore_errors=True)
    (root / META).mkdir(parents=True)
    _scp(root / "scp_files/speech" / f"{LIB}.scp", scp_lines)
    step = max(1, scp_lines // records)
    _audio_files(root, [(i * step) % scp_lines for i in range(records)])
    with open(root / META / "part-00.jsonl", "w", encoding="utf-8") as f:
        for i in range(records):
            line = json.loads(_line(i, "ASR", scp_lines))
            line["input"] = f"audio: <|SOA|>{LIB}_{(i * step) % scp_lines:08d}_x<|EOA|>"
            f.write(json.dumps(line) + "\n")
    (root / ".complete").write_text(str([records, scp_lines, 2]))
    return root


# ---- workers (each in a fresh process) ---------------------------------------------------------------------


def _rchar() -> int:
    with open("/proc/self/io") as f:
        return int(next(l for l in f if l.startswith("rchar")).split()[1])


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def w_plain_loop(a: dict) -> dict:
    t0 = time.perf_counter()
    n = 0
    for path in sorted((Path(a["root"]) / META).glob("*.jsonl")):
        with open(path, "rb") as f:
            for line in f:
                json.loads(line)
                n += 1
    return {"seconds": time.perf_counter() - t0, "lines": n}


def w_index(a: dict) -> dict:
    from audio_flan.sources._release_index import update

    t0 = time.perf_counter()
    update(Path(a["root"]), ["speech"], num_proc=a["num_proc"], progress=False, scps=a.get("scps", False))
    return {"seconds": time.perf_counter() - t0}


def w_scp_plain(a: dict) -> dict:
    t0 = time.perf_counter()
    n = 0
    with open(a["scp"], "rb") as f:
        for line in f:
            if len(line.split(None, 1)) == 2:
                n += 1
    return {"seconds": time.perf_counter() - t0, "lines": n}


def w_scp_build(a: dict) -> dict:
    from audio_flan.sources._scp_index import build

    t0 = time.perf_counter()
    build(a["scp"], progress=False)
    return {"seconds": time.perf_counter() - t0}


def w_lazy_scp(a: dict) -> dict:
    """The lazy block reader of before (a dict of every line read): first lookup, then ids spread over the file."""
    entries: dict = {}
    t0 = time.perf_counter()
    first = None
    with open(a["scp"], "rb") as f:
        for raw in f:
            parts = raw.decode("utf-8").split(None, 1)
            entries.setdefault(parts[0], parts[1].strip())
            if first is None and parts[0] == a["first_id"]:
                first = time.perf_counter() - t0
    return {"first_lookup_s": first, "whole_s": time.perf_counter() - t0, "rss_mb": _rss_mb()}


def _stream(config: str, root: str):
    from audio_flan.builder import AudioFlan

    return AudioFlan(config_name=config, data_dir=root).as_streaming_dataset(split="train")


def w_first_example(a: dict) -> dict:
    if not a.get("index", True):
        os.environ["AUDIO_FLAN_RELEASE_INDEX"] = "0"
    import datasets  # noqa: F401 (imports before the clock)

    import audio_flan.builder  # noqa: F401

    t0 = time.perf_counter()
    ds = _stream(a["config"], a["root"])
    example = next(iter(ds))
    return {"seconds": time.perf_counter() - t0, "id": example["id"], "n_shards": ds.n_shards, "rss_mb": _rss_mb()}


def w_rare_pass(a: dict) -> dict:
    """A whole pass over one config: bytes read from the metadata files (counted at the reader's file object) and
    in all (the process's rchar: scp lines, index files), against the byte ranges of the config's records."""
    import io

    import audio_flan.sources._lines as lines
    from audio_flan.sources import release
    from audio_flan.sources._release_index import TaskIndex, database_path

    counted = [0]

    class Counting(io.FileIO):
        def read(self, n=-1):
            data = super().read(n)
            counted[0] += len(data)
            return data

    lines.open = lambda path, mode="rb", buffering=-1: Counting(path, "rb")  # type: ignore[attr-defined]
    ds = _stream(a["config"], a["root"])
    before = _rchar()
    n = sum(1 for _ in ds)
    everything = _rchar() - before
    read = counted[0]
    root = Path(a["root"])
    index = TaskIndex(database_path(root))
    from audio_flan.registry import load_registry

    task = load_registry()[a["config"]]
    own = 0
    for rel in release.metadata_files(root, ["speech"]):
        file_id = index.file_id(rel)
        own += sum(e - s for s, e, _, _ in index.runs(file_id, index.matching_keys(task.query, "speech", "train")))
    total = sum(p.stat().st_size for p in (root / META).glob("*.jsonl"))
    return {"examples": n, "bytes_read": read, "rchar": everything, "own_range_bytes": own, "metadata_bytes": total}


def w_stream_scp(a: dict) -> dict:
    """Time to first example and peak RSS per process, streaming every record, with 0 or 2 DataLoader workers."""
    import datasets  # noqa: F401

    import audio_flan.builder  # noqa: F401

    t0 = time.perf_counter()
    ds = _stream(a["config"], a["root"])
    if a["workers"] == 0:
        it = iter(ds)
        next(it)
        first = time.perf_counter() - t0
        n = 1 + sum(1 for _ in it)
        return {"first_s": first, "examples": n, "rss_mb": [_rss_mb()]}
    try:
        import torch.utils.data as tud
    except ImportError:
        return {"skip": "no torch in this environment"}

    def collate(batch):
        info = tud.get_worker_info()
        return {"worker": info.id if info else -1, "n": len(batch), "rss": _rss_mb()}

    loader = tud.DataLoader(ds, batch_size=16, num_workers=a["workers"], collate_fn=collate)
    per, rss, first = {}, {}, None
    for b in loader:
        first = first if first is not None else time.perf_counter() - t0
        per[b["worker"]] = per.get(b["worker"], 0) + b["n"]
        rss[b["worker"]] = max(rss.get(b["worker"], 0), b["rss"])
    return {"first_s": first, "per_worker": per, "rss_mb": sorted(rss.values()), "main_rss_mb": _rss_mb()}


WORKERS = {k[2:]: v for k, v in globals().items() if k.startswith("w_")}


# ---- the parent ------------------------------------------------------------------------------------------------


def run(python: str, name: str, args: dict, cache: Path, extra_env: dict | None = None) -> dict:
    env = {**os.environ, "HF_DATASETS_CACHE": str(cache), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    env.update(extra_env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [python, "-m", "benchmarks.release_scale", "worker", name, json.dumps(args)],
            stdout=out,
            stderr=err,
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        if status != 0:
            raise RuntimeError(f"{name} {args} failed:\n{err.read().decode()[-3000:]}")
    result = json.loads(text.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    print(f"  {name} {json.dumps(args)[:90]} -> {json.dumps(result)[:300]}", flush=True)
    return result


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=2_000_000)
    p.add_argument("--files", type=int, default=20)
    p.add_argument("--big-files", type=int, default=2)
    p.add_argument("--big-mb", type=float, default=520)
    p.add_argument("--scp-lines", type=int, default=2_000_000)
    p.add_argument("--scp-records", type=int, default=1000)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--torch-python", help="an environment with torch, for the DataLoader measurements")
    p.add_argument("--data", help="keep the generated releases here (reused when the parameters match)")
    p.add_argument("--out", default="benchmarks/results/release_scale")
    a = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="audio-flan-scale-"))
    data = Path(a.data) if a.data else work / "data"
    data.mkdir(parents=True, exist_ok=True)
    try:
        return _measure(a, data, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(a, data: Path, work: Path) -> dict:
    t0 = time.perf_counter()
    root = make_release(data, a.records, a.files, a.big_files, a.big_mb, a.scp_lines)
    big = make_scp_release(data, "scp-big", a.scp_records, a.scp_lines)
    small = make_scp_release(data, "scp-small", a.scp_records, 1000)
    sizes = sorted((p.stat().st_size for p in (root / META).glob("*.jsonl")), reverse=True)
    print(
        f"generated in {time.perf_counter() - t0:.0f} s: {len(sizes)} files, {sum(sizes) / 1e6:.0f} MB, largest {sizes[0] / 1e6:.0f} MB"
    )
    py, R = a.python, {"params": vars(a), "files_mb": [s / 1e6 for s in sizes]}
    c1, c2 = work / "cache1", work / "cache2"
    R["plain_loop"] = run(py, "plain_loop", {"root": str(root)}, c1)
    R["index_1"] = run(py, "index", {"root": str(root), "num_proc": 1}, c1)
    R["index_2"] = run(py, "index", {"root": str(root), "num_proc": 2}, c2)
    run(py, "index", {"root": str(root), "num_proc": 1, "scps": True}, c1)  # the scp index too, before first examples
    R["first_common"] = run(py, "first_example", {"config": "speech.asr", "root": str(root)}, c1)
    R["first_rare"] = run(py, "first_example", {"config": "speech.emotion_recognition", "root": str(root)}, c1)
    R["first_common_noindex"] = run(
        py, "first_example", {"config": "speech.asr", "root": str(root), "index": False}, c1
    )
    R["first_rare_noindex"] = run(
        py, "first_example", {"config": "speech.emotion_recognition", "root": str(root), "index": False}, c1
    )
    R["rare_pass"] = run(py, "rare_pass", {"config": "speech.emotion_recognition", "root": str(root)}, c1)
    tp = a.torch_python
    if tp:
        R["dataloader_one_file"] = run(
            tp, "stream_scp", {"config": "speech.dialect_asr", "root": str(root), "workers": 2}, c1
        )
    scp_big = str(big / "scp_files/speech" / f"{LIB}.scp")
    R["scp_plain"] = run(py, "scp_plain", {"scp": scp_big}, c1)
    R["scp_build"] = run(py, "scp_build", {"scp": scp_big}, work / "cache3")
    R["lazy_scp"] = run(py, "lazy_scp", {"scp": scp_big, "first_id": f"{LIB}_00000000_x"}, c1)
    c4 = work / "cache4"
    R["scp_first_noindex"] = run(py, "stream_scp", {"config": "speech.asr", "root": str(big), "workers": 0}, c4)
    for name, rel in (("big", big), ("small", small)):
        run(py, "index", {"root": str(rel), "num_proc": 1, "scps": True}, c1)
        R[f"scp_{name}_0"] = run(py, "stream_scp", {"config": "speech.asr", "root": str(rel), "workers": 0}, c1)
        if tp:
            R[f"scp_{name}_2"] = run(tp, "stream_scp", {"config": "speech.asr", "root": str(rel), "workers": 2}, c1)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(R, indent=1))
    (out / "results.md").write_text(markdown(R))
    print(markdown(R))
    return R


def markdown(R: dict) -> str:
    mb = sum(R["files_mb"])
    rows = [
        f"Release: {R['params']['records']:,} records, {len(R['files_mb'])} files, {mb:.0f} MB (largest "
        f"{R['files_mb'][0]:.0f} and {R['files_mb'][1]:.0f} MB); scp of {R['params']['scp_lines']:,} lines.",
        "",
        "| measurement | value | ratio | target |",
        "|---|---|---|---|",
    ]
    plain, i1, i2 = R["plain_loop"]["seconds"], R["index_1"]["seconds"], R["index_2"]["seconds"]
    rows.append(
        f"| index build, 1 process / plain json loop | {i1:.1f} s / {plain:.1f} s | {plain / i1:.2f}x throughput | >= 0.5x |"
    )
    rows.append(f"| index build, 2 processes | {i2:.1f} s | {i1 / i2:.2f}x of 1 process | (scaling) |")
    fc, fr = R["first_common"]["seconds"], R["first_rare"]["seconds"]
    rows.append(
        f"| first example, rare / common config (index built) | {fr * 1e3:.0f} / {fc * 1e3:.0f} ms | {fr / fc:.2f}x | <= 2x |"
    )
    nc, nr = R["first_common_noindex"]["seconds"], R["first_rare_noindex"]["seconds"]
    rows.append(
        f"| first example without the index, rare / common | {nr:.2f} / {nc:.2f} s | {nr / nc:.1f}x | (before) |"
    )
    rp = R["rare_pass"]
    rows.append(
        f"| whole pass over the rare config: metadata bytes read / its own ranges | {rp['bytes_read']:,} / "
        f"{rp['own_range_bytes']:,} (of {rp['metadata_bytes']:,}; all reads of the pass {rp['rchar']:,}) | "
        f"{rp['bytes_read'] / max(1, rp['own_range_bytes']):.2f}x | <= 1x |"
    )
    if "dataloader_one_file" in R:
        d = R["dataloader_one_file"]
        rows.append(
            f"| DataLoader, 2 workers, config in one large file: instances per worker | {d.get('per_worker')} | | both > 0 |"
        )
    sp, sb = R["scp_plain"]["seconds"], R["scp_build"]["seconds"]
    rows.append(
        f"| scp index build / plain split loop ({R['params']['scp_lines']:,} lines) | {sb:.2f} / {sp:.2f} s | {sb / sp:.2f}x | (measured) |"
    )
    lz = R["lazy_scp"]
    rows.append(
        f"| lazy reader (before): first lookup / whole file, peak RSS | {lz['first_lookup_s'] * 1e3:.1f} ms / {lz['whole_s']:.2f} s, "
        f"{lz['peak_rss_mb']:.0f} MB | | |"
    )
    fn = R["scp_first_noindex"]
    rows.append(
        f"| first example, no index at all yet (task + scp index built first) | {fn['first_s']:.2f} s | | (choice) |"
    )
    for w in (0, 2):
        b, s = R.get(f"scp_big_{w}"), R.get(f"scp_small_{w}")
        if not b or not s or "skip" in b:
            continue
        rb, rs = max(b["rss_mb"]), max(s["rss_mb"])
        rows.append(
            f"| {w} workers: peak RSS per process, 2M-line / 1,000-line scp | {rb:.0f} / {rs:.0f} MB | {rb / rs:.2f}x | <= 1.2x |"
        )
        rows.append(
            f"| {w} workers: first example, 2M-line / 1,000-line scp | {b['first_s'] * 1e3:.0f} / {s['first_s'] * 1e3:.0f} ms | "
            f"{b['first_s'] / s['first_s']:.2f}x | <= 2x |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        print(json.dumps(WORKERS[sys.argv[2]](json.loads(sys.argv[3]))))
    else:
        main()
