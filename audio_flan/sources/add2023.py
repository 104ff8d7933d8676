"""ADD 2023, the Audio Deepfake Detection Challenge (Yi et al., 2023), track 1.2: Mandarin speech, genuine or
generated.

Licence: the challenge's data agreement (research use by registered participants; addchallenge.cn); not
redistributable.

Layout, as the track 1.2 archives extract (``track1_2-train/Track1.2/...``; the folder and file names as public
loaders and their tests write them, found with the code search; the organisers' own README was not seen)::

    ADD2023/Track1.2/                    the root (named Track1.2 or track1.2)
      train/label.txt                    <file name> <genuine|fake>, one space, no header
      train/wav/ADD2023_T1.2_T_00000000.wav ...
      dev/label.txt
      dev/wav/ADD2023_T1.2_D_00000000.wav ...
      test/ADD2023_T1.2R1_E_*.wav  test2/ADD2023_T1.2R2_E_*.wav     (no labels released; not read)

Audio is WAV (16 kHz in the copies public code reads; the header is what counts). Labels are mapped to the task's
options: ``genuine`` -> ``real``, ``fake`` -> ``fake`` (``original_label`` keeps the corpus's word). train ->
train, dev -> validation; each is one shard. A labelled file absent from ``wav/`` is skipped and counted in one
warning per shard. A malformed label line (not ``<file name>.wav genuine|fake`` with one space, not UTF-8, a file
name repeated) is an error naming file and line by default, and under ``on_error="skip"`` is skipped and counted
(each label.txt is read by one shard only, so once). Not pinned down and not read: tracks 2 (manipulation region location) and 3, whose label
formats differ.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

SPLITS = {"train": "train", "dev": "validation"}
LABELS = {"genuine": "real", "fake": "fake"}
ROOT_NAME = re.compile(r"track1\.2", re.IGNORECASE)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.wav")
FIELDS = ("id", "audio", "label", "original_label")


class ADD2023FormatError(CorpusFormatError):
    """An ADD 2023 label file that is not what the challenge distributes."""


def detect(root: Path) -> bool:
    return bool(ROOT_NAME.fullmatch(root.name)) and any((root / s / "label.txt").is_file() for s in SPLITS)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {split: [name] for name, split in SPLITS.items() if (root / name / "label.txt").is_file()}


def read_labels(path: Path, skips: Optional[Skips] = None) -> Iterator[tuple[int, str, str]]:
    """(line, file name, genuine|fake) for every line of a label.txt; a malformed line raises, naming file and line
    (given ``skips`` of a load that skips bad items, it is skipped and counted there instead)."""
    seen: dict[str, int] = {}
    for line_no, text in text_lines(path, ADD2023FormatError, skips=skips):
        if not text.strip():
            continue
        try:
            name, label = _label_line(path, line_no, text, seen)
        except ADD2023FormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        seen[name] = line_no
        yield line_no, name, label


def _label_line(path: Path, line_no: int, text: str, seen: dict[str, int]) -> tuple[str, str]:
    fields = text.split(" ")
    if len(fields) != 2 or not FILE_NAME.fullmatch(fields[0]) or fields[1] not in LABELS:
        raise ADD2023FormatError(
            f"{path}:{line_no}: expected '<file name>.wav genuine' or '<file name>.wav fake' (one space), got {text!r}"
        )
    if fields[0] in seen:
        raise ADD2023FormatError(f"{path}:{line_no}: {fields[0]} is also on line {seen[fields[0]]}")
    return fields[0], fields[1]


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in SPLITS:
        raise ADD2023FormatError(f"shard {shard!r} is not an ADD 2023 split ({', '.join(SPLITS)})")
    folder = root / str(shard)
    path = folder / "label.txt"
    present = set(visible_names(folder / "wav", strict=True))
    skips = Skips(f"ADD 2023 {path}", SOURCE.missing_audio)
    records = []
    for line_no, name, label in read_labels(path, skips):
        if name not in present:
            skips.add(f"labelled file(s) absent from {shard}/wav/", f"line {line_no}: {name}")
            continue
        records.append(
            {
                "id": name[: -len(".wav")],
                "audio": os.fspath(folder / "wav" / name),
                "label": LABELS[label],
                "original_label": label,
            }
        )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()


SOURCE = Source(
    name="add2023",
    corpus="ADD 2023",
    license="ADD 2023 challenge data agreement (research use by registered participants)",
    redistributable=False,
    homepage="http://addchallenge.cn/add2023",
    layout="Track1.2/ with {train,dev}/label.txt and {train,dev}/wav/ADD2023_T1.2_*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="ADD2023",
    languages=("zh",),
    labels={"label": ("real", "fake"), "original_label": tuple(LABELS)},
)
