"""GiantSteps Key (Knees et al., ISMIR 2015): 604 two-minute Beatport previews of electronic dance music with
their global key.

Licence: the repository has no licence file; the audio are Beatport previews (copyrighted), so export treats the
corpus as not redistributable.

Layout, as GitHub ``GiantSteps/giantsteps-key-dataset`` ships it and its ``audio_dl.sh`` fills it (read from the
repository, snapshot ``6bcd492``; mirdata's ``giantsteps_key`` reads GiantSteps+, a different naming)::

    giantsteps-key-dataset/
      annotations/key/<id>.LOFI.key      one line "<tonic> <major|minor>", no final newline ("C minor")
      annotations/genre/<id>.LOFI.genre  one line, the Beatport genre ("tech-house")
      annotations/giantsteps/ annotations/jams/   (the same keys in other formats; not read)
      md5/<id>.LOFI.md5
      audio/<id>.LOFI.mp3                written by audio_dl.sh

The annotation files define the corpus; ``audio_dl.sh`` deletes a download whose md5 does not match, so an id
may have annotations but no MP3: it is skipped and counted (one warning per shard). The tonics are naturals or
flats only (``Ab Bb Db Eb Gb``); every key is spelled as every parser spells keys
(``audio_flan.sources._music_labels``: ``Gb major`` is ``F# major``). A key file that does not hold a key is an
error naming it and its line. There is no split: everything is ``train``, cut into shards by a BLAKE2 hash of
the id (about one per 64 ids, at most 8), judged from the listing of ``annotations/key/`` alone. Key comparison
pairs tracks within a shard and answers with the relation of their keys (``SOURCE.relations["key"]``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

KEY_DIR = ("annotations", "key")
GENRE_DIR = ("annotations", "genre")
SUFFIX = ".LOFI.key"
MAX_SHARDS = 8
IDS_PER_SHARD = 64
FIELDS = ("id", "audio", "key", "genre")


class GiantStepsKeyFormatError(CorpusFormatError):
    """An annotation file that is not what GiantSteps Key's README says."""


def detect(root: Path) -> bool:
    return root.joinpath(*KEY_DIR).is_dir() and (root / "md5").is_dir()


def ids(root: Path) -> list[str]:
    return [n[: -len(SUFFIX)] for n in visible_names(root.joinpath(*KEY_DIR), strict=True) if n.endswith(SUFFIX)]


def shard_of(track: str, count: int) -> int:
    return stable_hash(track) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    count = max(1, min(MAX_SHARDS, len(ids(root)) // IDS_PER_SHARD))
    return {"train": [[i, count] for i in range(count)]}


def one_line(path: Path) -> tuple[int, str]:
    """(line number, text) of a one-line annotation file; more than one non-blank line is an error."""
    lines = [(n, t.strip()) for n, t in text_lines(path, GiantStepsKeyFormatError) if t.strip()]
    if len(lines) != 1:
        raise GiantStepsKeyFormatError(f"{path}:{lines[1][0] if lines else 1}: expected one line, got {len(lines)}")
    return lines[0]


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(x, int) for x in shard)):
        raise GiantStepsKeyFormatError(f"shard {shard!r} is not [index, count]")
    index, count = shard
    if not 0 <= index < count:
        raise GiantStepsKeyFormatError(f"shard {shard!r} is not [index, count]")
    skips = Skips(f"GiantSteps Key shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    for track in sorted(t for t in ids(root) if shard_of(t, count) == index):
        path = root.joinpath(*KEY_DIR, f"{track}{SUFFIX}")
        try:
            line_no, text = one_line(path)
            try:
                key = music.key(text)
            except ValueError as err:
                raise GiantStepsKeyFormatError(f"{path}:{line_no}: {err}") from None
        except GiantStepsKeyFormatError as err:
            skips.bad(err)
            continue
        audio = root / "audio" / f"{track}.LOFI.mp3"
        if not audio.is_file():
            skips.add("track(s) whose audio/<id>.LOFI.mp3 is missing (not downloaded, or its md5 failed)", track)
            continue
        genre_path = root.joinpath(*GENRE_DIR, f"{track}.LOFI.genre")
        genre = None
        if genre_path.is_file():
            genre_line, genre_text = one_line(genre_path)
            try:
                genre = music.genre(genre_text)
            except ValueError as err:
                raise GiantStepsKeyFormatError(f"{genre_path}:{genre_line}: {err}") from None
        yield {"id": track, "audio": os.fspath(audio), "key": key, "genre": genre}
    skips.report()


def key_relation(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """How the keys of two tracks relate (music.key_comparison): the same, relative, parallel or unrelated."""
    return music.key_relation(a["key"], b["key"])


SOURCE = Source(
    name="giantsteps_key",
    corpus="GiantSteps Key",
    license="no licence file; Beatport previews (copyrighted)",
    redistributable=False,
    homepage="https://github.com/GiantSteps/giantsteps-key-dataset",
    layout="giantsteps-key-dataset/ with annotations/key/<id>.LOFI.key, md5/ and audio/<id>.LOFI.mp3",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="GiantSteps",
    labels={"key": music.KEYS},
    languages=(),
    relations={"key": key_relation},
)
