"""LibriTTS-R (OpenSLR 141): LibriTTS restored with Miipher, 24 kHz English read speech from LibriVox.

Licence: CC BY 4.0, so the audio may be redistributed with attribution.

Layout, as the tarballs extract (each ``<part>.tar.gz`` re-creates ``LibriTTS_R/<subset>/``; SPEAKERS.txt and
the other root documents must be extracted beside the subsets)::

    LibriTTS_R/
      README_librispeech.txt  README_libritts.txt  README_libritts_r.txt  SPEAKERS.txt  CHAPTERS.txt
      BOOKS.txt  LICENSE.txt  NOTE.txt  reader_book.tsv  speakers.tsv
      <subset>/<spk>/<chapter>/<spk>_<chapter>.trans.tsv     id<TAB>original<TAB>normalized, no header
      <subset>/<spk>/<chapter>/<spk>_<chapter>.book.tsv      (not read)
      <subset>/<spk>/<chapter>/<spk>_<chapter>_<PPPPPP>_<SSSSSS>.{wav,original.txt,normalized.txt}

Subsets: train-clean-100, train-clean-360, train-other-500 (split ``train``), dev-clean, dev-other
(``validation``), test-clean, test-other (``test``). The utterance id's third field is the paragraph:
sentences of one paragraph share it, which is what spoken paragraph recognition compares.

``SPEAKERS.txt`` has ``;`` comment lines, then the header ``;ID  |SEX| SUBSET |MINUTES| NAME`` and one
``|``-separated row per reader (padded with spaces or not), as LibriSpeech's ``SPEAKERS.TXT``; both are read by
``_librispeech_family`` (columns found by name, a reader's name holding ``|`` as ``|CBW|Simon`` does, only ID and
SEX used), as are the subset, speaker and chapter folders.

Detection: ``SPEAKERS.txt`` (exactly so: LibriSpeech ships ``SPEAKERS.TXT``), at least one subset folder,
and either a ``README_libritts*.txt`` or, failing that, a ``*.trans.tsv`` in the first chapter folder (where
LibriSpeech has ``*.trans.txt``). LibriTTS (OpenSLR 60) has the very same layout and is read too, under this
parser's corpus name; ``list_shards`` warns when a root has README_libritts.txt but no README_libritts_r.txt.

Pitfalls handled: macOS AppleDouble ``._*`` files inside the archives are skipped; a transcript id with no
``.wav`` is skipped and counted in one warning per shard (as lhotse does); ``1092_134562_000013_000004.wav``
is corrupted in the distributed archive (lhotse excludes it) and is skipped too.
"""

from __future__ import annotations

import csv
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from . import _librispeech_family as family
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

SPEAKERS_PER_SHARD = 8
SPEAKERS_FILE = "SPEAKERS.txt"
READMES = ("README_libritts_r.txt", "README_libritts.txt")
KNOWN_CORRUPT = frozenset({"1092_134562_000013_000004"})
UTTERANCE_ID = re.compile(r"(?P<speaker>\d+)_(?P<chapter>\d+)_(?P<paragraph>\d{6})_(?P<sentence>\d{6})")
FIELDS = (
    "id",
    "audio",
    "text",
    "text_original",
    "speaker",
    "chapter",
    "paragraph_id",
    "gender",
    "language",
    "language_name",
    "subset",
)


class LibriTTSFormatError(CorpusFormatError):
    """A LibriTTS-R metadata file that is not what the corpus's layout says."""


LAYOUT = family.Layout(
    "LibriTTS-R", LibriTTSFormatError, SPEAKERS_FILE, "{speaker}_{chapter}.trans.tsv", respelled=True
)


def subset_folders(root: Path) -> dict[str, str]:
    """Subset name -> the folder holding it, in the subsets' order: ``train-clean-100``, or a copy's
    ``train_clean_100`` or ``Train-Clean-100`` (the first spelling found, when several are present)."""
    return family.subset_folders(LAYOUT, root)


def detect(root: Path) -> bool:
    names = set(visible_names(root))
    if SPEAKERS_FILE not in names:
        return False
    subsets = list(subset_folders(root).values())
    if not subsets:
        return False
    if any(r in names for r in READMES):
        return True
    return family.first_chapter_holds(root, subsets, ".trans.tsv")


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, the speaker folders (``<subset>/<spk>``) in shards of at most 8, dealt round-robin over the
    speakers sorted by id so that each shard mixes readers of every subset. Reads no transcript."""
    names = set(visible_names(root))
    if "README_libritts.txt" in names and "README_libritts_r.txt" not in names:
        warnings.warn(
            f"{root} looks like LibriTTS (README_libritts.txt, no README_libritts_r.txt), not LibriTTS-R; it is read "
            "with the same layout, but its instances are labelled LibriTTS-R",
            UserWarning,
            stacklevel=2,
        )
    return family.list_shards(LAYOUT, root, SPEAKERS_PER_SHARD)


def read_speakers(path: Path, skips: Skips | None = None) -> dict[str, str]:
    """Speaker id -> "female" / "male", from SPEAKERS.txt (``_librispeech_family.read_speakers``). A malformed row
    is an error, or given the ``skips`` of a load that skips bad items, counted there."""
    return family.read_speakers(LAYOUT, path, skips if skips is not None else Skips(f"LibriTTS-R {path}"))


def read_transcript(
    path: Path, speaker: str, chapter: str, skips: Skips | None = None
) -> list[tuple[str, str, str, int]]:
    """(utterance id, original text, normalized text, line) of one ``*.trans.tsv``, sorted by id. Given the
    shard's ``skips``, a malformed line is skipped and counted when the load skips bad items."""
    rows: list[tuple[str, str, str, int]] = []
    seen: dict[str, int] = {}
    columns = ("utterance id", "original text", "normalized text")
    for line_no, row in csv_rows(
        path, LibriTTSFormatError, delimiter="\t", columns=columns, quoting=csv.QUOTE_NONE, comment="#", skips=skips
    ):
        utt = row["utterance id"].strip()
        match = UTTERANCE_ID.fullmatch(utt)
        problem = None
        if not match or match["speaker"] != speaker or match["chapter"] != chapter:
            problem = f"utterance id {utt!r} is not '{speaker}_{chapter}_<paragraph: 6 digits>_<sentence: 6 digits>'"
        elif utt in seen:
            problem = f"utterance id {utt!r} repeats line {seen[utt]}"
        if problem:
            error = LibriTTSFormatError(f"{path}:{line_no}: {problem}")
            if skips is None:
                raise error
            skips.bad(error)
            continue
        seen[utt] = line_no
        rows.append((utt, row["original text"], row["normalized text"], line_no))
    return sorted(rows)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    entries, skips = family.open_shard(LAYOUT, root, shard, SOURCE.missing_audio)
    genders = read_speakers(root / SPEAKERS_FILE, skips)
    for chapter in family.chapters(LAYOUT, root, entries, genders, skips):
        folder = os.fspath(chapter.folder)
        name = chapter.transcript.name
        for utt, original, normalized, line_no in read_transcript(
            chapter.transcript, chapter.speaker, chapter.chapter, skips
        ):
            if utt in KNOWN_CORRUPT:
                skips.add("known-corrupt utterance(s)", utt, always=True)
                continue
            if f"{utt}.wav" not in chapter.names:
                skips.add("transcript line(s) whose .wav file is missing", f"{name}:{line_no}")
                continue
            yield {
                "id": utt,
                "audio": os.path.join(folder, f"{utt}.wav"),
                "text": normalized,
                "text_original": original,
                "paragraph_id": utt.rsplit("_", 1)[0],
                **family.labels(chapter, genders),
            }
    skips.report()


SOURCE = Source(
    name="libritts_r",
    corpus="LibriTTS-R",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://www.openslr.org/141/",
    layout="LibriTTS_R/ with SPEAKERS.txt, README_libritts_r.txt and subset folders (train-clean-100, dev-clean, ...) "
    "of <spk>/<chapter>/<spk>_<chapter>.trans.tsv and <utterance id>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="LibriTTS-R",
    labels={"gender": tuple(family.GENDERS.values()), "language": ("en",), "language_name": ("English",)},
    languages=("en",),
)
