"""The released Audio-FLAN files (HKUSTAudio/Audio-FLAN-Dataset on the Hub, gated).

Licence: the release's card gives none of its own; each corpus folder keeps the licence of its source
corpus, several of which forbid redistribution, so export treats the release as restricted.

Layout (any subset of the folders)::

    audio_files/<domain>/<NNN_Corpus>/...
    metadata/<domain>/<understanding|generation>/<train_dev|test>/<NNN_Corpus>/jsonl/*.jsonl
    scp_files/<domain>/<NNN_Corpus>.scp        <audio id> <relative path>, one per line

Each JSONL line is a finished instance (instruction, input, output, uuid, split, task_type, domain, source,
other). Audio is referenced as ``<|SOA|>audio id<|EOA|>`` and resolved through the scp files. A shard is
one JSONL file and the split label its records must carry.

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
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Optional

from ..tasknames import DOMAINS, normalise_task_name
from . import get_sources
from .base import CorpusFormatError, Query, Record, Shard, Source
from .readers import Skips, is_hidden

AUDIO_REF = re.compile(r"<\|SOA\|>(.*?)<\|EOA\|>", re.S)
SPLIT_LABELS = {"train": "train", "validation": "dev", "test": "test"}
_SPLIT_ALIASES = {"validation": "dev", "valid": "dev", "val": "dev"}
_SPLIT_FOLDERS = {"train_dev": ("train", "validation"), "test": ("test",)}
PEEK_BYTES = 16 << 20  # of JSONL that has_records reads for one split, at most


class ReleaseFormatError(CorpusFormatError):
    """A release file that is not what the Audio-FLAN release format says."""


def detect(root: Path) -> bool:
    meta = root / "metadata"
    return meta.is_dir() and any((meta / d).is_dir() for d in DOMAINS)


def list_shards(root: Path, query: Optional[Query] = None) -> dict[str, list[Shard]]:
    """``[metadata file relative to root, split label]`` per shard, for the query's domain (or every domain)."""
    shards: dict[str, list[Shard]] = {}
    for domain in (query.domain,) if query else DOMAINS:
        base = root / "metadata" / domain
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*/*/*/jsonl/*.jsonl")):
            if is_hidden(path.name):
                continue
            rel = path.relative_to(root).as_posix()
            for split in _SPLIT_FOLDERS.get(path.parts[-4], ()):
                shards.setdefault(split, []).append([rel, SPLIT_LABELS[split]])
    return shards


def _safe_relative(scp: Path, line_no: int, rel: str) -> str:
    """``rel`` as a normalised relative POSIX path (what ``str(PurePosixPath(rel))`` gives, with ``\\`` read as
    ``/``), refusing paths that leave the dataset root. Plain string work: it runs once per audio."""
    posix = rel.replace("\\", "/")
    parts = posix.split("/")
    if posix.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", rel):
        raise ReleaseFormatError(f"{scp}:{line_no}: audio path {rel!r} leaves the dataset root; refused")
    return "/".join(p for p in parts if p and p != ".") or str(PurePosixPath(posix))


class ScpFile:
    """One scp file, read only as far as the ids asked for so far: the first example of a corpus folder does not
    wait for its whole scp (millions of lines in the real release). An id listed twice: the first line counts.
    A malformed line is reported when the reading reaches it.

    It keeps no open file between calls (each read opens, seeks, reads a block and closes), so a copy in a
    forked DataLoader worker reads on its own."""

    BLOCK = 1 << 16  # ~700 lines of a typical scp: the first lookup parses a block, not a megabyte

    def __init__(self, path: str):
        self.path = path
        self.entries: dict[str, tuple[int, str]] = {}
        self._offset = 0
        self._line_no = 0
        self._done = False

    def _read_block(self) -> None:
        with open(self.path, "rb") as f:
            f.seek(self._offset)
            data = f.read(self.BLOCK)
            if data and not data.endswith(b"\n"):
                data += f.readline()  # finish the last line of the block
        if not data:
            self._done = True
            return
        start = 3 if self._offset == 0 and data.startswith(b"\xef\xbb\xbf") else 0
        self._offset += len(data)
        for raw in data[start:].splitlines():
            self._line_no += 1
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as err:
                raise ReleaseFormatError(f"{self.path}:{self._line_no}: not UTF-8 ({err.reason})") from None
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise ReleaseFormatError(
                    f"{self.path}:{self._line_no}: expected '<audio id> <relative path>', got {line!r}"
                )
            self.entries.setdefault(parts[0], (self._line_no, parts[1].strip()))

    def find(self, *ids: str) -> Optional[tuple[int, str]]:
        """The (line, relative path) of the first of ``ids`` listed, reading further only while none is known."""
        while True:
            for audio_id in ids:
                if audio_id in self.entries:
                    return self.entries[audio_id]
            if self._done:
                return None
            self._read_block()


@functools.lru_cache(maxsize=64)
def _scp(path: str) -> ScpFile:
    return ScpFile(path)


class ScpIndex:
    """Resolves audio ids to files through the scp files of one release root."""

    def __init__(self, root: Path):
        self.root = root
        self.scp_root = root / "scp_files"
        self._bases = (os.fspath(root), os.fspath(root / "audio_files"))
        self._firsts: dict[tuple[str, str], Optional[Path]] = {}

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

    def resolve(self, audio_id: str, folder: str, domain: str, where: str) -> str:
        for scp in self._candidates(audio_id, folder, domain):
            own_id = audio_id[len(scp.stem) + 1 :] if audio_id.startswith(scp.stem + "_") else audio_id
            hit = _scp(str(scp)).find(audio_id, own_id)
            if hit:
                rel = _safe_relative(scp, *hit)
                for base in self._bases:
                    path = os.path.join(base, rel)
                    if os.path.exists(path):
                        return path
                return os.path.join(self._bases[0], rel)
        searched = list(self._candidates(audio_id, folder, domain))
        looked = ", ".join(str(s) for s in searched) or f"no scp file under {self.scp_root}"
        raise ReleaseFormatError(f"{where}: audio id {audio_id!r} has no scp entry (searched {looked})")


@functools.lru_cache(maxsize=8)
def _index(root: str) -> ScpIndex:
    return ScpIndex(Path(root))


def _check_record(record, where: str) -> None:
    if not isinstance(record, dict):
        raise ReleaseFormatError(f"{where}: expected a JSON object, got {type(record).__name__}")
    for key in ("instruction", "input", "output", "uuid", "task_type"):
        if key not in record:
            raise ReleaseFormatError(f"{where}: record has no {key!r} field")
    if not isinstance(record["task_type"], dict) or "minor" not in record["task_type"]:
        raise ReleaseFormatError(f"{where}: task_type must be an object with a 'minor' list")


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


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


def read_shard(root: Path, shard: Shard, query: Optional[Query] = None) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(p, str) for p in shard)):
        raise ReleaseFormatError(f"shard {shard!r} is not [metadata file, split label]")
    rel, split_label = shard
    path = root / rel
    parts = PurePosixPath(rel).parts
    folder, file_domain = parts[-3], parts[1]
    domain = query.domain if query else file_domain
    corpus = corpus_name(folder)
    index = _index(os.fspath(root))
    skips = Skips(f"Audio-FLAN release {path}", SOURCE.missing_audio)
    with open(path, encoding="utf-8-sig") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ReleaseFormatError(f"{where}: not valid JSON ({err.msg} at column {err.colno})") from None
            _check_record(record, where)
            if not _wanted(record, domain, query, split_label):
                continue
            audios = {}
            for side in ("input", "output"):
                ids = AUDIO_REF.findall(str(record[side]))
                audios[side] = [index.resolve(i, folder, domain, where) for i in ids]
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


def _wanted(record: dict, domain: str, query: Optional[Query], split_label: str) -> bool:
    """Whether a checked record is of the query's domain and task, and carries the shard's split label."""
    if record.get("domain", domain) != domain:
        return False
    minors = _as_list(record["task_type"].get("minor"))
    if query and not any(normalise_task_name(str(m)) in query.task_names for m in minors):
        return False
    labels = {_SPLIT_ALIASES.get(str(s).lower(), str(s).lower()) for s in _as_list(record.get("split"))}
    return split_label in (labels or {"test" if split_label == "test" else "train"})


def has_records(
    root: Path, shards: list[Shard], query: Optional[Query] = None, budget: int = PEEK_BYTES
) -> Optional[bool]:
    """Whether one split's shards hold a record of the query's task (for audio_flan/splits.py): the files are read
    in order until a line is one (True); all read without one, False. None (cannot tell cheaply) once ``budget``
    bytes are read, or at a line that is not a record (reading the split will say where). No audio is resolved.
    A task index of the release answers this exactly without reading."""
    for shard in shards:
        if not (isinstance(shard, list) and len(shard) == 2):
            return None  # read_shard says what is wrong with it
        rel, split_label = shard
        domain = query.domain if query else PurePosixPath(rel).parts[1]
        with open(root / rel, "rb") as f:
            for raw in f:
                budget -= len(raw)
                if budget < 0:
                    return None
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                    _check_record(record, "")
                except ValueError:  # bad JSON, bad UTF-8, ReleaseFormatError
                    return None
                if _wanted(record, domain, query, split_label):
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
            return [str(v) for v in _as_list(value)]
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
)
