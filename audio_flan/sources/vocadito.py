"""Vocadito (Bittner et al., 2021, arXiv 2110.05580): 40 short excerpts of solo, monophonic singing in seven
languages by 29 singers of varied training, recorded on varied devices, with frame-level f0, note annotations by
two annotators, and lyrics.

Licence: CC BY 4.0 (Zenodo 5578807; mirdata's ``LICENSE_INFO``), so the audio may be redistributed with
attribution.

Layout, as ``vocadito.zip`` extracts (mirdata's ``vocadito`` loader, its index ``vocadito_index_1.json`` and its
test resources, which are byte copies of the real files)::

    vocadito_metadata.csv                         header ``track_id,singer_id,average_pitch,language``
    Audio/vocadito_<n>.wav                        n = 1..40; 44.1 kHz, 16-bit, mono
    Annotations/F0/vocadito_<n>_f0.csv            ``time,f0`` (no header; 0.0 = unvoiced; not read)
    Annotations/Notes/vocadito_<n>_notesA1.csv    ``onset,pitch,duration`` (no header; seconds, Hz, seconds)
    Annotations/Notes/vocadito_<n>_notesA2.csv    the same notes by the second annotator (not read)
    Annotations/Lyrics/vocadito_<n>_lyrics.txt    one lyric line per line, blank lines between stanzas

The corpus root is the folder holding ``vocadito_metadata.csv``. Quirks seen in the real files: the note CSVs have
no header and no final newline; note pitches are **Hz** (``143.742``), not MIDI; ``language`` is an English name,
``Catalan/Valencian`` for Catalan, ``+``-joined for a bilingual excerpt (``French+English``) and ``none`` for an
excerpt sung without words (track 17); ``average_pitch`` is a MIDI number.

Decisions. The notes are annotator **A1**'s (mirdata's ``notes_a1``, the first of the two; A2 is not read): one
score per excerpt, never a mix of the two. A note's pitch is the nearest MIDI number to its Hz
(``_music_labels.midi_from_hz``); notes are put in onset order. A metadata row that is not a track number, a
singer, a MIDI number and known language names, or a note row that is not ``onset >= 0, pitch > 0 Hz, duration >
0`` seconds, is an error naming the file and line; under ``on_error="skip"`` it is counted and skipped, and an
excerpt with a bad note row is left out, counted under its own reason (its score, and the question's note index,
would be wrong). An excerpt whose WAV is absent is skipped and counted; one without a notes file or lyrics file
has those fields None (the tasks needing them count it as unusable).

Fields: ``lyrics`` the lyric lines, `` / ``-joined (``_sung_notes.read_lyrics``); ``notes`` the score in CSD's
timed-output format (``0.66-0.95: D3``, one note a line, no syllables: Vocadito does not align them);
``question``/``answer`` one note, named by its index and times and answered with its pitch (``D3 (MIDI 50)``),
drawn by a hash of the excerpt id (``_sung_notes.probe``, as CSD); ``language`` the ISO 639-1 codes (639-3
``haw`` for Hawaiian, which has no 639-1 code), a list, empty for ``none``; ``language_name`` their English names
joined with "and"; ``singer`` the singer id.

Splits: Vocadito has none; excerpts go to a split by a stable hash of the singer id, 10 % test, 10 % validation,
the rest train, so no singer is in two splits. Shards: the train split in :data:`PARTS` parts (by the track number),
the others whole; every shard reads the small metadata CSV and counts its malformed rows (the load's report holds each
once per split loaded).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._stable_hash import hash_split
from ._sung_notes import probe, read_lyrics, read_score
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows

METADATA = "vocadito_metadata.csv"
COLUMNS = ("track_id", "singer_id", "average_pitch", "language")
NOTE_COLUMNS = ("onset", "pitch", "duration")
#: the metadata's language names -> (ISO code, English name)
LANGUAGES = {
    "Tagalog": ("tl", "Tagalog"),
    "Spanish": ("es", "Spanish"),
    "Catalan/Valencian": ("ca", "Catalan"),
    "English": ("en", "English"),
    "French": ("fr", "French"),
    "Mandarin": ("zh", "Mandarin Chinese"),
    "Hawaiian": ("haw", "Hawaiian"),
}
WORDLESS = "none"
PARTS = {"train": 4, "validation": 1, "test": 1}
FIELDS = ("id", "audio", "singer", "language", "language_name", "lyrics", "notes", "question", "answer")


class VocaditoFormatError(CorpusFormatError):
    """A Vocadito metadata row or note CSV that is not what mirdata's loader reads."""


def detect(root: Path) -> bool:
    return (root / METADATA).is_file() and (root / "Annotations" / "Notes").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {split: [[split, part] for part in range(parts)] for split, parts in PARTS.items()}


def split_of(singer: str) -> str:
    return hash_split(singer)


def shard_of(singer: str, track: int) -> Shard:
    split = split_of(singer)
    return [split, track % PARTS[split]]


def languages(where: str, text: str) -> tuple[list[str], str | None]:
    """(ISO codes, English names) of a metadata ``language`` cell."""
    if text.strip() == WORDLESS:
        return [], None
    names = [part.strip() for part in text.split("+")]
    unknown = [n for n in names if n not in LANGUAGES]
    if unknown:
        raise VocaditoFormatError(
            f"{where}: language {text!r} is not one of {', '.join(LANGUAGES)} (joined with '+') or {WORDLESS!r}"
        )
    return [LANGUAGES[n][0] for n in names], " and ".join(LANGUAGES[n][1] for n in names)


def read_metadata(root: Path, skips: Skips) -> Iterator[tuple[int, str, list[str], str | None]]:
    """(track number, singer, language codes, language names) per metadata row; a bad row goes to ``skips.bad``."""
    path = root / METADATA
    for line_no, row in csv_rows(path, VocaditoFormatError, required=COLUMNS, skips=skips):
        where = f"{path}:{line_no}"
        try:
            track, singer, pitch = row["track_id"].strip(), row["singer_id"].strip(), row["average_pitch"].strip()
            if not track.isdigit() or not singer:
                raise VocaditoFormatError(
                    f"{where}: expected a track number and a singer id, got {track!r}, {singer!r}"
                )
            if not pitch.isdigit() or not 0 <= int(pitch) <= 127:
                raise VocaditoFormatError(f"{where}: average_pitch {pitch!r} is not a MIDI number from 0 to 127")
            codes, names = languages(where, row["language"])
        except VocaditoFormatError as err:
            skips.bad(err)
            continue
        yield int(track), singer, codes, names


def read_notes(path: Path, skips: Skips | None = None) -> list[tuple[float, float, int]] | None:
    """(start, end, MIDI pitch) of a note CSV in onset order (``_sung_notes.read_score``: None under a load that
    skips bad items when a row is bad)."""
    notes = read_score(path, VocaditoFormatError, _note, skips, columns=NOTE_COLUMNS)
    return None if notes is None else sorted(notes, key=lambda n: n[0])


def _note(where: str, row: dict[str, str]) -> tuple[float, float, int]:
    try:
        onset, hz, duration = (float(row[c]) for c in NOTE_COLUMNS)
    except ValueError:
        onset = hz = duration = math.nan
    if not (math.isfinite(onset + hz + duration) and onset >= 0 and duration > 0):
        raise VocaditoFormatError(
            f"{where}: expected onset,pitch,duration (seconds >= 0, Hz, seconds > 0), got "
            f"{','.join(row[c] for c in NOTE_COLUMNS)!r}"
        )
    try:
        pitch = music.midi_from_hz(hz)
    except ValueError as err:
        raise VocaditoFormatError(f"{where}: the pitch is not a note: {err}") from None
    return onset, onset + duration, pitch


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in PARTS):
        raise VocaditoFormatError(f"shard {shard!r} is not [split, part] with a split of {', '.join(PARTS)}")
    split, part = shard
    if not isinstance(part, int) or not 0 <= part < PARTS[split]:
        raise VocaditoFormatError(f"shard {shard!r}: the {split} split has parts 0 to {PARTS[split] - 1}")
    what = f"Vocadito {split} part {part} in {root}"
    skips = Skips(what, SOURCE.missing_audio)
    rows = read_metadata(root, Skips(what))
    for track, singer, codes, names in rows:
        if shard_of(singer, track) != shard:
            continue
        rid = f"vocadito_{track}"
        notes_path = root / "Annotations" / "Notes" / f"{rid}_notesA1.csv"
        notes = None
        if notes_path.is_file():
            # one Skips per file, so that a file's own malformed count tells whether its score is whole
            notes = read_notes(notes_path, Skips(what) if skips.skipping else None)
            if notes is None:
                skips.add("excerpt(s) whose notesA1 CSV has a malformed row", rid, always=True, audio=False)
                continue
        wav = root / "Audio" / f"{rid}.wav"
        if not wav.is_file():
            skips.add("excerpt(s) whose Audio/vocadito_<n>.wav is missing", rid)
            continue
        question, answer = probe(rid, notes) if notes else (None, None)
        yield {
            "id": rid,
            "audio": os.fspath(wav),
            "singer": singer,
            "language": codes,
            "language_name": names,
            "lyrics": read_lyrics(root / "Annotations" / "Lyrics" / f"{rid}_lyrics.txt", VocaditoFormatError),
            "notes": "\n".join(f"{s:.2f}-{e:.2f}: {music.note_name(p)}" for s, e, p in notes) if notes else None,
            "question": question,
            "answer": answer,
        }
    skips.report()


SOURCE = Source(
    name="vocadito",
    corpus="Vocadito",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://zenodo.org/record/5578807",
    layout="vocadito_metadata.csv with Audio/vocadito_<n>.wav and Annotations/{Notes,Lyrics,F0}/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Vocadito",
    languages=tuple(code for code, _ in LANGUAGES.values()),
    labels={"language": tuple(code for code, _ in LANGUAGES.values())},
)
