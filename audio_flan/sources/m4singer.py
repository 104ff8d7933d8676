"""M4Singer (Zhang et al., NeurIPS 2022 Datasets and Benchmarks): a multi-style, multi-singer Mandarin singing
corpus, 20 professional singers (sopranos, altos, tenors, basses) and 700 songs, sentence-level WAVs with
phonemes, music scores and alignments.

Licence: research-only terms in the repository's ``dataset_license.md`` (the paper cites CC BY-NC-SA 4.0); not
verified, so export treats it as not redistributable.

Layout, as the archive linked from the ``M4Singer/M4Singer`` README extracts (the corpus notes, from the repo's
``code/data_gen/singing/binarize.py`` and ESPnet's ``egs2/m4singer/svs1/local/data_prep.py``)::

    m4singer/
      meta.json                          a JSON list of dicts, one per sentence
      <Singer>#<Song>/0000.wav 0000.mid 0000.TextGrid 0001.wav ...    Singer: Alto-1, Tenor-2, Soprano-1, Bass-1, ...

A ``meta.json`` entry: ``item_name`` (``<Singer>#<Song>#<sentence>``, the WAV being
``<Singer>#<Song>/<sentence>.wav``), ``txt`` (the Chinese lyrics), ``phs`` (pinyin initials and finals, ``<AP>``
and ``<SP>`` for breaths and silences), ``notes`` (a MIDI number per phoneme, 0 for a rest), ``notes_dur`` (the
note's seconds, per phoneme), ``ph_dur`` (each phoneme's seconds) and ``is_slur`` (1 where a phoneme continues
the syllable on a new note). Song names are Chinese and may hold spaces. An entry that is not that (a list of
another length, a pitch outside 0-127, a negative duration) is an error naming ``meta.json`` and the entry's line
(or, under ``on_error="skip"``, counted and skipped); an entry whose WAV is absent is skipped and counted. Whether
the real ``meta.json`` is written one entry a line was not verified; lines are found by the entry's item name.

Fields: ``lyrics`` is ``txt`` (white space as every singing corpus here renders lyrics: :mod:`._singing`); ``notes``
the score in the timed-output format CSD uses (``0.52-0.91: tong D4``, one sung note a line, rests left out), timed
by the cumulative ``ph_dur`` with a pinyin initial joined to the final that follows it, and a slurred phoneme a note
of its own. ``singer``/``song`` come from the item name.
For singing voice conversion a record is the **target**: ``source_audio`` is the same lyric line (same lyrics)
sung by another singer in the same split, drawn by a stable hash of the record id, and ``reference_audio``
another sentence of the target singer (from another song when there is one). M4Singer has several singers
singing the same song, but not every line has such a parallel; a record without one has ``source_audio`` None and
feeds synthesis only (the conversion task counts it as unusable). ``language`` is ``zh``.

Splits: the official test set, the eight ``<Singer>#<Song>`` prefixes of ``test_prefixes`` in the repo's
``code/usr/configs/m4singer/base.yaml`` (:data:`TEST_PREFIXES`); everything else is ``train``. One shard per
singer and split; each shard reads ``meta.json`` (parallel lines cross singers).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import _singing as singing
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, read_json, visible_names

META = "meta.json"
TEST_PREFIXES = (
    "Alto-2#岁月神偷",
    "Alto-2#奇妙能力歌",
    "Tenor-1#一千年以后",
    "Tenor-1#童话",
    "Tenor-2#消愁",
    "Tenor-2#一荤一素",
    "Soprano-1#念奴娇赤壁怀古",
    "Soprano-1#问春",
)
KEYS = ("item_name", "txt", "phs", "notes", "notes_dur", "ph_dur", "is_slur")
_ITEM = re.compile(r"(?P<singer>(?:Soprano|Alto|Tenor|Bass)-\d+)#(?P<song>[^#/]+)#(?P<sentence>\d+)")
_FOLDER = re.compile(r"(?:Soprano|Alto|Tenor|Bass)-\d+#[^#/]+")
FIELDS = ("id", "audio", "singer", "song", "lyrics", "notes", "language", "source_audio", "reference_audio")
FIELDS_IDS = ("source_audio_id", "reference_audio_id")


class M4SingerFormatError(CorpusFormatError):
    """A meta.json entry that is not what M4Singer's binarizer reads."""


def detect(root: Path) -> bool:
    if not (root / META).is_file():
        return False
    return any(_FOLDER.fullmatch(n) and (root / n).is_dir() for n in visible_names(root))


def split_of(item_name: str) -> str:
    return "test" if any(item_name.startswith(p + "#") for p in TEST_PREFIXES) else "train"


def list_shards(root: Path) -> dict[str, list[Shard]]:
    singers = sorted({n.split("#")[0] for n in visible_names(root, strict=True) if _FOLDER.fullmatch(n)})
    out: dict[str, list[Shard]] = {"train": [], "test": []}
    for singer in singers:
        songs = [n for n in visible_names(root) if n.startswith(singer + "#")]
        for split in ("train", "test"):
            if any(split_of(song + "#0") == split for song in songs):
                out[split].append([singer, split])
    return out


def _line_of(lines: list[str], item_name: Any) -> int:
    needle = json.dumps(item_name, ensure_ascii=False) if isinstance(item_name, str) else None
    for line_no, line in enumerate(lines, 1):
        if needle and (needle in line or json.dumps(item_name) in line):
            return line_no
    return 1


def check_entry(entry: Any, where: str) -> dict:
    """One validated entry, or an error naming ``where`` (file:line) and what was expected."""
    if not isinstance(entry, dict) or any(k not in entry for k in KEYS):
        raise M4SingerFormatError(f"{where}: expected an object with the keys {', '.join(KEYS)}")
    name = entry["item_name"]
    if not isinstance(name, str) or not _ITEM.fullmatch(name):
        raise M4SingerFormatError(f"{where}: item_name {name!r} is not <Singer>#<Song>#<sentence number>")
    if not isinstance(entry["txt"], str):
        raise M4SingerFormatError(f"{where}: {name}: txt is not text")
    phs = entry["phs"]
    if not isinstance(phs, list) or not phs or not all(isinstance(p, str) and p for p in phs):
        raise M4SingerFormatError(f"{where}: {name}: phs is not a list of phonemes")
    for key in ("notes", "notes_dur", "ph_dur", "is_slur"):
        values = entry[key]
        if not isinstance(values, list) or len(values) != len(phs):
            raise M4SingerFormatError(f"{where}: {name}: {key} is not a list of {len(phs)} values, one per phoneme")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise M4SingerFormatError(f"{where}: {name}: {key} holds a value that is not a number")
    if not all(isinstance(n, int) and 0 <= n <= 127 for n in entry["notes"]):
        raise M4SingerFormatError(f"{where}: {name}: notes holds a value that is not a MIDI number 0-127")
    if any(d < 0 for d in entry["ph_dur"]) or any(d < 0 for d in entry["notes_dur"]):
        raise M4SingerFormatError(f"{where}: {name}: a duration is negative")
    if not all(s in (0, 1) for s in entry["is_slur"]):
        raise M4SingerFormatError(f"{where}: {name}: is_slur holds a value that is not 0 or 1")
    return entry


def score(entry: dict) -> str:
    """The sung notes as ``start-end: syllable note`` lines (rests and breaths left out)."""
    return singing.score(entry["phs"], entry["notes"], entry["ph_dur"], entry["is_slur"])


def read_entries(root: Path, skips: Skips) -> list[dict]:
    path = root / META
    data = read_json(path, M4SingerFormatError)
    if not isinstance(data, list):
        raise M4SingerFormatError(f"{path}:1: expected a JSON list of sentence objects")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    entries = []
    for entry in data:
        item = entry.get("item_name") if isinstance(entry, dict) else None
        try:
            entries.append(check_entry(entry, f"{path}:{_line_of(lines, item)}"))
        except M4SingerFormatError as err:
            skips.bad(err)
    return entries


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[1] in ("train", "test")):
        raise M4SingerFormatError(f"shard {shard!r} is not [singer, split]")
    singer, split = shard
    skips = Skips(f"M4Singer {singer} ({split}) in {root}", SOURCE.missing_audio)
    present: dict[str, dict] = {}  # item name -> entry, for the entries of this split whose WAV is there
    for entry in read_entries(root, skips):
        name = entry["item_name"]
        if split_of(name) != split:
            continue
        song_folder, sentence = name.rsplit("#", 1)
        wav = root / song_folder / f"{sentence}.wav"
        if not wav.is_file():
            if name.startswith(singer + "#"):
                skips.add("sentence(s) whose <Singer>#<Song>/<n>.wav is missing", name)
            continue
        present[name] = {**entry, "wav": os.fspath(wav)}
    by_text: dict[str | None, list[str]] = {}
    for name in sorted(present):
        present[name]["lyrics"] = singing.lyric_text(present[name]["txt"].splitlines())
        by_text.setdefault(present[name]["lyrics"], []).append(name)
    for name in sorted(present):
        if not name.startswith(singer + "#"):
            continue
        entry = present[name]
        song = name.split("#")[1]
        parallel = [n for n in by_text[entry["lyrics"]] if not n.startswith(singer + "#")] if entry["lyrics"] else []
        own = [n for n in present if n.startswith(singer + "#") and n != name]
        other_songs = sorted(n for n in own if n.split("#")[1] != song)
        source = singing.pick(name, parallel)
        reference = singing.pick(name + "/reference", other_songs or sorted(own))
        yield {
            "id": name,
            "audio": entry["wav"],
            "singer": singer,
            "song": song,
            "lyrics": entry["lyrics"],
            "notes": score(entry) or None,
            "language": "zh",
            "source_audio": present[source]["wav"] if source else None,
            "source_audio_id": source,
            "reference_audio": present[reference]["wav"] if reference else None,
            "reference_audio_id": reference,
        }
    skips.report()


SOURCE = Source(
    name="m4singer",
    corpus="M4Singer",
    license="research only (M4Singer dataset_license.md; the paper cites CC BY-NC-SA 4.0)",
    redistributable=False,
    homepage="https://github.com/M4Singer/M4Singer",
    layout="m4singer/ with meta.json and <Singer>#<Song>/<n>.wav",
    fields=frozenset(FIELDS + FIELDS_IDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="M4Singer",
    languages=("zh",),
)
