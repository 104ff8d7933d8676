"""FLEURS (Conneau et al. 2022, Google): the FLoRes-101 sentences read aloud in 102 languages, about 12 h per
language, 16 kHz WAV; the same sentence ``id`` in every language, which is what translation pairs are made of.

Licence: CC BY 4.0 (the Hugging Face ``google/fleurs`` card), so the audio may be redistributed with attribution.

Layout (looked up in the Hugging Face ``fleurs.py`` loading script and the ``xtreme_s`` builders of HF datasets
and TFDS): each language ships as ``<lang>/{train,dev,test}.tsv`` and its audio, either as one archive per
language (``FLEURS102/<lang>.tar.gz`` on Google storage, which extracts to ``<lang>/audio/<split>/*.wav``) or, on
the Hub, as ``data/<lang>/audio/<split>.tar.gz`` archives whose members are ``<split>/<file>.wav``, so that
extracting one inside ``audio/`` gives the same ``audio/<split>/`` folder::

    <root>/                      (or <root>/data/, the Hub repository's folder)
      en_us/train.tsv  en_us/dev.tsv  en_us/test.tsv
      en_us/audio/train/<n>.wav  en_us/audio/dev/...  en_us/audio/test/...
      cmn_hans_cn/...

The TSVs are tab-separated, UTF-8, without header, 7 columns: ``id``, ``file_name``, ``raw_transcription``,
``transcription`` (normalised), ``char_transcription`` (characters, ``|`` between words), ``num_samples`` (at
16 kHz) and ``gender`` (``MALE``/``FEMALE``/``OTHER``). They are read with ``QUOTE_NONE``: transcriptions hold
quotes. There is no speaker id; the same ``id`` repeats within a split (several readers of one sentence).

Audio in archives: a split whose ``audio/<split>/`` folder is absent but whose ``audio/<split>.tar.gz`` exists
has its rows skipped and counted with the reason "not extracted" (audio is read from files, and nothing is
extracted into the user's folder for them); extract the archive in place to read them.

Records: one row. ``text`` is ``raw_transcription`` (cased, punctuated), ``text_normalized`` the
``transcription``. ``language`` is the ISO 639-1 code of the language where one exists, else ISO 639-3
(``cmn`` -> ``zh``, the same as the other Mandarin corpora), ``language_name`` its English name, ``locale`` the
FLEURS folder name (``cmn_hans_cn``). Older ``xtreme_s`` folder names (``oci_fr``, ``ku_arab_iq``,
``sd_arab_in``, ``ceb``) map to the same codes. ``gender`` female/male; ``OTHER`` is left unset.

Translation pairs (speech translation and speech-to-speech translation), made here so that the task shapes stay
one record -> one instance: each (language, split) shard draws its target languages deterministically: English
(``en_us``) when present and not the source, and one other language chosen by a stable hash of (language,
split). Each row's target is one of them chosen by a stable hash of its id, or the other when the first lacks
the sentence; within the target, a row with the same sentence ``id`` is chosen by the same hash when several
readers recorded it. ``translation_text`` is that row's ``raw_transcription``, ``translation_audio`` its WAV (None
when absent, so only speech-to-speech translation leaves it out), ``target_language_name`` the slot the
instruction names. A row whose sentence no target language has gets no translation (translation tasks leave it
out, counted). A shard thus reads three TSVs, not 102.

Splits: the corpus's own ``train``/``dev``/``test`` (``dev`` -> validation). Shards: one per language and split.
Rows whose WAV is missing are skipped and counted once per shard (the HF script skips them too).

Malformed rows: a line that is not seven tab-separated fields, or whose id, file_name, num_samples, gender or
raw_transcription is not what the HF script reads, is an error naming file and line; under ``on_error="skip"``
it is skipped and counted by every shard reading the TSV (its own language's, and those reading it for
translation partners), once per split loaded. No row depends on another: a sentence whose partner
row is malformed is paired with another reader or language, or with none, as when the partner is absent.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

SPLITS = {"train": "train", "dev": "validation", "test": "test"}
COLUMNS = (
    "id",
    "file_name",
    "raw_transcription",
    "transcription",
    "char_transcription",
    "num_samples",
    "gender",
)
GENDERS = {"FEMALE": "female", "MALE": "male", "OTHER": None}
ENGLISH = "en_us"
# FLEURS language prefix -> (ISO 639-1 code, else 639-3; English name)
LANGUAGES = {
    "af": ("af", "Afrikaans"), "am": ("am", "Amharic"), "ar": ("ar", "Arabic"), "as": ("as", "Assamese"),
    "ast": ("ast", "Asturian"), "az": ("az", "Azerbaijani"), "be": ("be", "Belarusian"), "bg": ("bg", "Bulgarian"),
    "bn": ("bn", "Bengali"), "bs": ("bs", "Bosnian"), "ca": ("ca", "Catalan"), "ceb": ("ceb", "Cebuano"),
    "ckb": ("ckb", "Central Kurdish"), "ku": ("ckb", "Central Kurdish"), "cmn": ("zh", "Mandarin Chinese"),
    "cs": ("cs", "Czech"), "cy": ("cy", "Welsh"), "da": ("da", "Danish"), "de": ("de", "German"),
    "el": ("el", "Greek"), "en": ("en", "English"), "es": ("es", "Spanish"), "et": ("et", "Estonian"),
    "fa": ("fa", "Persian"), "ff": ("ff", "Fula"), "fi": ("fi", "Finnish"), "fil": ("fil", "Filipino"),
    "fr": ("fr", "French"), "ga": ("ga", "Irish"), "gl": ("gl", "Galician"), "gu": ("gu", "Gujarati"),
    "ha": ("ha", "Hausa"), "he": ("he", "Hebrew"), "hi": ("hi", "Hindi"), "hr": ("hr", "Croatian"),
    "hu": ("hu", "Hungarian"), "hy": ("hy", "Armenian"), "id": ("id", "Indonesian"), "ig": ("ig", "Igbo"),
    "is": ("is", "Icelandic"), "it": ("it", "Italian"), "ja": ("ja", "Japanese"), "jv": ("jv", "Javanese"),
    "ka": ("ka", "Georgian"), "kam": ("kam", "Kamba"), "kea": ("kea", "Kabuverdianu"), "kk": ("kk", "Kazakh"),
    "km": ("km", "Khmer"), "kn": ("kn", "Kannada"), "ko": ("ko", "Korean"), "ky": ("ky", "Kyrgyz"),
    "lb": ("lb", "Luxembourgish"), "lg": ("lg", "Ganda"), "ln": ("ln", "Lingala"), "lo": ("lo", "Lao"),
    "lt": ("lt", "Lithuanian"), "luo": ("luo", "Luo"), "lv": ("lv", "Latvian"), "mi": ("mi", "Maori"),
    "mk": ("mk", "Macedonian"), "ml": ("ml", "Malayalam"), "mn": ("mn", "Mongolian"), "mr": ("mr", "Marathi"),
    "ms": ("ms", "Malay"), "mt": ("mt", "Maltese"), "my": ("my", "Burmese"), "nb": ("nb", "Norwegian Bokmal"),
    "ne": ("ne", "Nepali"), "nl": ("nl", "Dutch"), "nso": ("nso", "Northern Sotho"), "ny": ("ny", "Nyanja"),
    "oc": ("oc", "Occitan"), "oci": ("oc", "Occitan"), "om": ("om", "Oromo"), "or": ("or", "Odia"),
    "pa": ("pa", "Punjabi"), "pl": ("pl", "Polish"), "ps": ("ps", "Pashto"), "pt": ("pt", "Portuguese"),
    "ro": ("ro", "Romanian"), "ru": ("ru", "Russian"), "sd": ("sd", "Sindhi"), "sk": ("sk", "Slovak"),
    "sl": ("sl", "Slovenian"), "sn": ("sn", "Shona"), "so": ("so", "Somali"), "sr": ("sr", "Serbian"),
    "sv": ("sv", "Swedish"), "sw": ("sw", "Swahili"), "ta": ("ta", "Tamil"), "te": ("te", "Telugu"),
    "tg": ("tg", "Tajik"), "th": ("th", "Thai"), "tr": ("tr", "Turkish"), "uk": ("uk", "Ukrainian"),
    "umb": ("umb", "Umbundu"), "ur": ("ur", "Urdu"), "uz": ("uz", "Uzbek"), "vi": ("vi", "Vietnamese"),
    "wo": ("wo", "Wolof"), "xh": ("xh", "Xhosa"), "yo": ("yo", "Yoruba"), "yue": ("yue", "Cantonese"),
    "zu": ("zu", "Zulu"),
}  # fmt: skip
LOCALE = re.compile(r"[a-z]{2,3}(?:_[a-z0-9]+)*")
FIELDS = (
    "id",
    "audio",
    "text",
    "text_normalized",
    "sentence_id",
    "gender",
    "num_samples",
    "language",
    "language_name",
    "locale",
    "translation_text",
    "translation_audio",
    "translation_audio_id",
    "target_language",
    "target_language_name",
)


class FleursFormatError(CorpusFormatError):
    """A FLEURS TSV that is not what the release's loading scripts say."""


def language_of(locale: str) -> tuple[str, str] | None:
    """(ISO code, English name) of a FLEURS folder name, or None when it is not one."""
    return LANGUAGES.get(locale.split("_", 1)[0]) if LOCALE.fullmatch(locale) else None


def _is_language(folder: Path) -> bool:
    return (
        language_of(folder.name) is not None
        and (folder / "audio").is_dir()
        and any((folder / f"{s}.tsv").is_file() for s in SPLITS)
    )


def _base(root: Path) -> Path | None:
    """The folder holding the language folders: the root, or its ``data/`` (the Hub repository)."""
    for base in (root, root / "data"):
        if any(_is_language(base / n) for n in visible_names(base)):
            return base
    return None


def detect(root: Path) -> bool:
    return _base(root) is not None


def _languages(base: Path) -> list[str]:
    return [n for n in visible_names(base) if _is_language(base / n)]


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[language folder, split file stem]`` per shard (relative to the root); nothing is read."""
    base = _base(root)
    if base is None:
        return {}
    rel = os.path.relpath(base, root)
    shards: dict[str, list[Shard]] = {}
    for lang in _languages(base):
        for stem, split in SPLITS.items():
            if (base / lang / f"{stem}.tsv").is_file():
                shards.setdefault(split, []).append([os.path.join(rel, lang), stem])
    return shards


def _stable(*parts: str) -> int:
    return stable_hash("\x1f".join(parts))


def read_rows(path: Path, skips: Skips | None = None) -> Iterator[tuple[int, dict]]:
    """The checked rows of one TSV: (line number, row). A malformed row raises, or given ``skips`` of a load that
    skips bad items, is skipped and counted there."""
    rows = csv_rows(path, FleursFormatError, delimiter="\t", columns=COLUMNS, quoting=csv.QUOTE_NONE, skips=skips)
    for line_no, row in rows:
        problem = _problem(row)
        if problem is None:
            yield line_no, row
            continue
        error = FleursFormatError(f"{path}:{line_no}: {problem}")
        if skips is None:
            raise error
        skips.bad(error)


def _problem(row: dict) -> str | None:
    """What is wrong with one TSV row, or None."""
    if not row["id"].strip().isdigit():
        return f"id {row['id']!r} is not a sentence number"
    name = row["file_name"].strip()
    if not name.endswith(".wav") or "/" in name or "\\" in name or name.startswith("."):
        return f"file_name {name!r} is not a .wav file name"
    if not row["num_samples"].strip().isdigit():
        return f"num_samples {row['num_samples']!r} is not a number of samples"
    if row["gender"].strip() not in GENDERS:
        return f"gender {row['gender']!r}; expected MALE, FEMALE or OTHER"
    if not row["raw_transcription"].strip():
        return "raw_transcription is empty"
    return None


def targets(base: Path, lang: str, stem: str) -> list[str]:
    """The target languages of a (language, split) shard: English first, then one drawn by a stable hash."""
    others = [n for n in _languages(base) if n != lang and (base / n / f"{stem}.tsv").is_file()]
    chosen = [ENGLISH] if ENGLISH in others else []
    rest = [n for n in others if n not in chosen]
    if rest:
        chosen.append(rest[_stable(lang, stem) % len(rest)])
    return chosen


def _partner(base: Path, lang: str, stem: str, sentence: str, row_id: str, pools: dict) -> tuple[str, dict] | None:
    order = pools["order"]
    if len(order) == 2 and _stable(row_id, "target") % 2:
        order = order[::-1]
    for target in order:
        rows = pools[target].get(sentence)
        if rows:
            return target, rows[_stable(row_id, "reader") % len(rows)]
    return None


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[1] in SPLITS):
        raise FleursFormatError(f"shard {shard!r} is not [language folder, split]")
    rel, stem = shard
    folder = root / rel
    base, lang = folder.parent, folder.name
    language = language_of(lang)
    if language is None:
        raise FleursFormatError(f"{folder}: not a FLEURS language folder such as en_us or cmn_hans_cn")
    path = folder / f"{stem}.tsv"
    audio_dir = folder / "audio" / stem
    unextracted = not audio_dir.is_dir() and (folder / "audio" / f"{stem}.tar.gz").is_file()
    pools: dict = {"order": targets(base, lang, stem)}
    for target in pools["order"]:
        by_id: dict[str, list[dict]] = {}
        tpath = base / target / f"{stem}.tsv"
        for _, row in read_rows(tpath, Skips(f"FLEURS {tpath}", SOURCE.missing_audio)):
            by_id.setdefault(row["id"].strip(), []).append(row)
        pools[target] = by_id
    skips = Skips(f"FLEURS {path}", SOURCE.missing_audio)
    for line_no, row in read_rows(path, skips):
        name = row["file_name"].strip()
        audio = audio_dir / name
        if unextracted:
            skips.add(f"row(s) whose audio is in audio/{stem}.tar.gz, not extracted", f"line {line_no}: {name}")
            continue
        if not audio.is_file():
            skips.add("row(s) whose WAV is missing", f"line {line_no}: {name}")
            continue
        sentence = row["id"].strip()
        rid = f"{lang}_{name[:-4]}"
        partner = _partner(base, lang, stem, sentence, rid, pools)
        translation = dict.fromkeys(
            ("translation_text", "translation_audio", "translation_audio_id", "target_language", "target_language_name")
        )
        if partner is not None:
            target, trow = partner
            tname = trow["file_name"].strip()
            taudio = base / target / "audio" / stem / tname
            code, tlang = language_of(target) or ("", "")
            translation.update(
                translation_text=trow["raw_transcription"].strip(),
                translation_audio=os.fspath(taudio) if taudio.is_file() else None,
                translation_audio_id=f"{target}_{tname[:-4]}" if taudio.is_file() else None,
                target_language=code,
                target_language_name=tlang,
            )
        yield {
            "id": rid,
            "audio": os.fspath(audio),
            "text": row["raw_transcription"].strip(),
            "text_normalized": row["transcription"].strip(),
            "sentence_id": sentence,
            "gender": GENDERS[row["gender"].strip()],
            "num_samples": int(row["num_samples"]),
            "language": language[0],
            "language_name": language[1],
            "locale": lang,
            **translation,
        }
    skips.report()


NAMES = tuple(dict.fromkeys(name for _, name in LANGUAGES.values()))
SOURCE = Source(
    name="fleurs",
    corpus="FLEURS",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://huggingface.co/datasets/google/fleurs",
    layout="<lang>/ folders (en_us, cmn_hans_cn, ...) with {train,dev,test}.tsv and audio/<split>/*.wav (or data/<lang>/...)",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="FLEURS",
    languages=tuple(dict.fromkeys(code for code, _ in LANGUAGES.values())),
    audio_fields=frozenset({"audio", "translation_audio"}),
    labels={
        "gender": ("female", "male"),
        "language_name": NAMES,
        "target_language_name": NAMES,
    },
)
