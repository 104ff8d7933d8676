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
``CHAPTERS.TXT`` and ``BOOKS.TXT`` are not read.

Detection: ``SPEAKERS.TXT`` (exactly so: LibriTTS ships ``SPEAKERS.txt``) beside at least one subset folder whose
first chapter holds a ``*.trans.txt``. A transcript line whose ``.flac`` is absent is skipped and counted in one
warning per shard; a chapter folder without its transcript likewise. macOS ``._*`` files are ignored.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, numbered_dirs, text_lines, visible_names

SUBSETS = {
    "train-clean-100": "train",
    "train-clean-360": "train",
    "train-other-500": "train",
    "dev-clean": "validation",
    "dev-other": "validation",
    "test-clean": "test",
    "test-other": "test",
}
SPEAKERS_FILE = "SPEAKERS.TXT"
SPEAKERS_PER_SHARD = 8
GENDERS = {"F": "female", "M": "male"}
UTTERANCE_ID = re.compile(r"(?P<speaker>\d+)-(?P<chapter>\d+)-(?P<index>\d+)")
FIELDS = ("id", "audio", "text", "speaker", "chapter", "gender", "language", "language_name", "subset")


class LibriSpeechFormatError(CorpusFormatError):
    """A LibriSpeech metadata file that is not what the corpus's layout says."""


def _subsets(root: Path) -> list[str]:
    return [s for s in SUBSETS if (root / s).is_dir()]


def detect(root: Path) -> bool:
    if SPEAKERS_FILE not in visible_names(root):
        return False
    for subset in _subsets(root):
        for speaker in numbered_dirs(root / subset)[:1]:
            for chapter in numbered_dirs(root / subset / speaker)[:1]:
                return any(n.endswith(".trans.txt") for n in visible_names(root / subset / speaker / chapter))
    return False


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, the speaker folders (``<subset>/<spk>``) in shards of at most 8, dealt round-robin over the
    speakers sorted by id, so that each shard holds several speakers (what mixtures of two speakers draw on).
    Reads no transcript."""
    speakers: dict[str, list[str]] = {}
    for subset in _subsets(root):
        for speaker in numbered_dirs(root / subset, strict=True):
            speakers.setdefault(SUBSETS[subset], []).append(f"{subset}/{speaker}")
    shards: dict[str, list[Shard]] = {}
    for split, rels in speakers.items():
        rels.sort(key=lambda rel: (int(rel.split("/")[1]), rel))
        count = math.ceil(len(rels) / SPEAKERS_PER_SHARD)
        shards[split] = [rels[i::count] for i in range(count)]
    return shards


def read_speakers(path: Path, skips: Skips) -> dict[str, str]:
    """Speaker id -> "female" / "male", from SPEAKERS.TXT. A malformed row is an error naming its line (or, when
    the load skips bad items, counted; its speaker's folders are then skipped and counted too)."""
    header: list[str] = []
    genders: dict[str, str] = {}
    for line_no, line in text_lines(path, LibriSpeechFormatError, errors="replace"):
        if not line.strip():
            continue
        if line.startswith(";"):
            columns = [c.strip().upper() for c in line[1:].split("|")]
            if "ID" in columns and "SEX" in columns:
                header = columns
            continue
        if not header:
            raise LibriSpeechFormatError(
                f"{path}:{line_no}: a speaker row before the header line ';ID |SEX| SUBSET |MINUTES| NAME'"
            )
        parts = [p.strip() for p in line.split("|", len(header) - 1)]
        speaker = parts[header.index("ID")] if len(parts) == len(header) else ""
        sex = parts[header.index("SEX")].upper() if len(parts) == len(header) else ""
        problem = None
        if len(parts) != len(header):
            problem = f"expected {len(header)} '|'-separated fields ({' | '.join(header)}), got {len(parts)}"
        elif not speaker.isdigit():
            problem = f"speaker ID {speaker!r} is not a number"
        elif sex not in GENDERS:
            problem = f"SEX of speaker {speaker} is {sex!r}; expected F or M"
        if problem:
            skips.bad(LibriSpeechFormatError(f"{path}:{line_no}: {problem}"))
            continue
        genders[speaker] = GENDERS[sex]
    if not header:
        raise LibriSpeechFormatError(f"{path}: no header line ';ID |SEX| SUBSET |MINUTES| NAME' found")
    return genders


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
    if not isinstance(shard, list):
        raise LibriSpeechFormatError(f"shard {shard!r} is not a list of '<subset>/<speaker id>'")
    skips = Skips(f"LibriSpeech shard [{', '.join(map(str, shard))}] in {root}", SOURCE.missing_audio)
    speakers_path = root / SPEAKERS_FILE
    genders = read_speakers(speakers_path, skips)
    for rel in shard:
        subset, _, speaker = str(rel).partition("/")
        if subset not in SUBSETS or not speaker.isdigit():
            raise LibriSpeechFormatError(f"shard entry {rel!r} is not '<subset>/<speaker id>'")
        if speaker not in genders:
            skips.bad(
                LibriSpeechFormatError(
                    f"{speakers_path}: speaker {speaker} (folder {root / rel}) has no row (or no valid one); "
                    f"expected '{speaker} | F or M | {subset} | ...'"
                ),
                reason="speaker folder(s) with no valid row in SPEAKERS.TXT",
            )
            continue
        for chapter in numbered_dirs(root / rel, strict=True):
            folder = root / rel / chapter
            present = set(visible_names(folder, strict=True))
            name = f"{speaker}-{chapter}.trans.txt"
            if name not in present:
                skips.add("chapter folder(s) with no <spk>-<chapter>.trans.txt", f"{rel}/{chapter}")
                continue
            for utt, text, line_no in read_transcript(folder / name, speaker, chapter, skips):
                if f"{utt}.flac" not in present:
                    skips.add("transcript line(s) whose .flac file is missing", f"{rel}/{chapter}/{name}:{line_no}")
                    continue
                yield {
                    "id": utt,
                    "audio": os.path.join(os.fspath(folder), f"{utt}.flac"),
                    "text": text,
                    "speaker": speaker,
                    "chapter": chapter,
                    "gender": genders[speaker],
                    "language": "en",
                    "language_name": "English",
                    "subset": subset,
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
    labels={"gender": tuple(GENDERS.values()), "language": ("en",), "language_name": ("English",)},
    languages=("en",),
)
