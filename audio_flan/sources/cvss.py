"""CVSS (Jia et al., LREC 2022): English speech-to-speech translation targets for the Common Voice release 4 clips
of 21 source languages (the CoVoST 2 X->En pairs), in two versions: CVSS-C (one canonical synthetic voice) and
CVSS-T (the source speaker's voice transferred). The source audio is not included: it is Common Voice 4.

Licence: CC BY 4.0 (the ``google-research-datasets/cvss`` README); the Common Voice source clips are CC0.

Layout. The archives ``cvss_{c,t}_<src>_en_v1.0.tar.gz`` (``storage.googleapis.com/cvss/cvss_{c,t}_v1.0/``)
hold ``{train,dev,test}.tsv`` and ``{train,dev,test}/<clip>.mp3.wav``; the TSVs have no header and two
tab-separated columns, the Common Voice clip name and the normalised English translation (identical in C and
T). ESPnet's ``egs2/cvss/s2st1`` recipe unpacks them into ``${CVSS}/<src>_en-<c|t>/`` and the Common Voice 4
locale archive into ``${CVSS}/commonvoice4/<src>/``, and ``local/cvss_data_prep.py`` strips ``.mp3`` and
re-appends ``.mp3.wav`` for the target. A root here is the folder holding both::

    <root>/
      cvss_c_fr_en_v1.0/  (or fr_en-c/, ESPnet's name)   train.tsv dev.tsv test.tsv  train/<clip>.mp3.wav ...
      cvss_t_fr_en_v1.0/  (or fr_en-t/)
      cv-corpus-4-2019-12-10/fr/clips/<clip>.mp3          (or commonvoice4/fr/clips/, ESPnet's arrangement)

(Common Voice 4 names its Chinese and Swedish folders ``zh-CN`` and ``sv-SE``; both spellings are probed.)

Records: one TSV row of one version: ``audio`` the Common Voice source clip (MP3, decoded by soundfile with
libsndfile >= 1.1), ``translation_audio`` the English target WAV of that version (None when absent: only
speech-to-speech translation leaves the row out), ``translation_text`` the English translation. The text is the
same in both versions, so only the first version present (C, else T) carries it: speech translation then gets
each pair once, and CVSS-T records feed speech-to-speech translation only. ``language`` is the source language
(ISO 639-1), ``target_language``/``target_language_name`` ``en``/English.

Splits: CVSS's ``train``/``dev``/``test`` (dev -> validation); ESPnet takes the train sources from CV4
``validated.tsv``, which is why clips are found by name in ``clips/`` and no CV TSV is read. Shards: one per
version folder and split. A row whose source clip is absent is skipped and counted ("possibly due to data
mismatch", as ESPnet says).

Malformed rows: a line that is not two tab-separated fields, whose first field is not a Common Voice clip name,
or whose translation is empty, is an error naming file and line; under ``on_error="skip"`` it is skipped and
counted. Each TSV is read by its own shard only, and no other row depends on a row, so nothing else is lost (a
pair whose CVSS-C row is malformed keeps its CVSS-T speech-to-speech record, without the text, as always).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

SPLITS = {"train": "train", "dev": "validation", "test": "test"}
VERSION = re.compile(r"cvss_(?P<v>[ct])_(?P<src>[a-z]{2})_en_v1\.0|(?P<src2>[a-z]{2})_en-(?P<v2>[ct])")
COMMON_VOICE = ("cv-corpus-4-2019-12-10", "commonvoice4")
CV_LOCALES = {"zh": ("zh-CN", "zh"), "sv": ("sv-SE", "sv")}
LANGUAGES = {
    "ar": "Arabic", "ca": "Catalan", "cy": "Welsh", "de": "German", "et": "Estonian", "es": "Spanish",
    "fa": "Persian", "fr": "French", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "lv": "Latvian",
    "mn": "Mongolian", "nl": "Dutch", "pt": "Portuguese", "ru": "Russian", "sl": "Slovenian", "sv": "Swedish",
    "ta": "Tamil", "tr": "Turkish", "zh": "Mandarin Chinese",
}  # fmt: skip
CLIP = re.compile(r"common_voice_[A-Za-z-]+_\d+\.mp3")
FIELDS = (
    "id",
    "audio",
    "translation_text",
    "translation_audio",
    "translation_audio_id",
    "version",
    "language",
    "language_name",
    "target_language",
    "target_language_name",
)


class CVSSFormatError(CorpusFormatError):
    """A CVSS TSV that is not what the release's README says."""


def _version(name: str) -> tuple[str, str] | None:
    """(version c|t, source language) of a CVSS folder name, or None."""
    match = VERSION.fullmatch(name)
    if not match:
        return None
    version, src = (match["v"], match["src"]) if match["v"] else (match["v2"], match["src2"])
    return (version, src) if src in LANGUAGES else None


def _versions(root: Path) -> list[str]:
    """The CVSS folders of a root, CVSS-C before CVSS-T."""
    found = [n for n in visible_names(root) if _version(n) and any((root / n / f"{s}.tsv").is_file() for s in SPLITS)]
    return sorted(found, key=lambda n: (_version(n) or ("", ""))[0])


def detect(root: Path) -> bool:
    return bool(_versions(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[CVSS folder, split]`` per shard; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for name in _versions(root):
        for stem, split in SPLITS.items():
            if (root / name / f"{stem}.tsv").is_file():
                shards.setdefault(split, []).append([name, stem])
    return shards


def clips_folder(root: Path, src: str) -> Path | None:
    """The Common Voice 4 ``clips/`` folder of a source language, or None."""
    for release in COMMON_VOICE:
        for locale in CV_LOCALES.get(src, (src,)):
            if (root / release / locale / "clips").is_dir():
                return root / release / locale / "clips"
    return None


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[1] in SPLITS and _version(str(shard[0]))):
        raise CVSSFormatError(f"shard {shard!r} is not [CVSS folder, split]")
    name, stem = shard
    version, src = _version(name) or ("", "")
    # the text goes with CVSS-C, or with CVSS-T when C is absent
    carries_text = version == "c" or not any(_version(n) == ("c", src) for n in _versions(root))
    path = root / name / f"{stem}.tsv"
    clips = clips_folder(root, src)
    skips = Skips(f"CVSS {path}", SOURCE.missing_audio)
    columns = ("clip", "translation")
    rows = csv_rows(path, CVSSFormatError, delimiter="\t", columns=columns, quoting=csv.QUOTE_NONE, skips=skips)
    for line_no, row in rows:
        clip, text = row["clip"].strip(), row["translation"].strip()
        if not CLIP.fullmatch(clip):
            skips.bad(
                CVSSFormatError(
                    f"{path}:{line_no}: {clip!r} is not a Common Voice clip name (common_voice_<locale>_<n>.mp3)"
                )
            )
            continue
        if not text:
            skips.bad(CVSSFormatError(f"{path}:{line_no}: the translation of {clip} is empty"))
            continue
        audio = None if clips is None else clips / clip
        if audio is None or not audio.is_file():
            skips.add(f"row(s) whose Common Voice 4 {src} clip is missing", f"line {line_no}: {clip}")
            continue
        target = root / name / stem / f"{clip}.wav"
        yield {
            "id": f"{version}_{clip[:-4]}",
            "audio": os.fspath(audio),
            "translation_text": text if carries_text else None,
            "translation_audio": os.fspath(target) if target.is_file() else None,
            "translation_audio_id": f"{version}_{clip[:-4]}_en" if target.is_file() else None,
            "version": f"CVSS-{version.upper()}",
            "language": src,
            "language_name": LANGUAGES[src],
            "target_language": "en",
            "target_language_name": "English",
        }
    skips.report()


SOURCE = Source(
    name="cvss",
    corpus="CVSS",
    license="CC BY 4.0 (targets); CC0 (Common Voice source clips)",
    redistributable=True,
    homepage="https://github.com/google-research-datasets/cvss",
    layout="a folder holding cvss_{c,t}_<src>_en_v1.0/ ({train,dev,test}.tsv, <split>/*.mp3.wav) and cv-corpus-4-2019-12-10/<src>/clips/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="CVSS",
    languages=(*LANGUAGES, "en"),
    audio_fields=frozenset({"audio", "translation_audio"}),
    labels={
        "language_name": tuple(LANGUAGES.values()),
        "target_language_name": ("English",),
        "version": ("CVSS-C", "CVSS-T"),
    },
)
