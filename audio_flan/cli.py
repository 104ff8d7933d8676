"""The ``audio-flan`` command: list the 80 tasks, and preview any of them from the sample or your data."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Optional

from .registry import task_table

EPILOG = """examples:
  audio-flan tasks                              the 80 configs: domain, U/G, shape, sources
  audio-flan tasks --domain music               only one domain
  audio-flan preview speech.asr                 three examples from the bundled sample
  audio-flan preview speech.asr --data-dir /data/LibriTTS_R -n 5
  audio-flan preview music.pitch_classification --save-audio out/
  audio-flan export hub/audio-flan --num-proc 8  the 80 configs as Parquet shards and a dataset card
  audio-flan push hub/audio-flan --repo ORG/NAME upload that folder to the Hub
  audio-flan index /data/Audio-FLAN --num-proc 8 index a release copy once (loads use it)
  audio-flan release-report /data/Audio-FLAN    every task spelling found, its count and config

With no --data-dir, every config reads the small sample shipped inside the package. --data-dir may point at
a copy of the released Audio-FLAN files (any subset of its folders), at a supported corpus in its original
layout, or at a folder holding several of those.
"""


def _sources(task) -> str:
    return ", ".join(task.parsers)


def tasks_markdown() -> str:
    """The README's table of configs, generated from the registry."""
    rows = ["| config | domain | U/G | shape | paper's task | sources |", "|---|---|---|---|---|---|"]
    for task in task_table().values():
        ug = "U" if task.understanding else "G"
        rows.append(f"| `{task.name}` | {task.domain} | {ug} | {task.shape} | {task.minor} | {_sources(task)} |")
    return "\n".join(rows)


def cmd_tasks(args) -> int:
    if args.markdown:
        print(tasks_markdown())
        return 0
    rows = [
        (t.name, t.domain, "U" if t.understanding else "G", t.shape, _sources(t))
        for t in task_table().values()
        if not args.domain or t.domain == args.domain
    ]
    head = ("config", "domain", "U/G", "shape", "sources")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print(f"\n{len(rows)} configs")
    return 0


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "audio"


def _describe_audio(value, save_dir: Optional[Path], stem: str) -> str:
    array, rate = value["array"], value["sampling_rate"]
    text = f"{value['path'] or '<bytes>'} ({array.shape[-1] / rate:.2f} s at {rate} Hz)"
    if save_dir is not None:
        import soundfile as sf

        target = save_dir / f"{stem}.wav"
        sf.write(target, array.T if array.ndim == 2 else array, rate)
        text += f" -> {target}"
    return text


def _count(text: str) -> int:
    """A number of examples: 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of examples, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the number of examples cannot be negative, got {value}")
    return value


def cmd_preview(args) -> int:
    try:
        return _preview(args)
    except PermissionError as err:
        print(f"error: {err.filename}: permission denied; the data must be readable by you", file=sys.stderr)
        return 1
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 1


def _preview(args) -> int:
    from .builder import AudioFlan

    tasks = task_table()
    if args.config not in tasks:
        print(f"error: unknown config {args.config!r}; run `audio-flan tasks` for the list", file=sys.stderr)
        return 2
    kwargs = {"seed": args.seed}
    if args.source:
        kwargs["source"] = args.source
    save_dir = Path(args.save_audio) if args.save_audio else None
    if save_dir is not None and save_dir.exists() and not save_dir.is_dir():
        print(f"error: --save-audio {save_dir} is a file; give a folder (it is created if needed)", file=sys.stderr)
        return 2
    builder = AudioFlan(config_name=args.config, data_dir=args.data_dir, **kwargs)
    if save_dir is not None:
        save_dir.mkdir(parents=True, exist_ok=True)
    if args.n == 0:
        return 0
    stream = builder.as_streaming_dataset(split=args.split)
    shown = 0
    for example in stream:
        shown += 1
        print(f"── [{shown}] {example['config']} · {example['source']} · {example['id']}")
        print(f"instruction: {example['instruction']}")
        print("input:\n  " + example["input"].replace("\n", "\n  "))
        print("output:\n  " + example["output"].replace("\n", "\n  "))
        for side in ("input", "output"):
            for i, audio in enumerate(example[f"{side}_audios"]):
                stem = _safe_name(f"{shown:03d}_{example['id']}_{side}{i}")
                print(f"{side} audio {i + 1}: {_describe_audio(audio, save_dir, stem)}")
        print()
        if shown >= args.n:
            break
    if shown == 0:
        print(f"no examples in split {args.split!r} of {args.config}")
    return 0


def cmd_export(args) -> int:
    from .export import export

    export(
        args.out,
        configs=args.configs,
        domain=args.domain,
        data_dir=args.data_dir,
        num_proc=args.num_proc,
        max_shard_mb=args.max_shard_mb,
        row_group_mb=args.row_group_mb,
        include_restricted=args.include_restricted,
        seed=args.seed,
        repo_id=args.repo_id,
        engine=args.engine,
        ray_address=args.ray_address,
        prune=args.prune,
        progress=not args.no_progress,
        work_dir=args.work_dir,
    )
    return 0


def cmd_push(args) -> int:
    from huggingface_hub.errors import HfHubHTTPError

    from .hub import push

    try:
        push(args.folder, args.repo, private=args.private, prune=args.prune)
    except HfHubHTTPError as err:
        print(f"error: the Hub refused: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_index(args) -> int:
    from .release_report import build_index

    for root, db, seconds in build_index(args.data_dir, num_proc=args.num_proc):
        if db is None:
            print(f"error: the datasets cache cannot be written; no index for {root}", file=sys.stderr)
            return 1
        print(f"{root}: indexed in {seconds:.1f} s -> {db}")
    return 0


def cmd_release_report(args) -> int:
    from .release_report import format_report, release_report, release_roots

    for root in release_roots(args.data_dir):
        print(format_report(release_report(root, num_proc=args.num_proc)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="audio-flan",
        description="Audio-FLAN, the instruction dataset of 80 audio tasks (speech, music, sound), for Hugging Face datasets.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tasks = sub.add_parser("tasks", help="list the 80 task configs", description="List the 80 task configs.")
    tasks.add_argument("--domain", choices=("speech", "music", "audio"), help="only this domain")
    tasks.add_argument("--markdown", action="store_true", help="print the README's Markdown table")
    tasks.set_defaults(func=cmd_tasks)
    preview = sub.add_parser(
        "preview",
        help="print a few instruction/input/output triples of one config",
        description="Print a few instruction/input/output triples of one config, decoding its audio.",
    )
    preview.add_argument("config", help="a config name, e.g. speech.asr (see `audio-flan tasks`)")
    preview.add_argument(
        "--data-dir", help="the release files or a corpus in its original layout (default: the bundled sample)"
    )
    preview.add_argument("-n", type=_count, default=3, metavar="N", help="how many examples, 0 or more (default 3)")
    preview.add_argument("--split", default="train", choices=("train", "validation", "test"), help="default train")
    preview.add_argument("--seed", type=int, default=0, help="changes prompt variants and pairings (default 0)")
    preview.add_argument("--source", help="read only this parser (skips layout detection)")
    preview.add_argument("--save-audio", metavar="DIR", help="write each decoded audio to DIR as WAV")
    preview.set_defaults(func=cmd_preview)
    export = sub.add_parser(
        "export",
        help="write configs as a Hub dataset repository (Parquet with embedded audio, a dataset card)",
        description="Write configs as a folder that is a complete Hub dataset repository: OUT/<config>/<split>-NNNNN-of-MMMMM.parquet "
        "with the audio embedded, and OUT/README.md, the dataset card. An export that is interrupted resumes when run again "
        "with the same arguments, and gives the same files as an uninterrupted one.",
    )
    export.add_argument(
        "out",
        metavar="OUT",
        help="the output folder (new, empty, or an earlier export), or a URL of an fsspec filesystem (s3://...)",
    )
    which = export.add_mutually_exclusive_group()
    which.add_argument("--configs", nargs="+", metavar="C", help="these configs only (default: all 80)")
    which.add_argument("--domain", choices=("speech", "music", "audio"), help="the configs of one domain only")
    export.add_argument(
        "--data-dir", help="the release files or corpora in their original layout (default: the bundled sample)"
    )
    export.add_argument("--num-proc", type=int, default=1, metavar="N", help="worker processes (default 1)")
    export.add_argument(
        "--max-shard-mb", type=float, default=500, metavar="M", help="largest Parquet file, in MB (default 500)"
    )
    export.add_argument(
        "--row-group-mb", type=float, default=100, metavar="M", help="largest Parquet row group, in MB (default 100)"
    )
    export.add_argument(
        "--include-restricted",
        action="store_true",
        help="also export sources whose licence forbids redistribution (only if you hold the rights)",
    )
    export.add_argument("--seed", type=int, default=0, help="prompt variants and pairings (default 0)")
    export.add_argument("--repo-id", metavar="ORG/NAME", help="the repository id the card's examples use")
    export.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="run the work in local processes (default) or as Ray tasks on a cluster (pip install 'audio-flan[ray]')",
    )
    export.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="the Ray cluster (default: RAY_ADDRESS, a running local one, or a new one)",
    )
    export.add_argument(
        "--prune",
        action="store_true",
        help="remove the files of configs an earlier export into OUT wrote and this one does not include",
    )
    export.add_argument(
        "--work-dir",
        metavar="DIR",
        help="when OUT is a URL (s3://..., any fsspec filesystem) and the engine local: where the export is made "
        "before it is mirrored there (default: a folder of the datasets cache for that URL); refused with --engine ray",
    )
    export.add_argument("--no-progress", action="store_true", help="no progress bar")
    export.set_defaults(func=cmd_export)
    index = sub.add_parser(
        "index",
        help="index a copy of the released files (which byte ranges hold each task; every scp file)",
        description="Index a copy of the released Audio-FLAN files once: for every metadata file, which byte ranges hold "
        "the records of each task, and for every scp file, where each audio id is. Kept in the datasets cache (the "
        "copy may be read-only) and updated for changed files only; loads build it on first use when it is missing.",
    )
    index.add_argument("data_dir", metavar="DATA_DIR", help="the release copy (or a folder holding it)")
    index.add_argument("--num-proc", type=int, default=1, metavar="N", help="worker processes (default 1)")
    index.set_defaults(func=cmd_index)
    report = sub.add_parser(
        "release-report",
        help="what in a release copy matched which config, and what matched none",
        description="Every task_type.minor spelling in a copy of the released files, per domain and split, with its "
        "count and the config it maps to (or NONE), then the configs that got no records (builds the index if needed).",
    )
    report.add_argument("data_dir", metavar="DATA_DIR", help="the release copy (or a folder holding it)")
    report.add_argument("--num-proc", type=int, default=1, metavar="N", help="worker processes for the index")
    report.set_defaults(func=cmd_release_report)
    push = sub.add_parser(
        "push",
        help="upload an exported folder to the Hub",
        description="Upload a folder written by `audio-flan export` to a Hub dataset repository (created if needed), "
        "resumably. The token comes from `hf auth login` or HF_TOKEN.",
    )
    push.add_argument("folder", metavar="OUT", help="a folder written by `audio-flan export`")
    push.add_argument("--repo", required=True, metavar="ORG/NAME", help="the dataset repository")
    push.add_argument("--private", action="store_true", help="create the repository private")
    push.add_argument(
        "--prune",
        action="store_true",
        help="also delete remote Parquet files of configs the folder does not hold (default: only the pushed configs' stale files)",
    )
    push.set_defaults(func=cmd_push)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    from .features import AudioDecodeError
    from .registry import RegistryError
    from .sources import SourceError

    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (SourceError, RegistryError, AudioDecodeError, ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
