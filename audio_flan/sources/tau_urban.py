"""TAU Urban Acoustic Scenes 2020 Mobile and 2022 Mobile, development sets (Heittola, Mesaros and Virtanen,
DCASE 2020 and 2022 task 1): recordings of ten urban scenes in European cities, by one real device (``a``) and
parallel real and simulated devices (``b``, ``c``, ``s1``-``s6``).

Licence: Tampere University's non-commercial research licence (redistribution must keep its copyright notice; no
commercial use), so export treats the corpus as not redistributable.

Layout, as Zenodo records 3819968 (2020) and 6337421 (2022) extract (``*.audio.N.zip``, ``*.meta.zip`` and
``*.doc.zip`` into one folder; the names and columns as soundata's ``tau2020uas_mobile`` and
``tau2022uas_mobile`` loaders read them)::

    TAU-urban-acoustic-scenes-2022-mobile-development/
      audio/<scene>-<city>-<location>-<segment>-<sub>-<device>.wav   2022: 1-s segments, e.g. airport-barcelona-0-0-0-a.wav
                                                                      (2020: 10-s clips, airport-barcelona-0-0-a.wav)
      meta.csv                       filename<TAB>scene_label<TAB>identifier<TAB>source_label   (header)
      evaluation_setup/fold1_train.csv     filename<TAB>scene_label   (header)
      evaluation_setup/fold1_evaluate.csv  filename<TAB>scene_label   (header)
      evaluation_setup/fold1_test.csv      filename                   (not read: fold1_evaluate without labels)
      LICENSE  README.md  README.html

All files are TAB-separated with a header, filenames carry the ``audio/`` prefix, audio is 44.1 kHz 24-bit mono
WAV. ``identifier`` is ``<city>-<location>`` (parallel devices share it, so the official fold keeps a location
in one side), ``source_label`` the device. The ten scene labels are written as the corpus does
(``metro_station``, ``street_pedestrian``, ...), which are the task's options.

Decisions: the official setup: ``fold1_train`` -> train, ``fold1_evaluate`` -> test (its labelled evaluation
fold; the separate evaluation sets carry no labels and are not read). Files of ``meta.csv`` in neither list are
left out of both on purpose by the setup, so they are not records. A fold row must name a file of ``meta.csv``
with the same scene (otherwise an error naming the line). A listed file absent from ``audio/`` is skipped and
counted in one warning per shard. Rows are dealt into shards by a stable hash of the file name (up to 16 per
fold, by size).

Every shard reads all of ``meta.csv`` and every row of its fold file, so every shard checks them: a malformed row
(a field count other than the header's, not UTF-8, a filename not ``audio/<name>.wav``, a scene or device not of
the corpus, an identifier not ``<city>-<location>``, a file listed twice; in a fold, a file not in ``meta.csv`` or
with another scene there) is an error naming file and line by default. Under ``on_error="skip"`` it is skipped by
every shard that reads it and counted once per split loaded; a fold row whose ``meta.csv`` row was skipped (or, once rows of ``meta.csv`` were skipped, whose
file is not in it: it may be one whose filename was unreadable) has lost its device and identifier, so it is left
out too and counted as dependent, under its own reason. A file listed twice in one fold is malformed too. A header that is not the corpus's stays an error under
every policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

META = "meta.csv"
SETUP = "evaluation_setup"
FOLDS = {"fold1_train.csv": "train", "fold1_evaluate.csv": "test"}
META_COLUMNS = ("filename", "scene_label", "identifier", "source_label")
FOLD_COLUMNS = ("filename", "scene_label")
SCENES = (
    "airport",
    "bus",
    "metro",
    "metro_station",
    "park",
    "public_square",
    "shopping_mall",
    "street_pedestrian",
    "street_traffic",
    "tram",
)
DEVICES = ("a", "b", "c", "s1", "s2", "s3", "s4", "s5", "s6")
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 18
FIELDS = ("id", "audio", "label", "city", "identifier", "device")


class TauUrbanFormatError(CorpusFormatError):
    """A TAU Urban Acoustic Scenes metadata file that is not what the corpus's README describes."""


def detect(root: Path) -> bool:
    return (root / META).is_file() and (root / SETUP / "fold1_train.csv").is_file() and (root / "audio").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[fold file, index, count]`` per shard; nothing is read (the count comes from each file's size)."""
    shards: dict[str, list[Shard]] = {}
    for name, split in FOLDS.items():
        path = root / SETUP / name
        if path.is_file():
            count = max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))
            shards[split] = [[name, i, count] for i in range(count)]
    return shards


def _shard_of(filename: str, count: int) -> int:
    return stable_hash(filename) % count


def _filename(value: str, where: str) -> str:
    name = value.strip()
    if not name.startswith("audio/") or not name.endswith(".wav") or "/" in name[len("audio/") :] or ".." in name:
        raise TauUrbanFormatError(f"{where}: filename {value!r} is not 'audio/<name>.wav'")
    return name


def _scene(value: str, where: str) -> str:
    scene = value.strip()
    if scene not in SCENES:
        raise TauUrbanFormatError(f"{where}: scene_label {value!r} is not one of {', '.join(SCENES)}")
    return scene


def read_meta(path: Path, skips: Optional[Skips] = None) -> tuple[dict[str, tuple[str, str, str]], set[str]]:
    """filename -> (scene, identifier, device), every row checked; and the filenames of the rows skipped as
    malformed (given ``skips`` of a load that skips bad items: counted there; otherwise the first one raises)."""
    meta: dict[str, tuple[str, str, str]] = {}
    broken: set[str] = set()
    for line_no, row in csv_rows(path, TauUrbanFormatError, delimiter="\t", required=META_COLUMNS, skips=skips):
        where = f"{path}:{line_no}"
        try:
            name = _filename(row["filename"], where)
        except TauUrbanFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        try:
            meta[name] = _meta_row(where, name, row, meta)
        except TauUrbanFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            broken.add(name)
    return meta, broken


def _meta_row(where: str, name: str, row: dict[str, str], meta: dict) -> tuple[str, str, str]:
    scene = _scene(row["scene_label"], where)
    identifier, device = row["identifier"].strip(), row["source_label"].strip()
    if identifier.count("-") < 1 or not identifier.split("-", 1)[0]:
        raise TauUrbanFormatError(f"{where}: identifier {identifier!r} is not '<city>-<location>'")
    if device not in DEVICES:
        raise TauUrbanFormatError(f"{where}: source_label {device!r} is not a device ({', '.join(DEVICES)})")
    if name in meta:
        raise TauUrbanFormatError(f"{where}: {name} is listed twice")
    return scene, identifier, device


def _fold_row(where: str, row: dict[str, str], meta: dict, listed: dict[str, int]) -> tuple[str, str]:
    """(filename, scene) of a fold row that agrees with meta.csv and names a file not listed above."""
    filename = _filename(row["filename"], where)
    if filename in listed:
        raise TauUrbanFormatError(f"{where}: {filename} is also on line {listed[filename]}")
    scene = _scene(row["scene_label"], where)
    if filename not in meta:
        raise TauUrbanFormatError(f"{where}: {filename} is not in {META}")
    if meta[filename][0] != scene:
        raise TauUrbanFormatError(f"{where}: {filename} is {scene} here but {meta[filename][0]} in {META}")
    return filename, scene


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in FOLDS and 0 <= int(shard[1]) < int(shard[2])):
        raise TauUrbanFormatError(f"shard {shard!r} is not [fold file, index, count]")
    name, index, count = shard
    meta_rows = Skips(f"TAU Urban Acoustic Scenes {root / META}", SOURCE.missing_audio)
    meta, broken = read_meta(root / META, meta_rows)
    path = root / SETUP / name
    present = set(visible_names(root / "audio", strict=True))
    skips = Skips(f"TAU Urban Acoustic Scenes {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    rows = Skips(f"TAU Urban Acoustic Scenes {path}", SOURCE.missing_audio)
    records = []
    listed: dict[str, int] = {}
    for line_no, row in csv_rows(path, TauUrbanFormatError, delimiter="\t", required=FOLD_COLUMNS, skips=rows):
        where = f"{path}:{line_no}"
        if row["filename"].strip() in broken or (meta_rows.malformed and row["filename"].strip() not in meta):
            if _shard_of(row["filename"].strip(), count) == index:
                skips.add(
                    f"row(s) of {name} whose {META} row was skipped as malformed",
                    f"line {line_no}: {row['filename'].strip()}",
                    always=True,
                    audio=False,
                )
            continue
        try:
            filename, scene = _fold_row(where, row, meta, listed)
        except TauUrbanFormatError as err:
            rows.bad(err)
            continue
        listed[filename] = line_no
        if _shard_of(filename, count) != index:
            continue
        base = filename[len("audio/") :]
        if base not in present:
            skips.add(f"file(s) of {name} absent from audio/", f"line {line_no}: {filename}")
            continue
        _, identifier, device = meta[filename]
        records.append(
            {
                "id": base[: -len(".wav")],
                "audio": os.fspath(root / "audio" / base),
                "label": scene,
                "city": identifier.split("-", 1)[0],
                "identifier": identifier,
                "device": device,
            }
        )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()
    rows.report()
    meta_rows.report()


SOURCE = Source(
    name="tau_urban",
    corpus="TAU Urban Acoustic Scenes Mobile",
    license="Tampere University non-commercial research licence",
    redistributable=False,
    homepage="https://dcase.community/challenge2022/task-low-complexity-acoustic-scene-classification",
    layout="TAU-urban-acoustic-scenes-20xx-mobile-development/ with meta.csv, evaluation_setup/fold1_*.csv, audio/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="TAU",
    labels={"label": SCENES, "device": DEVICES},
)
