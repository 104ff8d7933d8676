"""The Arab-Andalusian corpus (CompMusic, Caro Repetto, Pretto, Chaachoo, Bozkurt and Serra, DLfM 2018): 164
recordings of Moroccan al-āla (nawba) performances with their sections annotated by nawba, ṭāb‘ (mode), mīzān
(rhythmic cycle) and form. Read for text-to-music and text-guided continuation: each annotated section is a region of
its recording, described in a sentence built from its labels.

Licence: the metadata are on Zenodo (record 1291776, "Arab-Andalusian music corpus"); the audio is not a download
there but comes through the Dunya API (an account token is needed) or the archive.org page each recording's
``archive_url`` names. I could not open the Zenodo record to read its licence, and no public copy of the metadata I
found states one (the corpus notes guess CC BY-NC-SA 4.0); the recordings are broadcast and concert recordings of
the Tetouan and Brihi orchestras and others. So the licence is given as unverified and export treats the corpus as
not redistributable.

Layout. The six metadata files are the Dunya API's answers saved as JSON, as ``MTG/andalusian-corpus-notebooks``
(``utilities/dunyautilities.py``: ``collect_metadata``) writes them and as GitHub ``p3zo/andalusian-common-modes``
ships them (``data/``, adapted from those notebooks, linking Zenodo 1291776); the notebooks' download
(``download_mp3_from_dunya``) saves each recording as ``documents/<mbid>/<mbid>.mp3`` beside them, and CMI-Bench's
converter reads ``<root>/documents/<mbid>/<mbid>.mp3`` and ``<root>/andalusian_description.json`` too::

    andalusian_description.json    [{mbid, title, transliterated_title, archive_url, musescore_url,
                                     sections: [{start_time, end_time, nawba, tab, mizan, form}]}]   one line
    andalusian_recording.json      {count: 164, next, previous, results: [{mbid, title, transliterated_title}]}
    andalusian_{nawba,tab,mizan,form}.json   {count, next, previous, results: [{id, name, transliterated_name}]}
                                     (13 nawbāt, 20 ṭubū‘, 11 mawāzīn, 31 forms)
    documents/<mbid>/<mbid>.mp3    the audio, one folder per recording MBID (also accepted: documents/<mbid>.mp3,
                                     or .wav for either, as the notebooks may convert)

Only ``andalusian_description.json`` is read: each section there carries its nawba, ṭāb‘, mīzān and form as
``{id, name, transliterated_name}`` (the lookup files list the same objects), and each recording its titles.
``start_time``/``end_time`` are ``HH:MM:SS`` strings (1 s steps; a section may end where the next starts). Names
are in Arabic script (``name``) with a transliteration (``transliterated_name``, e.g. ``rumil al-māīyah``,
``basīṭ``, ``al-mūssi‘``). ``bidūn`` ("without") is a real value: as nawba it marks a piece outside the nawbāt, as
mīzān a section in free rhythm (the instrumental prelude al-mashālīyah, the vocal inshād). About a third of the
recordings (the mawwāl and taqāsīm improvisations) have no sections and an empty transliterated title.

Decisions. Records are sections: ``audio`` is the region of the recording from ``start_time`` to ``end_time``
(``audio_values.Region``: only those frames are decoded). ``description`` shows the transliterated names (the
``transliterated_name`` of each label, its Arabic ``name`` where that is empty), e.g. ``A section of Arab-Andalusian
music in the form al-mūssi‘ from nawba rumil al-māīyah, in ṭāb‘ rumil al-māīyah and mīzān basīṭ, from "basīṭ raml
al-māīyah".`` (``bidūn`` nawba is left out, ``bidūn`` mīzān reads "in free rhythm"); the fields ``nawba``, ``tab``,
``mizan`` and ``form`` hold the transliterated names, ``title`` the transliterated title (else the Arabic one).
A recording without sections is skipped and counted; one whose audio is absent is skipped and counted once, with
its sections. A section whose times are not ``HH:MM:SS``, end before they start, or whose label is not a
``{name, transliterated_name}`` object, and a recording without an MBID or a sections list, are errors naming the
file and line (the file is one line as distributed) and the recording; under ``on_error="skip"`` that section (or
recording) is counted and skipped and the others are read.

Splits: none in the corpus; everything is ``train``. Shards: :data:`SHARDS` buckets of the recordings by a BLAKE2
hash of the MBID (each shard reads the one metadata file and keeps its own recordings).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..audio_values import Region
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, read_json

DESCRIPTION = "andalusian_description.json"
AUDIO = "documents"
SHARDS = 4
LABELS = ("nawba", "tab", "mizan", "form")
NONE = "bidūn"  # "without": no nawba, or no mīzān (free rhythm)
_TIME = re.compile(r"(\d{2}):([0-5]\d):([0-5]\d)")
FIELDS = ("id", "audio", "description", "nawba", "tab", "mizan", "form", "title", "mbid")


class AndalusianFormatError(CorpusFormatError):
    """An Arab-Andalusian metadata entry that is not what Dunya's API returns."""


def detect(root: Path) -> bool:
    return (root / DESCRIPTION).is_file()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {"train": list(range(SHARDS))}


def shard_of(mbid: str) -> int:
    return stable_hash(mbid) % SHARDS


def seconds(value: Any) -> int | None:
    """``HH:MM:SS`` -> seconds, None when it is not that."""
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3]) if match else None


def name(label: Any) -> str | None:
    """The transliterated name of a ``{id, name, transliterated_name}`` label (its Arabic name if that is empty)."""
    if not isinstance(label, dict):
        return None
    for key in ("transliterated_name", "name"):
        value = label.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def describe(labels: dict[str, str], title: str) -> str:
    text = f"A section of Arab-Andalusian music in the form {labels['form']}"
    if labels["nawba"] != NONE:
        text += f" from nawba {labels['nawba']}"
    text += f", in ṭāb‘ {labels['tab']}"
    text += " and in free rhythm" if labels["mizan"] == NONE else f" and mīzān {labels['mizan']}"
    return f'{text}, from "{title}".' if title else f"{text}."


def audio_of(root: Path, mbid: str) -> Path | None:
    folder = root / AUDIO
    for candidate in (folder / mbid / f"{mbid}.mp3", folder / f"{mbid}.mp3", folder / mbid / f"{mbid}.wav"):
        if candidate.is_file():
            return candidate
    wav = folder / f"{mbid}.wav"
    return wav if wav.is_file() else None


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def sections(path: Path, text: str, entry: dict, mbid: str, skips: Skips) -> list[tuple[int, int, int, dict]]:
    """(index, start, end, labels) of a recording's well-formed sections; a bad one is raised or counted."""
    out = []
    line = _line_of(text, f'"{mbid}"')
    for k, section in enumerate(entry["sections"], 1):
        where = f"{path}:{line}: recording {mbid}, section {k}"
        try:
            if not isinstance(section, dict):
                raise AndalusianFormatError(f"{where}: not a {{start_time, end_time, nawba, tab, mizan, form}} object")
            start, end = seconds(section.get("start_time")), seconds(section.get("end_time"))
            if start is None or end is None:
                raise AndalusianFormatError(
                    f"{where}: start_time {section.get('start_time')!r} / end_time {section.get('end_time')!r} "
                    "are not HH:MM:SS"
                )
            if end <= start:
                raise AndalusianFormatError(f"{where}: ends ({section['end_time']}) before it starts")
            labels = {}
            for key in LABELS:
                labels[key] = name(section.get(key))
                if labels[key] is None:
                    raise AndalusianFormatError(f"{where}: {key} is not a {{name, transliterated_name}} object")
        except AndalusianFormatError as err:
            skips.bad(err)
            continue
        out.append((k, start, end, labels))
    return out


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, int) and 0 <= shard < SHARDS):
        raise AndalusianFormatError(f"shard {shard!r} is not a bucket 0..{SHARDS - 1} of the recordings")
    path = root / DESCRIPTION
    skips = Skips(f"Arab-Andalusian shard {shard + 1}/{SHARDS} in {root}", SOURCE.missing_audio)
    entries = read_json(path, AndalusianFormatError)
    if not isinstance(entries, list):
        raise AndalusianFormatError(f"{path}:1: expected a JSON list of recordings (Dunya's recording descriptions)")
    text = path.read_text(encoding="utf-8-sig")
    for entry in entries:
        mbid = entry.get("mbid") if isinstance(entry, dict) else None
        if not isinstance(mbid, str) or not mbid.strip():
            skips.bad(AndalusianFormatError(f"{path}:1: a recording without an 'mbid' string: {str(entry)[:80]}"))
            continue
        if shard_of(mbid) != shard:
            continue
        if not isinstance(entry.get("sections"), list):
            line = _line_of(text, f'"{mbid}"')
            skips.bad(AndalusianFormatError(f"{path}:{line}: recording {mbid}: 'sections' is not a list"))
            continue
        if not entry["sections"]:
            skips.add("recording(s) without annotated sections", mbid, always=True, audio=False)
            continue
        found = sections(path, text, entry, mbid, skips)
        audio = audio_of(root, mbid)
        if audio is None:
            skips.add(f"recording(s) whose {AUDIO}/<mbid>/<mbid>.mp3 is missing", mbid)
            continue
        title = next(
            (
                t.strip()
                for t in (entry.get("transliterated_title"), entry.get("title"))
                if isinstance(t, str) and t.strip()
            ),
            "",
        )
        for k, start, end, labels in found:
            yield {
                "id": f"{mbid}/{k}",
                "audio": Region(os.fspath(audio), float(start), float(end - start)),
                "description": describe(labels, title),
                **labels,
                "title": title or None,
                "mbid": mbid,
            }
    skips.report()


SOURCE = Source(
    name="andalusian",
    corpus="Arab-Andalusian corpus",
    license="not verified (Zenodo 1291776 metadata; audio via Dunya / archive.org)",
    redistributable=False,
    homepage="https://zenodo.org/records/1291776",
    layout="andalusian_description.json (Dunya's recording descriptions) with documents/<mbid>/<mbid>.mp3",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Andalusian",
    languages=(),
)
