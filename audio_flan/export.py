"""``audio-flan export``: write configs as a Hub dataset repository (Parquet shards with embedded audio, a card).

The work is split into units, one per (config, split, builder shard). A unit writes its rows to a staging
folder inside OUT, ``OUT/.audio-flan-export/<config>/<split>/unit-NNNNN-PPP.parquet`` (each written as
``*.tmp`` and renamed when complete), then a small JSON manifest, also renamed into place, that marks the unit
done and lists its files, rows, bytes and audio. When every unit is done, the final files
``OUT/<config>/<split>-NNNNN-of-MMMMM.parquet`` are made from the manifests in unit order (hard links, or copies
where linking fails), the card and its chart are written, and the staging folder is removed. Every step is
idempotent and no partly written file ever has a final name, so an export killed at any point resumes when
run again and gives the same bytes as an uninterrupted one.

The Parquet files are written with pyarrow directly: audio is embedded as the file's own bytes (no
re-encoding) with ``path`` kept as the file's base name, and the schema carries ``datasets``' feature metadata
so the audio columns read back as ``Audio`` on every ``datasets`` version from 3.6 to 5.x.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import struct
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from .builder import AudioFlan
from .card import MARKER, human_bytes, write_card
from .features import AUDIO_COLUMNS, make_features
from .hook import module_hash
from .registry import load_registry
from .sources import SourceError, get_sources

STAGING = ".audio-flan-export"
TRASH = ".audio-flan-export-trash"
MB = 1_000_000
COMPRESSION = "snappy"  # fixed, so two exports give the same bytes; what datasets and the Hub use by default
DICTIONARY_COLUMNS = ["config", "domain", "source"]
STATISTICS_COLUMNS = ["id", "config", "domain", "source"]
_ROW_OVERHEAD = 64  # bytes per value beyond its payload (offsets, levels, page headers), for row-group sizing
_AUDIO_RECORD = struct.Struct("<16sQI")  # digest, size, times stored in the unit


class ExportError(ValueError):
    """An export that cannot run as asked (an unknown config, a folder that is not ours, nothing to export)."""


# ---------------------------------------------------------------------------------------------------------
# the schema


def portable_features_dict(features) -> dict:
    """``features.to_dict()`` in the form every ``datasets`` version reads.

    ``datasets`` >= 4 writes a list feature as ``{"_type": "List", "feature": ...}``, which 3.6 does not know;
    both read the older ``[feature]`` form, so lists without a fixed length are written that way.
    """

    def fix(node):
        if isinstance(node, list):
            return [fix(n) for n in node]
        if isinstance(node, dict):
            if (
                node.get("_type") == "List"
                and node.get("length", -1) in (-1, None)
                and set(node) <= {"_type", "feature", "length"}
            ):
                return [fix(node["feature"])]
            return {k: fix(v) for k, v in node.items()}
        return node

    return fix(features.to_dict())


@functools.lru_cache(maxsize=1)
def arrow_schema():
    """The Arrow schema of every exported file, with ``datasets``' ``huggingface`` metadata."""
    features = make_features()
    meta = {"info": {"features": portable_features_dict(features)}}
    return features.arrow_schema.with_metadata({"huggingface": json.dumps(meta)})


# ---------------------------------------------------------------------------------------------------------
# settings, units, manifests


@dataclass(frozen=True)
class Settings:
    """What every unit needs to know; also the fingerprint that decides whether staged work can be resumed."""

    out: str
    data_dir: Optional[str]
    seed: int = 0
    max_shard_bytes: int = 500 * MB
    row_group_bytes: int = 100 * MB
    row_group_rows: int = 100

    @property
    def staging(self) -> Path:
        return Path(self.out) / STAGING

    def fingerprint(self) -> dict:
        """Staged units are reused only by an export with the same code, writer library and settings."""
        import datasets
        import pyarrow

        return {
            "audio_flan": module_hash(),
            "datasets": datasets.__version__,
            "pyarrow": pyarrow.__version__,
            **{k: v for k, v in asdict(self).items() if k != "out"},
        }


@dataclass(frozen=True)
class Unit:
    """One builder shard of one split of one config."""

    config: str
    split: str
    index: int  # position among the units of (config, split)
    shard: tuple = field(compare=False)  # the builder's shard: (parser name, source root, the parser's shard)

    @property
    def stem(self) -> str:
        return f"unit-{self.index:05d}"

    def key(self, settings: Settings) -> str:
        spec = [
            self.config,
            self.split,
            self.index,
            list(self.shard),
            settings.data_dir,
            settings.seed,
            settings.max_shard_bytes,
            settings.row_group_bytes,
            settings.row_group_rows,
        ]
        return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()

    def folder(self, settings: Settings) -> Path:
        return settings.staging / self.config / self.split


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _read_manifest(unit: Unit, settings: Settings) -> Optional[dict]:
    """The unit's manifest if the unit is done with these settings and its files are all there."""
    folder = unit.folder(settings)
    try:
        manifest = json.loads((folder / f"{unit.stem}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("key") != unit.key(settings):
        return None
    for f in manifest["files"]:
        try:
            if (folder / f["name"]).stat().st_size != f["size"]:
                return None
        except OSError:
            return None
    if manifest["audio_stored"] and not (folder / f"{unit.stem}.audio").is_file():
        return None
    return manifest


# ---------------------------------------------------------------------------------------------------------
# one unit, in a worker

_BUILDERS: dict = {}


def _builder(config: str, settings: Settings):

    key = (config, settings.data_dir, settings.seed)
    if key not in _BUILDERS:
        _BUILDERS[key] = AudioFlan(config_name=config, data_dir=settings.data_dir, seed=settings.seed)
    return _BUILDERS[key]


class _UnitWriter:
    """Writes a unit's rows to one or more Parquet files, in row groups bounded by bytes and rows."""

    def __init__(self, folder: Path, stem: str, settings: Settings):
        self.folder, self.stem, self.settings = folder, stem, settings
        self.schema = arrow_schema()
        self.files: list[dict] = []
        self._rows: list[dict] = []
        self._rows_bytes = 0
        self._writer = None
        self._file_bytes = 0
        self._file_rows = 0
        self._file_num_bytes = 0

    def add(self, row: dict, size: int) -> None:
        s = self.settings
        if self._rows and (self._rows_bytes + size > s.row_group_bytes or len(self._rows) >= s.row_group_rows):
            self._flush()
        self._rows.append(row)
        self._rows_bytes += size

    def _path(self, part: int) -> Path:
        return self.folder / f"{self.stem}-{part:03d}.parquet"

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        if self._writer is not None and self._file_bytes + self._rows_bytes > self.settings.max_shard_bytes:
            self._close_file()
        if self._writer is None:
            tmp = self._path(len(self.files)).with_suffix(".parquet.tmp")
            self._writer = pq.ParquetWriter(
                tmp,
                self.schema,
                compression=COMPRESSION,
                use_dictionary=DICTIONARY_COLUMNS,
                write_statistics=STATISTICS_COLUMNS,
            )
        table = pa.Table.from_pylist(self._rows, schema=self.schema)
        assert self._writer is not None
        self._writer.write_table(table, row_group_size=len(self._rows))
        self._file_bytes += self._rows_bytes
        self._file_rows += len(self._rows)
        self._file_num_bytes += table.nbytes
        self._rows, self._rows_bytes = [], 0

    def _close_file(self) -> None:
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        final = self._path(len(self.files))
        os.replace(final.with_suffix(".parquet.tmp"), final)
        self.files.append(
            {
                "name": final.name,
                "rows": self._file_rows,
                "size": final.stat().st_size,
                "num_bytes": self._file_num_bytes,
            }
        )
        self._file_bytes = self._file_rows = self._file_num_bytes = 0

    def close(self) -> list[dict]:
        self._flush()
        if self._writer is not None:
            self._close_file()
        return self.files


def _audio_seconds(data: bytes) -> Optional[float]:
    import soundfile as sf

    try:
        info = sf.info(io.BytesIO(data))
    except Exception:  # a format this libsndfile cannot read: counted, not fatal
        return None
    return info.frames / info.samplerate if info.samplerate else None


def run_unit(job: tuple[Unit, Settings]) -> dict:
    """Write one unit's files and manifest (in a worker process or in the caller's)."""
    unit, settings = job
    folder = unit.folder(settings)  # made by the caller (see _remove_unfinished)
    builder = _builder(unit.config, settings)
    features = builder.info.features
    writer = _UnitWriter(folder, unit.stem, settings)
    audio: dict[bytes, list] = {}  # digest -> [size, times stored, seconds]
    seconds = 0.0
    unreadable = 0
    columns: dict[str, set] = {"source": set(), "language": set()}
    rows = 0
    for _, instance in builder._generate_examples([list(unit.shard)], unit.split):
        row = features.encode_example(instance)
        size = 0
        for column in AUDIO_COLUMNS:
            embedded = []
            for value in row[column]:
                data = value.get("bytes")
                path = value.get("path")
                if data is None:
                    try:
                        with open(path, "rb") as f:
                            data = f.read()
                    except OSError as err:
                        raise ExportError(
                            f"{unit.config} ({unit.split}), instance {row['id']}: cannot read audio {path}: {err.strerror or err}"
                        ) from None
                digest = hashlib.blake2b(data, digest_size=16).digest()
                entry = audio.get(digest)
                if entry is None:
                    entry = audio[digest] = [len(data), 0, _audio_seconds(data)]
                entry[1] += 1
                if entry[2] is None:
                    unreadable += 1
                else:
                    seconds += entry[2]
                embedded.append({"bytes": data, "path": os.path.basename(path) if path else None})
                size += len(data) + len(embedded[-1]["path"] or "") + 2 * _ROW_OVERHEAD
            row[column] = embedded
        for key, value in row.items():
            if isinstance(value, str):
                size += len(value.encode("utf-8")) + _ROW_OVERHEAD
            elif key == "language":
                size += sum(len(v) + _ROW_OVERHEAD for v in value)
        columns["source"].add(row["source"])
        columns["language"].update(row["language"])
        writer.add(row, size)
        rows += 1
    files = writer.close()

    if audio:  # digests of the audio stored, to count what several configs store
        records = b"".join(_AUDIO_RECORD.pack(d, s, n) for d, (s, n, _) in sorted(audio.items()))
        _atomic_write(folder / f"{unit.stem}.audio", records)
    manifest = {
        "key": unit.key(settings),
        "config": unit.config,
        "split": unit.split,
        "index": unit.index,
        "parser": unit.shard[0],
        "rows": rows,
        "files": files,
        "audio_stored": sum(n for _, n, _ in audio.values()),
        "audio_bytes": sum(s * n for s, n, _ in audio.values()),
        "audio_seconds": round(seconds, 6),
        "audio_unreadable": unreadable,
        "sources": sorted(columns["source"]),
        "languages": sorted(columns["language"]),
    }
    _atomic_write(folder / f"{unit.stem}.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


def read_audio_records(path: Path) -> Iterable[tuple[bytes, int, int]]:
    data = path.read_bytes()
    return (_AUDIO_RECORD.unpack_from(data, i) for i in range(0, len(data), _AUDIO_RECORD.size))


# ---------------------------------------------------------------------------------------------------------
# planning


@dataclass
class Plan:
    configs: list[str]  # configs that have at least one unit
    units: list[Unit]
    left_out: dict[str, set] = field(default_factory=dict)  # restricted parser -> configs it would have fed
    dropped: list[str] = field(default_factory=list)  # configs left with no unit at all


def select_configs(configs: Optional[Iterable[str]] = None, domain: Optional[str] = None) -> list[str]:

    tasks = load_registry()
    if configs:
        configs = list(dict.fromkeys(configs))
        unknown = [c for c in configs if c not in tasks]
        if unknown:
            raise ExportError(f"unknown config(s) {', '.join(unknown)}; see `audio-flan tasks` for the 80 config names")
        if domain:
            configs = [c for c in configs if tasks[c].domain == domain]
        # registry order, whatever order they were given in, so the output does not depend on it
        return [c for c in tasks if c in configs]
    return [c for c, t in tasks.items() if not domain or t.domain == domain]


def plan(configs: list[str], settings: Settings, include_restricted: bool) -> Plan:

    sources = get_sources()
    restricted_allowed = include_restricted or settings.data_dir is None  # the bundled sample is ours
    result = Plan([], [])
    for config in configs:
        builder = _builder(config, settings)
        try:
            generators = builder._split_generators(None)
        except SourceError:
            if len(configs) == 1:
                raise
            result.dropped.append(config)
            continue
        kept = []
        for generator in generators:
            index = 0
            for shard in generator.gen_kwargs["shards"]:
                if not (restricted_allowed or sources[shard[0]].redistributable):
                    result.left_out.setdefault(shard[0], set()).add(config)
                    continue
                kept.append(Unit(config, generator.name, index, tuple(shard)))
                index += 1
        if kept:
            result.configs.append(config)
            result.units.extend(kept)
        else:
            result.dropped.append(config)
    return result


# ---------------------------------------------------------------------------------------------------------
# the output folder


def _is_ours(out: Path) -> bool:
    if (out / STAGING).exists() or (out / TRASH).exists():
        return True
    readme = out / "README.md"
    try:
        return MARKER in readme.read_text(encoding="utf-8")
    except OSError:
        return False


def check_output_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    if out.is_dir() and not _is_ours(out) and any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise ExportError(f"{out} holds files that are not an audio-flan export; give an empty or new folder")


def _pool(processes: int):
    """A process pool: forked where fork is safe to use (Linux), spawned elsewhere."""
    import multiprocessing

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method).Pool(processes)


def _remove_unfinished(units: list[Unit], settings: Settings) -> None:
    """Delete what earlier, interrupted attempts of these units left in the staging folder; make its folders."""
    by_folder: dict[Path, set[str]] = defaultdict(set)
    for unit in units:
        by_folder[unit.folder(settings)].add(unit.stem)
    for folder, stems in by_folder.items():
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name[: len("unit-00000")] in stems:
                    path.unlink()
        else:
            folder.mkdir(parents=True)


def _place(src: Path, dst: Path) -> None:
    """Give ``src``'s content the name ``dst`` atomically: a hard link, or a copy where linking fails."""
    tmp = dst.with_name(dst.name + ".tmp")
    if tmp.exists() or tmp.is_symlink():
        tmp.unlink()
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def final_name(split: str, i: int, n: int) -> str:
    return f"{split}-{i:05d}-of-{n:05d}.parquet"


# ---------------------------------------------------------------------------------------------------------
# the summary


@dataclass
class SplitSummary:
    instances: int = 0
    audio_seconds: float = 0.0
    num_bytes: int = 0  # Arrow bytes, as datasets counts num_bytes
    files: list[str] = field(default_factory=list)
    size: int = 0  # bytes of the Parquet files


@dataclass
class ConfigSummary:
    name: str
    splits: dict[str, SplitSummary] = field(default_factory=dict)
    parsers: list[str] = field(default_factory=list)  # in the registry's order
    sources: dict[str, list[str]] = field(default_factory=dict)  # parser -> values of the ``source`` column
    languages: list[str] = field(default_factory=list)
    audio_stored: int = 0
    audio_bytes: int = 0  # audio bytes embedded, counting every time a file is stored
    audio_distinct_bytes: int = 0
    shared_bytes: int = 0  # distinct audio content also stored by another exported config
    audio_unreadable: int = 0

    @property
    def instances(self) -> int:
        return sum(s.instances for s in self.splits.values())

    @property
    def audio_hours(self) -> float:
        return sum(s.audio_seconds for s in self.splits.values()) / 3600

    @property
    def size(self) -> int:
        return sum(s.size for s in self.splits.values())


@dataclass
class ExportResult:
    out: Path
    configs: list[ConfigSummary]
    left_out: dict[str, list[str]]  # restricted parser -> configs it would have fed
    dropped: list[str]  # configs with nothing to export
    data_dir: Optional[str]
    include_restricted: bool
    duplicated_bytes: int  # audio bytes that a per-content store across configs would not need


def _summarise(plan_: Plan, manifests: dict[Unit, dict], settings: Settings) -> tuple[list[ConfigSummary], int]:

    by_config: dict[str, ConfigSummary] = {}
    digests: dict[str, dict[bytes, int]] = defaultdict(dict)
    for unit in plan_.units:
        m = manifests[unit]
        summary = by_config.setdefault(unit.config, ConfigSummary(unit.config))
        if m["rows"] == 0:
            continue
        split = summary.splits.setdefault(unit.split, SplitSummary())
        split.instances += m["rows"]
        split.audio_seconds += m["audio_seconds"]
        split.num_bytes += sum(f["num_bytes"] for f in m["files"])
        summary.sources[m["parser"]] = sorted(set(summary.sources.get(m["parser"], [])) | set(m["sources"]))
        summary.languages = sorted(set(summary.languages) | set(m["languages"]))
        summary.audio_stored += m["audio_stored"]
        summary.audio_bytes += m["audio_bytes"]
        summary.audio_unreadable += m["audio_unreadable"]
        if not m["audio_stored"]:
            continue
        for digest, size, _ in read_audio_records(unit.folder(settings) / f"{unit.stem}.audio"):
            digests[unit.config][digest] = size
    owners: dict[bytes, int] = defaultdict(int)
    for table in digests.values():
        for digest in table:
            owners[digest] += 1
    sizes: dict[bytes, int] = {}
    for config, table in digests.items():
        by_config[config].audio_distinct_bytes = sum(table.values())
        by_config[config].shared_bytes = sum(s for d, s in table.items() if owners[d] > 1)
        sizes.update(table)
    duplicated = sum(sizes[d] * (n - 1) for d, n in owners.items())
    configs = [by_config[c] for c in plan_.configs if by_config.get(c) and by_config[c].splits]
    tasks = load_registry()
    for summary in configs:
        summary.parsers = [p for p in tasks[summary.name].parsers if p in summary.sources]
    return configs, duplicated


# ---------------------------------------------------------------------------------------------------------
# the export


def export(
    out,
    configs: Optional[Iterable[str]] = None,
    domain: Optional[str] = None,
    data_dir=None,
    num_proc: int = 1,
    max_shard_mb: float = 500,
    row_group_mb: float = 100,
    row_group_rows: int = 100,
    include_restricted: bool = False,
    seed: int = 0,
    repo_id: Optional[str] = None,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> ExportResult:
    """Export configs (default: all 80) to ``out`` as a Hub dataset repository; resumes a killed export."""
    from tqdm.auto import tqdm

    out = Path(out).expanduser().resolve()
    if num_proc < 1:
        raise ExportError("--num-proc must be at least 1")
    if max_shard_mb <= 0 or row_group_mb <= 0 or row_group_rows < 1:
        raise ExportError("--max-shard-mb, the row-group size and rows must be positive")
    names = select_configs(configs, domain)
    if not names:
        raise ExportError(f"no config matches (configs={list(configs or [])}, domain={domain})")
    check_output_folder(out)
    settings = Settings(
        out=str(out),
        data_dir=str(Path(data_dir).expanduser().resolve()) if data_dir else None,
        seed=seed,
        max_shard_bytes=int(max_shard_mb * MB),
        row_group_bytes=int(row_group_mb * MB),
        row_group_rows=row_group_rows,
    )
    the_plan = plan(names, settings, include_restricted)
    for parser, which in sorted(the_plan.left_out.items()):
        src = get_sources()[parser]
        log(
            f"left out {src.corpus} ({parser}; licence: {src.license}) from {len(which)} config(s): it may not be "
            "redistributed. Pass --include-restricted if you hold the rights."
        )
    if not the_plan.units:
        why = (
            "their sources are restricted (see above)"
            if the_plan.left_out
            else f"nothing in {settings.data_dir} feeds them"
        )
        raise ExportError(f"nothing to export for {', '.join(names)}: {why}")

    out.mkdir(parents=True, exist_ok=True)
    if (out / TRASH).exists():
        shutil.rmtree(out / TRASH)
    staging = settings.staging
    fingerprint = settings.fingerprint()
    plan_file = staging / "plan.json"
    if staging.exists():
        try:
            same = json.loads(plan_file.read_text(encoding="utf-8")) == fingerprint
        except (OSError, ValueError):
            same = False
        if not same:
            log(f"{staging} was left by an export with other settings: starting over")
            shutil.rmtree(staging)
    staging.mkdir(parents=True, exist_ok=True)
    if not plan_file.exists():
        _atomic_write(plan_file, json.dumps(fingerprint, indent=1, sort_keys=True).encode())

    manifests: dict[Unit, dict] = {}
    todo = []
    for unit in the_plan.units:
        m = _read_manifest(unit, settings)
        if m is None:
            todo.append(unit)
        else:
            manifests[unit] = m
    if manifests:
        log(f"resuming: {len(manifests)} of {len(the_plan.units)} shards already done")
    _remove_unfinished(todo, settings)

    jobs = [(u, settings) for u in todo]
    pool = None
    if num_proc > 1 and len(jobs) > 1:
        # before the progress bar starts its thread: a forked worker inherits the imports and the builders
        pool = _pool(min(num_proc, len(jobs)))
    bar = tqdm(
        total=len(the_plan.units),
        initial=len(manifests),
        unit="shard",
        desc="export",
        disable=not progress,
        dynamic_ncols=True,
    )
    examples = sum(m["rows"] for m in manifests.values())
    bar.set_postfix(examples=examples)
    try:
        if pool is None:
            results = map(run_unit, jobs)
        else:
            # small chunks keep the workers busy to the end; not one by one, which costs more than a small unit
            results = pool.imap_unordered(run_unit, jobs, chunksize=max(1, min(16, len(jobs) // (8 * num_proc))))
        by_key = {(u.config, u.split, u.index): u for u in todo}
        for m in results:
            manifests[by_key[(m["config"], m["split"], m["index"])]] = m
            examples += m["rows"]
            bar.update(1)
            bar.set_postfix(examples=examples, refresh=False)
        if pool is not None:
            pool.close()
            pool.join()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        bar.close()

    summaries, duplicated = _finalise(out, the_plan, manifests, settings)
    result = ExportResult(
        out=out,
        configs=summaries,
        left_out={p: sorted(c) for p, c in sorted(the_plan.left_out.items())},
        dropped=[c for c in names if c not in {s.name for s in summaries}],
        data_dir=settings.data_dir,
        include_restricted=include_restricted,
        duplicated_bytes=duplicated,
    )
    write_card(result, repo_id=repo_id)
    # the export is complete: move the staging folder aside in one step, then delete it
    os.replace(staging, out / TRASH)
    shutil.rmtree(out / TRASH)
    log(format_summary(result))
    return result


def _finalise(
    out: Path, the_plan: Plan, manifests: dict[Unit, dict], settings: Settings
) -> tuple[list[ConfigSummary], int]:
    """Give the staged files their final names, from the manifests in unit order; idempotent."""

    summaries, duplicated = _summarise(the_plan, manifests, settings)
    kept = {s.name: s for s in summaries}
    units_by: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in the_plan.units:
        units_by[(unit.config, unit.split)].append(unit)
    for config, summary in kept.items():
        folder = out / config
        folder.mkdir(exist_ok=True)
        wanted = set()
        for split, split_summary in summary.splits.items():
            staged = [
                (u.folder(settings) / f["name"], f) for u in units_by[(config, split)] for f in manifests[u]["files"]
            ]
            for i, (path, f) in enumerate(staged):
                name = final_name(split, i, len(staged))
                dst = folder / name
                try:
                    done = dst.stat().st_size == f["size"] and os.path.samefile(dst, path)
                except OSError:
                    done = False
                if not done:
                    _place(path, dst)
                split_summary.files.append(name)
                split_summary.size += f["size"]
                wanted.add(name)
        for old in folder.iterdir():
            if old.name not in wanted and (old.suffix == ".parquet" or old.name.endswith(".parquet.tmp")):
                old.unlink()
    # configs exported earlier into this folder but not now: remove their Parquet folders
    for name in load_registry():
        folder = out / name
        if name not in kept and folder.is_dir():
            for old in folder.iterdir():
                if old.suffix == ".parquet" or old.name.endswith(".parquet.tmp"):
                    old.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()
    return summaries, duplicated


def format_summary(result: ExportResult) -> str:
    head = ("config", "instances", "audio h", "bytes", "audio also in other configs")
    rows = [
        (s.name, str(s.instances), f"{s.audio_hours:.3f}", human_bytes(s.size), human_bytes(s.shared_bytes))
        for s in result.configs
    ]
    total = (
        "total",
        str(sum(s.instances for s in result.configs)),
        f"{sum(s.audio_hours for s in result.configs):.3f}",
        human_bytes(sum(s.size for s in result.configs)),
        f"{human_bytes(result.duplicated_bytes)} stored more than once",
    )
    widths = [max(len(r[i]) for r in [head, *rows, total]) for i in range(len(head))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    text = [line(head), *map(line, rows), line(total), ""]
    text.append(f"{len(result.configs)} configs written to {result.out}")
    if result.left_out:
        for parser, which in result.left_out.items():
            src = get_sources()[parser]
            text.append(
                f"left out (licence forbids redistribution): {src.corpus} [{src.license}], feeding {len(which)} config(s)"
            )
    if result.dropped:
        text.append(f"nothing to export for: {', '.join(result.dropped)}")
    unreadable = {s.name: s.audio_unreadable for s in result.configs if s.audio_unreadable}
    if unreadable:
        text.append(
            "audio soundfile cannot read (stored, but not counted in the hours): "
            + ", ".join(f"{name} {n}" for name, n in unreadable.items())
        )
    return "\n".join(text)


__all__ = ["ExportError", "ExportResult", "arrow_schema", "export", "format_summary", "portable_features_dict"]
