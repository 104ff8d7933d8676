"""Which files of a release copy are its metadata: one walk of ``metadata/<domain>/`` that sorts every file into
read or not read (with the reason, so the reader counts it), and refuses what cannot be a metadata file.

The release's own layout is ``metadata/<domain>/<kind>/<train_dev|test>/<NNN_Corpus>/jsonl/<name>.jsonl``.
Copies laid out by hand are read too, as these spellings say the same thing:

- a domain or split folder in another case (``Speech/``, ``Test/``), and ``sound/`` for ``audio/`` (the card's name);
- ``train/`` and ``dev/`` folders instead of one ``train_dev/`` (their records are train and dev);
- no ``jsonl/`` level (the JSONL files directly in the corpus folder);
- the extension in another case (``.JSONL``).

Every other file under a domain folder (other extensions, other depths, split folders such as ``eval/``), and
every file under ``metadata/`` outside the domain folders (``metadata/notes.txt``, ``metadata/speech_v2/...``),
is listed as not read, with why; a folder named like a metadata file (``x.jsonl/``) is an error naming it.
Hidden files (dotfiles, macOS ``._*``) are not metadata and are passed over.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional

from ..tasknames import DOMAINS
from ._release_format import DOMAIN_ALIASES, SPLIT_FOLDERS, ReleaseFormatError
from .readers import UnreadableError, is_hidden

SUFFIX = ".jsonl"
LAYOUT = "metadata/<domain>/<kind>/<train_dev|train|dev|test>/<NNN_Corpus>/[jsonl/]<name>.jsonl"


@dataclass(frozen=True)
class MetadataPath:
    """What a metadata file's path says: its domain (a folder name of ``DOMAINS``), its split folder as written and
    the splits it holds (``("train", "validation")`` for ``train_dev``), and its corpus folder (``13_LibriTTS-R``)."""

    domain: str
    split_folder: str
    splits: tuple[str, ...]
    folder: str


def domain_of(name: str) -> Optional[str]:
    """The domain a folder under ``metadata/`` holds (``Speech`` -> ``speech``, ``sound`` -> ``audio``), or None."""
    lowered = name.lower()
    domain = DOMAIN_ALIASES.get(lowered, lowered)
    return domain if domain in DOMAINS else None


def parse(rel: str) -> Optional[MetadataPath]:
    """The parts of a relative path on the layout (see the module docstring), or None when it is off it."""
    parts = PurePosixPath(rel).parts
    if not parts[-1].lower().endswith(SUFFIX) or len(parts) not in (6, 7) or parts[0] != "metadata":
        return None
    if len(parts) == 7 and parts[5].lower() != "jsonl":
        return None
    domain = domain_of(parts[1])
    splits = SPLIT_FOLDERS.get(parts[3].lower())
    if domain is None or splits is None:
        return None
    return MetadataPath(domain, parts[3], splits, parts[4])


def describe(rel: str) -> MetadataPath:
    """:func:`parse` for a path the listing gave (a shard's file): off the layout is an error naming it."""
    found = parse(rel)
    if found is None:
        raise ReleaseFormatError(f"{rel}: not a metadata file of the release; expected {LAYOUT}")
    return found


def _why_not(rel: str) -> str:
    parts = PurePosixPath(rel).parts
    if not parts[-1].lower().endswith(SUFFIX):
        return "file(s) that are not .jsonl"
    if len(parts) in (6, 7) and (len(parts) == 6 or parts[5].lower() == "jsonl") and domain_of(parts[1]):
        return "file(s) in a split folder that is not train_dev, train, dev or test"
    return f"file(s) not at {LAYOUT}"


@dataclass
class Survey:
    """The metadata files of some domains: ``read`` (relative POSIX paths, sorted: the listing order) and
    ``unread`` (path, reason) for every other file under their folders."""

    read: list[str]
    unread: list[tuple[str, str]]


def _top(root: Path) -> list[str]:
    """The visible names in ``root/metadata``, sorted (none when it does not exist)."""
    try:
        return sorted(n for n in os.listdir(root / "metadata") if not is_hidden(n))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as err:
        raise UnreadableError(f"{root / 'metadata'}: cannot list this folder ({err.strerror})") from None


def domain_folders(root: Path, domains: Iterable[str] = DOMAINS) -> list[str]:
    """The folders under ``root/metadata`` that hold one of ``domains``, as spelled on disk, sorted."""
    wanted = set(domains)
    return [n for n in _top(root) if domain_of(n) in wanted and (root / "metadata" / n).is_dir()]


def _outside_domains(root: Path) -> list[tuple[str, str]]:
    """Files under ``metadata/`` but in no domain folder, with why they are not read."""
    found = []
    for name in _top(root):
        path = root / "metadata" / name
        if domain_of(name) is not None and path.is_dir():
            continue
        if not path.is_dir():
            found.append((f"metadata/{name}", f"file(s) not at {LAYOUT}"))
            continue
        for folder, subfolders, files in os.walk(path, onerror=_unlisted):
            subfolders[:] = sorted(d for d in subfolders if not is_hidden(d))
            for file in sorted(f for f in files if not is_hidden(f)):
                rel = Path(folder, file).relative_to(root).as_posix()
                found.append((rel, f"file(s) in a folder under metadata/ that is not a domain ({', '.join(DOMAINS)})"))
    return found


def _unlisted(err: OSError) -> None:
    raise UnreadableError(f"{err.filename}: cannot list this folder ({err.strerror}); the release must be readable")


def survey(root: Path, domains: Iterable[str] = DOMAINS) -> Survey:
    """Walk the metadata folders of ``domains`` once: every visible file is read or listed as not read (and so
    is every file under ``metadata/`` outside the domain folders)."""
    read: list[str] = []
    unread: list[tuple[str, str]] = _outside_domains(root)
    for name in domain_folders(root, domains):
        for folder, subfolders, files in os.walk(root / "metadata" / name, onerror=_unlisted):
            subfolders[:] = sorted(d for d in subfolders if not is_hidden(d))
            for sub in subfolders:
                if sub.lower().endswith(SUFFIX):
                    raise ReleaseFormatError(
                        f"{Path(folder, sub)}: a folder, where a metadata file (JSON lines) is expected; "
                        "rename or remove it"
                    )
            for file in sorted(f for f in files if not is_hidden(f)):
                rel = Path(folder, file).relative_to(root).as_posix()
                if parse(rel) is None:
                    unread.append((rel, _why_not(rel)))
                else:
                    read.append(rel)
    return Survey(sorted(read), unread)


def metadata_files(root: Path, domains: Iterable[str] = DOMAINS) -> list[str]:
    """The metadata files of ``domains`` under ``root``, relative POSIX paths, sorted (the listing order)."""
    return survey(root, domains).read
