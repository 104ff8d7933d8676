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
``|``-separated row per reader (padded with spaces or not). Columns are found by name in that header, and a
row is split into as many fields as the header has, because one reader's name contains ``|``
(``|CBW|Simon``). Only ID and SEX are used; names may hold any bytes, so undecodable ones are replaced.

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
import math
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, numbered_dirs, text_lines, visible_names

SUBSETS = {
    "train-clean-100": "train",
    "train-clean-360": "train",
    "train-other-500": "train",
    "dev-clean": "validation",
    "dev-other": "validation",
    "test-clean": "test",
    "test-other": "test",
}
SPEAKERS_FILE = "SPEAKERS.txt"
READMES = ("README_libritts_r.txt", "README_libritts.txt")
SPEAKERS_PER_SHARD = 8
KNOWN_CORRUPT = frozenset({"1092_134562_000013_000004"})
GENDERS = {"F": "female", "M": "male"}
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


def _first_chapter_has_trans_tsv(root: Path, subsets: list[str]) -> bool:
    for subset in subsets:
        for speaker in numbered_dirs(root / subset)[:1]:
            for chapter in numbered_dirs(root / subset / speaker)[:1]:
                return any(n.endswith(".trans.tsv") for n in visible_names(root / subset / speaker / chapter))
    return False


def detect(root: Path) -> bool:
    names = set(visible_names(root))
    if SPEAKERS_FILE not in names:
        return False
    subsets = [s for s in sorted(SUBSETS) if s in names and (root / s).is_dir()]
    if not subsets:
        return False
    if any(r in names for r in READMES):
        return True
    return _first_chapter_has_trans_tsv(root, subsets)


def _speaker_key(rel: str) -> tuple:
    subset, speaker = rel.split("/")
    return (int(speaker), subset)


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
    speakers: dict[str, list[str]] = {}
    for subset, split in SUBSETS.items():
        for speaker in numbered_dirs(root / subset):
            speakers.setdefault(split, []).append(f"{subset}/{speaker}")
    shards: dict[str, list[Shard]] = {}
    for split, rels in speakers.items():
        rels.sort(key=_speaker_key)
        count = math.ceil(len(rels) / SPEAKERS_PER_SHARD)
        shards[split] = [rels[i::count] for i in range(count)]
    return shards


def read_speakers(path: Path) -> dict[str, str]:
    """Speaker id -> "female" / "male", from SPEAKERS.txt (columns found by name in the ``;ID |SEX|...`` header)."""
    header: list[str] = []
    genders: dict[str, str] = {}
    for line_no, line in text_lines(path, LibriTTSFormatError, errors="replace"):
        if not line.strip():
            continue
        if line.startswith(";"):
            columns = [c.strip().upper() for c in line[1:].split("|")]
            if "ID" in columns and "SEX" in columns:
                header = columns
            continue
        if not header:
            raise LibriTTSFormatError(
                f"{path}:{line_no}: a speaker row before the header line ';ID |SEX| SUBSET |MINUTES| NAME'"
            )
        parts = [p.strip() for p in line.split("|", len(header) - 1)]
        if len(parts) != len(header):
            raise LibriTTSFormatError(
                f"{path}:{line_no}: expected {len(header)} '|'-separated fields ({' | '.join(header)}), "
                f"got {len(parts)}: {line!r}"
            )
        speaker, sex = parts[header.index("ID")], parts[header.index("SEX")].upper()
        if not speaker.isdigit():
            raise LibriTTSFormatError(f"{path}:{line_no}: speaker ID {speaker!r} is not a number")
        if sex not in GENDERS:
            raise LibriTTSFormatError(f"{path}:{line_no}: SEX of speaker {speaker} is {sex!r}; expected F or M")
        genders[speaker] = GENDERS[sex]
    if not header:
        raise LibriTTSFormatError(f"{path}: no header line ';ID |SEX| SUBSET |MINUTES| NAME' found")
    return genders


def read_transcript(path: Path, speaker: str, chapter: str) -> list[tuple[str, str, str, int]]:
    """(utterance id, original text, normalized text, line) of one ``*.trans.tsv``, sorted by id."""
    rows: list[tuple[str, str, str, int]] = []
    seen: dict[str, int] = {}
    columns = ("utterance id", "original text", "normalized text")
    for line_no, row in csv_rows(
        path, LibriTTSFormatError, delimiter="\t", columns=columns, quoting=csv.QUOTE_NONE, comment="#"
    ):
        utt = row["utterance id"].strip()
        match = UTTERANCE_ID.fullmatch(utt)
        if not match or match["speaker"] != speaker or match["chapter"] != chapter:
            raise LibriTTSFormatError(
                f"{path}:{line_no}: utterance id {utt!r} is not '{speaker}_{chapter}_<paragraph: 6 digits>_<sentence: 6 digits>'"
            )
        if utt in seen:
            raise LibriTTSFormatError(f"{path}:{line_no}: utterance id {utt!r} repeats line {seen[utt]}")
        seen[utt] = line_no
        rows.append((utt, row["original text"], row["normalized text"], line_no))
    return sorted(rows)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not isinstance(shard, list):
        raise LibriTTSFormatError(f"shard {shard!r} is not a list of '<subset>/<speaker id>'")
    speakers_path = root / SPEAKERS_FILE
    genders = read_speakers(speakers_path)
    skips = Skips(f"LibriTTS-R shard [{', '.join(map(str, shard))}] in {root}", SOURCE.missing_audio)
    for rel in shard:
        subset, _, speaker = str(rel).partition("/")
        if subset not in SUBSETS or not speaker.isdigit():
            raise LibriTTSFormatError(f"shard entry {rel!r} is not '<subset>/<speaker id>'")
        if speaker not in genders:
            raise LibriTTSFormatError(
                f"{speakers_path}: speaker {speaker} (folder {root / rel}) has no row; expected '{speaker} | F or M | {subset} | ...'"
            )
        for chapter in numbered_dirs(root / rel):
            folder = root / rel / chapter
            folder_path = os.fspath(folder)
            present = set(visible_names(folder))
            name = f"{speaker}_{chapter}.trans.tsv"
            if name not in present:
                skips.add("chapter folder(s) with no <spk>_<chapter>.trans.tsv", f"{rel}/{chapter}")
                continue
            for utt, original, normalized, line_no in read_transcript(folder / name, speaker, chapter):
                if utt in KNOWN_CORRUPT:
                    skips.add("known-corrupt utterance(s)", utt)
                    continue
                if f"{utt}.wav" not in present:
                    skips.add("transcript line(s) whose .wav file is missing", f"{name}:{line_no}")
                    continue
                yield {
                    "id": utt,
                    "audio": os.path.join(folder_path, f"{utt}.wav"),
                    "text": normalized,
                    "text_original": original,
                    "speaker": speaker,
                    "chapter": chapter,
                    "paragraph_id": utt.rsplit("_", 1)[0],
                    "gender": genders[speaker],
                    "language": "en",
                    "language_name": "English",
                    "subset": subset,
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
    labels={"gender": tuple(GENDERS.values()), "language": ("en",), "language_name": ("English",)},
    languages=("en",),
)
