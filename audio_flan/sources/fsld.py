"""The Freesound Loop Dataset, FSL10K (Ramires et al., ISMIR 2020): 9,455 music loops from Freesound with tempo,
key, genre and instrumentation annotated by MIR researchers through the loop annotator.

Licence: each loop keeps its Freesound licence (CC0, CC BY or CC BY-NC, in ``fs_analysis/<id>.json``); the
annotation licence on Zenodo 3967852 was not verified. Export treats the corpus as not redistributable.

Layout, as ``FSL10K.zip`` extracts (from the annotator's own code, GitHub ``aframires/freesound-loop-annotator``
``app.py`` and its README, "``static/FSL10K/audio``, ``static/FSL10K/ac_analysis``, etc.", and public loaders that
glob ``FSL10K/audio/wav/*.wav``)::

    FSL10K/
      audio/wav/<freesound id>_<...>.wav          the name keeps the upload's own extension: "..._loop.wav.wav"
      fs_analysis/<freesound id>.json             the Freesound API metadata: name, description, tags, username,
                                                  license, ...
      ac_analysis/<base>_analysis.json            AudioCommons automatic analysis (not read: not human labels)
      annotations/<annotator>/sound-<freesound id>.json   one file per annotator and loop
      metadata.json  parent_genres.json  metadata_sound_ids_list.json   (not read)

An annotation holds ``instrumentation``, ``defined_tempo`` (bool), ``bpm`` (a string), ``signature``,
``well_cut``, ``key`` (``"C#"`` or ``"none"``), ``mode`` (``"minor"`` or ``"none"``), ``genres`` (a list,
``house_techno``), ``comments`` and sometimes ``discard``. What was decided:

- A loop is read when at least one annotation names it; an annotation marked ``discard`` is left out. Where
  several annotators annotated a loop, a label is kept only when they agree (the tempo within 1 BPM; the key;
  the single genre), else it is None and the configs that need it leave the loop out (counted).
- ``key``: tonic and mode spelled as every parser spells keys (``_music_labels``), None for ``none`` or a mode
  other than major or minor; ``tempo``: the annotated BPM when ``defined_tempo`` is true; ``genre``: the genre of a
  loop given exactly one (``house_techno`` is ``house and techno``); ``caption``: the Freesound description of
  the loop (``fs_analysis``), None when empty or absent: the paper does not say how its captions were made, and the
  uploader's description is the only human text about the sound.
- There is no split: everything is ``train``, cut into shards by a BLAKE2 hash of the Freesound id (about one
  per 256 loops, judged from the listing of ``audio/wav``, at most 8). An annotated loop without its WAV is
  skipped and counted; a JSON file that does not parse, or an annotation field of the wrong kind, is an error
  naming the file and line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, read_json, visible_names

MAX_SHARDS = 8
LOOPS_PER_SHARD = 256
_SOUND = re.compile(r"sound-(\d+)\.json")
_WAV = re.compile(r"(\d+)_.*\.wav")
FIELDS = ("id", "audio", "key", "tempo", "genre", "caption", "name", "license", "annotators")


class FSLDFormatError(CorpusFormatError):
    """An FSL10K annotation or analysis file that is not what the annotator writes."""


def detect(root: Path) -> bool:
    return (root / "annotations").is_dir() and (root / "fs_analysis").is_dir() and (root / "audio" / "wav").is_dir()


def wavs(root: Path) -> dict[str, str]:
    """Freesound id -> WAV file name, from the listing of ``audio/wav``."""
    found: dict[str, str] = {}
    for name in visible_names(root / "audio" / "wav", strict=True):
        match = _WAV.fullmatch(name)
        if match:
            found.setdefault(match[1], name)
    return found


def shard_of(sound: str, count: int) -> int:
    return stable_hash(sound) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    count = max(1, min(MAX_SHARDS, len(wavs(root)) // LOOPS_PER_SHARD))
    return {"train": [[i, count] for i in range(count)]}


def _line_of(path: Path, key: str) -> int:
    """The line of ``"key":`` in a JSON file, to word an error (1 when the file is on one line)."""
    needle = json.dumps(key) + ":"
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if needle in line.replace('": ', '":'):
            return number
    return 1


def read_annotation(path: Path) -> dict | None:
    """The labels of one annotation file (None for one marked discard)."""
    data = read_json(path, FSLDFormatError)
    if not isinstance(data, dict):
        raise FSLDFormatError(f"{path}:1: expected a JSON object, got {type(data).__name__}")

    def fail(key: str, expected: str):
        raise FSLDFormatError(f"{path}:{_line_of(path, key)}: {key} is {data.get(key)!r}; expected {expected}")

    if data.get("discard") is True:
        return None
    for name in ("defined_tempo", "bpm", "key", "mode", "genres"):
        if name not in data:
            fail(name, "a value (the annotator writes every field)")
    if not isinstance(data["defined_tempo"], bool):
        fail("defined_tempo", "true or false")
    tempo = None
    if data["defined_tempo"]:
        try:
            tempo = music.bpm(data["bpm"])
        except ValueError:
            fail("bpm", "a tempo in BPM, as a string")
    if not isinstance(data["key"], str) or not isinstance(data["mode"], str):
        fail("key", "a tonic or 'none', and a mode or 'none'")
    key = None
    if data["key"].lower() != "none" and data["mode"] in music.MODES:
        try:
            key = music.key(f"{data['key']} {data['mode']}")
        except ValueError:
            fail("key", "a tonic A-G with an optional # or b, or 'none'")
    genres = data["genres"]
    if not isinstance(genres, list) or not all(isinstance(g, str) and g.strip() for g in genres):
        fail("genres", "a list of genre names")
    return {"key": key, "tempo": tempo, "genre": music.genre(genres[0]) if len(genres) == 1 else None}


def agreed(values: list) -> object:
    """The value every annotator gave, else None (tempi agree within 1 BPM)."""
    if not values or any(v is None for v in values):
        return None
    first = values[0]
    if isinstance(first, float):
        return first if all(abs(v - first) <= 1.0 for v in values) else None
    return first if all(v == first for v in values) else None


def annotation_files(root: Path) -> dict[str, list[Path]]:
    """Freesound id -> its annotation files, annotators in name order."""
    found: dict[str, list[Path]] = {}
    for annotator in visible_names(root / "annotations", strict=True):
        folder = root / "annotations" / annotator
        if not folder.is_dir():
            continue
        for name in visible_names(folder, strict=True):
            match = _SOUND.fullmatch(name)
            if match:
                found.setdefault(match[1], []).append(folder / name)
    return found


def read_analysis(path: Path) -> dict:
    if not path.is_file():
        return {}
    data = read_json(path, FSLDFormatError)
    if not isinstance(data, dict):
        raise FSLDFormatError(f"{path}:1: expected a JSON object, got {type(data).__name__}")
    return data


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(x, int) for x in shard)):
        raise FSLDFormatError(f"shard {shard!r} is not [index, count]")
    index, count = shard
    if not 0 <= index < count:
        raise FSLDFormatError(f"shard {shard!r} is not [index, count]")
    skips = Skips(f"FSL10K shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    files = wavs(root)
    for sound, paths in sorted(annotation_files(root).items(), key=lambda kv: int(kv[0])):
        if shard_of(sound, count) != index:
            continue
        labels = []
        for path in paths:
            try:
                label = read_annotation(path)
            except FSLDFormatError as err:
                skips.bad(err)
                continue
            if label is not None:
                labels.append(label)
        if not labels:
            skips.add("loop(s) whose every annotation is discarded", sound, always=True, audio=False)
            continue
        if sound not in files:
            skips.add("annotated loop(s) whose audio/wav/<id>_*.wav is missing", sound)
            continue
        info = read_analysis(root / "fs_analysis" / f"{sound}.json")
        description = info.get("description")
        name = info.get("name")
        yield {
            "id": sound,
            "audio": os.fspath(root / "audio" / "wav" / files[sound]),
            "key": agreed([lab["key"] for lab in labels]),
            "tempo": agreed([lab["tempo"] for lab in labels]),
            "genre": agreed([lab["genre"] for lab in labels]),
            "caption": description.strip() if isinstance(description, str) and description.strip() else None,
            "name": name if isinstance(name, str) else None,
            "license": info.get("license") if isinstance(info.get("license"), str) else None,
            "annotators": len(labels),
        }
    skips.report()


SOURCE = Source(
    name="fsld",
    corpus="FSL10K",
    license="per-loop Freesound licences (CC0, CC BY, CC BY-NC); annotations: see Zenodo 3967852",
    redistributable=False,
    homepage="https://zenodo.org/record/3967852",
    layout="FSL10K/ with annotations/<annotator>/sound-<id>.json, fs_analysis/<id>.json and audio/wav/<id>_*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="FSL10K",
    labels={"key": music.KEYS},
    languages=(),
)
