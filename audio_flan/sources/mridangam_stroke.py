"""Mridangam Stroke 1.5 (CompMusic; Anantapadmanabhan, Bellur and Murthy, ICASSP 2013): 6,977 single strokes of
the mridangam, the double-headed drum of Carnatic music, played by one professional percussionist (Akshay
Anantapadmanabhan) on drums tuned to six tonics, recorded at 44.1 kHz, 16 bit. Read for instrumental technique
classification and comparison: a stroke is how the drum is struck (which fingers, which head, damped or left
ringing), the mridangam's playing technique.

Licence: CC BY 3.0 (mirdata's loader docstring and the CompMusic page), so the audio may be redistributed with
attribution.

Layout, as ``mridangam_stroke_1.5.zip`` (Zenodo 4068196) extracts (mirdata's ``mridangam_stroke`` loader, its
``REMOTES`` and its test resources)::

    mridangam_stroke_1.5/<tonic>/<id>__<user>__<stroke>-<tonic>-<n>.wav
    e.g. mridangam_stroke_1.5/B/224030__akshaylaya__bheem-b-001.wav

The files are the Freesound uploads of the ``akshaylaya`` user, named ``<Freesound id>__<user>__<name>``. The tonic
folders are ``B``, ``C``, ``C#``, ``D``, ``D#``, ``E``; the strokes are ``bheem``, ``cha``, ``dheem``, ``dhin``,
``num``, ``ta``, ``tha``, ``tham``, ``thi``, ``thom`` (mirdata's ``STROKE_DICT``, its ``TONIC_DICT``). There is no
metadata file: the names are the annotation. As mirdata does, the stroke is the part of the name after the second
``__`` up to its first ``-`` and the tonic is the folder's name (the lower-case tonic in the name is not read).

Decisions. ``technique`` is the stroke name as the corpus spells it (the task's closed options for this corpus are
the ten strokes); ``tonic`` the folder. A WAV whose name is not ``<id>__<user>__<stroke>-<tonic>-<n>.wav`` with one
of the ten strokes, is not read and counted; a folder that is not a tonic is not read. Splits: none in the corpus (one
player), so everything is ``train``. One shard per tonic folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, visible_names

TONICS = ("B", "C", "C#", "D", "D#", "E")
STROKES = ("bheem", "cha", "dheem", "dhin", "num", "ta", "tha", "tham", "thi", "thom")
_NAME = re.compile(r"(?P<id>\d+)__(?P<user>[^_].*?)__(?P<stroke>[a-z]+)-(?P<tonic>[a-g]#?)-(?P<n>\d+)\.wav")
FIELDS = ("id", "audio", "technique", "tonic")


class MridangamFormatError(CorpusFormatError):
    """A Mridangam Stroke shard that does not name a tonic folder."""


def tonic_folders(root: Path) -> list[str]:
    return [n for n in visible_names(root) if n in TONICS and (root / n).is_dir()]


def detect(root: Path) -> bool:
    """A tonic folder holding a WAV named as the corpus names its strokes (listing only, nothing opened)."""
    return any(
        (m := _NAME.fullmatch(name)) and m["stroke"] in STROKES
        for tonic in tonic_folders(root)
        for name in visible_names(root / tonic)
    )


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {"train": list(tonic_folders(root))}


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in TONICS:
        raise MridangamFormatError(f"shard {shard!r} is not a tonic folder ({', '.join(TONICS)})")
    tonic = str(shard)
    skips = Skips(f"Mridangam Stroke {tonic}/ in {root}", SOURCE.missing_audio)
    folder = root / tonic
    for name in audio_files(folder, (".wav",)):
        match = _NAME.fullmatch(name)
        if not match or match["stroke"] not in STROKES:
            skips.add(
                "WAV(s) not named <id>__<user>__<stroke>-<tonic>-<n>.wav with one of the ten strokes",
                f"{tonic}/{name}",
                always=True,
                audio=False,
            )
            continue
        yield {
            "id": f"{tonic}/{name[: -len('.wav')]}",
            "audio": os.fspath(folder / name),
            "technique": match["stroke"],
            "tonic": tonic,
        }
    skips.report()


SOURCE = Source(
    name="mridangam_stroke",
    corpus="Mridangam Stroke",
    license="CC BY 3.0",
    redistributable=True,
    homepage="https://zenodo.org/records/4068196",
    layout="mridangam_stroke_1.5/ with <tonic>/<id>__<user>__<stroke>-<tonic>-<n>.wav (tonics B, C, C#, D, D#, E)",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Mridangam",
    labels={"technique": STROKES},
    languages=(),
)
