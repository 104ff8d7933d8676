"""Opencpop (Wang et al., Interspeech 2022): 100 Mandarin pop songs sung by one professional female singer, 3,756
utterances (about 5.2 h, 44.1 kHz studio WAVs) annotated with phonemes, notes, durations and slurs.

Licence: **CC BY-NC-ND 4.0**. The corpus's licence page (``https://wenet-e2e.github.io/opencpop/liscense/``, read
in the ``gh-pages`` branch of ``wenet-e2e/opencpop`` at f470bea, 2023-03-30) says: "The Opencpop dataset is
available to download for non-commercial purposes under a CC BY-NC-ND 4.0 License. The corpus copyright remains
with the original owners of Opencpop Team", commercial use by agreement with the team (the page's stale meta
description still says CC BY 4.0; its text is what we follow). Access is by request (a Google Form, then an
email; the ``download`` page). The archive's ``TERMS_OF_ACCESS`` was not seen. Non-commercial and no
derivatives: not redistributable.

Layout, as the release extracts (its ``readme.md``, mirrored on the Hub at ``255doesnotexist/GreendamOpencpop``;
Amphion's ``egs/datasets/README.md``)::

    Opencpop/
      midis/2001.midi ... 2100.midi      one score MIDI per song (not read: ESPnet's data_prep.py notes that its
                                         note durations cannot be used; only its one tempo event is)
      textgrids/2001.TextGrid ...        the raw phoneme alignment (not read)
      wavs/2001.wav ...                  whole songs (not read)
      segments/wavs/2001000001.wav ...   one WAV per utterance: the song id and a 6-digit index
      segments/transcriptions.txt        every utterance (train.txt and test.txt together; not read)
      segments/train.txt  test.txt       the official split, in the same format
      TERMS_OF_ACCESS  readme.md

ESPnet's recipe (``egs2/opencpop/svs1/local/data_prep.py``, ``data.sh``) expects the three song folders moved
under ``raw_data/`` beside ``segments/``; only ``segments/`` is read, so both arrangements load the same.

A label line has 7 fields split by ``|`` (the readme; ESPnet splits on ``|`` and each list on one space):
``utterance id | text (Hanzi) | phonemes | notes | note durations | phoneme durations | slur flags``, the last
five one value per phoneme. Phonemes are pinyin initials and finals, ``AP`` (breath) and ``SP`` (silence); a note
is ``rest`` or a note name, a black key written with both spellings (``D#4/Eb4``, as ESPnet's ``midi-note.scp``
lists them); durations are seconds; a slur flag is 1 where a phoneme repeats its final on a new note. A line that
is not that (another field count, lists of other lengths, a note that is not a name, two spellings that are not
one pitch, a negative duration, an id that is not 10 digits or repeats one) is an error naming the file and line;
under ``on_error="skip"`` it is counted and skipped. A listed utterance whose WAV is absent is skipped and counted.

Fields: ``lyrics`` is the Hanzi text (white space as every singing corpus here renders lyrics: :mod:`._singing`);
``notes`` the score in the format M4Singer's and CSD's records use (``0.52-0.91: tong D#4``, one sung note a line:
:mod:`._singing`), timed by the phoneme durations (the note durations are the score's, repeated per phoneme, and do
not add up to the utterance); ``song`` the 4-digit song id. ``language`` is ``zh``.

Splits: the official ones, ``segments/train.txt`` and ``segments/test.txt`` (5 songs); one shard each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from . import _singing as singing
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

SEGMENTS = "segments"
LABELS = "transcriptions.txt"
SPLIT_FILES = {"train": "train.txt", "test": "test.txt"}
FIELDS = ("id", "audio", "song", "lyrics", "notes", "language")
_UTTERANCE = re.compile(r"\d{10}")


class OpencpopFormatError(CorpusFormatError):
    """An Opencpop label line that is not what the corpus readme says."""


def detect(root: Path) -> bool:
    return (root / SEGMENTS / LABELS).is_file() and (root / SEGMENTS / "wavs").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {split: [split] for split, name in SPLIT_FILES.items() if (root / SEGMENTS / name).is_file()}


def midi_of(note: str) -> int:
    """0 for ``rest``, else the MIDI number of ``D4`` or ``D#4/Eb4``; raises ValueError for anything else."""
    if note == "rest":
        return 0
    pitches = {music.midi_pitch(spelling) for spelling in note.split("/")}
    if len(pitches) != 1:
        raise ValueError(f"the spellings of {note!r} are not one pitch")
    return pitches.pop()


def parse_line(text: str, where: str) -> dict:
    """One label line as a dict, or an error naming ``where`` (file:line) and what was expected."""
    fields = [f.strip() for f in text.split("|")]
    if len(fields) != 7:
        raise OpencpopFormatError(
            f"{where}: expected 7 '|'-separated fields (id, text, phonemes, notes, note durations, phoneme "
            f"durations, slurs), got {len(fields)}"
        )
    utt, lyrics, phonemes, notes, note_durs, ph_durs, slurs = fields
    if not _UTTERANCE.fullmatch(utt):
        raise OpencpopFormatError(f"{where}: utterance id {utt!r} is not 10 digits (song id and segment index)")
    if not lyrics:
        raise OpencpopFormatError(f"{where}: {utt}: the text is empty")
    phs = phonemes.split()
    if not phs:
        raise OpencpopFormatError(f"{where}: {utt}: no phoneme")
    lists = {"notes": notes.split(), "note durations": note_durs.split(), "phoneme durations": ph_durs.split()}
    lists["slur flags"] = slurs.split()
    for name, values in lists.items():
        if len(values) != len(phs):
            raise OpencpopFormatError(
                f"{where}: {utt}: {len(values)} {name} for {len(phs)} phonemes; expected one each"
            )
    try:
        midis = [midi_of(n) for n in lists["notes"]]
    except ValueError as err:
        raise OpencpopFormatError(
            f"{where}: {utt}: a note is not 'rest' or a note name such as D#4/Eb4 ({err})"
        ) from None
    durations = {name: _seconds(lists[name], f"{where}: {utt}") for name in ("note durations", "phoneme durations")}
    if any(s not in ("0", "1") for s in lists["slur flags"]):
        raise OpencpopFormatError(f"{where}: {utt}: a slur flag is not 0 or 1")
    return {
        "id": utt,
        "lyrics": singing.lyric_text([lyrics]),
        "notes": singing.score(phs, midis, durations["phoneme durations"], [int(s) for s in lists["slur flags"]]),
    }


def _seconds(values: list[str], where: str) -> list[float]:
    out = []
    for value in values:
        try:
            seconds = float(value)
        except ValueError:
            seconds = -1.0
        if not seconds >= 0:  # also refuses nan
            raise OpencpopFormatError(f"{where}: duration {value!r} is not a number of seconds")
        out.append(seconds)
    return out


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in SPLIT_FILES:
        raise OpencpopFormatError(f"shard {shard!r} is not a split of Opencpop ({', '.join(SPLIT_FILES)})")
    path = root / SEGMENTS / SPLIT_FILES[str(shard)]
    wavs = root / SEGMENTS / "wavs"
    skips = Skips(f"Opencpop {path}", SOURCE.missing_audio)
    seen: dict[str, int] = {}
    for line_no, text in text_lines(path, OpencpopFormatError, skips=skips):
        if not text.strip():
            continue
        try:
            entry = parse_line(text, f"{path}:{line_no}")
            if entry["id"] in seen:
                raise OpencpopFormatError(
                    f"{path}:{line_no}: {entry['id']} is listed already at line {seen[entry['id']]}"
                )
        except OpencpopFormatError as err:
            skips.bad(err)
            continue
        seen[entry["id"]] = line_no
        wav = wavs / f"{entry['id']}.wav"
        if not wav.is_file():
            skips.add("utterance(s) whose segments/wavs/<id>.wav is missing", entry["id"])
            continue
        yield {
            **entry,
            "audio": os.fspath(wav),
            "song": entry["id"][:4],
            "notes": entry["notes"] or None,
            "language": "zh",
        }
    skips.report()


SOURCE = Source(
    name="opencpop",
    corpus="Opencpop",
    license="CC BY-NC-ND 4.0 (the Opencpop website's licence page; commercial use by agreement)",
    redistributable=False,
    homepage="https://wenet.org.cn/opencpop/",
    layout="Opencpop/ with segments/transcriptions.txt, segments/train.txt, segments/test.txt and segments/wavs/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Opencpop",
    languages=("zh",),
)
