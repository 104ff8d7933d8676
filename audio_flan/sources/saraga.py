"""Saraga 1.5 (CompMusic, Srinivasamurthy et al., ISMIR 2020): Carnatic and Hindustani art-music recordings with
MusicBrainz-derived metadata, as distributed on Zenodo (record 4301737: ``saraga1.5_carnatic.zip``, 249 tracks,
and ``saraga1.5_hindustani.zip``). Read for text-to-music and text-guided continuation: each track's metadata is
turned into a one-sentence description of the music.

Licence: CC BY-NC-SA 4.0 (mirdata's ``LICENSE_INFO`` for both collections); non-commercial, so export treats it as
not redistributable.

Layout, as the zips extract (the corpus notes, from the paths of mirdata's ``saraga_carnatic`` and
``saraga_hindustani`` indexes and their test resources)::

    saraga1.5_carnatic/<Concert> by <Artist>/<Track title>/
        <title>.mp3.mp3          the mix: NOTE the doubled extension
        <title>.multitrack-vocal.mp3 ... (Carnatic only, not read)
        <title>.json             metadata
        <title>.ctonic.txt  .pitch.txt  .tempo-manual.txt  .sama-manual.txt  .sections-manual-p.txt ... (not read)
    saraga1.5_hindustani/<Release> by <Artist>/<title>/   the same names, no multitracks

Folder names hold spaces and non-ASCII letters. A track is a folder holding ``<title>.json``; the mix is found by
its title (``<title>.mp3.mp3``, or ``<title>.mp3`` should a copy have lost the doubling). The JSON keys differ
between the collections: Carnatic ``raaga``, ``taala``, ``form`` (lists of ``{name, common_name}``), Hindustani
the plurals ``raags``, ``taals``, ``layas``, ``forms``; both have ``title`` and ``artists`` (``[{artist: {name},
instrument: {name}, lead}]``). A JSON file that does not parse, or whose ``title``/``artists`` are not what mirdata
reads, is an error naming the file and line (or, under ``on_error="skip"``, counted and skipped); a track whose mix
is absent is skipped and counted.

Fields: ``description`` is built from the metadata, e.g. ``A Carnatic kriti in raga Kalyani and tala adi, by
Sanjay Subrahmanyan (voice) with S. Varadarajan (violin).`` (the common names where given, the parts the metadata
lacks left out); ``tradition`` is ``Carnatic`` or ``Hindustani``.

The corpus root is the folder the zips were extracted into (it holds ``saraga1.5_carnatic/`` and/or
``saraga1.5_hindustani/``): a collection folder alone is not detected, so that a root holding both is never read
twice (the builder also looks at the subfolders of its ``data_dir``).

Splits: none in the corpus; everything is ``train``. One shard per concert (release) folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, read_json, visible_names

COLLECTIONS = {"saraga1.5_carnatic": "Carnatic", "saraga1.5_hindustani": "Hindustani"}
#: the JSON keys of mode, metre, tempo class and form in each collection
KEYS: dict[str, dict[str, str | None]] = {
    "Carnatic": {"mode": "raaga", "metre": "taala", "tempo": None, "form": "form"},
    "Hindustani": {"mode": "raags", "metre": "taals", "tempo": "layas", "form": "forms"},
}
WORDS = {"Carnatic": ("raga", "tala"), "Hindustani": ("raag", "taal")}
FIELDS = ("id", "audio", "description", "tradition", "title")


class SaragaFormatError(CorpusFormatError):
    """A Saraga track JSON that is not what mirdata's loaders read."""


def collections(root: Path) -> list[str]:
    return [n for n in COLLECTIONS if (root / n).is_dir()]


def detect(root: Path) -> bool:
    return bool(collections(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    shards: list[Shard] = []
    for collection in collections(root):
        base = root / collection
        shards += [[collection, n] for n in visible_names(base, strict=True) if (base / n).is_dir()]
    return {"train": shards}


def _names(value: Any) -> list[str]:
    """``[{name, common_name}, ...]`` -> the common names (else the names)."""
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, dict):
            name = item.get("common_name") or item.get("name")
            if isinstance(name, str) and name.strip():
                out.append(name.strip())
    return out


def _line_of(path: Path, key: str) -> int:
    """The line where ``key`` is first defined in a JSON file (only looked up to word an error)."""
    needle = f'"{key}"'
    for line_no, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if needle in line:
            return line_no
    return 1


def describe(meta: dict, tradition: str, path: Path) -> tuple[str, str]:
    """(title, description) from one track's metadata; an error names the file and line of a bad key."""
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SaragaFormatError(f"{path}:{_line_of(path, 'title')}: 'title' is not the track's title text")
    artists = meta.get("artists", [])
    if not isinstance(artists, list):
        raise SaragaFormatError(f"{path}:{_line_of(path, 'artists')}: 'artists' is not a list of performers")
    lead: list[str] = []
    others: list[str] = []
    for a in artists:
        if not isinstance(a, dict) or not isinstance(a.get("artist"), dict):
            raise SaragaFormatError(f"{path}:{_line_of(path, 'artists')}: an artist is not {{artist: {{name}}, ...}}")
        name = a["artist"].get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        instrument = a.get("instrument")
        played = name.strip()
        if isinstance(instrument, dict) and isinstance(instrument.get("name"), str):
            played += f" ({instrument['name']})"
        (lead if a.get("lead") else others).append(played)
    keys, (mode_word, metre_word) = KEYS[tradition], WORDS[tradition]
    forms, modes, metres = (_names(meta.get(str(keys[k]))) for k in ("form", "mode", "metre"))
    tempo_key = keys["tempo"]
    tempo = _names(meta.get(tempo_key)) if tempo_key else []
    text = f"A {tradition} {' and '.join(forms) if forms else 'performance'}"
    parts = []
    if modes:
        parts.append(f"{mode_word} {' and '.join(modes)}")
    if metres:
        parts.append(f"{metre_word} {' and '.join(metres)}")
    if parts:
        text += " in " + " and ".join(parts)
    if tempo:
        text += f" at {' and '.join(tempo)} tempo"
    performers = lead or others
    if performers:
        text += f", by {', '.join(performers)}"
        if lead and others:
            text += f" with {', '.join(others)}"
    return title.strip(), text + "."


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(s, str) for s in shard)):
        raise SaragaFormatError(f"shard {shard!r} is not [collection folder, concert folder]")
    collection, concert = shard
    if collection not in COLLECTIONS or "/" in concert or concert.startswith("."):
        raise SaragaFormatError(f"shard {shard!r} does not name a concert folder of a Saraga collection")
    tradition = COLLECTIONS[collection]
    skips = Skips(f"Saraga {tradition} {concert} in {root}", SOURCE.missing_audio)
    base = root / collection / concert
    for track in visible_names(base, strict=True):
        folder = base / track
        if not folder.is_dir():
            continue
        for name in visible_names(folder):
            if not name.endswith(".json"):
                continue
            stem = name[: -len(".json")]
            path = folder / name
            try:
                meta = read_json(path, SaragaFormatError)
                if not isinstance(meta, dict):
                    raise SaragaFormatError(f"{path}:1: expected a JSON object of track metadata")
                title, description = describe(meta, tradition, path)
            except SaragaFormatError as err:
                skips.bad(err)
                continue
            mix = next(
                (folder / f"{stem}{ext}" for ext in (".mp3.mp3", ".mp3") if (folder / f"{stem}{ext}").is_file()), None
            )
            if mix is None:
                skips.add("track(s) whose <title>.mp3.mp3 mix is missing", f"{concert}/{track}")
                continue
            yield {
                "id": f"{tradition.lower()}/{concert}/{track}",
                "audio": os.fspath(mix),
                "description": description,
                "tradition": tradition,
                "title": title,
            }
    skips.report()


SOURCE = Source(
    name="saraga",
    corpus="Saraga",
    license="CC BY-NC-SA 4.0",
    redistributable=False,
    homepage="https://zenodo.org/records/4301737",
    layout="saraga1.5_carnatic/ and saraga1.5_hindustani/ with <concert>/<track>/<title>.mp3.mp3 and <title>.json",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Saraga",
    languages=(),
)
