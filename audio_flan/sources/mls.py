"""Multilingual LibriSpeech (MLS; OpenSLR 94; Pratap et al. 2020): LibriVox audiobooks read in English, German,
Dutch, French, Spanish, Italian, Portuguese and Polish, 16 kHz FLAC or Opus.

Licence: CC BY 4.0 (the OpenSLR 94 page and the Hugging Face card), so the audio may be redistributed with
attribution.

Layout, one archive per language (``mls_<language>.tar.gz`` with FLAC, ``mls_<language>_opus.tar.gz`` with Opus;
as lhotse's ``recipes/mls.py`` and the HF ``xtreme_s``/``multilingual_librispeech`` scripts read them)::

    mls_<language>/                      (mls_<language>_opus/ for the Opus archive)
      metainfo.txt  README  LICENSE
      {train,dev,test}/transcripts.txt   <id><TAB><lower-case text>, no header
      {train,dev,test}/segments.txt      <id><TAB><LibriVox URL><TAB><start><TAB><end> (not read)
      {train,dev,test}/audio/<speaker>/<book>/<speaker>_<book>_<NNNNNN>.flac   (or .opus)
      train/limited_supervision/{1hr/<k>,9hr}/handles.txt                      (not read)

``metainfo.txt``: a header ``SPEAKER | GENDER | PARTITION | MINUTES | BOOK ID | TITLE | CHAPTER``, then ``|``-
separated, space-padded rows, one per speaker and book; columns are found by name in the header and a row is
split into as many fields as the header has (titles may hold ``|``; lhotse reads the header as a speaker, which is
not copied). ``PARTITION`` includes ``secret`` (held-out speakers with no audio). Only SPEAKER and GENDER are used.

Records: one ``transcripts.txt`` row; the speaker and book are the first two fields of the id (the book is the
folder name; HF calls it ``chapter_id``). ``gender`` female/male from metainfo.txt (a speaker without a row has
it unset); ``language`` the ISO 639-1 code of the archive's language and ``language_name`` its English name. The
audio is ``.flac`` or, in an ``_opus`` copy, ``.opus`` (soundfile decodes Opus with libsndfile >= 1.1).

Splits: the corpus's own ``train``, ``dev`` (validation), ``test``. Shards: rows are dealt by a stable hash of
their speaker into up to 16 shards per split (the count judged by the size of ``transcripts.txt``; nothing is
read while listing), so a speaker's utterances and pairs stay in one shard. Rows whose audio file is absent are
skipped and counted once per shard.

Malformed lines: a ``transcripts.txt`` line that is not ``<speaker>_<book>_<seq><TAB><text>``, or a
``metainfo.txt`` row without the header's fields, a speaker number and F or M, is an error naming file and line;
under ``on_error="skip"`` it is skipped and counted by every shard reading it (every shard reads both files; the
load's report holds it once per split loaded). A malformed
metainfo row leaves its speaker's gender unknown, so that speaker's utterances are left out too, counted under
their own reason (by the shard holding them); a header that is not MLS's stays an error under every policy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

SPLITS = {"train": "train", "dev": "validation", "test": "test"}
LANGUAGES = {
    "english": ("en", "English"),
    "german": ("de", "German"),
    "dutch": ("nl", "Dutch"),
    "french": ("fr", "French"),
    "spanish": ("es", "Spanish"),
    "italian": ("it", "Italian"),
    "portuguese": ("pt", "Portuguese"),
    "polish": ("pl", "Polish"),
}
FOLDER = re.compile(r"mls_(?P<lang>[a-z]+?)(?P<opus>_opus)?")
UTTERANCE = re.compile(r"(?P<spk>\d+)_(?P<book>\d+)_(?P<seq>\d+)")
GENDERS = {"F": "female", "M": "male"}
METAINFO = "metainfo.txt"
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 20
FIELDS = ("id", "audio", "text", "speaker", "book", "gender", "language", "language_name")


class MLSFormatError(CorpusFormatError):
    """An MLS file that is not what the release's layout says."""


def _language(root: Path) -> tuple[str, str, bool] | None:
    """(code, name, opus) of an ``mls_<language>[_opus]`` folder, or None."""
    match = FOLDER.fullmatch(root.name)
    if not match or match["lang"] not in LANGUAGES:
        return None
    return (*LANGUAGES[match["lang"]], bool(match["opus"]))


def detect(root: Path) -> bool:
    return (
        _language(root.resolve()) is not None
        and (root / METAINFO).is_file()
        and any((root / s / "transcripts.txt").is_file() for s in SPLITS)
    )


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, index, count]`` per shard; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for folder, split in SPLITS.items():
        path = root / folder / "transcripts.txt"
        if path.is_file():
            count = max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))
            shards[split] = [[folder, i, count] for i in range(count)]
    return shards


def read_genders(path: Path, malformed: dict[str, MLSFormatError] | None = None) -> dict[str, str]:
    """Speaker -> female/male from ``metainfo.txt``, its columns found by name in the header. A malformed row
    raises, or given ``malformed`` (a load that skips bad items) is put there, keyed by its SPEAKER field (by
    ``line <n>`` when that field is not a speaker number), and its speaker left out of the result."""
    genders: dict[str, str] = {}
    header: list[str] | None = None
    for line_no, line in text_lines(path, MLSFormatError, errors="replace"):  # titles may hold any bytes
        if not line.strip():
            continue
        if header is None:
            header = [h.strip() for h in line.split("|")]
            if "SPEAKER" not in header or "GENDER" not in header:
                raise MLSFormatError(
                    f"{path}:{line_no}: expected the header 'SPEAKER | GENDER | PARTITION | MINUTES | BOOK ID | TITLE | CHAPTER'"
                )
            continue
        fields = [f.strip() for f in line.split("|", len(header) - 1)]
        speaker = fields[header.index("SPEAKER")] if len(fields) == len(header) else fields[0]
        try:
            genders.setdefault(speaker, _gender(path, line_no, header, fields))
        except MLSFormatError as err:
            if malformed is None:
                raise
            malformed.setdefault(speaker if speaker.isdigit() else f"line {line_no}", err)
    if header is None:
        raise MLSFormatError(f"{path}:1: the file is empty; expected the header SPEAKER | GENDER | ...")
    for speaker in malformed or ():
        genders.pop(speaker, None)  # another row of a speaker with a malformed one is not trusted either
    return genders


def _gender(path: Path, line_no: int, header: list[str], fields: list[str]) -> str:
    """female/male of one checked metainfo.txt row."""
    if len(fields) != len(header):
        raise MLSFormatError(f"{path}:{line_no}: expected {len(header)} '|'-separated fields, got {len(fields)}")
    speaker, gender = fields[header.index("SPEAKER")], fields[header.index("GENDER")]
    if not speaker.isdigit():
        raise MLSFormatError(f"{path}:{line_no}: SPEAKER {speaker!r} is not a speaker number")
    if gender not in GENDERS:
        raise MLSFormatError(f"{path}:{line_no}: GENDER of speaker {speaker} is {gender!r}; expected F or M")
    return GENDERS[gender]


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in SPLITS):
        raise MLSFormatError(f"shard {shard!r} is not [split folder, index, count]")
    folder, index, count = shard
    language = _language(root.resolve())
    if language is None:
        raise MLSFormatError(f"{root}: not an mls_<language> folder of one of {', '.join(LANGUAGES)}")
    code, name, opus = language
    suffix = ".opus" if opus else ".flac"
    path = root / folder / "transcripts.txt"
    skips = Skips(f"MLS {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    # every shard reads (and counts the malformed lines of) metainfo.txt and its split's transcripts
    speaker_rows = Skips(f"MLS {root / METAINFO}", SOURCE.missing_audio)
    lines = Skips(f"MLS {path}", SOURCE.missing_audio)
    malformed: dict[str, MLSFormatError] | None = {} if skips.skipping else None
    genders = read_genders(root / METAINFO, malformed)
    for error in (malformed or {}).values():
        speaker_rows.bad(error)
    speaker_rows.report()
    for line_no, line in text_lines(path, MLSFormatError, skips=lines):
        if not line.strip():
            continue
        utt, tab, text = line.partition("\t")
        match = UTTERANCE.fullmatch(utt.strip())
        if not tab or not match or not text.strip():
            lines.bad(MLSFormatError(f"{path}:{line_no}: expected '<speaker>_<book>_<seq><TAB><text>', got {line!r}"))
            continue
        speaker, book = match["spk"], match["book"]
        if stable_hash(speaker) % count != index:
            continue
        utt = utt.strip()
        if malformed and speaker in malformed:
            skips.add(
                f"utterance(s) of a speaker whose {METAINFO} row is malformed",
                f"line {line_no}: {utt}",
                always=True,
                audio=False,
            )
            continue
        audio = root / folder / "audio" / speaker / book / f"{utt}{suffix}"
        if not audio.is_file():
            skips.add(f"row(s) whose {suffix} file is missing", f"line {line_no}: {utt}")
            continue
        yield {
            "id": utt,
            "audio": os.fspath(audio),
            "text": text.strip(),
            "speaker": speaker,
            "book": book,
            "gender": genders.get(speaker),
            "language": code,
            "language_name": name,
        }
    lines.report()
    skips.report()


SOURCE = Source(
    name="mls",
    corpus="MLS",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://www.openslr.org/94/",
    layout="mls_<language>[_opus]/ with metainfo.txt and {train,dev,test}/transcripts.txt, audio/<spk>/<book>/*.flac|opus",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MLS",
    languages=tuple(code for code, _ in LANGUAGES.values()),
    labels={
        "gender": tuple(GENDERS.values()),
        "language": tuple(code for code, _ in LANGUAGES.values()),
        "language_name": tuple(n for _, n in LANGUAGES.values()),
    },
)
