"""NSynth (Magenta, Engel et al. 2017): 305,979 four-second notes of 1,006 instruments, 16 kHz mono 16-bit WAV.

Licence: CC BY 4.0, so the audio may be redistributed with attribution.

Layout, as the ``nsynth-{train,valid,test}.jsonwav.tar.gz`` archives extract::

    nsynth-train/examples.json    one JSON object keyed by note_str (289,205 notes; valid 12,678; test 4,096)
    nsynth-train/audio/<note_str>.wav
    nsynth-valid/...  nsynth-test/...

Each value of ``examples.json`` holds ``note_str``, ``note`` (a unique sample id, *not* a pitch), ``pitch`` (the
MIDI note number, 0-127), ``velocity``, ``sample_rate``, ``instrument``/``instrument_str``,
``instrument_family``/``instrument_family_str`` (bass, brass, flute, guitar, keyboard, mallet, organ, reed,
string, synth_lead, vocal), ``instrument_source``/``instrument_source_str`` (acoustic, electronic, synthetic),
``qualities`` (10 flags) and ``qualities_str``. note_str is ``<family>_<source>_<NNN>-<pitch>-<velocity>``, but
the family may contain ``_`` (synth_lead): labels are read from the JSON, never from the name.

A root is one split folder (``examples.json`` + ``audio/``); a folder holding several of them is found by
the builder, which also looks in the immediate subfolders of data_dir (``list_shards`` given such a parent
reads every split folder in it too). The folder name decides the split: ``*train`` -> train, ``*valid`` ->
validation, ``*test`` -> test, any other name -> train. Each split is cut into 8 shards by a BLAKE2 hash of
note_str, so every shard mixes instrument families; listing reads nothing (it looks at the size of
examples.json only: a split whose examples.json is under 2 MiB, about 4,000 notes, gets one shard per 256 KiB,
so that a small copy is not scattered into shards too small to pair notes in). Each shard parses examples.json
and keeps its own notes, in note_str order. Notes whose WAV is absent are skipped and counted in one warning
per shard.

A malformed note (not an object, a note_str that is not a plain file name or differs from its key, a field
missing or out of range) is an error naming file and line by default, and under ``on_error="skip"`` is skipped
and counted by the shard it falls in. examples.json is one JSON document, so a note whose text is not valid JSON
breaks the whole file by default (an error naming the line). Under ``on_error="skip"`` the file is then read
note by note: a note whose value is not valid JSON but whose braces and quotes balance is skipped and counted by
every shard (once per split loaded); anything worse (the top-level object itself broken, a key that is not a string,
unbalanced braces) stays an error naming the line, as do a file that is not UTF-8 or not one JSON object.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Optional

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, is_hidden, read_json, visible_names

EXAMPLES = "examples.json"
MAX_SHARDS = 8
BYTES_PER_SHARD = 256 * 1024  # of examples.json, about 400 notes: fewer shards for a small split
SPLIT_NAMES = {
    "train": "train",
    "valid": "validation",
    "validation": "validation",
    "val": "validation",
    "dev": "validation",
    "test": "test",
}
_SPLIT_SUFFIX = re.compile(r"(?:^|[-_.])(train|valid|validation|val|dev|test)$")
FAMILIES = ("bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed", "string", "synth_lead", "vocal")
SOURCES = ("acoustic", "electronic", "synthetic")
FIELDS = ("id", "audio", "pitch", "velocity", "instrument", "instrument_family", "instrument_source", "qualities")


class NSynthFormatError(CorpusFormatError):
    """An examples.json that is not what the NSynth documentation says."""


def detect(root: Path) -> bool:
    return (root / EXAMPLES).is_file() and (root / "audio").is_dir()


def split_of(folder_name: str) -> str:
    match = _SPLIT_SUFFIX.search(folder_name.lower())
    return SPLIT_NAMES[match.group(1)] if match else "train"


def shard_of(note_str: str, count: int = MAX_SHARDS) -> int:
    """The shard a note falls in: a stable hash (the same on every machine and run), not ``hash()``."""
    return stable_hash(note_str) % count


def shard_count(folder: Path) -> int:
    """8, or fewer for a small examples.json (judged by its size: nothing is read)."""
    return max(1, min(MAX_SHARDS, (folder / EXAMPLES).stat().st_size // BYTES_PER_SHARD))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder relative to root, shard index, shard count]`` per shard; reads no examples.json."""
    if detect(root):
        folders = [(".", root.name)]
    else:
        folders = [(n, n) for n in visible_names(root, strict=True) if detect(root / n)]
    shards: dict[str, list[Shard]] = {}
    for rel, name in folders:
        count = shard_count(root / rel)
        shards.setdefault(split_of(name), []).extend([rel, i, count] for i in range(count))
    return shards


def _line_of(path: Path, key: str) -> int:
    """The line where ``key`` is defined in a JSON file (only looked up to word an error)."""
    needle = json.dumps(key)
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for line_no, line in enumerate(f, 1):
            at = line.find(needle)
            if at >= 0 and line[at + len(needle) :].lstrip().startswith(":"):
                return line_no
    return 1


def load_examples(path: Path, skips: Optional[Skips] = None) -> dict:
    """note_str -> note of examples.json. Under a load that skips bad items (``skips``), a note whose text is not
    valid JSON is skipped and counted there, and the others read (see the module's docstring)."""
    try:
        notes = read_json(path, NSynthFormatError)
    except NSynthFormatError as whole:
        if skips is None or not skips.skipping:
            raise
        read = _notes_one_by_one(path)
        if read is None:
            raise whole from None  # broken as a whole: the same error as under any policy
        notes, bad = read
        for err in bad:
            skips.bad(err)
    if not isinstance(notes, dict):
        raise NSynthFormatError(
            f"{path}:1: expected one JSON object keyed by note_str, got a JSON {type(notes).__name__}"
        )
    return notes


def _notes_one_by_one(path: Path) -> Optional[tuple[dict, list[NSynthFormatError]]]:
    """The top-level object of examples.json read note by note: the notes, and an error for each note whose value
    is not valid JSON (but whose braces balance); None when the file is broken beyond one note."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    decoder = json.JSONDecoder()

    def blank(at: int) -> int:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        return at

    notes: dict = {}
    bad: list[NSynthFormatError] = []
    at = blank(0)
    if not text.startswith("{", at):
        return None
    at = blank(at + 1)
    while not text.startswith("}", at):
        if not text.startswith('"', at):
            return None
        try:
            key, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return None
        at = blank(at)
        if not text.startswith(":", at):
            return None
        at = blank(at + 1)
        try:
            notes[key], at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as err:
            end = _object_end(text, at)
            if end is None:
                return None
            bad.append(NSynthFormatError(f"{path}:{err.lineno}: note {key!r}: not valid JSON ({err.msg})"))
            at = end
        at = blank(at)
        if text.startswith(",", at):
            at = blank(at + 1)
        elif not text.startswith("}", at):
            return None
    if blank(at + 1) != len(text):
        return None
    return notes, bad


def _object_end(text: str, start: int) -> Optional[int]:
    """Where the JSON object starting at ``start`` ends (just after its '}'), braces counted outside strings; None
    when it does not start with '{' or never closes."""
    if not text.startswith("{", start):
        return None
    depth, quoted, escaped = 0, False, False
    for at in range(start, len(text)):
        char = text[at]
        if escaped:
            escaped = False
        elif quoted:
            escaped, quoted = char == "\\", char != '"'
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return at + 1
    return None


def _int(value, name: str, fail) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 127:
        fail(f"{name} is {value!r}; expected a MIDI value, an integer from 0 to 127")
    return value


def _str(value, name: str, fail) -> str:
    if not isinstance(value, str) or not value:
        fail(f"{name} is {value!r}; expected a non-empty string")
    return value


def make_record(path: Path, key: str, note, folder: Path) -> dict:
    """One validated record; any error names the file, the line of the note and what was expected."""

    def fail(message: str):
        raise NSynthFormatError(f"{path}:{_line_of(path, key)}: note {key!r}: {message}")

    if not isinstance(note, Mapping):
        fail(f"expected a JSON object, got {type(note).__name__}")
    if not key or "/" in key or "\\" in key or is_hidden(key):
        fail("a note_str must be a plain file name (audio/<note_str>.wav)")
    if note.get("note_str", key) != key:
        fail(f"note_str is {note.get('note_str')!r}, not its key")
    missing = [
        k
        for k in (
            "pitch",
            "velocity",
            "instrument_str",
            "instrument_family_str",
            "instrument_source_str",
            "qualities_str",
        )
        if k not in note
    ]
    if missing:
        fail(f"lacks {', '.join(missing)}")
    qualities = note["qualities_str"]
    if not isinstance(qualities, list) or not all(isinstance(q, str) for q in qualities):
        fail(f"qualities_str is {qualities!r}; expected a list of strings")
    return {
        "id": key,
        "audio": os.fspath(folder / "audio" / f"{key}.wav"),
        "pitch": str(_int(note["pitch"], "pitch", fail)),
        "velocity": _int(note["velocity"], "velocity", fail),
        "instrument": _str(note["instrument_str"], "instrument_str", fail),
        "instrument_family": _str(note["instrument_family_str"], "instrument_family_str", fail),
        "instrument_source": _str(note["instrument_source_str"], "instrument_source_str", fail),
        "qualities": ", ".join(qualities),
    }


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3):
        raise NSynthFormatError(f"shard {shard!r} is not [split folder, index, count]")
    rel, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise NSynthFormatError(f"shard {shard!r} is not [split folder, index, count]")
    folder = root / rel
    path = folder / EXAMPLES
    every = Skips(f"NSynth {path}", SOURCE.missing_audio)  # notes not JSON
    notes = load_examples(path, every)
    mine = {k: notes[k] for k in sorted(notes) if shard_of(k, count) == index}
    del notes
    skips = Skips(f"NSynth {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    for key, note in mine.items():
        try:
            record = make_record(path, key, note, folder)
        except NSynthFormatError as err:
            skips.bad(err, reason="malformed note(s)")
            continue
        if not os.path.isfile(record["audio"]):
            skips.add("note(s) whose audio/<note_str>.wav is missing", key)
            continue
        yield record
    skips.report()
    every.report()


SOURCE = Source(
    name="nsynth",
    corpus="NSynth",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://magenta.tensorflow.org/datasets/nsynth",
    layout="nsynth-train/ (or nsynth-valid/, nsynth-test/) with examples.json and audio/<note_str>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="NSynth",
    labels={"instrument_family": FAMILIES, "instrument_source": SOURCES, "pitch": tuple(str(p) for p in range(128))},
    languages=(),
)
