"""CSD, the Children's Song Dataset (Choi et al., 2020): 50 Korean and 50 English children's songs sung by one
female professional singer, each in two keys (``a``/``b``), 200 WAVs (44.1 kHz, 16-bit) with their scores.

Licence: CC BY-NC-SA 4.0 (Zenodo 4785016), with the README's condition that the singer is not defamed;
non-commercial, so export treats it as not redistributable.

Layout, as the Zenodo archive extracts (the official README; the note CSV's columns as Amphion's
``preprocessors/csd.py`` reads them)::

    CSD/english/wav/en001a.wav ...   korean/wav/kr001a.wav ...
    CSD/<language>/mid/<id>.mid      monophonic score MIDI (not read)
    CSD/<language>/lyric/<id>.txt    grapheme lyrics, one line per phrase (UTF-8; Hangul for Korean)
    CSD/<language>/txt/<id>.txt      phonemes (not read)
    CSD/<language>/csv/<id>.csv      the notes: ``start,end,pitch,syllable`` (seconds, MIDI number, the syllable)

Songs are listed by their note CSV; a song whose WAV is absent is skipped and counted; a CSV row that is not
``start < end`` seconds, a MIDI pitch 0-127 and a syllable is an error naming the file and line. Under
``on_error="skip"`` each such row is counted and skipped, and its song is left out (a score with a note missing
would be wrong, and the question's note index with it), counted under its own reason; a header that is not
``start,end,pitch,syllable`` or a file without a note stays an error under every policy. Amphion's
``utterances/`` folder is derived, not distributed, and never read.

Fields: ``genre`` is ``children's song`` for every song (the corpus is one genre); ``lyrics`` the lyric file's
lines, ``/``-joined (None without one); ``notes`` the score in the timed-output format of
``audio_flan.segments`` (``12.35-12.81: twin G4``, one note a line; note names as ``_music_labels`` writes
them); ``question``/``answer`` one note of the song, named by its index and times (``note 14, 12.35-12.81 s``)
and answered with its pitch (``G4 (MIDI 67)``): the note is drawn by a hash of the song id, so the same song
always asks about the same note (``_sung_notes.probe``, shared with Vocadito). ``language`` is ``en`` or ``ko``.

There is no official split: everything is ``train``; one shard per language folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._sung_notes import probe, read_lyrics, read_score
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, visible_names

LANGUAGES = {"english": "en", "korean": "ko"}
COLUMNS = ("start", "end", "pitch", "syllable")
GENRE = "children's song"
FIELDS = ("id", "audio", "language", "genre", "lyrics", "notes", "question", "answer")


class CSDFormatError(CorpusFormatError):
    """A CSD note CSV or lyric file that is not what the corpus README says."""


def detect(root: Path) -> bool:
    return any((root / lang / "csv").is_dir() and (root / lang / "wav").is_dir() for lang in LANGUAGES)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {"train": [lang for lang in LANGUAGES if (root / lang / "csv").is_dir()]}


def read_notes(path: Path, skips: Skips | None = None) -> list[tuple[float, float, int, str]] | None:
    """The notes of a note CSV (``_sung_notes.read_score``: None under a load that skips bad items when a row is
    bad)."""
    return read_score(path, CSDFormatError, _note, skips, required=COLUMNS)


def _note(where: str, row: dict[str, str]) -> tuple[float, float, int, str]:
    try:
        start, end = float(row["start"]), float(row["end"])
    except ValueError:
        raise CSDFormatError(f"{where}: start/end {row['start']!r}, {row['end']!r} are not seconds") from None
    if not 0 <= start < end:
        raise CSDFormatError(f"{where}: the note {start}-{end} s does not start before it ends")
    pitch = row["pitch"].strip()
    if not pitch.isdigit() or not 0 <= int(pitch) <= 127:
        raise CSDFormatError(f"{where}: pitch {pitch!r} is not a MIDI number from 0 to 127")
    syllable = row["syllable"].strip()
    if not syllable:
        raise CSDFormatError(f"{where}: the syllable is empty")
    return start, end, int(pitch), syllable


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in LANGUAGES:
        raise CSDFormatError(f"shard {shard!r} is not a CSD language folder ({', '.join(LANGUAGES)})")
    folder = root / str(shard)
    skips = Skips(f"CSD {shard} in {root}", SOURCE.missing_audio)
    for name in visible_names(folder / "csv", strict=True):
        if not name.endswith(".csv"):
            continue
        song = name[: -len(".csv")]
        wav = folder / "wav" / f"{song}.wav"
        # one Skips per file, so that a file's own malformed count tells whether its score is whole
        notes = read_notes(folder / "csv" / name, Skips(f"CSD {shard} in {root}") if skips.skipping else None)
        if notes is None:
            skips.add("song(s) whose csv/<id>.csv has a malformed row", song, always=True, audio=False)
            continue
        if not wav.is_file():
            skips.add("song(s) whose wav/<id>.wav is missing", song)
            continue
        question, answer = probe(song, [(s, e, p) for s, e, p, _ in notes])
        yield {
            "id": song,
            "audio": os.fspath(wav),
            "language": LANGUAGES[str(shard)],
            "genre": GENRE,
            "lyrics": read_lyrics(folder / "lyric" / f"{song}.txt", CSDFormatError),
            "notes": "\n".join(f"{s:.2f}-{e:.2f}: {syl} {music.note_name(p)}" for s, e, p, syl in notes),
            "question": question,
            "answer": answer,
        }
    skips.report()


SOURCE = Source(
    name="csd",
    corpus="CSD",
    license="CC BY-NC-SA 4.0 (the singer must not be defamed)",
    redistributable=False,
    homepage="https://zenodo.org/record/4785016",
    layout="CSD/ with english/ and korean/ holding wav/, csv/ (start,end,pitch,syllable) and lyric/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="CSD",
    languages=("en", "ko"),
)
