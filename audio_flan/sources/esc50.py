"""ESC-50: Dataset for Environmental Sound Classification (Piczak, 2015), 2000 five-second clips in 50 classes.

Licence: CC BY-NC 3.0 (the ESC-10 subset, ``esc10 == True``, is CC BY); per-clip attributions are in
LICENSE. Non-commercial, so export treats it as not redistributable.

Layout, as the GitHub archive (``master.zip``) extracts::

    ESC-50-master/
      audio/{FOLD}-{CLIP_ID}-{TAKE}-{TARGET}.wav     2000 files, 5 s, 44.1 kHz, mono
      meta/esc50.csv                                  filename,fold,target,category,esc10,src_file,take
      meta/esc50-human.xlsx  LICENSE  README.md ...

``esc50.csv`` has a header row (read by name) and one row per clip, e.g. ``1-100032-A-0.wav,1,0,dog,True,100032,A``;
categories are snake_case (``chirping_birds``). The five folds are for cross-validation (clips cut from one
Freesound recording share a fold); there is no official train/test split, so everything is ``train`` and
each fold is one shard. Rows whose audio file is absent are skipped and counted in one warning per shard.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, is_hidden

META = ("meta", "esc50.csv")
COLUMNS = ("filename", "fold", "target", "category", "esc10", "src_file", "take")
FOLDS = (1, 2, 3, 4, 5)
N_CLASSES = 50
BOOLS = {"true": True, "false": False}
FILENAME = re.compile(r"[^/\\]+\.wav")
#: the 50 categories, in target order (0-49), as esc50.csv spells them
CATEGORIES = (
    "dog",
    "rooster",
    "pig",
    "cow",
    "frog",
    "cat",
    "hen",
    "insects",
    "sheep",
    "crow",
    "rain",
    "sea_waves",
    "crackling_fire",
    "crickets",
    "chirping_birds",
    "water_drops",
    "wind",
    "pouring_water",
    "toilet_flush",
    "thunderstorm",
    "crying_baby",
    "sneezing",
    "clapping",
    "breathing",
    "coughing",
    "footsteps",
    "laughing",
    "brushing_teeth",
    "snoring",
    "drinking_sipping",
    "door_wood_knock",
    "mouse_click",
    "keyboard_typing",
    "door_wood_creaks",
    "can_opening",
    "washing_machine",
    "vacuum_cleaner",
    "clock_alarm",
    "clock_tick",
    "glass_breaking",
    "helicopter",
    "chainsaw",
    "siren",
    "car_horn",
    "engine",
    "train",
    "church_bells",
    "airplane",
    "fireworks",
    "hand_saw",
)
FIELDS = ("id", "audio", "label", "category", "fold", "target", "esc10", "src_file", "take")


class ESC50FormatError(CorpusFormatError):
    """An esc50.csv that is not what ESC-50's README says."""


def detect(root: Path) -> bool:
    return root.joinpath(*META).is_file() and (root / "audio").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per fold, all in ``train``; the folds are fixed, so nothing is read."""
    return {"train": list(FOLDS)}


def _int(value: str, name: str, low: int, high: int, where: str) -> int:
    if not re.fullmatch(r"[0-9]+", value):
        raise ESC50FormatError(f"{where}: {name} is {value!r}; expected an integer from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise ESC50FormatError(f"{where}: {name} is {number}; expected an integer from {low} to {high}")
    return number


def read_rows(path: Path, skips: Skips | None = None) -> Iterator[tuple[int, dict]]:
    """(line, validated row) for every row of esc50.csv; raises on the first bad one, naming file and line (given
    ``skips`` of a load that skips bad items, a bad row is skipped and counted there instead)."""
    for line_no, raw in csv_rows(path, ESC50FormatError, delimiter=",", required=COLUMNS, skips=skips):
        try:
            yield line_no, _validated(path, line_no, raw)
        except ESC50FormatError as err:
            if skips is None:
                raise
            skips.bad(err)


def _validated(path: Path, line_no: int, raw: dict) -> dict:
    where = f"{path}:{line_no}"
    row = {c: raw[c].strip() for c in COLUMNS}
    if not FILENAME.fullmatch(row["filename"]) or is_hidden(row["filename"]):
        raise ESC50FormatError(f"{where}: filename {row['filename']!r} is not a .wav file name inside audio/")
    esc10 = BOOLS.get(row["esc10"].lower())
    if esc10 is None:
        raise ESC50FormatError(f"{where}: esc10 is {row['esc10']!r}; expected True or False")
    if not row["category"]:
        raise ESC50FormatError(f"{where}: category is empty")
    return {
        **row,
        "fold": _int(row["fold"], "fold", FOLDS[0], FOLDS[-1], where),
        "target": _int(row["target"], "target", 0, N_CLASSES - 1, where),
        "esc10": esc10,
    }


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    fold = int(shard) if isinstance(shard, (int, str)) and str(shard).isdigit() else None
    if fold not in FOLDS:
        raise ESC50FormatError(f"shard {shard!r} is not an ESC-50 fold (1-5)")
    path = root.joinpath(*META)
    audio_dir = root / "audio"
    skips = Skips(f"ESC-50 fold {fold} in {root}", SOURCE.missing_audio)
    # every row is checked, whatever the fold, so any shard reports a bad file; skipped, a bad row is counted (once per split)
    rows = Skips(f"ESC-50 {path}", SOURCE.missing_audio)
    records = []
    for line_no, row in read_rows(path, rows):
        if row["fold"] != fold:
            continue
        audio = audio_dir / row["filename"]
        if not audio.is_file():
            skips.add(f"row(s) of {path} whose audio file is missing", f"line {line_no}: audio/{row['filename']}")
            continue
        records.append(
            {
                "id": row["filename"][: -len(".wav")],
                "audio": os.fspath(audio),
                "label": row["category"].replace("_", " "),
                "category": row["category"],
                "fold": row["fold"],
                "target": row["target"],
                "esc10": row["esc10"],
                "src_file": row["src_file"],
                "take": row["take"],
            }
        )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()
    rows.report()


SOURCE = Source(
    name="esc50",
    corpus="ESC-50",
    license="CC BY-NC 3.0 (ESC-10 subset CC BY)",
    redistributable=False,
    homepage="https://github.com/karolpiczak/ESC-50",
    layout="ESC-50-master/ with meta/esc50.csv and audio/{FOLD}-{CLIP_ID}-{TAKE}-{TARGET}.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="ESC-50",
    labels={"label": tuple(c.replace("_", " ") for c in CATEGORIES), "category": CATEGORIES},
    languages=(),
)
