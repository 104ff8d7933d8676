"""The released Audio-FLAN files (HKUSTAudio/Audio-FLAN-Dataset on the Hub, gated).

Licence: the release's card gives none of its own; each corpus folder keeps the licence of its source
corpus, several of which forbid redistribution, so export treats the release as restricted.

Layout (any subset of the folders)::

    audio_files/<domain>/<NNN_Corpus>/...
    metadata/<domain>/<understanding|generation>/<train_dev|test>/<NNN_Corpus>/jsonl/*.jsonl
    scp_files/<domain>/<NNN_Corpus>.scp        <audio id> <relative path>, one per line

Copies laid out by hand are read where they only spell this otherwise (``train/`` and ``dev/`` folders, no
``jsonl/`` level, ``.JSONL``, ``Speech/``); every other file under ``metadata/`` is counted as not read in the
load's report, and a folder named like a metadata file is an error (``_release_layout``).

Each JSONL line is a finished instance (instruction, input, output, uuid, split, task_type, domain, source,
other). Audio is referenced as ``<|SOA|>audio id<|EOA|>`` and resolved through the scp files (each looked up
in its on-disk index, ``_scp_index``). A shard is ``[file, split label, [[start, end, first line], ...]]``: byte
ranges of one JSONL file (at most ``SHARD_BYTES``) and the split label its records must carry. Narrowed to a
config, listing uses the release's task index (``_release_index``; built on first use, so listing reads the
metadata files once then) and lists only the ranges holding the config's records. Matching records to configs:
the domain (``sound`` is ``audio``), ``task_type.minor`` through the registry's normalised names and aliases, and
the split labels.

The release holds many tasks per file, so a config narrows this source to its own domain and task names
(:class:`~audio_flan.sources.base.Query`); unnarrowed, it lists every file and yields every record. Records are
finished instances: the registry binds them to the passthrough shape. Their ``corpus`` is the corpus folder's
name without its number (``13_LibriTTS-R`` -> ``LibriTTS-R``), spelled as the parser of that corpus spells it
where there is one; ``folder`` keeps the folder's own name. A record whose audio file is absent is skipped and
counted in one warning per shard.
"""

from __future__ import annotations

import functools
import json
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Optional

from ..tasknames import DOMAINS, normalise_task_name
from . import get_sources
from ._lines import cut, read_lines
from ._release_format import (
    AUDIO_REF,
    SPLIT_LABELS,
    ReleaseFormatError,
    as_list,
    check_record,
    folder_labels,
    in_split,
    near_markers,
    record_domain,
    split_labels,
)
from ._release_index import TaskIndex, coalesce, matches, update
from ._release_layout import describe, domain_of, metadata_files, survey
from ._scp_index import ScpFile, ScpFileError
from .base import Query, Record, Shard, Source
from .readers import MAX_LINE_BYTES, Skips, is_hidden, require_regular

__all__ = ["SOURCE", "NearMarkerWarning", "ReleaseFormatError", "ScpFile", "UnmatchedTaskWarning", "metadata_files"]

PEEK_BYTES = 16 << 20  # of JSONL that has_records reads for one split, at most
SHARD_BYTES = 64 << 20  # at most this many bytes of a file in one shard, so workers and nodes all get work
INDEX_ENV = "AUDIO_FLAN_RELEASE_INDEX"  # "0": list and read without the task index (every file read whole)


class UnmatchedTaskWarning(UserWarning):
    """Records of a config's domain whose task_type.minor matches no config (see `audio-flan release-report`)."""


class NearMarkerWarning(UserWarning):
    """Records with an audio marker that is nearly right (``<|SOA|id<|EOA|>``), which resolves to no audio."""


def detect(root: Path) -> bool:
    meta = root / "metadata"
    if not meta.is_dir():
        return False
    if any((meta / d).is_dir() for d in DOMAINS):
        return True
    try:  # a domain folder spelled otherwise (Speech/, sound/)
        return any(domain_of(n) and (meta / n).is_dir() for n in os.listdir(meta))
    except OSError:
        return False


def _count_unread(root: Path, unread: list[tuple[str, str]]) -> None:
    """Count (in the load's report) the files under the domains' metadata folders that the listing does not read:
    other extensions, files off the layout, split folders other than train_dev, train, dev and test."""
    by_folder: dict[str, list[tuple[str, str]]] = {}
    for rel, reason in unread:  # by the folder under metadata/ (a file directly in metadata/: by metadata/)
        parts = PurePosixPath(rel).parts
        by_folder.setdefault(parts[1] if len(parts) > 2 else "", []).append((rel, reason))
    for top, files in sorted(by_folder.items()):
        skips = Skips(f"Audio-FLAN release {root / 'metadata' / top}", SOURCE.missing_audio)
        for rel, reason in files:
            item = PurePosixPath(rel).relative_to(PurePosixPath("metadata", top)).as_posix()
            skips.add(reason, item, always=True, audio=False)
        skips.report()


def _folder_splits(rel: str) -> tuple[str, ...]:
    return describe(rel).splits


def open_index(root: Path, domains, num_proc: int = 1) -> Optional[TaskIndex]:
    """The task index of ``root``, brought up to date for ``domains`` (built on first use, with a progress bar);
    None when it is turned off (``AUDIO_FLAN_RELEASE_INDEX=0``) or the datasets cache cannot be written."""
    if os.environ.get(INDEX_ENV, "1") == "0":
        return None
    db = update(root, domains, num_proc=num_proc, scps=False)
    if db is None:
        warnings.warn(f"the datasets cache cannot be written: {root} is read without its task index", stacklevel=2)
        return None
    return TaskIndex(db)


def list_shards(root: Path, query: Optional[Query] = None) -> dict[str, list[Shard]]:
    """Shards ``[file, split label, [[start, end, first line], ...]]``, in file order, for the query's domain (or
    every domain). Narrowed, with the task index: only the ranges that hold the config's records (files without
    any are left out). Without it (unnarrowed, or the index turned off): every file cut at line boundaries into
    ranges of at most ``SHARD_BYTES`` (first line None: counted when read)."""
    found = survey(root, (query.domain,) if query else DOMAINS)
    files = found.read
    _count_unread(root, found.unread)
    for rel in files:
        require_regular(root / rel, ReleaseFormatError)  # a named pipe would block the listing
    shards: dict[str, list[Shard]] = {}
    index = open_index(root, [query.domain]) if query and files else None
    if index is None:
        for rel in files:
            pieces = cut(os.fspath(root / rel), os.path.getsize(root / rel), SHARD_BYTES)
            for split in _folder_splits(rel):
                shards.setdefault(split, []).extend([rel, SPLIT_LABELS[split], [[s, e, None]]] for s, e in pieces)
        return shards
    assert query is not None
    try:
        for rel in files:
            file_id = index.file_id(rel)
            meta = describe(rel)
            unlabelled = folder_labels(meta.splits)[0]
            for split in meta.splits:
                label = SPLIT_LABELS[split]
                keys = index.matching_keys(query, meta.domain, label, unlabelled)
                ranges = coalesce(index.runs(file_id, keys))
                groups = _group(_pieces(index, file_id, ranges))
                shards.setdefault(split, []).extend([rel, label, group] for group in groups)
        _warn_unmatched(index, root, files, query)
    finally:
        index.close()
    return {split: found for split, found in shards.items() if found}


def _pieces(index: TaskIndex, file_id: int, ranges: list[list[int]]) -> list[list[int]]:
    """Ranges longer than ``SHARD_BYTES`` cut at the index's checkpoints (line starts of known number): at the
    furthest checkpoint within reach, or the next one when none is."""
    out = []
    for start, end, line in ranges:
        if end - start > SHARD_BYTES:
            points = index.checkpoints(file_id, start, end)
            i = 0
            while end - start > SHARD_BYTES:
                best = None
                while i < len(points) and points[i][0] - start <= SHARD_BYTES:
                    best = points[i] if points[i][0] > start else best
                    i += 1
                if best is None:
                    if i == len(points):
                        break
                    best, i = points[i], i + 1
                out.append([start, best[0], line])
                start, line = best
        out.append([start, end, line])
    return out


def _group(pieces: list[list[int]]) -> list[list[list[int]]]:
    """Consecutive ranges of one file grouped into shards of at most ``SHARD_BYTES``."""
    groups: list[list[list[int]]] = []
    size = 0
    for piece in pieces:
        n = piece[1] - piece[0]
        if not groups or size + n > SHARD_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(piece)
        size += n
    return groups


def _warn_unmatched(index: TaskIndex, root: Path, files: list[str], query: Query) -> None:
    count, first, spellings = 0, None, set[str]()
    for rel in files:
        for key, n, line in sorted(index.key_counts(index.file_id(rel)), key=lambda k: k[2]):
            if not key.invalid and matches(key, query, describe(rel).domain) is None:
                count += n
                first = first or f"{root / rel}:{line}"
                spellings.update(key.minors or ("(no minor name)",))
    if count:
        names = ", ".join(repr(s) for s in sorted(spellings)[:5]) + (", ..." if len(spellings) > 5 else "")
        warnings.warn(
            f"{count} records of the {query.domain} domain in {root} name a task that matches no config ({names}); "
            f"the first at {first}. `audio-flan release-report {root}` lists them",
            UnmatchedTaskWarning,
            stacklevel=2,
        )


_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_relative(scp: Path, line_no: int, rel: str) -> str:
    """``rel`` as a normalised relative POSIX path (``\\`` read as ``/``), refusing paths that leave the dataset
    root. Plain string work: it runs once per audio."""
    posix = rel.replace("\\", "/")
    parts = posix.split("/")
    if posix.startswith("/") or ".." in parts or _DRIVE.match(rel):
        raise ReleaseFormatError(f"{scp}:{line_no}: audio path {rel!r} leaves the dataset root; refused")
    return "/".join(p for p in parts if p and p != ".") or str(PurePosixPath(posix))


class ScpIndex:
    """Resolves audio ids to files through the scp files of one release root. What it learns of the scp files
    (which exist, their size and mtime) holds for one shard: :meth:`refresh` at the start of each, so an scp
    file added, removed or edited between two loads in one process is seen (an edited file is indexed again)."""

    def __init__(self, root: Path):
        self.root = root
        self.scp_root = root / "scp_files"
        self._real_root = os.path.realpath(root)
        self._firsts: dict[tuple[str, str], Optional[Path]] = {}
        self._stats: dict[str, tuple[int, int]] = {}

    def refresh(self) -> None:
        self.__dict__.pop("_all_scps", None)
        self._firsts = {}
        self._stats = {}

    def _file(self, scp: Path) -> ScpFile:
        """The lookups of one scp file as it is now (its size and mtime taken once per shard)."""
        path = os.fspath(scp)
        stamp = self._stats.get(path)
        if stamp is None:
            try:
                st = os.stat(path)
                stamp = self._stats[path] = (st.st_size, st.st_mtime_ns)
            except OSError:
                stamp = (-1, -1)  # ScpFile names the problem when it reads the file
        return _scp(path, *stamp)

    @functools.cached_property
    def _all_scps(self) -> dict[str, Path]:
        if not self.scp_root.is_dir():
            return {}
        return {p.stem: p for p in sorted(self.scp_root.glob("*/*.scp")) if not is_hidden(p.name)}

    def _first(self, folder: str, domain: str) -> Optional[Path]:
        """The scp file named after the record's corpus folder, if it exists (looked up once per folder, like
        the scp listing and contents, which are cached too)."""
        key = (folder, domain)
        if key not in self._firsts:
            first = self.scp_root / domain / f"{folder}.scp"
            self._firsts[key] = first if first.is_file() else None
        return self._firsts[key]

    def _candidates(self, audio_id: str, folder: str, domain: str) -> Iterator[Path]:
        """The scp files to search, in order; lazily, since the first one nearly always holds the id."""
        first = self._first(folder, domain)
        if first is not None:
            yield first
        by_prefix = sorted((stem for stem in self._all_scps if audio_id.startswith(stem + "_")), key=len, reverse=True)
        yield from (self._all_scps[s] for s in by_prefix if self._all_scps[s] != first)

    def _absolute(self, scp: Path, line_no: int, text: str) -> str:
        """An absolute scp path: its tail from the last ``audio_files/`` in it, if that file is under the root
        (real paths compared, so a symlink cannot lead out)."""
        parts = text.replace("\\", "/").split("/")
        if "audio_files" in parts:
            tail = parts[len(parts) - parts[::-1].index("audio_files") :]
            if tail and ".." not in tail:
                path = os.path.join(self.root, "audio_files", *[p for p in tail if p and p != "."])
                real = os.path.realpath(path)
                if real.startswith(self._real_root + os.sep) and os.path.exists(real):
                    return path
        raise ReleaseFormatError(
            f"{scp}:{line_no}: audio path {text!r} is absolute and no file under {self.root}/audio_files/ has its "
            "tail from 'audio_files/'; refused (it leaves the dataset root)"
        )

    def _locate(self, scp: Path, line_no: int, text: str, domain: str) -> str:
        if text.startswith(("/", "\\")) or _DRIVE.match(text):
            return self._absolute(scp, line_no, text)
        rel = _safe_relative(scp, line_no, text)
        bases = (
            os.fspath(self.root),
            os.path.join(self.root, "audio_files"),
            os.path.join(self.root, "audio_files", domain),
        )
        for base in bases:
            path = os.path.join(base, rel)
            if os.path.exists(path):
                return self._inside(scp, line_no, path)
        return os.path.join(bases[0], rel)

    def _inside(self, scp: Path, line_no: int, path: str) -> str:
        """``path`` when it stays inside the copy once symlinks are resolved (a link inside it is fine)."""
        real, root = os.path.realpath(path), os.path.realpath(self.root)
        if os.path.commonpath([real, root]) != root:
            raise ReleaseFormatError(
                f"{scp}:{line_no}: audio path {path} leads outside the dataset root through a symlink ({real}); refused"
            )
        return path

    def resolve(self, audio_id: str, folder: str, domain: str, where: str) -> str:
        for scp in self._candidates(audio_id, folder, domain):
            own_id = audio_id[len(scp.stem) + 1 :] if audio_id.startswith(scp.stem + "_") else audio_id
            hit = self._file(scp).find(audio_id, own_id)
            if hit:
                return self._locate(scp, hit[0], hit[1], domain)
        searched = list(self._candidates(audio_id, folder, domain))
        looked = ", ".join(str(s) for s in searched) or f"no scp file under {self.scp_root}"
        raise ReleaseFormatError(f"{where}: audio id {audio_id!r} has no scp entry (searched {looked})")


@functools.lru_cache(maxsize=64)
def _scp(path: str, size: int = -1, mtime_ns: int = -1) -> ScpFile:
    """One ScpFile per version of a file (size and mtime are the key: an edited file gets a new one)."""
    return ScpFile(path)


@functools.lru_cache(maxsize=8)
def _index(root: str) -> ScpIndex:
    return ScpIndex(Path(root))


def corpus_name(folder: str) -> str:
    """The corpus of a release folder as the ``source`` column names it: without its number, and spelled as
    the parser of that corpus spells it where one is registered (``14_Fluent_Speech_Commands`` ->
    ``Fluent Speech Commands``)."""
    name = re.sub(r"^\d+_", "", folder).replace("_", " ").strip() or folder
    return _known_corpora().get(_squash(name), name)


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.lower())


@functools.lru_cache(maxsize=1)
def _known_corpora() -> dict[str, str]:
    return {_squash(s.corpus): s.corpus for s in get_sources().values() if not s.finished}


def _range_ok(r: object) -> bool:
    return (
        isinstance(r, list)
        and len(r) == 3
        and isinstance(r[0], int)
        and isinstance(r[1], int)
        and (r[2] is None or isinstance(r[2], int))
    )


def _shard_ranges(root: Path, shard: Shard) -> tuple[str, str, list]:
    """A shard's file, split label and byte ranges (``[file, label]`` alone: the whole file)."""
    if isinstance(shard, list) and len(shard) in (2, 3) and isinstance(shard[0], str) and isinstance(shard[1], str):
        rel, label = shard[0], shard[1]
        if len(shard) == 2:
            return rel, label, [[0, os.path.getsize(root / rel), 1]]
        ranges = shard[2]
        if isinstance(ranges, list) and all(_range_ok(r) for r in ranges):
            return rel, label, ranges
    raise ReleaseFormatError(f"shard {shard!r} is not [metadata file, split label, [[start, end, first line], ...]]")


def read_shard(root: Path, shard: Shard, query: Optional[Query] = None) -> Iterator[Record]:
    rel, split_label, ranges = _shard_ranges(root, shard)
    path = root / rel
    meta = describe(rel)
    folder, file_domain = meta.folder, meta.domain
    domain = query.domain if query else file_domain
    corpus = corpus_name(folder)
    index = _index(os.fspath(root))
    index.refresh()
    skips = Skips(f"Audio-FLAN release {path}", SOURCE.missing_audio)
    # the shards of every split of the folder read each line: each counts the file's own faults
    held = folder_labels(meta.splits)
    lines = Skips(f"Audio-FLAN release {path}", SOURCE.missing_audio)
    require_regular(path, ReleaseFormatError)  # a named pipe would block
    unmatched, near, first_unmatched, first_near = 0, 0, None, None
    for start, end, first_line in ranges:
        for line_no, _, _, raw in read_lines(os.fspath(path), start, end, first_line):
            if not raw.strip():
                continue
            where = f"{path}:{line_no}"
            if len(raw) > MAX_LINE_BYTES:
                raise ReleaseFormatError(f"{where}: the line is longer than {MAX_LINE_BYTES} bytes; expected a record")
            try:
                record = json.loads(raw.decode("utf-8"))
                check_record(record, where)
            except UnicodeDecodeError as err:
                byte = raw[err.start]
                lines.bad(ReleaseFormatError(f"{where}: not utf-8 text (byte 0x{byte:02x} at column {err.start + 1})"))
                continue
            except json.JSONDecodeError as err:
                lines.bad(ReleaseFormatError(f"{where}: not valid JSON ({err.msg} at column {err.colno})"))
                continue
            except ReleaseFormatError as err:
                lines.bad(err)
                continue
            if not as_list(record["task_type"].get("minor")):
                lines.bad(ReleaseFormatError(f"{where}: task_type.minor is empty; expected the task's name"))
                continue
            if record_domain(record.get("domain"), domain) != domain:
                lines.add(f"record(s) whose domain is not {domain}", f"line {line_no}", always=True, audio=False)
                continue
            minors = [normalise_task_name(str(m)) for m in as_list(record["task_type"].get("minor"))]
            if query and not any(m in query.task_names for m in minors):
                if first_line is None and not any(m in query.known_names for m in minors):
                    unmatched += 1
                    first_unmatched = first_unmatched or where
                continue
            labels = split_labels(record.get("split"))
            unknown = labels - set(SPLIT_LABELS.values())
            if unknown:
                lines.add(
                    "record(s) with a split label other than train, dev or test",
                    f"line {line_no} ({', '.join(sorted(unknown))})",
                    always=True,
                    audio=False,
                )
                continue
            if not in_split(labels, split_label, held[0]):
                if labels and not labels & set(held):
                    lines.add(
                        f"record(s) labelled for a split their folder ({meta.split_folder}) does not hold",
                        f"line {line_no} ({', '.join(sorted(labels))})",
                        always=True,
                        audio=False,
                    )
                continue
            nearly = near_markers(str(record["input"])) or near_markers(str(record["output"]))
            if nearly:
                near += 1
                first_near = first_near or where
            try:
                audios = _audios(record, index, folder, domain, where)
            except ScpFileError:
                raise  # the whole scp file cannot be read: not an item to skip
            except ReleaseFormatError as err:
                if nearly:
                    err = ReleaseFormatError(f"{err} (a nearly right marker such as '<|SOA|id<|EOA|>')")
                skips.bad(err)  # the record belongs to this shard's split: counted here
                continue
            absent = [p for p in audios["input"] + audios["output"] if not os.path.isfile(p)]
            if absent:
                skips.add("record(s) whose audio file is missing", f"line {line_no}: {absent[0]}")
                continue
            other = record.get("other")
            yield {
                "id": str(record["uuid"]),
                "instruction": str(record["instruction"]),
                "input": str(record["input"]),
                "output": str(record["output"]),
                "input_audios": audios["input"],
                "output_audios": audios["output"],
                "corpus": corpus,
                "folder": folder,
                "language": _languages(other),
                "task_type": record["task_type"],
                "split": record.get("split"),
                "origin": record.get("source"),
                "other": other,
                "file": rel,
                "line": line_no,
            }
    skips.report()
    lines.report()
    if near:
        warnings.warn(
            f"{near} records{f' of {query.config}' if query else ''} in {path} hold an audio marker that is nearly right (such as '<|SOA|id<|EOA|>'), "
            f"which names no audio; the first at {first_near}",
            NearMarkerWarning,
            stacklevel=2,
        )
    if unmatched and query:
        warnings.warn(
            f"{unmatched} records of the {query.domain} domain in {path} name a task that matches no config; the "
            f"first at {first_unmatched}. `audio-flan release-report {root}` lists them",
            UnmatchedTaskWarning,
            stacklevel=2,
        )


def _audios(record: dict, index: ScpIndex, folder: str, domain: str, where: str) -> dict[str, list[str]]:
    """The audio files of a record's input and output, through the scp files; unbalanced markers are an error."""
    audios = {}
    for side in ("input", "output"):
        text = str(record[side])
        if text.count("<|SOA|>") != text.count("<|EOA|>"):
            raise ReleaseFormatError(f"{where}: the {side} has unbalanced <|SOA|> ... <|EOA|> audio markers")
        audios[side] = [index.resolve(i, folder, domain, where) for i in AUDIO_REF.findall(text)]
    return audios


def _wanted(record: dict, domain: str, query: Optional[Query], split_label: str, unlabelled: str) -> bool:
    """Whether a checked record is of the query's domain and task and carries the split label (read_shard's test)."""
    if record_domain(record.get("domain"), domain) != domain:
        return False
    minors = [normalise_task_name(str(m)) for m in as_list(record["task_type"].get("minor"))]
    if query and not any(m in query.task_names for m in minors):
        return False
    return in_split(split_labels(record.get("split")), split_label, unlabelled)


def has_records(
    root: Path, shards: list[Shard], query: Optional[Query] = None, budget: int = PEEK_BYTES
) -> Optional[bool]:
    """Whether one split's shards hold a record of the query's task (for audio_flan/splits.py): their byte ranges
    are read in order until a line is one (True); all read without one, False. None (cannot tell cheaply) once
    ``budget`` bytes are read, or at a line or shard that is not well formed (reading the split will say where).
    No audio is resolved. With the task index, the shards hold only the config's records: the first line answers."""
    for shard in shards:
        try:
            rel, split_label, ranges = _shard_ranges(root, shard)
            meta = describe(rel)
        except ReleaseFormatError:
            return None
        domain = query.domain if query else meta.domain
        unlabelled = folder_labels(meta.splits)[0]
        path = os.fspath(root / rel)
        for start, end, _ in ranges:
            for _, _, _, raw in read_lines(path, start, end, first_line=0):  # line numbers are not needed here
                budget -= len(raw) + 1
                if budget < 0:
                    return None
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8"))
                    check_record(record, "")
                except ValueError:  # bad JSON, bad UTF-8, ReleaseFormatError
                    return None
                if _wanted(record, domain, query, split_label, unlabelled):
                    return True
    return False


def narrow(source: Source, query: Query) -> Source:
    """The release as one config sees it: the files of its domain, the records of its task."""
    narrowed = source.with_functions(
        functools.partial(list_shards, query=query), functools.partial(read_shard, query=query)
    )
    return replace(narrowed, has_records=functools.partial(has_records, query=query))


FIELDS = (
    "id",
    "instruction",
    "input",
    "output",
    "input_audios",
    "output_audios",
    "corpus",
    "folder",
    "language",
    "task_type",
    "split",
    "origin",
    "other",
    "file",
    "line",
)


def _languages(other: Optional[dict]) -> list[str]:
    if isinstance(other, dict):
        value = other.get("language") or other.get("lang")
        if value:
            return [str(v) for v in as_list(value)]
    return []


SOURCE = Source(
    name="release",
    corpus="Audio-FLAN release",
    license="per source corpus (see each corpus folder); several forbid redistribution",
    redistributable=False,
    homepage="https://huggingface.co/datasets/HKUSTAudio/Audio-FLAN-Dataset",
    layout="metadata/<speech|music|audio>/... (plus scp_files/ and audio_files/), the Audio-FLAN release",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_fields=frozenset({"input_audios", "output_audios"}),
    finished=True,
    narrow=narrow,
    has_records=has_records,
    # listing cuts large files at line boundaries, and on first use (or after a file changed) indexes the metadata
    listing_reads=("metadata/*.[jJ][sS][oO][nN][lL]",),
)
