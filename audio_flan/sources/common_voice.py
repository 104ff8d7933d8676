"""Common Voice (Mozilla): crowd-sourced read speech in 100+ languages, MP3 clips with per-clip demographics.

Licence: CC0 1.0, so the audio may be redistributed.

Layout, as the per-locale archives ``cv-corpus-<version>-<date>-<locale>.tar.gz`` extract (any version; the
column names are read from each TSV's header, since they changed between releases)::

    cv-corpus-<version>-<date>/<locale>/
      clips/common_voice_<locale>_<n>.mp3
      train.tsv  dev.tsv  test.tsv  validated.tsv  invalidated.tsv  other.tsv  reported.tsv ...

Clip TSVs are tab-separated with a header; ``client_id``, ``path`` and ``sentence`` are always there; ``age``,
``gender``, ``accent`` (``accents`` from about v8), ``locale`` (from v5) and ``variant`` (v13+) when the release
has them. Sentences hold unbalanced quotes, so the TSVs are read with ``QUOTE_NONE``.

A root is a locale folder (``clips/`` beside the TSVs) or a ``cv-corpus-*`` folder holding locale folders.
Splits are the release's ``train.tsv``/``dev.tsv``/``test.tsv``; a delta release (no split files) reads
``validated.tsv`` and splits by a stable hash of ``client_id`` (1 in 20 test, 1 in 20 validation), so no
speaker is in two splits. ``invalidated``/``other``/``reported`` are status buckets and are not read.

Labels, the same spellings as the other corpora: ``gender`` ``female``/``male`` (``female_feminine`` and
``male_masculine`` of v17+ map there; any other answer is left unset, so gender recognition leaves that clip
out, counted); ``age_group`` as Common Voice's age buckets with its misspelled ``fourties`` written ``forties``;
``accent`` the free-form answer as written; ``language`` the locale code (BCP 47, e.g. ``zh-CN``) and
``language_name`` its English name where known. Empty demographics are unset (None).

Rows whose clip is absent are skipped and counted once per shard. Shards: rows are dealt by a stable hash of
``path`` into up to 16 shards per TSV, the count judged by the TSV's size (nothing is read while listing).

A malformed row is an error naming file and line by default; under ``on_error="skip"`` it is skipped and
counted once per split loaded: a row that cannot be split into the header's fields (or is not UTF-8) by every
shard reading the TSV (every shard reads every row), a row with a bad ``path``, an empty ``sentence`` or a ``locale`` that is
not a language code by the shard its ``path`` belongs to. A TSV without the header's columns is an error under
every policy.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._stable_hash import hash_split, stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

SPLIT_FILES = {"train.tsv": "train", "dev.tsv": "validation", "test.tsv": "test"}
VALIDATED = "validated.tsv"
REQUIRED = ("client_id", "path", "sentence")
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 20
GENDERS = {"female": "female", "female_feminine": "female", "male": "male", "male_masculine": "male"}
AGES = {
    "teens": "teens",
    "twenties": "twenties",
    "thirties": "thirties",
    "fourties": "forties",
    "forties": "forties",
    "fifties": "fifties",
    "sixties": "sixties",
    "seventies": "seventies",
    "eighties": "eighties",
    "nineties": "nineties",
}
LANGUAGES = {
    "ar": "Arabic", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "fy-NL": "Western Frisian", "ga-IE": "Irish", "gl": "Galician", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kab": "Kabyle",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mn": "Mongolian", "mt": "Maltese", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "sk": "Slovak",
    "sl": "Slovenian", "sv-SE": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "yue": "Cantonese", "zh-CN": "Chinese (Mandarin, China)",
    "zh-HK": "Chinese (Hong Kong)", "zh-TW": "Chinese (Mandarin, Taiwan)",
}  # fmt: skip
LOCALE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?")
FIELDS = ("id", "audio", "text", "speaker", "gender", "age_group", "accent", "language", "language_name", "locale")


class CommonVoiceFormatError(CorpusFormatError):
    """A Common Voice TSV that is not what the release's README says."""


def _is_locale(folder: Path) -> bool:
    return (folder / "clips").is_dir() and any((folder / n).is_file() for n in (*SPLIT_FILES, VALIDATED))


def _locales(root: Path) -> list[str]:
    """Locale folders of a root, relative to it ("." for a locale root)."""
    if _is_locale(root):
        return ["."]
    if not root.name.startswith("cv-corpus-"):
        return []
    return [n for n in visible_names(root) if LOCALE.fullmatch(n) and _is_locale(root / n)]


def detect(root: Path) -> bool:
    return bool(_locales(root))


def _count(path: Path) -> int:
    return max(1, min(MAX_SHARDS, path.stat().st_size // BYTES_PER_SHARD))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[locale folder, tsv, split, index, count]`` per shard; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for rel in _locales(root):
        folder = root / rel
        files = [(n, split) for n, split in SPLIT_FILES.items() if (folder / n).is_file()]
        if files:
            for name, split in files:
                count = _count(folder / name)
                shards.setdefault(split, []).extend([rel, name, split, i, count] for i in range(count))
        elif (folder / VALIDATED).is_file():  # a delta release: split by speaker
            count = _count(folder / VALIDATED)
            for split in ("train", "validation", "test"):
                shards.setdefault(split, []).extend([rel, VALIDATED, split, i, count] for i in range(count))
    return shards


def speaker_split(client_id: str) -> str:
    return hash_split(client_id, 20)


def _value(row: dict, *names: str) -> Optional[str]:
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return None


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 5 and shard[1] in (*SPLIT_FILES, VALIDATED)):
        raise CommonVoiceFormatError(f"shard {shard!r} is not [locale folder, tsv, split, index, count]")
    rel, name, split, index, count = shard
    folder = root / rel
    path = folder / name
    default_locale = folder.resolve().name if rel == "." else rel
    clips = folder / "clips"
    skips = Skips(f"Common Voice {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    lines = Skips(f"Common Voice {path}", SOURCE.missing_audio)
    rows = csv_rows(
        path, CommonVoiceFormatError, delimiter="\t", required=REQUIRED, quoting=csv.QUOTE_NONE, skips=lines
    )
    for line_no, row in rows:
        clip = row["path"].strip()
        if stable_hash(clip) % count != index:
            continue
        speaker = row["client_id"].strip()
        if name == VALIDATED and speaker_split(speaker) != split:
            continue
        sentence = row["sentence"].strip()
        locale = _value(row, "locale") or default_locale
        try:
            _check(f"{path}:{line_no}", clip, sentence, locale)
        except CommonVoiceFormatError as err:
            skips.bad(err)
            continue
        audio = clips / clip
        if not audio.is_file():
            skips.add("row(s) whose clip is missing", f"line {line_no}: {clip}")
            continue
        gender, age = _value(row, "gender"), _value(row, "age")
        yield {
            "id": clip.rsplit(".", 1)[0],
            "audio": os.fspath(audio),
            "text": sentence,
            "speaker": speaker,
            "gender": GENDERS.get(gender or ""),
            "age_group": AGES.get(age or ""),
            "accent": _value(row, "accents", "accent"),
            "language": locale,
            "language_name": LANGUAGES.get(locale, locale),
            "locale": locale,
        }
    skips.report()
    lines.report()


def _check(where: str, clip: str, sentence: str, locale: str) -> None:
    if not clip or "/" in clip or "\\" in clip or clip.startswith("."):
        raise CommonVoiceFormatError(f"{where}: path {clip!r} is not a clip file name inside clips/")
    if not sentence:
        raise CommonVoiceFormatError(f"{where}: the sentence of {clip} is empty")
    if not LOCALE.fullmatch(locale):
        raise CommonVoiceFormatError(f"{where}: locale {locale!r} is not a language code such as en or zh-CN")


SOURCE = Source(
    name="common_voice",
    corpus="Common Voice",
    license="CC0 1.0",
    redistributable=True,
    homepage="https://commonvoice.mozilla.org/",
    layout="cv-corpus-<version>/<locale>/ with clips/*.mp3 and train.tsv, dev.tsv, test.tsv (or validated.tsv)",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="CommonVoice",
    labels={"gender": ("female", "male"), "age_group": tuple(dict.fromkeys(AGES.values()))},
)
