"""MTG-Jamendo, autotagging (Bogdanov et al., ICML 2019 ML4MD): 55,701 full-length Jamendo tracks with genre,
instrument and mood/theme tags, MP3 320 kbps.

Licence: the metadata CC BY-NC-SA 4.0; every track under its own Creative Commons licence (``audio_licenses.txt``),
many non-commercial, so export treats the corpus as not redistributable.

Layout, as GitHub ``MTG/mtg-jamendo-dataset`` ships its ``data/`` folder and ``scripts/download/download.py
--dataset raw_30s --type audio --unpack`` writes the audio (read from the repository, snapshot ``1b4fa8c``, and
mirdata's ``mtg_jamendo_autotagging_moodtheme``)::

    data/autotagging.tsv                          every track with every tag (also _genre, _instrument, _moodtheme,
                                                  _top50tags subsets, raw_30s*.tsv, tags/*.txt, tag_map.json)
    data/splits/split-0/autotagging-{train,validation,test}.tsv   (split-1 ... split-4 alike)
    <audio>/00/ ... <audio>/99/<id>.mp3           (``<id>.low.mp3`` for ``--type audio-low``)

The root is the ``data/`` folder (give the checkout or ``data/`` itself as data_dir). The audio folders
``00``-``99`` are looked for in ``data/audio/``, else in ``data/`` itself: put (or link) the downloaded folders
there (nothing outside the root is read). Every TSV has the header ``TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS`` (tab-
separated) and **a variable number of tag columns**: each tag after the fifth field is a column of its own,
``<category>---<tag>`` with the categories ``genre``, ``instrument`` and ``mood/theme``. Line endings are CRLF
(read either way). ``PATH`` (``51/851.mp3``) is relative to the audio folder; a track whose MP3 is absent but
whose ``.low.mp3`` is there is read from that.

Splits: ``split-0`` of the full autotagging set (the five splits keep an artist in one part; split-0 is the one
the paper reports), read from its three TSVs, which carry the tags themselves. Each split is cut into shards by
a BLAKE2 hash of the track id (about one per 256 KiB of its TSV, judged by size, at most 8).

Labels (``audio_flan.sources._music_labels`` spellings):

- ``tags``: every tag name (genres, then instruments, then moods/themes, as the TSV sorts them), ``, ``-joined
  (music tagging);
- ``genre``: the genre of a track tagged with exactly one genre, else None (genre classification asks for one);
  genres are spelled as every parser spells them (``hiphop`` is ``hip-hop``, ``rnb`` is ``r&b``);
- ``instrument``: the instrument of a track tagged with exactly one, from :data:`INSTRUMENTS` (spelled as the
  corpus spells them, ``acousticguitar``: see there);
- ``moods``: the mood/theme tags, ``, ``-joined (emotion classification, many labels), None without any;
- ``emotion`` and ``emotion_score`` (emotion comparison, "which is more <emotion>"): the tags are presence only,
  so a track tagged with one of the :data:`EMOTIONS` (the mood/theme tags that name a mood, not a theme such as
  ``christmas`` or ``film``) is probed, by a hash of its id, either with one of its own emotions (score 1) or
  with one it lacks among those the split's TSV uses (score 0); tracks probed with the same emotion are paired,
  one tagged and one not, so the tagged one is the answer. Tracks without any emotion tag are left out (their
  mood is not annotated, which is not the same as lacking it).

A row whose MP3 is absent is skipped and counted (one warning per shard); a row that is not what the header
says (too few fields, a tag without ``---``, an unknown category, a bad id or duration) is an error naming the
file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

TSV = "autotagging.tsv"
SPLIT_DIR = ("splits", "split-0")
SPLIT_FILES = {
    "train": "autotagging-train.tsv",
    "validation": "autotagging-validation.tsv",
    "test": "autotagging-test.tsv",
}
HEADER = ("TRACK_ID", "ARTIST_ID", "ALBUM_ID", "PATH", "DURATION", "TAGS")
CATEGORIES = ("genre", "instrument", "mood/theme")
MAX_SHARDS = 8
BYTES_PER_SHARD = 256 * 1024
_TRACK = re.compile(r"track_\d+")
_PATH = re.compile(r"\d{2}/\d+\.mp3")

#: the 40 instrument tags of ``autotagging_instrument.tsv``, spelled as the corpus spells them: written as separate
#: words, "acoustic guitar" would also say "guitar" and "double bass" "bass", so a closed option set of words
#: would name some options twice
INSTRUMENTS = (
    "accordion",
    "acousticbassguitar",
    "acousticguitar",
    "bass",
    "beat",
    "bell",
    "bongo",
    "brass",
    "cello",
    "clarinet",
    "classicalguitar",
    "computer",
    "doublebass",
    "drummachine",
    "drums",
    "electricguitar",
    "electricpiano",
    "flute",
    "guitar",
    "harmonica",
    "harp",
    "horn",
    "keyboard",
    "oboe",
    "orchestra",
    "organ",
    "pad",
    "percussion",
    "piano",
    "pipeorgan",
    "rhodes",
    "sampler",
    "saxophone",
    "strings",
    "synthesizer",
    "trombone",
    "trumpet",
    "viola",
    "violin",
    "voice",
)
#: the mood/theme tags that name a mood (``data/tags/moodtheme.txt`` less its themes: film, christmas, ...)
EMOTIONS = (
    "calm",
    "cool",
    "dark",
    "dramatic",
    "emotional",
    "energetic",
    "epic",
    "fun",
    "funny",
    "groovy",
    "happy",
    "heavy",
    "hopeful",
    "inspiring",
    "meditative",
    "melancholic",
    "mellow",
    "motivational",
    "positive",
    "powerful",
    "relaxing",
    "romantic",
    "sad",
    "sexy",
    "soft",
    "upbeat",
    "uplifting",
)
FIELDS = (
    "id",
    "audio",
    "artist_id",
    "album_id",
    "duration",
    "tags",
    "genre",
    "instrument",
    "moods",
    "emotion",
    "emotion_score",
)


class MTGJamendoFormatError(CorpusFormatError):
    """An autotagging TSV that is not what MTG-Jamendo's README says."""


def data_dir(root: Path) -> Path | None:
    """The root itself when it is the ``data/`` folder (a checkout's ``data/`` is found as a subfolder of data_dir)."""
    if (root / TSV).is_file() and root.joinpath(*SPLIT_DIR).is_dir():
        return root
    return None


def detect(root: Path) -> bool:
    return data_dir(root) is not None


def shard_of(track: str, count: int) -> int:
    return stable_hash(track) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split, index, count]`` per shard; the count is judged by each split TSV's size (nothing is opened)."""
    folder = data_dir(root)
    if folder is None:
        return {}
    shards: dict[str, list[Shard]] = {}
    for split, name in SPLIT_FILES.items():
        path = folder.joinpath(*SPLIT_DIR, name)
        if path.is_file():
            count = max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))
            shards[split] = [[split, i, count] for i in range(count)]
    return shards


def audio_dir(root: Path) -> Path:
    """Where the ``NN/`` audio folders are: ``audio/`` in the root, else the root itself."""
    return root / "audio" if (root / "audio").is_dir() else root


def read_rows(path: Path, skips: Skips | None = None) -> Iterator[tuple[int, dict]]:
    """(line, row) for every row of an autotagging TSV: the five fixed fields and the tags by category."""
    header_seen = False
    for line_no, text in text_lines(path, MTGJamendoFormatError, skips=skips):
        if not text.strip():
            continue
        fields = text.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) != HEADER:
                raise MTGJamendoFormatError(
                    f"{path}:{line_no}: the header is {text!r}; expected {chr(9).join(HEADER)!r}"
                )
            header_seen = True
            continue
        try:
            yield line_no, _row(path, line_no, fields)
        except MTGJamendoFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
    if not header_seen:
        raise MTGJamendoFormatError(f"{path}:1: the file is empty; expected the header {chr(9).join(HEADER)!r}")


def _row(path: Path, line_no: int, fields: list[str]) -> dict:
    where = f"{path}:{line_no}"
    if len(fields) < 6:
        raise MTGJamendoFormatError(
            f"{where}: expected at least 6 tab-separated fields (TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION and "
            f"one or more tags), got {len(fields)}"
        )
    track, artist, album, rel, duration = (f.strip() for f in fields[:5])
    if not _TRACK.fullmatch(track):
        raise MTGJamendoFormatError(f"{where}: TRACK_ID {track!r} is not track_<digits>")
    if not _PATH.fullmatch(rel):
        raise MTGJamendoFormatError(f"{where}: PATH {rel!r} is not <NN>/<number>.mp3")
    try:
        seconds = float(duration)
    except ValueError:
        raise MTGJamendoFormatError(f"{where}: DURATION {duration!r} is not a number of seconds") from None
    tags: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for raw in fields[5:]:
        tag = raw.strip()
        category, sep, name = tag.partition("---")
        if not sep or not name or category not in tags:
            raise MTGJamendoFormatError(
                f"{where}: tag {tag!r} is not <category>---<tag> with a category of {', '.join(CATEGORIES)}"
            )
        tags[category].append(name)
    return {"id": track, "artist_id": artist, "album_id": album, "path": rel, "duration": seconds, "tags": tags}


def _instrument(where: str, name: str) -> str:
    if name not in INSTRUMENTS:
        raise MTGJamendoFormatError(f"{where}: instrument tag {name!r} is not one of MTG-Jamendo's 40")
    return name


def _probe(track: str, own: list[str], used: list[str]) -> tuple[str | None, float | None]:
    """The emotion a track is probed with and whether it is tagged with it (see the module docstring)."""
    mine = sorted(e for e in set(own) if e in EMOTIONS)
    if not mine:
        return None, None
    lacking = [e for e in used if e not in mine]
    h = stable_hash(f"emotion:{track}")
    if h % 2 == 0 or not lacking:
        return mine[(h >> 1) % len(mine)], 1.0
    return lacking[(h >> 1) % len(lacking)], 0.0


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SPLIT_FILES):
        raise MTGJamendoFormatError(f"shard {shard!r} is not [split, index, count]")
    split, index, count = shard
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise MTGJamendoFormatError(f"shard {shard!r} is not [split, index, count]")
    folder = data_dir(root)
    if folder is None:
        raise MTGJamendoFormatError(f"{root}: no {TSV} with splits/split-0/ beside it")
    path = folder.joinpath(*SPLIT_DIR, SPLIT_FILES[split])
    audio_root = audio_dir(root)
    skips = Skips(f"MTG-Jamendo {split} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    # every row is checked in every shard (a bad file fails any of them); a skipped row is counted by shard 0 only
    rows = list(read_rows(path, Skips(f"MTG-Jamendo {path}")))
    used = sorted({e for _, r in rows for e in r["tags"]["mood/theme"] if e in EMOTIONS})
    for line_no, row in rows:
        if shard_of(row["id"], count) != index:
            continue
        audio = audio_root / row["path"]
        if not audio.is_file():
            low = audio.with_name(audio.name[: -len(".mp3")] + ".low.mp3")
            if not low.is_file():
                skips.add(f"row(s) of {path.name} whose MP3 is missing", f"line {line_no}: {row['path']}")
                continue
            audio = low
        where = f"{path}:{line_no}"
        tags = row["tags"]
        genres = [music.genre(g) for g in tags["genre"]]
        instruments = [_instrument(where, i) for i in tags["instrument"]]
        moods = tags["mood/theme"]
        names = {**{g: n for g, n in zip(tags["genre"], genres)}, **dict(zip(tags["instrument"], instruments))}
        emotion, score = _probe(row["id"], moods, used)
        yield {
            "id": row["id"],
            "audio": os.fspath(audio),
            "artist_id": row["artist_id"],
            "album_id": row["album_id"],
            "duration": row["duration"],
            "tags": ", ".join(dict.fromkeys(names.get(t, t) for c in CATEGORIES for t in tags[c])),
            "genre": genres[0] if len(genres) == 1 else None,
            "instrument": instruments[0] if len(instruments) == 1 else None,
            "moods": ", ".join(moods) if moods else None,
            "emotion": emotion,
            "emotion_score": score,
        }
    skips.report()


SOURCE = Source(
    name="mtg_jamendo",
    corpus="MTG-Jamendo",
    license="metadata CC BY-NC-SA 4.0; audio per-track Creative Commons licences",
    redistributable=False,
    homepage="https://mtg.github.io/mtg-jamendo-dataset/",
    layout="data/ with autotagging.tsv and splits/split-0/autotagging-{train,validation,test}.tsv; audio/NN/<id>.mp3",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MTG-Jamendo",
    labels={"instrument": INSTRUMENTS, "emotion": EMOTIONS},
    languages=(),
)
