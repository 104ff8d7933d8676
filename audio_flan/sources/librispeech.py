"""LibriSpeech ASR corpus (OpenSLR 12): about 1000 hours of 16 kHz English read speech from LibriVox audiobooks.

Licence: CC BY 4.0, so the audio may be redistributed with attribution.

Layout, as the tarballs extract (every ``<subset>.tar.gz`` re-creates ``LibriSpeech/`` with the root documents
and ``LibriSpeech/<subset>/``; looked up in /work/shared/corpora/speech.md §19, lhotse's ``librispeech.py``
recipe and LibriMix's ``download_librispeech`` script)::

    LibriSpeech/
      README.TXT  LICENSE.TXT  SPEAKERS.TXT  CHAPTERS.TXT  BOOKS.TXT
      <subset>/<spk>/<chapter>/<spk>-<chapter>.trans.txt     "<utterance id> <UPPER-CASE TEXT>" per line
      <subset>/<spk>/<chapter>/<spk>-<chapter>-<NNNN>.flac    16 kHz, 16-bit FLAC

Subsets: train-clean-100, train-clean-360, train-other-500 (split ``train``), dev-clean, dev-other
(``validation``), test-clean, test-other (``test``): the corpus's own split, with no speaker in two subsets.
Transcripts are upper case without punctuation (apostrophes kept), and are given as they are.

``SPEAKERS.TXT`` starts with ``;`` comment lines, then the header ``;ID  |SEX| SUBSET           |MINUTES| NAME``
and one ``|``-separated row per reader. Columns are found by name in that header, and a row is split into as
many fields as the header has, the rest going to NAME, because a reader's name may contain ``|`` (``|CBW|Simon``).
Only ID and SEX are used (F/M become female/male); names may hold any bytes, so undecodable ones are replaced.
``CHAPTERS.TXT`` and ``BOOKS.TXT`` are not read. The speakers file and the folders are read as LibriTTS-R's are
(``_librispeech_family``); the transcripts are this module's.

Detection: ``SPEAKERS.TXT`` (exactly so: LibriTTS ships ``SPEAKERS.txt``) beside at least one subset folder whose
first chapter holds a ``*.trans.txt``. A transcript line whose ``.flac`` is absent is skipped and counted in one
warning per shard; a chapter folder without its transcript likewise. macOS ``._*`` files are ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _librispeech_family as family
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

SPEAKERS_PER_SHARD = 8
SPEAKERS_FILE = "SPEAKERS.TXT"
UTTERANCE_ID = re.compile(r"(?P<speaker>\d+)-(?P<chapter>\d+)-(?P<index>\d+)")
FIELDS = ("id", "audio", "text", "speaker", "chapter", "gender", "language", "language_name", "subset")


class LibriSpeechFormatError(CorpusFormatError):
    """A LibriSpeech metadata file that is not what the corpus's layout says."""


LAYOUT = family.Layout("LibriSpeech", LibriSpeechFormatError, SPEAKERS_FILE, "{speaker}-{chapter}.trans.txt")


def detect(root: Path) -> bool:
    if SPEAKERS_FILE not in visible_names(root):
        return False
    return family.first_chapter_holds(root, list(family.subset_folders(LAYOUT, root).values()), ".trans.txt")


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, the speaker folders (``<subset>/<spk>``) in shards of at most 8, dealt round-robin over the
    speakers sorted by id, so that each shard holds several speakers (what mixtures of two speakers draw on).
    Reads no transcript."""
    return family.list_shards(LAYOUT, root, SPEAKERS_PER_SHARD)


def read_transcript(path: Path, speaker: str, chapter: str, skips: Skips) -> list[tuple[str, str, int]]:
    """(utterance id, text, line) of one ``<spk>-<chapter>.trans.txt``, sorted by id."""
    rows: dict[str, tuple[str, int]] = {}
    for line_no, line in text_lines(path, LibriSpeechFormatError, skips=skips):
        if not line.strip():
            continue
        utt, _, text = line.strip().partition(" ")
        match = UTTERANCE_ID.fullmatch(utt)
        problem = None
        if not match or match["speaker"] != speaker or match["chapter"] != chapter:
            problem = f"utterance id {utt!r} is not '{speaker}-{chapter}-<number>'"
        elif not text.strip():
            problem = f"utterance {utt} has no text; expected '<utterance id> <TEXT>'"
        elif utt in rows:
            problem = f"utterance id {utt!r} repeats line {rows[utt][1]}"
        if problem:
            skips.bad(LibriSpeechFormatError(f"{path}:{line_no}: {problem}"))
            continue
        rows[utt] = (text.strip(), line_no)
    return [(utt, text, line_no) for utt, (text, line_no) in sorted(rows.items())]


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    entries, skips = family.open_shard(LAYOUT, root, shard, SOURCE.missing_audio)
    genders = family.read_speakers(LAYOUT, root / SPEAKERS_FILE, skips)
    for chapter in family.chapters(LAYOUT, root, entries, genders, skips):
        folder = os.fspath(chapter.folder)
        for utt, text, line_no in read_transcript(chapter.transcript, chapter.speaker, chapter.chapter, skips):
            if f"{utt}.flac" not in chapter.names:
                where = f"{chapter.rel}/{chapter.transcript.name}:{line_no}"
                skips.add("transcript line(s) whose .flac file is missing", where)
                continue
            yield {
                "id": utt,
                "audio": os.path.join(folder, f"{utt}.flac"),
                "text": text,
                **family.labels(chapter, genders),
            }
    skips.report()


SOURCE = Source(
    name="librispeech",
    corpus="LibriSpeech",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://www.openslr.org/12/",
    layout="LibriSpeech/ with SPEAKERS.TXT and subset folders (train-clean-100, dev-clean, ...) of "
    "<spk>/<chapter>/<spk>-<chapter>.trans.txt and <spk>-<chapter>-<NNNN>.flac",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="LibriSpeech",
    labels={"gender": tuple(family.GENDERS.values()), "language": ("en",), "language_name": ("English",)},
    languages=("en",),
)
