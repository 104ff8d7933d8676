"""Benchmarks of regions and recipes (``audio_flan.audio_values``), each against a baseline in the same run.

    python -m benchmarks.simulate [--pairs 200] [--repeats 5] [--minutes 30] [--out benchmarks/results]

- denoising pairs: N simulated pairs as ``speech.denoising`` makes them (noisy = clean speech + a region of a
  noise file at a drawn SNR, scaled with its target when it would peak above ``dsp.MIX_PEAK``; target = the
  clean speech so scaled), stored as ``datasets`` stores them and decoded through this package's ``Audio``
  feature, both arrays touched; against a plain loop that ``soundfile.read``s the same clean file and the same
  noise frames and mixes (and scales) them with numpy. Target >= 0.8x.
- denoising through the builder: the same audio laid out as DNS Challenge fullband (``clean_fullband/read_speech``,
  ``noise_fullband``), ``speech.denoising`` streamed from it (listing, noise drawn from the role's pool, prompts,
  metadata, both arrays decoded), against the plain loop over the pairs it drew (read back from the metadata).
  Target >= 0.8x.
- region decoding: 10 s windows of a long file (``--minutes``, 16 kHz WAV PCM_16; a new window each time, so
  each is really read) against decoding the whole file. Target >= 50x.
- export: ``to_export_bytes`` of the N noisy recipes (rendered and FLAC-encoded), MB/s of FLAC written and
  seconds of audio per second; beside it, embedding the clean files as their own bytes.

Audio: speech-like 48 kHz mono PCM_16 of 3 to 6 s (DNS fullband's rate), noise files of 60 s. Every repeat
times each pair of contenders one right after the other (order alternating) after an untimed warm-up, so the
page cache is warm for both; ratios are taken pair by pair, then the median (min-max) over repeats. The pairs
ratio is given in wall time and in this process's CPU time (``time.process_time``), which a shared machine's
load disturbs less; the load average is recorded.

Page faults. Both contenders allocate and free arrays of about a megabyte per pair. Whether glibc serves them from
a heap it keeps or hands memory back to the kernel and faults it in again depends on the process's history of
allocations (its dynamic mmap and trim thresholds), and that alone moves the plain loop between ~420 and ~600 µs
a pair on the same machine. So the minor page faults per pair of each contender are reported beside the ratios
(``resource.getrusage``): a ratio measured while the plain loop faults hundreds of times a pair flatters us.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from audio_flan import Audio, decode_audio, dsp
from audio_flan import audio_values as av
from audio_flan.builder import AudioFlan

from .corpus import waveform

RATE = 48000
NOISE_FILES = 8
NOISE_SECONDS = 60.0
REGION_SECONDS = 10.0
TARGETS = {
    "denoising pairs vs plain loop": 0.8,
    "denoising through the builder vs plain loop": 0.8,
    "region vs whole file": 50.0,
}


def make_audio(folder: Path, pairs: int, minutes: float) -> dict:
    """Clean speech, noise files (in DNS Challenge's fullband layout) and one long file, written once."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    dns = folder / "datasets_fullband"
    clean = []
    for i in range(pairs):
        path = dns / "clean_fullband" / "read_speech" / f"book_{i:05d}_chp_0001_reader_{i:05d}_0.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # peak 0.35: headroom for the noise at the lowest SNR (the corpus module writes it at 24 kHz)
            sf.write(path, 0.5 * waveform(3.0 + 3.0 * (i % 7) / 6, i), RATE, subtype="PCM_16")
        clean.append(str(path))
    noise = []
    for i in range(NOISE_FILES):
        path = dns / "noise_fullband" / f"noise_{i:02d}.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            n = int(NOISE_SECONDS * RATE)
            colour = np.cumsum(rng.standard_normal(n)) * 0.002  # brown-ish
            sf.write(path, 0.1 * rng.standard_normal(n) + colour - colour.mean(), RATE, subtype="PCM_16")
        noise.append(str(path))
    long_file = folder / f"meeting_{minutes:g}min.wav"
    if not long_file.exists():
        with sf.SoundFile(long_file, "w", 16000, 1, subtype="PCM_16") as f:
            for minute in range(int(np.ceil(minutes))):
                seconds = min(60.0, minutes * 60 - minute * 60)
                f.write(np.tile(waveform(6.0, minute), int(np.ceil(seconds / 6.0)))[: int(seconds * 16000)])
    return {"clean": clean, "noise": noise, "long": str(long_file), "data_dir": str(folder)}


def denoising_pairs(audio: dict, seed: int = 0) -> list[tuple[dict, dict, str, float, float, float]]:
    """Per pair: the stored input and output values, and what the plain loop needs (clean path, noise frames'
    start in seconds, duration, SNR)."""
    pairs = []
    for i, clean in enumerate(audio["clean"]):
        iid = f"speech.denoising/train/{i:05d}"
        duration = sf.info(clean).frames / RATE
        noise = dsp.draw_choice(seed, iid, "noise", audio["noise"])
        offset = dsp.draw_offset(seed, iid, "noise.offset", NOISE_SECONDS, duration)
        snr = dsp.draw_snr_db(seed, iid)
        value = av.Mix(av.File(clean), av.Region(noise, offset, duration), snr, peak=dsp.MIX_PEAK)
        target = dataclasses.replace(value, part="clean")
        pairs.append((value.to_storage(), target.to_storage(), clean, noise, offset, duration, snr))
    return pairs


def run_ours(pairs) -> int:
    feature = Audio()
    samples = 0
    for noisy, clean, *_ in pairs:
        a, b = feature.decode_example(noisy), feature.decode_example(clean)
        samples += a["array"].size + b["array"].size
    return samples


def plain_pair(clean_path: str, noise_path: str, offset: float, snr: float) -> tuple[np.ndarray, np.ndarray]:
    """The pair with soundfile and numpy alone: read, mix at the SNR, scale both when the mixture would clip."""
    clean, rate = sf.read(clean_path, dtype="float32")
    start = round(offset * rate)
    noise, _ = sf.read(noise_path, start=start, stop=start + clean.size, dtype="float32")
    gain = np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr / 10)))
    noisy = clean + np.float32(gain) * noise
    peak = np.abs(noisy).max()
    if peak > dsp.MIX_PEAK:
        k = np.float32(dsp.MIX_PEAK / peak)
        noisy, clean = noisy * k, clean * k
    return noisy, clean


def run_plain(pairs) -> int:
    samples = 0
    for _, _, clean_path, noise_path, offset, _duration, snr in pairs:
        noisy, clean = plain_pair(clean_path, noise_path, offset, snr)
        samples += noisy.size + clean.size
    return samples


def run_builder(data_dir: str) -> int:
    """``speech.denoising`` streamed from the DNS layout, both arrays of every pair touched."""
    builder = AudioFlan(config_name="speech.denoising", data_dir=data_dir, source="dns")
    samples = 0
    for example in builder.as_streaming_dataset(split="train"):
        samples += example["input_audios"][0]["array"].size + example["output_audios"][0]["array"].size
    return samples


def builder_pairs(data_dir: str) -> list[tuple]:
    """What the plain loop needs for the pairs the builder draws (clean file, noise file, offset, SNR), from the
    instances' recipes; untimed."""
    builder = AudioFlan(config_name="speech.denoising", data_dir=data_dir, source="dns")
    pairs = []
    for example in builder.as_streaming_dataset(split="train").decode(False):
        recipe = av.from_bytes(example["input_audios"][0]["bytes"])
        noise = recipe.noise  # type: ignore[attr-defined]
        offset = noise.offset if isinstance(noise, av.Region) else 0.0
        pairs.append((None, None, recipe.clean.path, noise.path, offset, None, recipe.snr_db))  # type: ignore[attr-defined]
    return pairs


def run_export(pairs) -> tuple[int, float]:
    written, seconds = 0, 0.0
    for noisy, *_, duration, _snr in pairs:
        data, _ = av.to_export_bytes(noisy)
        written += len(data)
        seconds += duration
    return written, seconds


def run_copy(pairs) -> int:
    return sum(len(av.to_export_bytes(clean)[0]) for _, _, clean, *_ in pairs)


def timed(fn: Callable, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def cpu_timed(fn: Callable, *args) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, minor page faults)."""
    wall, cpu, faults = time.perf_counter(), time.process_time(), _faults()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, _faults() - faults


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(audio: dict, repeats: int) -> dict:
    pairs = denoising_pairs(audio)
    length = sf.info(audio["long"]).duration
    # a different window at every call (each read for real: no recent-read cache hit), spread over the file
    windows = iter(
        [
            av.Region(audio["long"], round(float(o), 3), REGION_SECONDS)
            for o in np.linspace(10, length - 20, 6 * repeats + 1)
        ]
    )
    region = next(windows)
    drawn = builder_pairs(audio["data_dir"])
    run_ours(pairs), run_plain(pairs), run_export(pairs[:5])  # warm-up: page cache, imports, soxr
    run_builder(audio["data_dir"]), run_plain(drawn)
    decode_audio(audio["long"]), decode_audio(region)
    rows: dict[str, list[float]] = {
        k: []
        for k in (
            "ours_pairs_per_s",
            "plain_pairs_per_s",
            "pairs_ratio",
            "pairs_ratio_cpu",
            "ours_faults_per_pair",
            "plain_faults_per_pair",
            "builder_pairs_per_s",
            "builder_plain_pairs_per_s",
            "builder_ratio",
            "builder_ratio_cpu",
            "builder_faults_per_pair",
            "builder_plain_faults_per_pair",
            "region_ms",
            "whole_ms",
            "region_ratio",
            "export_mb_per_s",
            "export_audio_s_per_s",
            "copy_mb_per_s",
        )
    }
    for r in range(repeats):
        order = (run_ours, run_plain) if r % 2 == 0 else (run_plain, run_ours)
        times = {fn.__name__: cpu_timed(fn, pairs) for fn in order}
        rows["ours_pairs_per_s"].append(len(pairs) / times["run_ours"][0])
        rows["plain_pairs_per_s"].append(len(pairs) / times["run_plain"][0])
        rows["pairs_ratio"].append(times["run_plain"][0] / times["run_ours"][0])
        rows["pairs_ratio_cpu"].append(times["run_plain"][1] / times["run_ours"][1])
        rows["ours_faults_per_pair"].append(times["run_ours"][2] / len(pairs))
        rows["plain_faults_per_pair"].append(times["run_plain"][2] / len(pairs))
        runs = [(run_builder, audio["data_dir"]), (run_plain, drawn)]
        times = {fn.__name__: cpu_timed(fn, arg) for fn, arg in (runs if r % 2 == 0 else runs[::-1])}
        rows["builder_pairs_per_s"].append(len(drawn) / times["run_builder"][0])
        rows["builder_plain_pairs_per_s"].append(len(drawn) / times["run_plain"][0])
        rows["builder_ratio"].append(times["run_plain"][0] / times["run_builder"][0])
        rows["builder_ratio_cpu"].append(times["run_plain"][1] / times["run_builder"][1])
        rows["builder_faults_per_pair"].append(times["run_builder"][2] / len(drawn))
        rows["builder_plain_faults_per_pair"].append(times["run_plain"][2] / len(drawn))

        region_s = statistics.median(timed(decode_audio, next(windows))[0] for _ in range(5))
        whole_s = timed(decode_audio, audio["long"])[0]
        rows["region_ms"].append(region_s * 1000)
        rows["whole_ms"].append(whole_s * 1000)
        rows["region_ratio"].append(whole_s / region_s)

        export_s, (written, seconds) = timed(run_export, pairs)  # type: ignore[misc]
        copy_s, copied = timed(run_copy, pairs)
        rows["export_mb_per_s"].append(written / 1e6 / export_s)
        rows["export_audio_s_per_s"].append(seconds / export_s)
        rows["copy_mb_per_s"].append(copied / 1e6 / copy_s)  # type: ignore[operator]
    return {
        "pairs": len(pairs),
        "builder_pairs": len(drawn),
        "long_file_mb": Path(audio["long"]).stat().st_size / 1e6,
        "results": {k: summary(v) for k, v in rows.items()},
    }


def markdown(result: dict) -> str:
    r = result["results"]

    def f(key: str, fmt: str = "{:.2f}") -> str:
        s = r[key]
        return f"{fmt.format(s['median'])} ({fmt.format(s['min'])}–{fmt.format(s['max'])})"

    lines = [
        f"{result['pairs']} pairs, {result['repeats']} repeats; {result['python']}, numpy {result['numpy']}; "
        f"{result['cpus']} CPUs, load average {result['load_before']:.1f} before and {result['load_after']:.1f} after; "
        f"median (min–max).",
        "",
        "| measurement | audio-flan | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| denoising pairs/s (48 kHz, 3–6 s) | {f('ours_pairs_per_s', '{:.0f}')}; "
        f"{f('ours_faults_per_pair', '{:.0f}')} page faults a pair | plain loop {f('plain_pairs_per_s', '{:.0f}')}; "
        f"{f('plain_faults_per_pair', '{:.0f}')} page faults a pair | {f('pairs_ratio')}x "
        f"(CPU time: {f('pairs_ratio_cpu')}x) | >= 0.8x |",
        f"| speech.denoising streamed from a DNS layout ({result['builder_pairs']} pairs), pairs/s | "
        f"{f('builder_pairs_per_s', '{:.0f}')}; {f('builder_faults_per_pair', '{:.0f}')} page faults a pair | "
        f"plain loop {f('builder_plain_pairs_per_s', '{:.0f}')}; {f('builder_plain_faults_per_pair', '{:.0f}')} "
        f"page faults a pair | {f('builder_ratio')}x (CPU time: {f('builder_ratio_cpu')}x) | >= 0.8x |",
        f"| 10 s region of a {result['minutes']:g}-min file ({result['long_file_mb']:.0f} MB), ms | "
        f"{f('region_ms')} | whole file {f('whole_ms', '{:.0f}')} | {f('region_ratio', '{:.0f}')}x | >= 50x |",
        f"| export of the noisy recipes, MB/s of FLAC | {f('export_mb_per_s')} ({f('export_audio_s_per_s', '{:.0f}')} "
        f"s of audio/s) | clean files as their own bytes {f('copy_mb_per_s', '{:.0f}')} MB/s | | |",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the long file for region decoding")
    parser.add_argument("--audio", type=Path, help="folder to keep the generated audio in (default: temporary)")
    parser.add_argument("--out", type=Path, help="write simulate.json and simulate.md here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.audio or Path(tmp)
        audio = make_audio(folder, args.pairs, args.minutes)
        load_before = os.getloadavg()[0]
        result = measure(audio, args.repeats)
        result.update(load_before=load_before, load_after=os.getloadavg()[0], cpus=os.cpu_count())
    result.update(
        repeats=args.repeats,
        minutes=args.minutes,
        python=f"Python {platform.python_version()}",
        numpy=np.__version__,
        targets=TARGETS,
    )
    text = markdown(result)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "simulate.json").write_text(json.dumps(result, indent=1, sort_keys=True))
        (args.out / "simulate.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
