"""JazzNet (Adegbija, ICASSP 2023): 162,520 piano patterns (chords, arpeggios, scales and chord progressions)
rendered from MIDI with Timidity at 16 kHz.

Licence: the repository (GitHub ``tosiron/jazznet``) is MIT; the licence of the data downloads was not verified.
The audio is synthetic (rendered MIDI), but without a stated data licence export treats it as not
redistributable.

Layout (read from the repository, snapshot ``9a3617a``: ``download/README.md``, ``download/convertMidiToWav.py``
and ``metadata/small.csv`` itself)::

    metadata/small.csv medium.csv large.csv full.csv     (metadata.tar.gz; small/medium/large are in the repo)
    <type folders>/<sub-folder>/<label>.wav             chords.tar.gz, arpeggios.tar.gz, scales.tar.gz,
                                                        progressions[-small|-medium|-large].tar.gz

``convertMidiToWav.py`` renders ``patterns/<dir1>/<dir2>/*.mid`` to ``wav/<dir1>/<dir2>/<stem>.wav``; the
folder names inside the tarballs were not verified, so the WAVs are found by file name anywhere under the root
(one walk per shard). The CSV header is ``id,label,type,mode,octave,interval,split`` (the corpus notes' older
``name``/``inversion`` names are accepted too); ``type`` is chord, arpeggio, scale or progression, ``mode`` the
pattern (``phrygian``, ``aug-chord``, ``ii-V-I-maj``), ``split`` training, validation or test, and ``label``
``<tonic>-<octave>-<mode>-<interval>`` (``C#-1-phrygian-0``), also the WAV's stem. Line endings may be CRLF.

Which CSV: the largest present (full, large, medium, small): the subsets differ only in their progressions, so
keep only the CSV of the subset downloaded, or the progressions it lacks are counted as missing (skipped, one
warning per shard). Only scales and progressions are read (the configs fed here); a row whose label does not
spell its tonic, octave, mode and interval, or a type or split the README does not name, is an error naming the
file and line.

Labels: ``scale``: the tonic (spelled as ``_music_labels.pitch_name`` spells pitch classes, which is JazzNet's own
spelling) and the mode with ``-`` as a space: ``C# phrygian``, ``Ab harmonic minor``; ``progression``: the
progression as JazzNet names it and its key's tonic: ``ii-V-I-maj in C``. Splits are JazzNet's own; shards cut a
split by a BLAKE2 hash of the label, about one per 256 KiB of the CSV (judged by its size), at most 8.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, is_hidden

SUBSETS = ("full", "large", "medium", "small")
TYPES = ("chord", "arpeggio", "scale", "progression")
READ = ("scale", "progression")
SPLITS = {"training": "train", "train": "train", "validation": "validation", "test": "test"}
MAX_SHARDS = 8
BYTES_PER_SHARD = 256 * 1024
FIELDS = ("id", "audio", "type", "scale", "progression", "octave")


class JazzNetFormatError(CorpusFormatError):
    """A JazzNet metadata CSV that is not what its repository shows."""


def metadata_file(root: Path) -> Path | None:
    for subset in SUBSETS:
        path = root / "metadata" / f"{subset}.csv"
        if path.is_file():
            return path
    return None


def detect(root: Path) -> bool:
    return metadata_file(root) is not None


def shard_of(label: str, count: int) -> int:
    return stable_hash(label) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    path = metadata_file(root)
    if path is None:
        return {}
    count = max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))
    return {split: [[split, i, count] for i in range(count)] for split in ("train", "validation", "test")}


def wav_index(root: Path) -> dict[str, str]:
    """WAV stem -> path, for every WAV under the root (hidden files and folders left out)."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
        for name in sorted(filenames):
            if name.lower().endswith(".wav") and not is_hidden(name):
                found.setdefault(name[: -len(".wav")], os.path.join(dirpath, name))
    return found


def _row(path: Path, line_no: int, row: dict) -> tuple[str, dict] | None:
    """(split, record without audio) of a scale or progression row; None for the types not read."""
    where = f"{path}:{line_no}"
    kind = row["type"].strip()
    if kind not in TYPES:
        raise JazzNetFormatError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
    split = SPLITS.get(row["split"].strip())
    if split is None:
        raise JazzNetFormatError(f"{where}: split {row['split']!r} is not training, validation or test")
    if kind not in READ:
        return None
    label, mode, octave = row["label"].strip(), row["mode"].strip(), row["octave"].strip()
    interval = row["interval"].strip()
    tail = f"-{octave}-{mode}-{interval}"
    tonic = label[: -len(tail)] if label.endswith(tail) else ""
    try:
        name = music.pitch_name(tonic)
    except ValueError:
        raise JazzNetFormatError(
            f"{where}: label {label!r} is not <tonic>-{octave}-{mode}-{interval} (its octave, mode and interval)"
        ) from None
    if not octave.isdigit():
        raise JazzNetFormatError(f"{where}: octave {octave!r} is not a number")
    record = {
        "id": label,
        "type": kind,
        "scale": f"{name} {mode.replace('-', ' ')}" if kind == "scale" else None,
        "progression": f"{mode} in {name}" if kind == "progression" else None,
        "octave": int(octave),
    }
    return split, record


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in ("train", "validation", "test")):
        raise JazzNetFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise JazzNetFormatError(f"shard {shard!r} is not [split, index, count]")
    path = metadata_file(root)
    if path is None:
        raise JazzNetFormatError(f"{root}: no metadata/<subset>.csv")
    wavs = wav_index(root)
    skips = Skips(f"JazzNet {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    rows = Skips(f"JazzNet {path}", SOURCE.missing_audio)
    header = ("id", "label", "type", "mode", "octave", "interval", "split")
    for line_no, raw in csv_rows(
        path, JazzNetFormatError, required=("id", "type", "mode", "octave", "split"), skips=rows
    ):
        if "label" not in raw and "name" not in raw or "interval" not in raw and "inversion" not in raw:
            raise JazzNetFormatError(f"{path}:1: the header lacks label (or name) and interval (or inversion)")
        raw = {
            **raw,
            "label": raw.get("label", raw.get("name", "")),
            "interval": raw.get("interval", raw.get("inversion", "")),
        }
        try:
            parsed = _row(path, line_no, {k: raw.get(k, "") for k in header})
        except JazzNetFormatError as err:
            rows.bad(err)
            continue
        if parsed is None or parsed[0] != split or shard_of(parsed[1]["id"], count) != index:
            continue
        record = parsed[1]
        audio = wavs.get(record["id"])
        if audio is None:
            skips.add(
                f"row(s) of {path.name} whose <label>.wav is not under the root", f"line {line_no}: {record['id']}"
            )
            continue
        yield {**record, "audio": audio}
    skips.report()
    rows.report()


SOURCE = Source(
    name="jazznet",
    corpus="JazzNet",
    license="repository MIT; data licence not stated",
    redistributable=False,
    homepage="https://github.com/tosiron/jazznet",
    layout="jazznet/ with metadata/{small,medium,large,full}.csv and the <label>.wav files in any sub-folder",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="JazzNet",
    languages=(),
)
