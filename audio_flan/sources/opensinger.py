"""OpenSinger (Huang et al., ACM MM 2021, released with the Multi-Singer vocoder): about 50 hours of Mandarin pop
songs sung by many singers (the recipes we read name ids up to 27 in ``ManRaw`` and up to 47 in ``WomanRaw``), cut
into lines, with each line's lyrics.

Licence: **CC BY-NC-SA 4.0**. The release repository ``Multi-Singer/Multi-Singer.github.io`` (read at 24f99ec,
2022-11-19) says in its README "All users of the dataset must follow the CC BY-NC-SA LICENSE" (the link goes to
the 2.0 legal code) and that whoever downloads the dataset "will be deemed to agree to the dataset sharing
license"; the repository's ``LICENSE`` file is the full "Attribution-NonCommercial-ShareAlike 4.0 International"
text. The archive's own ``LICENSE`` was not seen. Non-commercial, so export treats it as not redistributable.

Layout, as the Google Drive archive extracts (Amphion's ``egs/datasets/README.md`` and
``preprocessors/opensinger.py``; an ESPnet-style recipe's comment and split lists agree)::

    OpenSinger/
      ManRaw/<SingerID>_<SongName>/<SingerID>_<SongName>_<n>.wav  .txt  .lab
      WomanRaw/...                                                 (the same)
      LICENSE  README.md

``SingerID`` is a number that **restarts in each gender folder** (``ManRaw/5_...`` and ``WomanRaw/5_...`` are two
singers), so the singer is the gender folder and the id together, written ``Man_5``/``Woman_5`` as Amphion does.
Song names are Chinese and may hold ``_``: a folder name is split on its first ``_``, a file name on its first and
last ``_`` only, and both parts must match the folder's. ``n`` is an unpadded line number. ``.txt`` holds the line's
lyrics (Chinese, read as UTF-8; a byte that is not is an error naming the file and line); ``.lab`` a label no config
reads. What a ``.lab`` holds is not documented: no loader we found reads it (Amphion's
``preprocessors/opensinger.py`` and the ESPnet-style recipes list only the ``.wav``), the release README does not
describe it (the paper's text was not at hand), and a ``.lab`` beside each ``.wav`` is the Montreal Forced Aligner's
layout for the transcript to align (text, no times); we found nothing showing it holds phone timings or notes. The
sample rate is not given anywhere we could read (24 kHz is often quoted): nothing here assumes one; the audio's own
header says it when it is decoded. Amphion drops lines over 30 s; all are kept here.

The corpus is its folders: a take is a ``.wav``. A ``.txt`` or ``.lab`` without its ``.wav`` is a take whose audio
is absent (skipped and counted); a ``.wav`` without its ``.txt`` has no lyrics (``lyrics`` None: lyrics-to-song
counts it as unusable, conversion still uses it). A file name that does not fit its folder is an error naming it
(under ``on_error="skip"``, counted and skipped, as is a take whose ``.txt`` is not UTF-8); a folder whose name is
not ``<SingerID>_<SongName>`` is skipped and counted.

Fields: ``singer`` (``Woman_12``), ``gender`` (``female``/``male``, from the folder), ``song``, ``lyrics``. For
singing voice conversion a record is the **target**: ``source_audio`` is the same lyric line (the same ``.txt``
text) of the same song sung by another singer of the split, of either gender (converting between a male and a
female voice is part of the task, and keeping to one gender would leave most lines unpaired), drawn by a stable
hash of the record id, so never the same recording; ``reference_audio`` another line of the target singer, from
another song when the singer sings one. A line nobody else sings has ``source_audio`` None (the conversion task
counts it as unusable). ``language`` is ``zh``.

Singing voice synthesis: OpenSinger has no score (no notes, no durations), and the notes are not invented by
pitch-tracking (nothing says the paper did). Its binding leaves the ``notes`` slot out (``without: [notes]``): an
instance shows the lyrics alone, with an instruction from the task's set written for that
(``prompts.without.notes``), and the take as the answer. Such an instance asks what lyrics-to-song asks of the
same take, in the words of voice synthesis.

Lyrics are rendered as M4Singer and Opencpop render theirs (:func:`._singing.lyric_text`): the text as written,
runs of white space as one space, a line break as `` / `` (as CSD and Vocadito write theirs), so the same line is
the same text in every Mandarin corpus, and parallel takes are found by that text.

Splits: there is no official split; singers are split by a stable hash of the singer key (a tenth to ``test``, a
tenth to ``validation``, the rest ``train``), so no singer is in two splits. One shard per song title and split
(parallel lines are the same song's, so a shard holds every take it pairs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _singing as singing
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, text_lines, visible_names

GENDERS = {"ManRaw": ("Man", "male"), "WomanRaw": ("Woman", "female")}
SPLIT_NAMES = ("train", "validation", "test")
FIELDS = ("id", "audio", "singer", "gender", "song", "lyrics", "language", "source_audio", "reference_audio")
FIELDS_IDS = ("source_audio_id", "reference_audio_id")
_FOLDER = re.compile(r"(?P<singer>\d+)_(?P<song>.+)")
_SIDECARS = (".txt", ".lab")


class OpenSingerFormatError(CorpusFormatError):
    """An OpenSinger file that is not named or encoded as the corpus ships them."""


def detect(root: Path) -> bool:
    return any((root / folder).is_dir() for folder in GENDERS)


def singer_key(gender_folder: str, singer_id: str) -> str:
    return f"{GENDERS[gender_folder][0]}_{singer_id}"


def split_of(singer: str) -> str:
    bucket = singing.stable_index(singer, 10)
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"


def song_folders(root: Path, skips: Skips | None = None, song: str | None = None) -> list[tuple[str, str, str]]:
    """(gender folder, singer id, song) of every song folder (of ``song`` only, if given), sorted; folders not
    named ``<id>_<song>`` are counted in ``skips``. Lists folders only."""
    found = []
    for gender in GENDERS:
        for name in visible_names(root / gender, strict=(root / gender).is_dir()):
            match = _FOLDER.fullmatch(name)
            if match and song is not None and match["song"] != song:
                continue
            if not (root / gender / name).is_dir():
                continue
            if not match:
                if skips is not None:
                    skips.add("folder(s) not named <SingerID>_<SongName>", f"{gender}/{name}", always=True, audio=False)
                continue
            found.append((gender, match["singer"], match["song"]))
    return sorted(found, key=lambda f: (f[0], int(f[1]), f[2]))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    skips = Skips(f"OpenSinger {root}")
    songs: dict[str, set[str]] = {}
    for gender, singer, song in song_folders(root, skips):
        songs.setdefault(split_of(singer_key(gender, singer)), set()).add(song)
    skips.report()
    return {split: [[split, song] for song in sorted(songs[split])] for split in SPLIT_NAMES if split in songs}


def _takes(folder: Path, singer: str, song: str, skips: Skips) -> dict[int, dict[str, Path]]:
    """Line number -> {suffix: path} of the takes in a song folder (files named for another folder are errors)."""
    takes: dict[int, dict[str, Path]] = {}
    for name in visible_names(folder, strict=True):
        stem, suffix = os.path.splitext(name)
        if suffix.lower() not in (".wav", *_SIDECARS):
            continue
        first, last = stem.find("_"), stem.rfind("_")
        if first < 0 or last <= first or stem[:first] != singer or stem[first + 1 : last] != song:
            skips.bad(OpenSingerFormatError(f"{folder / name}: expected <SingerID>_<SongName>_<n>{suffix} of {folder}"))
            continue
        number = stem[last + 1 :]
        if not number.isdigit():
            skips.bad(OpenSingerFormatError(f"{folder / name}: the line number {number!r} is not a number"))
            continue
        takes.setdefault(int(number), {})[suffix.lower()] = folder / name
    return takes


def read_lyrics(path: Path | None, skips: Skips) -> str | None:
    """The lyrics of a ``.txt`` (:func:`._singing.lyric_text`; None without one, or empty); raises on a byte that
    is not UTF-8 (under skip, counts it and returns None through ``skips.malformed``)."""
    if path is None:
        return None
    return singing.lyric_text(text for _, text in text_lines(path, OpenSingerFormatError, skips=skips))


def _reference(root: Path, gender: str, others: list[str], own: list[str], rid: str) -> str | None:
    """Another line of the singer: from another of their song folders (``others``) when there is one."""
    folder = singing.pick(rid + "/reference song", others)
    if folder is not None:
        wav = singing.pick(rid + "/reference", audio_files(root / gender / folder, (".wav",)))
        if wav is not None:
            return os.fspath(root / gender / folder / wav)
    return singing.pick(rid + "/reference", own)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in SPLIT_NAMES and isinstance(shard[1], str)):
        raise OpenSingerFormatError(f"shard {shard!r} is not [split, song]")
    split, song = shard
    skips = Skips(f"OpenSinger {song} ({split}) in {root}", SOURCE.missing_audio)
    records: list[Record] = []
    listing = {gender: visible_names(root / gender) for gender in GENDERS}
    for gender, singer_id, _ in song_folders(root, song=song):
        singer = singer_key(gender, singer_id)
        if split_of(singer) != split:
            continue
        folder = root / gender / f"{singer_id}_{song}"
        others = [
            name
            for name in listing[gender]
            if name.startswith(f"{singer_id}_") and name != folder.name and (root / gender / name).is_dir()
        ]
        takes = _takes(folder, singer_id, song, skips)
        wavs = [os.fspath(takes[n][".wav"]) for n in sorted(takes) if ".wav" in takes[n]]
        for number in sorted(takes):
            files = takes[number]
            rid = f"{singer}_{song}_{number}"
            if ".wav" not in files:
                skips.add("take(s) whose .txt/.lab has no .wav", rid)
                continue
            before = skips.malformed
            lyrics = read_lyrics(files.get(".txt"), skips)
            if skips.malformed > before:
                skips.add("take(s) whose .txt is not UTF-8 text", rid, always=True, audio=False)
                continue
            wav = os.fspath(files[".wav"])
            records.append(
                {
                    "id": rid,
                    "audio": wav,
                    "singer": singer,
                    "gender": GENDERS[gender][1],
                    "song": song,
                    "lyrics": lyrics,
                    "language": "zh",
                    "reference_audio": _reference(root, gender, others, [w for w in wavs if w != wav], rid),
                }
            )
    by_line: dict[str, list[Record]] = {}
    for record in records:
        if record["lyrics"] is not None:
            by_line.setdefault(record["lyrics"], []).append(record)
    for record in records:
        parallel = [r for r in by_line.get(record["lyrics"], []) if r["singer"] != record["singer"]]
        source = singing.pick(record["id"], [r["id"] for r in parallel])
        source_audio = next((r["audio"] for r in parallel if r["id"] == source), None)
        reference = record["reference_audio"]
        yield {
            **record,
            "source_audio": source_audio,
            "source_audio_id": source,
            "reference_audio_id": _audio_id(root, reference) if reference else None,
        }
    skips.report()


def _audio_id(root: Path, wav: str) -> str:
    """The record id of a take's WAV path: ``Woman_12_<song>_<n>``."""
    path = Path(wav)
    gender = path.parent.parent.name
    singer_id, _, rest = path.stem.partition("_")
    return f"{singer_key(gender, singer_id)}_{rest}"


SOURCE = Source(
    name="opensinger",
    corpus="OpenSinger",
    license="CC BY-NC-SA 4.0 (LICENSE and README of Multi-Singer/Multi-Singer.github.io)",
    redistributable=False,
    homepage="https://github.com/multi-singer/multi-singer.github.io",
    layout="OpenSinger/ with ManRaw/ and WomanRaw/ holding <SingerID>_<SongName>/<SingerID>_<SongName>_<n>.wav",
    fields=frozenset(FIELDS + FIELDS_IDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="OpenSinger",
    languages=("zh",),
    labels={"gender": ("female", "male")},
)
