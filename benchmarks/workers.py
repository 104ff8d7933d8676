"""What each measurement does, run in a fresh process: ``python -m benchmarks.workers NAME 'JSON ARGS'``.

Each worker prints one JSON object (its figures, or ``{"skip": reason}``) as the last line of its stdout. The
parent (``benchmarks.run``) reads the child's peak RSS from ``os.wait4``. Module level imports nothing but the
standard library, so that the import-time worker measures a clean start.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

T_START = time.perf_counter()  # as early as this module runs


class Skip(Exception):
    """This measurement cannot run in this environment; the message says why."""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _quiet_datasets() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.getLogger("datasets").setLevel(logging.ERROR)
    try:
        import datasets

        datasets.disable_progress_bars()
        datasets.logging.set_verbosity_error()
    except Exception:
        pass


# --------------------------------------------------------------------------------------------- start-up


def import_time(args: dict) -> dict:
    """Seconds to import datasets, then audio_flan on top of it, then to build the task table (the registry)
    and to import the builder module (the 80 configs)."""
    t0 = time.perf_counter()
    import datasets  # noqa: F401

    t1 = time.perf_counter()
    import audio_flan

    t2 = time.perf_counter()
    table = audio_flan.task_table()
    t3 = time.perf_counter()
    from audio_flan.builder import AudioFlan  # noqa: F401

    t4 = time.perf_counter()
    return {
        "import_datasets_s": t1 - t0,
        "import_audio_flan_s": t2 - t1,
        "task_table_s": t3 - t2,
        "builder_module_s": t4 - t3,
        "tasks": len(table),
    }


# ---------------------------------------------------------------------------------------------- streaming


def _touch(example: dict, mode: str) -> int:
    """Use an example as a training loop would: text only, or text and the decoded samples."""
    size = len(example["instruction"]) + len(example["input"]) + len(example["output"])
    if mode == "decoded":
        for audio in example["input_audios"]:
            size += audio["array"].shape[-1]
    return size


def stream(args: dict) -> dict:
    """Stream one split of a config through ``AudioFlan.as_streaming_dataset``: time to the first example (from
    just before the builder is made), then the whole split; ``mode`` is "decoded" (read every input audio's
    samples) or "text" (instruction, input and output only). Imports come before the clock starts, torch's
    too where it is installed: datasets imports it when it makes an IterableDataset, and a training script has
    imported it anyway."""
    import importlib.util

    import datasets  # noqa: F401  (import time is measured elsewhere)

    if importlib.util.find_spec("torch") is not None:
        import torch  # noqa: F401
    _quiet_datasets()
    from audio_flan.builder import AudioFlan

    mode = args["mode"]
    t0 = time.perf_counter()
    builder = AudioFlan(config_name=args.get("config", "speech.asr"), data_dir=args["data_dir"], source=args["source"])
    dataset = builder.as_streaming_dataset(split=args.get("split", "train"))
    iterator = iter(dataset)
    first = next(iterator)
    total = _touch(first, mode)
    t_first = time.perf_counter()
    rss_first = _rss_mb()
    n = 1
    for example in iterator:
        total += _touch(example, mode)
        n += 1
    t_end = time.perf_counter()
    return {
        "n": n,
        "first_example_s": t_first - t0,
        "total_s": t_end - t0,
        "ex_per_s": n / (t_end - t0),
        "rss_at_first_mb": rss_first,
        "checksum": total,
    }


def plain(args: dict) -> dict:
    """The raw limit: walk the LibriTTS-R copy, read every ``*.trans.tsv`` with csv and ``soundfile.read`` every
    utterance it lists (float32), in a plain loop. No datasets, no audio_flan."""
    import csv

    import soundfile as sf

    t0 = time.perf_counter()
    root = os.path.join(args["data_dir"], "LibriTTS_R")
    n = total = 0
    for subset in sorted(os.listdir(root)):
        subset_dir = os.path.join(root, subset)
        if not os.path.isdir(subset_dir):
            continue
        for speaker in sorted(os.listdir(subset_dir)):
            for chapter in sorted(os.listdir(os.path.join(subset_dir, speaker))):
                folder = os.path.join(subset_dir, speaker, chapter)
                with open(os.path.join(folder, f"{speaker}_{chapter}.trans.tsv"), encoding="utf-8", newline="") as f:
                    rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
                for utt, _original, normalized in rows:
                    array, _rate = sf.read(os.path.join(folder, f"{utt}.wav"), dtype="float32")
                    total += array.shape[-1] + len(normalized)
                    n += 1
    t_end = time.perf_counter()
    return {"n": n, "total_s": t_end - t0, "ex_per_s": n / (t_end - t0), "checksum": total}


def library_work(args: dict) -> dict:
    """The library's own per-example work, without datasets' iteration: the generator ``_generate_examples``
    (parsing, task shape, prompt choice, metadata) timed alone over the whole split, then the schema: this
    package's ``Audio.encode_example`` + ``Audio.decode_example`` on every audio value of those examples. For
    information, datasets' generic ``Features.encode_example`` + ``decode_example`` on the same examples."""
    import datasets  # noqa: F401

    _quiet_datasets()
    from audio_flan.builder import AudioFlan
    from audio_flan.features import AUDIO_COLUMNS

    builder = AudioFlan(config_name=args.get("config", "speech.asr"), data_dir=args["data_dir"], source=args["source"])
    generators = {g.name: g for g in builder._split_generators(None)}
    gen_kwargs = generators[args.get("split", "train")].gen_kwargs
    t0 = time.perf_counter()
    examples = [example for _key, example in builder._generate_examples(**gen_kwargs)]
    t1 = time.perf_counter()
    features = builder.info.features
    audio_features = {
        c: features[c][0] if isinstance(features[c], list) else features[c].feature for c in AUDIO_COLUMNS
    }
    t2 = time.perf_counter()
    for example in examples:
        for column, feature in audio_features.items():
            for value in example[column]:
                feature.decode_example(feature.encode_example(value))
    t3 = time.perf_counter()
    for example in examples:
        features.decode_example(features.encode_example(example))
    t4 = time.perf_counter()
    n = len(examples)
    generator_us = (t1 - t0) / n * 1e6
    schema_us = (t3 - t2) / n * 1e6
    return {
        "n": n,
        "generator_us_per_example": generator_us,
        "schema_us_per_example": schema_us,
        "library_us_per_example": generator_us + schema_us,
        "datasets_typing_us_per_example": (t4 - t3) / n * 1e6,
    }


# ------------------------------------------------------------------------------------------------- lhotse


def _lhotse():
    try:
        import lhotse  # noqa: F401
        from lhotse.recipes import prepare_libritts
    except ImportError as err:
        raise Skip(f"lhotse is not installed here ({err}); see benchmarks/README.md for the benchmark venv") from err
    return prepare_libritts


def lhotse_prepare(args: dict) -> dict:
    """lhotse's LibriTTS-R recipe (``prepare_librittsr`` is ``prepare_libritts``) on the same copy, writing its
    manifests to ``output_dir`` (which must not hold them yet, or lhotse reuses them)."""
    prepare = _lhotse()
    _quiet_datasets()
    import logging

    logging.getLogger().setLevel(logging.ERROR)
    t0 = time.perf_counter()
    manifests = prepare(
        os.path.join(args["data_dir"], "LibriTTS_R"), dataset_parts=["train-clean-100"], output_dir=args["output_dir"]
    )
    t1 = time.perf_counter()
    n = sum(len(m["supervisions"]) for m in manifests.values())
    return {"n": n, "total_s": t1 - t0, "us_per_example": (t1 - t0) / n * 1e6}


def lhotse_iterate(args: dict) -> dict:
    """One epoch with lhotse: read the prepared manifests, make the CutSet, and load every cut's audio."""
    _lhotse()
    from lhotse import CutSet, RecordingSet, SupervisionSet

    out = args["output_dir"]
    t0 = time.perf_counter()
    recordings = RecordingSet.from_file(os.path.join(out, "libritts_recordings_train-clean-100.jsonl.gz"))
    supervisions = SupervisionSet.from_file(os.path.join(out, "libritts_supervisions_train-clean-100.jsonl.gz"))
    cuts = CutSet.from_manifests(recordings=recordings, supervisions=supervisions)
    n = total = 0
    iterator = iter(cuts)
    first = next(iterator)
    total += first.load_audio().shape[-1] + len(first.supervisions[0].text)
    t_first = time.perf_counter()
    n = 1
    for cut in iterator:
        total += cut.load_audio().shape[-1] + len(cut.supervisions[0].text)
        n += 1
    t_end = time.perf_counter()
    return {
        "n": n,
        "first_example_s": t_first - t0,
        "total_s": t_end - t0,
        "ex_per_s": n / (t_end - t0),
        "checksum": total,
    }


# --------------------------------------------------------------------------------------------- DataLoader


def _padded_batch(examples):
    """collate_fn of the DataLoader benchmark, run in the worker (so the samples are read there): a padded
    float32 batch tensor, the lengths and the texts, as an ASR training loop would take them."""
    import torch

    arrays = [e["input_audios"][0]["array"] for e in examples]
    batch = torch.zeros(len(arrays), max(a.shape[-1] for a in arrays))
    for i, a in enumerate(arrays):
        batch[i, : a.shape[-1]] = torch.from_numpy(a)
    return {
        "audio": batch,
        "lengths": torch.tensor([a.shape[-1] for a in arrays]),
        "text": [e["output"] for e in examples],
    }


def _lengths(examples):
    """collate_fn that decodes in the worker but sends back only the lengths: the library's own parallelism,
    without the cost of moving tensors between processes."""
    return {
        "lengths": [e["input_audios"][0]["array"].shape[-1] for e in examples],
        "text": [e["output"] for e in examples],
    }


def dataloader(args: dict) -> dict:
    """A torch DataLoader over the streaming dataset, batches of 16 decoded in ``workers`` worker processes (0:
    in the main process); ``payload`` "tensor" sends padded tensors back, "lengths" only the lengths. The main
    process uses one torch thread (workers do anyway), so that the 2 cores are not oversubscribed."""
    try:
        import torch  # noqa: F401
        from torch.utils.data import DataLoader
    except ImportError as err:
        raise Skip(f"torch is not installed here ({err}); see benchmarks/README.md for the benchmark venv") from err
    import datasets  # noqa: F401

    _quiet_datasets()
    from audio_flan.builder import AudioFlan

    torch.set_num_threads(1)
    payload = args.get("payload", "tensor")
    collate = {"tensor": _padded_batch, "lengths": _lengths}[payload]
    t0 = time.perf_counter()
    builder = AudioFlan(config_name="speech.asr", data_dir=args["data_dir"], source=args["source"])
    dataset = builder.as_streaming_dataset(split="train")
    workers = int(args["workers"])
    loader = DataLoader(dataset, batch_size=int(args.get("batch_size", 16)), num_workers=workers, collate_fn=collate)
    n = total = 0
    for batch in loader:
        lengths = batch["lengths"]
        total += int(sum(lengths))
        n += len(lengths)
    t1 = time.perf_counter()
    return {
        "n": n,
        "workers": workers,
        "payload": payload,
        "total_s": t1 - t0,
        "ex_per_s": n / (t1 - t0),
        "n_shards": dataset.n_shards,
        "checksum": total,
    }


# ------------------------------------------------------------------------------------------------- export


def export_available() -> str | None:
    """None when ``audio_flan.export`` can be measured, else why not."""
    import importlib.util

    try:
        if importlib.util.find_spec("audio_flan.export") is None:
            return "audio_flan.export is not available yet (the Parquet export has not landed)"
    except ImportError as err:
        return f"audio_flan.export cannot be found: {err}"
    return None


def copy_audio(args: dict) -> dict:
    """The reference for export: copy every WAV file of the corpus to ``output_dir`` (shutil.copyfile)."""
    import shutil

    t0 = time.perf_counter()
    n = size = 0
    out = args["output_dir"]
    os.makedirs(out, exist_ok=True)
    for folder, _dirs, files in os.walk(args["data_dir"]):
        for name in sorted(files):
            if name.endswith(".wav"):
                source = os.path.join(folder, name)
                shutil.copyfile(source, os.path.join(out, f"{n:07d}.wav"))
                size += os.path.getsize(source)
                n += 1
    t1 = time.perf_counter()
    return {"n": n, "audio_mb": size / 1e6, "total_s": t1 - t0, "mb_per_s": size / 1e6 / (t1 - t0)}


def export(args: dict) -> dict:
    """Export one config of the corpus to Parquet with ``processes`` processes; MB/s of audio exported."""
    reason = export_available()
    if reason:
        raise Skip(reason)
    import inspect
    import shutil

    import datasets  # noqa: F401

    _quiet_datasets()
    from audio_flan import export as export_module

    run = getattr(export_module, "export", None)
    if run is None:
        raise Skip("audio_flan.export has no export() function")
    wanted = {
        "configs": [args.get("config", "speech.asr")],
        "data_dir": args["data_dir"],
        "num_proc": int(args["processes"]),
        "progress": False,
        "log": lambda *a, **k: None,
    }
    accepted = inspect.signature(run).parameters
    missing = [k for k in ("configs", "data_dir", "num_proc") if k not in accepted]
    if missing:
        raise Skip(f"audio_flan.export.export() takes no {', '.join(missing)}: update benchmarks/workers.py:export")
    out = args["output_dir"]
    shutil.rmtree(out, ignore_errors=True)
    audio = sum(
        os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args["data_dir"]) for f in fs if f.endswith(".wav")
    )
    t0 = time.perf_counter()
    run(out, **{k: v for k, v in wanted.items() if k in accepted})
    t1 = time.perf_counter()
    written = sum(
        os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs if f.endswith(".parquet")
    )
    shutil.rmtree(out, ignore_errors=True)
    return {
        "processes": int(args["processes"]),
        "audio_mb": audio / 1e6,
        "parquet_mb": written / 1e6,
        "total_s": t1 - t0,
        "mb_per_s": audio / 1e6 / (t1 - t0),
    }


WORKERS = {
    "import_time": import_time,
    "stream": stream,
    "plain": plain,
    "library_work": library_work,
    "lhotse_prepare": lhotse_prepare,
    "lhotse_iterate": lhotse_iterate,
    "dataloader": dataloader,
    "copy_audio": copy_audio,
    "export": export,
}


def main(argv: list[str]) -> int:
    name, raw = argv[0], argv[1] if len(argv) > 1 else "{}"
    try:
        result = WORKERS[name](json.loads(raw))
    except Skip as skip:
        result = {"skip": str(skip)}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
