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
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional

from ..registry import DOMAINS, Task, normalise_task_name
from .base import CorpusFormatError, Source, is_hidden

AUDIO_REF = re.compile(r"<\|SOA\|>(.*?)<\|EOA\|>", re.S)
SPLIT_LABELS = {"train": "train", "validation": "dev", "test": "test"}
_SPLIT_ALIASES = {"validation": "dev", "valid": "dev", "val": "dev"}
_SPLIT_FOLDERS = {"train_dev": ("train", "validation"), "test": ("test",)}


class ReleaseFormatError(CorpusFormatError):
    """A release file that is not what the Audio-FLAN release format says."""


def detect(root: Path) -> bool:
    meta = root / "metadata"
    return meta.is_dir() and any((meta / d).is_dir() for d in DOMAINS)


def list_shards(root: Path, task: Task) -> dict[str, list]:
    shards: dict[str, list] = {}
    base = root / "metadata" / task.domain
    if not base.is_dir():
        return shards
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


@functools.lru_cache(maxsize=64)
def _read_scp(scp: str) -> dict[str, tuple[int, str]]:
    entries: dict[str, tuple[int, str]] = {}
    with open(scp, encoding="utf-8-sig") as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise ReleaseFormatError(f"{scp}:{line_no}: expected '<audio id> <relative path>', got {line!r}")
            entries[parts[0]] = (line_no, parts[1].strip())
    return entries


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
            entries = _read_scp(str(scp))
            hit = entries.get(audio_id) or entries.get(audio_id[len(scp.stem) + 1 :] if audio_id.startswith(scp.stem + "_") else "")
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


def read_shard(root: Path, shard, task: Task) -> Iterator[dict]:
    rel, split_label = shard
    path = root / rel
    folder = PurePosixPath(rel).parts[-3]
    names = task.release_names
    index = _index(os.fspath(root))
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
            if record.get("domain", task.domain) != task.domain:
                continue
            if not any(normalise_task_name(str(m)) in names for m in _as_list(record["task_type"].get("minor"))):
                continue
            labels = {_SPLIT_ALIASES.get(str(s).lower(), str(s).lower()) for s in _as_list(record.get("split"))}
            if split_label not in (labels or {"test" if split_label == "test" else "train"}):
                continue
            resolve = lambda ids: [{"path": index.resolve(i, folder, task.domain, where), "bytes": None} for i in ids]
            other = record.get("other")
            yield {
                "id": str(record["uuid"]),
                "instruction": str(record["instruction"]),
                "input": str(record["input"]),
                "output": str(record["output"]),
                "input_audios": resolve(AUDIO_REF.findall(str(record["input"]))),
                "output_audios": resolve(AUDIO_REF.findall(str(record["output"]))),
                "source": folder,
                "language": _languages(other),
                "metadata": {
                    "task_type": record["task_type"],
                    "split": record.get("split"),
                    "origin": record.get("source"),
                    "other": other,
                    "file": rel,
                    "line": line_no,
                },
            }


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
    fields=frozenset(),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    finished=True,
)
