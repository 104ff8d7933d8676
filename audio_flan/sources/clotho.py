"""Clotho 2.1 (Drossos, Lipping and Virtanen, ICASSP 2020): 15-30 s Freesound clips, each with five crowdsourced
captions.

Licence: the captions and the packaging are under Tampere University's terms (the ``LICENSE`` on Zenodo; not
pinned down beyond that, see the corpus notes); each clip keeps the Creative Commons licence its Freesound
uploader chose (``clotho_metadata_*.csv``, column ``license``), several of them non-commercial, so export treats
the corpus as not redistributable.

Layout, as Zenodo record 4783391 distributes it (``clotho_captions_<split>.csv``, ``clotho_metadata_<split>.csv``
and ``clotho_audio_<split>.7z``, each archive holding a ``<split>/`` folder of WAVs; the names as aac-datasets'
and soundata's loaders and DCASE 2020 task 6's baseline read them)::

    <root>/
      clotho_captions_development.csv  clotho_captions_validation.csv  clotho_captions_evaluation.csv
      clotho_metadata_<split>.csv      (ISO-8859-1; not read)
      development/*.wav  validation/*.wav  evaluation/*.wav     (44.1 kHz, 16-bit, mono)

or aac-datasets' arrangement of the same files: ``clotho_csv_files/`` for the CSVs and
``clotho_audio_files/<split>/`` for the audio. A captions CSV has the header
``file_name,caption_1,caption_2,caption_3,caption_4,caption_5`` and minimal quoting (only fields holding a comma
are quoted); it is read as UTF-8 (what pandas' default does in public loaders), a byte that is not UTF-8 being an
error naming the line. File names hold spaces and may begin with one (``" Ambience Birds.wav"``): they are kept
byte for byte, never stripped; captions are verbatim (double spaces included) and only checked to be non-empty.

Decisions: a record is one clip, the corpus's unit (``id`` = the file name without ``.wav``): ``caption`` is its
``caption_1`` (what the caption and text-to-audio configs use), ``captions`` all five in column order.
development -> train, validation -> validation, evaluation -> test (the test set has no captions and is not
read). A clip listed but absent is skipped and counted in one warning per split. A malformed row (a field count
other than six, not UTF-8, a file name that is not a ``.wav`` name or repeats one above, an empty caption) is an
error naming file and line by default, and under ``on_error="skip"`` is skipped and counted (each CSV is read by
one shard only, so once); a header that is not Clotho's stays an error under every policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

SPLITS = {"development": "train", "validation": "validation", "evaluation": "test"}
CAPTIONS = "clotho_captions_{}.csv"
COLUMNS = ("file_name", "caption_1", "caption_2", "caption_3", "caption_4", "caption_5")
ARRANGEMENTS = (("", ""), ("clotho_csv_files", "clotho_audio_files"))  # (csv folder, audio folder)
FIELDS = ("id", "audio", "file_name", "caption", "captions", "language")


class ClothoFormatError(CorpusFormatError):
    """A Clotho captions CSV that is not what the corpus's documentation says."""


def _folders(root: Path) -> Optional[tuple[Path, Path]]:
    """(the CSV folder, the audio folder) of the arrangement found, or None."""
    for csv_dir, audio_dir in ARRANGEMENTS:
        names = set(visible_names(root / csv_dir))
        if any(CAPTIONS.format(s) in names for s in SPLITS) and any((root / audio_dir / s).is_dir() for s in SPLITS):
            return root / csv_dir, root / audio_dir
    return None


def detect(root: Path) -> bool:
    return _folders(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per split that has its captions CSV; nothing is read."""
    folders = _folders(root)
    if folders is None:
        return {}
    return {split: [name] for name, split in SPLITS.items() if (folders[0] / CAPTIONS.format(name)).is_file()}


def _file_name(value: str, where: str) -> str:
    if not value.strip() or not value.lower().endswith(".wav") or "/" in value or "\\" in value:
        raise ClothoFormatError(f"{where}: file_name {value!r} is not a .wav file name")
    if value.startswith("."):
        raise ClothoFormatError(f"{where}: file_name {value!r} is a hidden file")
    return value


def _row(where: str, row: dict[str, str], seen: dict[str, int]) -> tuple[str, list[str]]:
    """(file name, the five captions) of one checked row."""
    file_name = _file_name(row["file_name"], where)
    if file_name in seen:
        raise ClothoFormatError(f"{where}: file_name {file_name!r} is also on line {seen[file_name]}")
    captions = [row[f"caption_{n}"] for n in range(1, 6)]
    empty = [n for n, c in enumerate(captions, 1) if not c.strip()]
    if empty:
        raise ClothoFormatError(f"{where}: caption_{empty[0]} is empty; expected five non-empty captions")
    return file_name, captions


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in SPLITS:
        raise ClothoFormatError(f"shard {shard!r} is not a Clotho split ({', '.join(SPLITS)})")
    name = str(shard)
    folders = _folders(root)
    if folders is None:
        raise ClothoFormatError(f"{root}: no clotho_captions_*.csv beside development/, validation/ or evaluation/")
    path = folders[0] / CAPTIONS.format(name)
    audio_dir = folders[1] / name
    present = set(visible_names(audio_dir, strict=True))
    skips = Skips(f"Clotho {path}", SOURCE.missing_audio)
    records: list[Record] = []
    seen: dict[str, int] = {}
    for line_no, row in csv_rows(path, ClothoFormatError, required=COLUMNS, skips=skips):
        try:
            file_name, captions = _row(f"{path}:{line_no}", row, seen)
        except ClothoFormatError as err:
            skips.bad(err)
            continue
        seen[file_name] = line_no
        if file_name not in present:
            skips.add(f"clip(s) listed in {path.name} but absent from {name}/", f"line {line_no}: {file_name}")
            continue
        records.append(
            {
                "id": file_name[: -len(".wav")],
                "audio": os.fspath(audio_dir / file_name),
                "file_name": file_name,
                "caption": captions[0],
                "captions": captions,
                "language": "en",
            }
        )
    yield from sorted(records, key=lambda r: r["file_name"])
    skips.report()


SOURCE = Source(
    name="clotho",
    corpus="Clotho",
    license="Tampere University terms (captions); audio under each Freesound clip's CC licence",
    redistributable=False,
    homepage="https://zenodo.org/records/4783391",
    layout="clotho_captions_{development,validation,evaluation}.csv beside development/, validation/, evaluation/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Clotho",
    languages=("en",),
    labels={"language": ("en",)},
)
