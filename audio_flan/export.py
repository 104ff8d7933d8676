"""``audio-flan export``: write configs as a Hub dataset repository (Parquet with embedded audio, a card).

The work runs in two phases, each a list of independent jobs that an engine (local processes, or Ray tasks on
a cluster: :mod:`audio_flan.export_engines`) runs in any order:

1. **Units**, one per (config, split, builder shard): the shard's rows are written to the staging folder
   ``OUT/.audio-flan-export/<config>/<split>/unit-NNNNN.arrow`` (Arrow IPC), with the byte size of every row
   (``.sizes``), the digests of the audio stored (``.audio``) and, last, a JSON manifest that marks the unit
   done: its key (config, split, shard, settings) and the size and modification time of every file the unit
   read or folder it listed (:mod:`audio_flan.export_inputs`). A unit is reused only if both still match.
2. **Files**: from the row sizes alone, the rows of each (config, split), in unit order, are laid out into
   row groups of at most ``--row-group-mb`` (and ``row_group_rows`` rows; an instance larger than that gets a
   row group of its own and is reported; none may exceed 300 MB) and files of at most ``--max-shard-mb``.
   Each file is a job that copies its rows from the staged units into ``file-NNNNN.parquet`` (written with
   :mod:`audio_flan.hub_parquet`'s settings), then a small JSON marker keyed by the manifests it came from.

Then the files get their final names ``OUT/<config>/<split>-NNNNN-of-MMMMM.parquet`` (hard links), the card
is written, stale files of earlier exports (only those the ledger says an export wrote) are removed, and the
staging folder goes. Every write is to a temporary name renamed when complete, so an export killed at any
point resumes when run again, and the result is byte-identical whatever the engine and ``--num-proc``.

With Ray and a URL for OUT (``s3://…``) the staging is ``URL/.audio-flan-export/`` (:class:`UrlStaging`): each
task works in a scratch folder of its node and uploads its files there under temporary names, the manifest or
marker last; file tasks fetch the staged units they copy from; the driver reads only manifests, markers, row
sizes and audio digests, then places the final names by server-side copies and keeps the URL's ledger
(:mod:`audio_flan.export_remote`).
"""

from __future__ import annotations

import array
import errno
import hashlib
import io
import json
import os
import posixpath
import shutil
import struct
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

import pyarrow as pa

from . import card, export_engines, export_remote, report
from .audio_values import AudioDecodeError, AudioValueError, to_export_bytes
from .builder import AudioFlan
from .export_folder import (
    LEDGER,
    LOCK,
    STAGING,
    TRASH,
    ExportError,
    atomic_write,
    check_output_folder,
    locked,
    place,
    read_ledger,
    write_ledger,
)
from .export_inputs import stamp, tracked, unchanged
from .export_summary import MARKER, ConfigSummary, ExportResult, SplitSummary, format_summary, human_bytes
from .features import AUDIO_COLUMNS
from .hook import module_hash
from .hub_parquet import arrow_schema, open_writer, portable_features_dict
from .registry import load_registry
from .roles import found_parsers
from .sources import SourceError, get_sources

MB = 1_000_000
ROW_GROUP_CAP = 300 * MB  # the Hub's dataset viewer refuses larger row groups
STAGE_BATCH_BYTES = 32 * MB  # rows buffered before a staged Arrow batch is written
STAGE_BATCH_ROWS = 1024
_ROW_OVERHEAD = 64  # bytes per value beyond its payload (offsets, levels, page headers), for row-group sizing
_AUDIO_RECORD = struct.Struct("<16sQI")  # digest, size, times stored in the unit
ENGINES = ("local", "ray")
# the package's code as this process imported it: staged work is keyed by it (see Settings.fingerprint)
_CODE = module_hash()


# ---------------------------------------------------------------------------------------------------------
# settings, units, manifests


@dataclass(frozen=True)
class Settings:
    """What every job needs to know; also the fingerprint that decides whether staged work can be resumed."""

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
        """Staged work is reused only by an export with the same code, writer library and settings.

        The code is the one this process runs: if the files on disk changed since it imported them, the hash of
        the files would not say what this process writes, and a resume could join work of two versions.
        """
        import datasets

        if module_hash.__wrapped__() != _CODE:
            raise ExportError(
                "audio-flan's code or registry changed on disk after this process imported it: run the export in a "
                "new process (work staged by an export with other code is not reused)"
            )
        return {
            "audio_flan": _CODE,
            "datasets": datasets.__version__,
            "pyarrow": pa.__version__,
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
        spec = [self.config, self.split, self.index, list(self.shard), settings.data_dir, settings.seed]
        return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()

    def folder(self, settings: Settings) -> Path:
        return settings.staging / self.config / self.split

    def path(self, settings: Settings, suffix: str) -> Path:
        return self.folder(settings) / f"{self.stem}.{suffix}"


def read_manifest(unit: Unit, settings: Settings) -> Optional[dict]:
    """The unit's manifest if the unit is done with these settings and inputs, and its files are all there."""
    try:
        manifest = json.loads(unit.path(settings, "json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("key") != unit.key(settings) or not unchanged(manifest["inputs"]):
        return None
    for suffix, size in manifest["files"].items():
        try:
            if unit.path(settings, suffix).stat().st_size != size:
                return None
        except OSError:
            return None
    return manifest


# ---------------------------------------------------------------------------------------------------------
# phase 1: one unit, in a worker

_BUILDERS: dict = {}


def _builder(config: str, settings: Settings):

    key = (config, settings.data_dir, settings.seed)
    if key not in _BUILDERS:
        _BUILDERS[key] = AudioFlan(config_name=config, data_dir=settings.data_dir, seed=settings.seed)
    return _BUILDERS[key]


def audio_file_bytes(value: dict, where: str) -> tuple[bytes, Optional[str]]:
    """The bytes an audio value stores in the export, and the file name kept with them.

    The one place the export turns an encoded audio value into bytes: embedded bytes as they are, a path read
    as it is (no re-encoding), a region or recipe rendered to FLAC (:func:`audio_flan.audio_values.to_export_bytes`).
    """
    if value.get("bytes") is None and not value.get("path"):
        raise ExportError(f"{where}: an audio value with neither bytes nor a path")
    try:
        return to_export_bytes(value)
    except OSError as err:
        raise ExportError(f"{where}: cannot read audio {value.get('path')}: {err.strerror or err}") from None
    except (AudioDecodeError, AudioValueError) as err:
        raise ExportError(f"{where}: cannot render audio {value.get('path') or 'recipe'}: {err}") from None


def _audio_seconds(data: bytes) -> Optional[float]:
    import soundfile as sf

    try:
        info = sf.info(io.BytesIO(data))
    except Exception:  # a format this libsndfile cannot read: counted, not fatal
        return None
    return info.frames / info.samplerate if info.samplerate else None


class _StagedWriter:
    """A unit's rows as an Arrow IPC file, written in batches, under a temporary name until closed.

    The file is created with the first batch: a unit with no rows writes nothing (most release shards of a
    config are empty for some split).
    """

    def __init__(self, path: Path):
        self.path, self.tmp = path, path.with_name(path.name + ".tmp")
        self.schema = arrow_schema()
        self._sink: Any = None
        self._writer: Any = None
        self._rows: list[dict] = []
        self._bytes = 0
        self.num_bytes = 0

    def add(self, row: dict, size: int) -> None:
        self._rows.append(row)
        self._bytes += size
        if self._bytes >= STAGE_BATCH_BYTES or len(self._rows) >= STAGE_BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            if self._writer is None:
                self._sink = pa.OSFile(str(self.tmp), "wb")
                self._writer = pa.ipc.new_file(self._sink, self.schema)
            batch = pa.RecordBatch.from_pylist(self._rows, schema=self.schema)
            self._writer.write_batch(batch)
            self.num_bytes += batch.nbytes
            self._rows, self._bytes = [], 0

    def close(self) -> Optional[int]:
        """The file's size, or None if the unit had no rows."""
        self._flush()
        if self._writer is None:
            return None
        self._writer.close()
        self._sink.close()
        os.replace(self.tmp, self.path)
        return self.path.stat().st_size


def run_unit(job: tuple[Unit, Settings]) -> dict:
    """Write one unit's staged rows and manifest (in a worker process or in the caller's); return the manifest."""
    unit, settings = job
    folder = unit.folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    builder = _builder(unit.config, settings)
    features = builder.info.features
    audio: dict[bytes, list] = {}  # digest -> [size, times stored, seconds]
    seconds = 0.0
    unreadable = 0
    columns: dict[str, set] = {"source": set(), "language": set(), "roles": set()}
    sizes = array.array("Q")
    oversize: list[list] = []
    writer = _StagedWriter(unit.path(settings, "arrow"))
    roles_of = bool(load_registry()[unit.config].roles)
    # what the unit skips is kept in its manifest and reported once per split by the export (not here per unit:
    # a bad line every unit of a split reads is one skip of the split)
    with tracked() as inputs, report.capture() as skipped:
        for _, instance in builder._generate_examples([list(unit.shard)], unit.split):
            row = features.encode_example(instance)
            where = f"{unit.config} ({unit.split}), instance {row['id']}"
            size = 0
            for column in AUDIO_COLUMNS:
                embedded = []
                for value in row[column]:
                    data, name = audio_file_bytes(value, where)
                    digest = hashlib.blake2b(data, digest_size=16).digest()
                    entry = audio.get(digest)
                    if entry is None:
                        entry = audio[digest] = [len(data), 0, _audio_seconds(data)]
                    entry[1] += 1
                    if entry[2] is None:
                        unreadable += 1
                    else:
                        seconds += entry[2]
                    embedded.append({"bytes": data, "path": name})
                    size += len(data) + len(name or "") + 2 * _ROW_OVERHEAD
                row[column] = embedded
            for key, value in row.items():
                if isinstance(value, str):
                    size += len(value.encode("utf-8")) + _ROW_OVERHEAD
                elif key == "language":
                    size += sum(len(v) + _ROW_OVERHEAD for v in value)
            if size > ROW_GROUP_CAP:
                raise ExportError(
                    f"{where} holds {human_bytes(size)}, more than the {human_bytes(ROW_GROUP_CAP)} a Parquet row "
                    "group may hold on the Hub; it cannot be exported"
                )
            if size > settings.row_group_bytes:
                oversize.append([row["id"], size])
            columns["source"].add(row["source"])
            columns["language"].update(row["language"])
            if roles_of:
                columns["roles"].update((i["parser"], i["source"]) for i in _role_items(row["metadata"]))
            writer.add(row, size)
            sizes.append(size)
    arrow_size = writer.close()
    files = {}
    if arrow_size is not None:
        sizes_path, audio_path = unit.path(settings, "sizes"), unit.path(settings, "audio")
        atomic_write(sizes_path, sizes.tobytes())  # native byte order: read back on the same kind of machine
        atomic_write(audio_path, b"".join(_AUDIO_RECORD.pack(d, s, n) for d, (s, n, _) in sorted(audio.items())))
        files = {"arrow": arrow_size, "sizes": sizes_path.stat().st_size, "audio": audio_path.stat().st_size}
    manifest = {
        "key": unit.key(settings),
        "config": unit.config,
        "split": unit.split,
        "index": unit.index,
        "parser": unit.shard[0],
        "rows": len(sizes),
        "num_bytes": writer.num_bytes,
        "files": files,
        "audio_stored": sum(n for _, n, _ in audio.values()),
        "audio_bytes": sum(s * n for s, n, _ in audio.values()),
        "audio_seconds": round(seconds, 6),
        "audio_unreadable": unreadable,
        "oversize": oversize,
        "sources": sorted(columns["source"]),
        "roles": sorted(list(pair) for pair in columns["roles"]),  # [parser, corpus] of audio drawn by roles
        "languages": sorted(columns["language"]),
        "inputs": stamp(inputs),
        "skipped": skipped.as_json(),
    }
    atomic_write(unit.path(settings, "json"), json.dumps(manifest, indent=0, sort_keys=True).encode())
    return manifest


def _role_items(metadata: str) -> list[dict]:
    """The role items (audio drawn from other corpora, audio_flan/roles.py) an instance's metadata records."""
    roles = json.loads(metadata).get("roles") or {}
    return [item for item in roles.values() if isinstance(item, dict) and "parser" in item]


def read_audio_records(data: bytes) -> Iterable[tuple[bytes, int, int]]:
    return (_AUDIO_RECORD.unpack_from(data, i) for i in range(0, len(data), _AUDIO_RECORD.size))


def read_sizes(data: bytes) -> array.array:
    sizes = array.array("Q")
    sizes.frombytes(data)
    return sizes


# ---------------------------------------------------------------------------------------------------------
# phase 2: the layout of the final files, and one file, in a worker

Segment = tuple[int, int, int]  # (unit index, first row, end row)


@dataclass(frozen=True)
class FileJob:
    """One final Parquet file: its row groups, each a list of row ranges of staged units."""

    config: str
    split: str
    index: int
    groups: tuple[tuple[Segment, ...], ...]
    sources: str  # digest of the manifests of the units it copies from

    def folder(self, settings: Settings) -> Path:
        return settings.staging / self.config / self.split

    @property
    def stem(self) -> str:
        return f"file-{self.index:05d}"

    def key(self) -> str:
        spec = [self.config, self.split, self.index, self.groups, self.sources]
        return hashlib.sha256(json.dumps(spec).encode()).hexdigest()


def layout(sizes: list[array.array], settings: Settings) -> list[list[list[Segment]]]:
    """The files of one split: each a list of row groups, each a list of row ranges of its units, in order."""
    files: list[list[list[Segment]]] = []
    groups: list[tuple[list[Segment], int]] = []
    group: list[Segment] = []
    group_bytes = group_rows = 0

    def close_group() -> None:
        nonlocal group, group_bytes, group_rows
        if group:
            groups.append((group, group_bytes))
        group, group_bytes, group_rows = [], 0, 0

    for u, unit_sizes in enumerate(sizes):
        for r, size in enumerate(unit_sizes):
            if group_rows and (group_bytes + size > settings.row_group_bytes or group_rows >= settings.row_group_rows):
                close_group()
            if group and group[-1][0] == u and group[-1][2] == r:
                group[-1] = (u, group[-1][1], r + 1)
            else:
                group.append((u, r, r + 1))
            group_bytes += size
            group_rows += 1
        # a group may run on into the next unit
    close_group()
    current: list[list[Segment]] = []
    current_bytes = 0
    for g, g_bytes in groups:
        if current and current_bytes + g_bytes > settings.max_shard_bytes:
            files.append(current)
            current, current_bytes = [], 0
        current.append(g)
        current_bytes += g_bytes
    if current:
        files.append(current)
    return files


def _staged_tables(units: dict[int, Unit], settings: Settings, needed: set[int]) -> dict[int, pa.Table]:
    tables = {}
    for u in sorted(needed):
        source = pa.memory_map(str(units[u].path(settings, "arrow")), "r")
        tables[u] = pa.ipc.open_file(source).read_all()
    return tables


def write_file(job: tuple[FileJob, dict[int, Unit], Settings]) -> dict:
    """Copy one final file's rows from the staged units into a Parquet file, then its marker; return the marker."""
    file, units, settings = job
    folder = file.folder(settings)
    path = folder / f"{file.stem}.parquet"
    tmp = path.with_name(path.name + ".tmp")
    tables = _staged_tables(units, settings, {u for g in file.groups for u, _, _ in g})
    rows = num_bytes = 0
    writer = open_writer(str(tmp))
    try:
        for group in file.groups:
            table = pa.concat_tables([tables[u].slice(start, stop - start) for u, start, stop in group])
            writer.write_table(table, row_group_size=table.num_rows)
            rows += table.num_rows
            num_bytes += table.nbytes
    finally:
        writer.close()
    os.replace(tmp, path)
    marker = {"key": file.key(), "rows": rows, "num_bytes": num_bytes, "size": path.stat().st_size}
    atomic_write(folder / f"{file.stem}.json", json.dumps(marker, sort_keys=True).encode())
    return dict(marker, config=file.config, split=file.split, index=file.index)


def read_marker(file: FileJob, settings: Settings) -> Optional[dict]:
    folder = file.folder(settings)
    try:
        marker = json.loads((folder / f"{file.stem}.json").read_text(encoding="utf-8"))
        if marker["key"] != file.key() or (folder / f"{file.stem}.parquet").stat().st_size != marker["size"]:
            return None
    except (OSError, ValueError, KeyError):
        return None
    return dict(marker, config=file.config, split=file.split, index=file.index)


# ---------------------------------------------------------------------------------------------------------
# the staging area: a folder every job sees, or a URL's, committed to from each node's scratch folder


class LocalStaging:
    """``OUT/.audio-flan-export/`` in a local folder, or one on a filesystem every node mounts."""

    # looked up when used, not bound here, so that the module's functions are the ones that run
    @property
    def run_unit(self) -> Callable[[tuple[Unit, Settings]], dict]:
        return run_unit

    @property
    def write_file(self) -> Callable[[tuple[FileJob, dict[int, Unit], Settings]], dict]:
        return write_file

    def __init__(self, settings: Settings):
        self.settings = settings

    def prepare(self, log: Callable[[str], None]) -> None:
        _prepare_staging(self.settings, log)

    def manifest(self, unit: Unit) -> Optional[dict]:
        return read_manifest(unit, self.settings)

    def marker(self, file: FileJob) -> Optional[dict]:
        return read_marker(file, self.settings)

    def read(self, unit: Unit, suffix: str) -> bytes:
        return unit.path(self.settings, suffix).read_bytes()

    def make_folders(self, units: list[Unit]) -> None:
        for folder in sorted({u.folder(self.settings) for u in units}):
            folder.mkdir(parents=True, exist_ok=True)


def staged_name(config: str, split: str, name: str) -> str:
    """A staged file's name relative to the export's root, on any filesystem."""
    return posixpath.join(STAGING, config, split, name)


SCRATCH = "audio-flan-export-scratch"


@contextmanager
def _scratch(settings: Settings) -> Iterator[Settings]:
    """The settings of a job working in a scratch folder of its node, removed after whatever happens; a folder
    left by a worker that was killed (its process gone) is removed by the next job on that node."""
    base = Path(tempfile.gettempdir()) / SCRATCH
    base.mkdir(exist_ok=True)
    for left in base.iterdir():
        pid = left.name.partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)
    folder = tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base)
    try:
        yield replace(settings, out=folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def run_unit_to_url(job: tuple[Unit, Settings]) -> dict:
    """:func:`run_unit` in a scratch folder, then its files uploaded to the URL's staging, the manifest last."""
    unit, settings = job
    fs, root = export_remote.filesystem(settings.out)
    manifest_name = posixpath.join(root, staged_name(unit.config, unit.split, f"{unit.stem}.json"))
    if fs.exists(manifest_name):  # an earlier run's, no longer valid: it must not vouch for the new files
        fs.rm(manifest_name)
    with _scratch(settings) as local:
        manifest = run_unit((unit, local))
        for suffix in sorted(manifest["files"]):
            name = staged_name(unit.config, unit.split, f"{unit.stem}.{suffix}")
            export_remote.upload(fs, unit.path(local, suffix), posixpath.join(root, name))
        export_remote.upload(fs, unit.path(local, "json"), manifest_name)
    return manifest


def write_file_to_url(job: tuple[FileJob, dict[int, Unit], Settings]) -> dict:
    """:func:`write_file` in a scratch folder from the staged units it needs, fetched from the URL; the Parquet
    file uploaded to the URL's staging, then its marker (with the file's SHA-256, for the URL's ledger)."""
    file, units, settings = job
    fs, root = export_remote.filesystem(settings.out)
    marker_name = posixpath.join(root, staged_name(file.config, file.split, f"{file.stem}.json"))
    if fs.exists(marker_name):
        fs.rm(marker_name)
    with _scratch(settings) as local:
        file.folder(local).mkdir(parents=True)
        for unit in units.values():
            name = staged_name(unit.config, unit.split, f"{unit.stem}.arrow")
            fs.get_file(posixpath.join(root, name), str(unit.path(local, "arrow")))
        marker = write_file((file, units, local))
        parquet = file.folder(local) / f"{file.stem}.parquet"
        marker["sha256"] = export_remote.sha256(parquet)
        export_remote.upload(fs, parquet, posixpath.join(root, staged_name(file.config, file.split, parquet.name)))
        stored = {k: marker[k] for k in ("key", "rows", "num_bytes", "size", "sha256")}
        export_remote.put_bytes(fs, marker_name, json.dumps(stored, sort_keys=True).encode())
    return marker


class UrlStaging:
    """``URL/.audio-flan-export/`` on any fsspec filesystem: what the Ray tasks commit their work to.

    Read once per run (one listing, the manifests and markers in one batch), as an object store answers many
    small requests slowly. A manifest or marker counts only if its files are all there with their sizes.
    """

    @property
    def run_unit(self) -> Callable[[tuple[Unit, Settings]], dict]:
        return run_unit_to_url

    @property
    def write_file(self) -> Callable[[tuple[FileJob, dict[int, Unit], Settings]], dict]:
        return write_file_to_url

    def __init__(self, settings: Settings):
        self.settings = settings
        self.fs, self.root = export_remote.filesystem(settings.out)
        self.sizes: dict[str, int] = {}
        self.json: dict[str, bytes] = {}

    def path(self, name: str) -> str:
        return posixpath.join(self.root, name)

    def prepare(self, log: Callable[[str], None]) -> None:
        fs, staging = self.fs, self.path(STAGING)
        fingerprint = json.dumps(self.settings.fingerprint(), indent=1, sort_keys=True).encode()
        plan_file = posixpath.join(staging, "plan.json")
        if fs.exists(staging):
            try:
                same = fs.cat_file(plan_file) == fingerprint
            except FileNotFoundError:
                same = False
            if not same:
                log(f"{self.settings.out}/{STAGING} was left by an export with other settings: starting over")
                fs.rm(staging, recursive=True)
        if not fs.exists(plan_file):
            fs.makedirs(staging, exist_ok=True)
            export_remote.put_bytes(fs, plan_file, fingerprint)
        found = fs.find(staging, detail=True)
        self.sizes = {posixpath.relpath(p, self.root): int(info["size"]) for p, info in found.items()}
        wanted = [self.path(n) for n in self.sizes if n.endswith(".json") and n != posixpath.join(STAGING, "plan.json")]
        fetched = fs.cat(wanted, on_error="omit") if wanted else {}
        self.json = {posixpath.relpath(p, self.root): data for p, data in fetched.items()}

    def _record(self, name: str) -> Optional[dict]:
        try:
            return json.loads(self.json[name].decode("utf-8"))
        except (KeyError, ValueError, UnicodeDecodeError):
            return None

    def manifest(self, unit: Unit) -> Optional[dict]:
        manifest = self._record(staged_name(unit.config, unit.split, f"{unit.stem}.json"))
        if manifest is None or manifest.get("key") != unit.key(self.settings) or not unchanged(manifest["inputs"]):
            return None
        for suffix, size in manifest["files"].items():
            if self.sizes.get(staged_name(unit.config, unit.split, f"{unit.stem}.{suffix}")) != size:
                return None
        return manifest

    def marker(self, file: FileJob) -> Optional[dict]:
        marker = self._record(staged_name(file.config, file.split, f"{file.stem}.json"))
        parquet = staged_name(file.config, file.split, f"{file.stem}.parquet")
        if marker is None or marker.get("key") != file.key() or self.sizes.get(parquet) != marker.get("size"):
            return None
        return dict(marker, config=file.config, split=file.split, index=file.index)

    def read(self, unit: Unit, suffix: str) -> bytes:
        return self.fs.cat_file(self.path(staged_name(unit.config, unit.split, f"{unit.stem}.{suffix}")))

    def make_folders(self, units: list[Unit]) -> None:
        """Nothing to make: object stores have no folders, and :func:`export_remote.upload` makes them elsewhere."""


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
        # audio drawn from other corpora (roles) carries their licences: a unit is as restricted as its most
        # restricted corpus
        role_parsers = (
            found_parsers(builder.config.task.roles, builder._data_dir()) if builder.config.task.roles else ()
        )
        for generator in generators:
            index = 0
            for shard in generator.gen_kwargs["shards"]:
                barred = [
                    p for p in (shard[0], *role_parsers) if not (restricted_allowed or sources[p].redistributable)
                ]
                if barred:
                    for parser in barred:
                        result.left_out.setdefault(parser, set()).add(config)
                    continue
                kept.append(Unit(config, generator.name, index, tuple(shard)))
                index += 1
        if kept:
            result.configs.append(config)
            result.units.extend(kept)
        else:
            result.dropped.append(config)
    return result


def final_name(split: str, i: int, n: int) -> str:
    return f"{split}-{i:05d}-of-{n:05d}.parquet"


# ---------------------------------------------------------------------------------------------------------
# the summary


def _skips(the_plan: Plan, manifests: dict[Unit, dict]) -> dict[tuple[str, str], report.LoadReport]:
    """What each (config, split) skipped, in plan order. The units of a split are parts of one load: a line
    several of them read is counted once. (A manifest of an older export holds no report: nothing added.)"""
    skips: dict[tuple[str, str], report.LoadReport] = {}
    for unit in the_plan.units:
        load = f"export {unit.config} {unit.split}"
        got = skips.setdefault(
            (unit.config, unit.split), report.LoadReport(f"{unit.config}, split {unit.split}", load=load)
        )
        if manifests[unit].get("skipped"):
            got.merge(report.LoadReport.from_json(manifests[unit]["skipped"], load=load))
    return {key: got for key, got in skips.items() if got}


def _summarise(
    the_plan: Plan, manifests: dict[Unit, dict], read: Callable[[Unit, str], bytes]
) -> tuple[list[ConfigSummary], int]:
    by_config: dict[str, ConfigSummary] = {}
    digests: dict[str, dict[bytes, int]] = defaultdict(dict)
    for unit in the_plan.units:
        m = manifests[unit]
        summary = by_config.setdefault(unit.config, ConfigSummary(unit.config))
        if m["rows"] == 0:
            continue
        split = summary.splits.setdefault(unit.split, SplitSummary())
        split.instances += m["rows"]
        split.audio_seconds += m["audio_seconds"]
        summary.sources[m["parser"]] = sorted(set(summary.sources.get(m["parser"], [])) | set(m["sources"]))
        for parser, corpus in m.get("roles", ()):
            summary.sources[parser] = sorted(set(summary.sources.get(parser, [])) | {corpus})
        summary.languages = sorted(set(summary.languages) | set(m["languages"]))
        summary.audio_stored += m["audio_stored"]
        summary.audio_bytes += m["audio_bytes"]
        summary.audio_unreadable += m["audio_unreadable"]
        for digest, size, _ in read_audio_records(read(unit, "audio")):
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
    configs = [by_config[c] for c in the_plan.configs if by_config.get(c) and by_config[c].splits]
    tasks = load_registry()
    for summary in configs:
        task = tasks[summary.name]
        role_parsers = [p for role in task.roles.values() for p in role.parsers]
        summary.parsers = [p for p in dict.fromkeys([*task.parsers, *role_parsers]) if p in summary.sources]
    return configs, duplicated


# ---------------------------------------------------------------------------------------------------------
# the export


class _Progress:
    """A progress bar over jobs: done / total, with rows and audio megabytes per second."""

    def __init__(self, what: str, total: int, done: int, enabled: bool):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total, initial=done, unit=what, desc=f"export ({what}s)", disable=not enabled)
        self.rows = self.bytes = 0

    def update(self, rows: int, nbytes: int) -> None:
        self.rows += rows
        self.bytes += nbytes
        elapsed = max(self.bar.format_dict["elapsed"], 1e-9)
        self.bar.update(1)
        self.bar.set_postfix_str(
            f"{self.rows / elapsed:.0f} rows/s, {self.bytes / MB / elapsed:.1f} MB/s", refresh=False
        )

    def close(self) -> None:
        self.bar.close()


def _disk_full(err: OSError, out: Path) -> ExportError:
    free = shutil.disk_usage(out).free if out.exists() else 0
    return ExportError(
        f"the disk holding {out} is full ({human_bytes(free)} free; {err.filename or 'a file'}: {err.strerror}). "
        "Free some space (the export needs about twice the size of its Parquet files while it runs) and run the "
        "same command again: it resumes from the work already done."
    )


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
    engine: str = "local",
    ray_address: Optional[str] = None,
    prune: bool = False,
    progress: bool = True,
    log: Callable[[str], None] = print,
    work_dir=None,
) -> ExportResult:
    """Export configs (default: all 80) to ``out`` as a Hub dataset repository; resumes a killed export.

    ``engine="ray"`` runs the jobs as Ray tasks on the cluster at ``ray_address`` (default: Ray's own
    discovery, ``RAY_ADDRESS`` or a local instance); ``out`` must then be a path every node sees, or a URL.
    ``prune`` lets an export of some configs remove the files of other configs an earlier export wrote.
    ``out`` may be a URL of any fsspec filesystem (``s3://bucket/path``): with the local engine the export is made
    in ``work_dir`` (default: a folder of the datasets cache for that URL), then mirrored there
    (:mod:`audio_flan.export_remote`); with Ray every task commits its work to the URL itself (:class:`UrlStaging`).
    """
    if num_proc < 1:
        raise ExportError("--num-proc must be at least 1")
    if max_shard_mb <= 0 or row_group_mb <= 0 or row_group_rows < 1:
        raise ExportError("--max-shard-mb, the row-group size and rows must be positive")
    if row_group_mb * MB > ROW_GROUP_CAP:
        raise ExportError(f"--row-group-mb may be at most {ROW_GROUP_CAP // MB} (the Hub's dataset viewer limit)")
    if engine not in ENGINES:
        raise ExportError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    url: Optional[str] = None
    if export_remote.is_url(out):
        url = str(out).rstrip("/")
        export_remote.filesystem(url)  # a missing package or unknown protocol stops the run before it starts
        if engine == "local":
            work = Path(work_dir).expanduser().resolve() if work_dir else export_remote.default_work_dir(url)
            log(f"exporting into the work folder {work}, then mirroring it to {url}")
            result = export(
                work,
                configs=configs,
                domain=domain,
                data_dir=data_dir,
                num_proc=num_proc,
                max_shard_mb=max_shard_mb,
                row_group_mb=row_group_mb,
                row_group_rows=row_group_rows,
                include_restricted=include_restricted,
                seed=seed,
                repo_id=repo_id,
                prune=prune,
                progress=progress,
                log=log,
            )
            export_remote.mirror(work, url, log)
            return result
        if work_dir is not None:
            raise ExportError(
                f"--work-dir is where the local engine prepares an export to a URL; with --engine {engine} every task "
                f"commits its work to {url} itself, from a scratch folder on its own node: leave --work-dir out"
            )
        fs, _ = export_remote.filesystem(url)
        if "memory" in fs.protocol:
            raise ExportError(f"{url} lives in this process's memory: Ray's workers cannot reach it; give a shared URL")
    else:
        out = Path(export_remote.local_path(out)).expanduser().resolve()
    names = select_configs(configs, domain)
    if not names:
        raise ExportError(f"no config matches (configs={list(configs or [])}, domain={domain})")
    if url is None:
        check_output_folder(out)
    settings = Settings(
        out=url or str(out),
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
    if url is not None:
        engine_ = export_engines.make(engine, num_proc, ray_address)
        try:
            return _export_to_url(
                url, names, the_plan, settings, engine_, include_restricted, repo_id, prune, progress, log
            )
        finally:
            engine_.close()

    out.mkdir(parents=True, exist_ok=True)
    try:
        with locked(out):
            ledger = read_ledger(out)
            _check_others(out, [c for c in ledger["configs"] if c not in names], prune)
            engine_ = export_engines.make(engine, num_proc, ray_address)
            try:
                manifests, markers, files = _run(the_plan, LocalStaging(settings), engine_, progress, log)
            finally:
                engine_.close()
            return _finish(
                out, names, the_plan, manifests, markers, files, settings, ledger, include_restricted, repo_id, log
            )
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(err, out) from None
        raise


def _check_others(out: Any, others: list[str], prune: bool) -> None:
    if others and not prune:
        raise ExportError(
            f"{out} holds configs an earlier export wrote that this one does not include: "
            f"{', '.join(others[:8])}{' ...' if len(others) > 8 else ''}. Export them too, or pass --prune to "
            "remove their files (only files an export wrote are removed), or export into another folder"
        )


def _prepare_staging(settings: Settings, log: Callable[[str], None]) -> None:
    out = Path(settings.out)
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
        atomic_write(plan_file, json.dumps(fingerprint, indent=1, sort_keys=True).encode())


def _run(
    the_plan: Plan, staging: Any, engine, progress: bool, log: Callable[[str], None]
) -> tuple[dict[Unit, dict], dict[tuple, dict], dict[tuple[str, str], list[FileJob]]]:
    """Both phases: the units, then the files; what is already done (in ``staging``) is kept."""
    settings = staging.settings
    staging.prepare(log)
    manifests: dict[Unit, dict] = {}
    todo = []
    for unit in the_plan.units:
        m = staging.manifest(unit)
        if m is None:
            todo.append(unit)
        else:
            manifests[unit] = m
    if manifests:
        log(f"resuming: {len(manifests)} of {len(the_plan.units)} units already done")
    staging.make_folders(todo)
    bar = _Progress("unit", len(the_plan.units), len(manifests), progress)
    try:
        by_key = {(u.config, u.split, u.index): u for u in todo}
        for m in engine.map(staging.run_unit, [(u, settings) for u in todo]):
            manifests[by_key[(m["config"], m["split"], m["index"])]] = m
            bar.update(m["rows"], m["audio_bytes"])
    finally:
        bar.close()

    units_by: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in the_plan.units:
        units_by[(unit.config, unit.split)].append(unit)
    files: dict[tuple[str, str], list[FileJob]] = {}
    jobs: list[tuple[FileJob, dict[int, Unit], Settings]] = []
    for (config, split), units in units_by.items():
        units = [u for u in units if manifests[u]["rows"]]
        if not units:
            continue
        digest = hashlib.sha256()
        for u in units:
            digest.update(json.dumps(manifests[u], sort_keys=True).encode())
        sizes = [read_sizes(staging.read(u, "sizes")) for u in units]
        files[(config, split)] = [
            FileJob(config, split, i, tuple(tuple(g) for g in groups), digest.hexdigest())
            for i, groups in enumerate(layout(sizes, settings))
        ]
        for f in files[(config, split)]:  # each job carries only the units it copies from
            needed = sorted({u for g in f.groups for u, _, _ in g})
            jobs.append((f, {u: units[u] for u in needed}, settings))
    markers: dict[tuple, dict] = {}
    todo_files = []
    for job in jobs:
        marker = staging.marker(job[0])
        if marker is None:
            todo_files.append(job)
        else:
            markers[(job[0].config, job[0].split, job[0].index)] = marker
    bar = _Progress("file", len(jobs), len(markers), progress)
    try:
        for marker in engine.map(staging.write_file, todo_files):
            markers[(marker["config"], marker["split"], marker["index"])] = marker
            bar.update(marker["rows"], marker["size"])
    finally:
        bar.close()
    return manifests, markers, files


def _finish(
    out: Path,
    names: list[str],
    the_plan: Plan,
    manifests: dict[Unit, dict],
    markers: dict[tuple, dict],
    files: dict[tuple[str, str], list[FileJob]],
    settings: Settings,
    ledger: dict,
    include_restricted: bool,
    repo_id: Optional[str],
    log: Callable[[str], None],
) -> ExportResult:
    """Give the files their final names, write the card, remove stale files of ours, drop the staging folder."""
    summaries, duplicated = _summarise(the_plan, manifests, LocalStaging(settings).read)
    skipped = _skips(the_plan, manifests)
    for got in skipped.values():
        report.finish(got)  # logged, warned and collected once per split
    placed = [
        (job.folder(settings) / f"{job.stem}.parquet", out / name) for job, name, _ in _name(summaries, files, markers)
    ]
    ours = set(ledger["files"])
    new = [dst.relative_to(out).as_posix() for _, dst in placed]
    foreign = [n for n in new if n not in ours and (out / n).exists() and not _same_file(out / n, placed, out)]
    if foreign:
        raise ExportError(
            f"{out} holds files the export did not write where it would write its own: {', '.join(foreign[:5])}; "
            "move them away and run the export again"
        )
    exported = [s.name for s in summaries]
    # the ledger first names every file that may be ours by the end, so a kill from here on loses nothing
    write_ledger(out, sorted(set(ledger["configs"]) | set(exported)), sorted(ours | set(new)))
    for src, dst in placed:
        dst.parent.mkdir(exist_ok=True)
        try:
            done = os.path.samefile(dst, src)
        except OSError:
            done = False
        if not done:
            place(src, dst)
    keep = set(new)
    removed = sorted(set(ours) - keep)  # other configs' files are here only with prune (checked before)
    result = _result(out, names, the_plan, manifests, summaries, duplicated, settings, include_restricted)
    result.removed = removed
    result.skipped = list(skipped.values())
    card.write_card(result, repo_id=repo_id)
    for name in removed:
        path = out / name
        if path.is_file():
            path.unlink()
    kept: list[str] = []
    for config in sorted(set(ledger["configs"]) | set(exported)):
        folder = out / config
        if not folder.is_dir():
            continue
        if config not in exported and not any(folder.iterdir()):
            folder.rmdir()
            continue
        kept.extend(
            p.relative_to(out).as_posix() for p in sorted(folder.iterdir()) if p.relative_to(out).as_posix() not in keep
        )
    result.kept = kept
    write_ledger(out, exported, new)
    # the export is complete: move the staging folder aside in one step, then delete it
    os.replace(settings.staging, out / TRASH)
    shutil.rmtree(out / TRASH)
    log(format_summary(result))
    return result


def _result(
    out: Path,
    names: list[str],
    the_plan: Plan,
    manifests: dict[Unit, dict],
    summaries: list[ConfigSummary],
    duplicated: int,
    settings: Settings,
    include_restricted: bool,
) -> ExportResult:
    exported = {s.name for s in summaries}
    return ExportResult(
        out=out,
        configs=summaries,
        left_out={p: sorted(c) for p, c in sorted(the_plan.left_out.items())},
        dropped=[c for c in names if c not in exported],
        data_dir=settings.data_dir,
        include_restricted=include_restricted,
        duplicated_bytes=duplicated,
        oversize=[(m["config"], i, n) for u in the_plan.units for m in [manifests[u]] for i, n in m["oversize"]],
    )


def _name(
    summaries: list[ConfigSummary], files: dict[tuple[str, str], list[FileJob]], markers: dict[tuple, dict]
) -> list[tuple[FileJob, str, dict]]:
    """Each file's final name (``<config>/<split>-NNNNN-of-MMMMM.parquet``) and marker; summed into the summaries."""
    named = []
    for summary in summaries:
        for split, split_summary in summary.splits.items():
            jobs = files[(summary.name, split)]
            for job in jobs:
                marker = markers[(job.config, job.split, job.index)]
                name = final_name(split, job.index, len(jobs))
                named.append((job, f"{summary.name}/{name}", marker))
                split_summary.files.append(name)
                split_summary.size += marker["size"]
                split_summary.num_bytes += marker["num_bytes"]
    return named


def _export_to_url(
    url: str,
    names: list[str],
    the_plan: Plan,
    settings: Settings,
    engine,
    include_restricted: bool,
    repo_id: Optional[str],
    prune: bool,
    progress: bool,
    log: Callable[[str], None],
) -> ExportResult:
    """Both phases with every job committing to the URL's staging (:class:`UrlStaging`), then the final names
    placed by server-side copies, the card uploaded, stale files of ours removed, the URL's ledger and the staging
    settled. The data never passes through this process: only manifests, markers, row sizes and audio digests."""
    staging = UrlStaging(settings)
    fs, root = staging.fs, staging.root
    fs.makedirs(root, exist_ok=True)
    ledger = export_remote.remote_ledger(fs, root)["files"]
    export_remote.check_destination(fs, root, url, ledger, [])
    tasks = load_registry()
    _check_others(url, sorted({n.split("/")[0] for n in ledger if n.split("/")[0] in tasks} - set(names)), prune)
    manifests, markers, files = _run(the_plan, staging, engine, progress, log)

    summaries, duplicated = _summarise(the_plan, manifests, staging.read)
    skipped = _skips(the_plan, manifests)
    for got in skipped.values():
        report.finish(got)  # logged, warned and collected once per split
    named = _name(summaries, files, markers)
    result = _result(Path(url), names, the_plan, manifests, summaries, duplicated, settings, include_restricted)
    result.url = url
    result.skipped = list(skipped.values())
    digests = {name: marker["sha256"] for _, name, marker in named}
    result.removed = sorted(n for n in ledger if n not in digests and n.split("/")[0] in tasks)
    with tempfile.TemporaryDirectory(prefix="audio-flan-card-") as folder:
        result.out = Path(folder)  # the card is written here, then uploaded
        card.write_card(result, repo_id=repo_id)
        card_files = {p.relative_to(folder).as_posix(): p for p in sorted(Path(folder).rglob("*")) if p.is_file()}
        digests.update((name, export_remote.sha256(path)) for name, path in card_files.items())
        export_remote.check_destination(fs, root, url, ledger, list(digests))
        # the ledger first names every file that may be ours by the end, so a kill from here on loses nothing
        export_remote.write_remote_ledger(fs, root, {**ledger, **digests})
        export_remote.remove_partial_uploads(fs, root, set(ledger) | set(digests))
        copied = 0
        for job, name, marker in named:
            dst = staging.path(name)
            if ledger.get(name) != marker["sha256"] or not fs.exists(dst) or fs.size(dst) != marker["size"]:
                export_remote.copy_into_place(
                    fs, staging.path(staged_name(job.config, job.split, f"{job.stem}.parquet")), dst
                )
                copied += 1
        for name, path in card_files.items():
            if ledger.get(name) != digests[name] or not fs.exists(staging.path(name)):
                export_remote.upload(fs, path, staging.path(name))
    result.out = Path(url)
    gone = sorted(n for n in ledger if n not in digests)
    for name in gone:
        if fs.exists(staging.path(name)):
            fs.rm(staging.path(name))
    export_remote.write_remote_ledger(fs, root, digests)
    fs.rm(staging.path(STAGING), recursive=True)
    log(format_summary(result))
    log(f"{url}: {copied} Parquet file(s) placed, {len(named) - copied} already there, {len(gone)} removed")
    return result


def _same_file(path: Path, placed: list[tuple[Path, Path]], out: Path) -> bool:
    """Whether ``path`` already is (a hard link of) the staged file meant for it: left by a killed finish."""
    for src, dst in placed:
        if dst == path:
            try:
                return os.path.samefile(src, dst)
            except OSError:
                return False
    return False


__all__ = [
    "LEDGER",
    "LOCK",
    "MARKER",
    "STAGING",
    "TRASH",
    "ExportError",
    "ExportResult",
    "arrow_schema",
    "export",
    "format_summary",
    "portable_features_dict",
]
