"""The Arab-Andalusian corpus as the Dunya notebooks leave it: the six ``andalusian_*.json`` API answers (one line
each, ``\\u``-escaped Arabic, as ``json.dump`` writes them), the audio under ``documents/<mbid>/<mbid>.mp3`` (one
recording as ``documents/<mbid>.mp3``), a recording without sections (a mawwāl, empty transliterated title), one
with sections whose audio was never downloaded, and ``bidūn`` nawba and mīzān values. Section times are
``HH:MM:SS``, so the MP3s last a few seconds and the sections fit in them."""

from __future__ import annotations

import json
from pathlib import Path

from .common import Corpus
from .saraga import mp3_bytes

RATE = 16000


def label(i: int, arabic: str, latin: str) -> dict:
    return {"id": i, "name": arabic, "transliterated_name": latin}


RAML = label(11, "رمل الماية", "rumil al-māīyah")
TAB_RAML = label(16, "رمل الماية", "rumil al-māīyah")
ZRKH = label(6, "الزركة", "al-zrkh")
NO_NAWBA = label(8, "بدون", "bidūn")
FREE = label(1, "بدون", "bidūn")
BASIT = label(2, "بسيط", "basīṭ")
QDAM = label(11, "قدام", "qdām")
MASHALIYA = label(17, "المشالية", "al-mashālīyah")
MUSSI = label(21, "الموسع", "al-mūssi‘")
INSIRAF = label(2, "الانصراف", "al-inṣirāf")


def section(start: str, end: str, nawba: dict, tab: dict, mizan: dict, form: dict) -> dict:
    return {"start_time": start, "tab": tab, "nawba": nawba, "end_time": end, "form": form, "mizan": mizan}


#: (mbid, Arabic title, transliterated title, sections, seconds of audio or None, audio as documents/<mbid>.mp3)
RECORDINGS = [
    (
        "2d91d7e4-904a-46b7-bce2-230ca4e1b1c4",
        "بسيط رمل الماية",
        "basīṭ raml al-māīyah",
        [
            section("00:00:00", "00:00:03", RAML, TAB_RAML, FREE, MASHALIYA),
            section("00:00:03", "00:00:07", RAML, TAB_RAML, BASIT, MUSSI),
        ],
        7.5,
        False,
    ),
    (
        "5a5432e8-efff-4010-88cc-1ad921cc2075",
        "يا عجبًا علاش ما تهواني",
        "yā ‘ajaban ‘lāsh mā tahwānī",
        [section("00:00:01", "00:00:05", NO_NAWBA, ZRKH, QDAM, INSIRAF)],
        5.5,
        False,
    ),
    ("b99ff2e9-2246-47be-875a-b2e33b28aff5", "موال على الحجاز الكبير", "", [], None, False),
    (
        "7448d9c2-5261-4e70-bd98-6ed8416f908f",
        "بسيط الماية",
        "basīṭ al-māīyah",
        [section("00:00:00", "00:02:10", RAML, TAB_RAML, FREE, MASHALIYA)],
        None,
        False,
    ),
    (
        "64eb6302-34ec-4434-a004-4e7e503c3e6c",
        "قدام الحجاز المشرقي",
        "",
        [section("00:00:00", "00:00:03", RAML, TAB_RAML, QDAM, INSIRAF)],
        3.5,
        True,
    ),
]
EXPECTED = {
    "2d91d7e4-904a-46b7-bce2-230ca4e1b1c4/1": (
        0.0,
        3.0,
        "A section of Arab-Andalusian music in the form al-mashālīyah from nawba rumil al-māīyah, in ṭāb‘ rumil "
        'al-māīyah and in free rhythm, from "basīṭ raml al-māīyah".',
    ),
    "2d91d7e4-904a-46b7-bce2-230ca4e1b1c4/2": (
        3.0,
        4.0,
        "A section of Arab-Andalusian music in the form al-mūssi‘ from nawba rumil al-māīyah, in ṭāb‘ rumil al-māīyah "
        'and mīzān basīṭ, from "basīṭ raml al-māīyah".',
    ),
    "5a5432e8-efff-4010-88cc-1ad921cc2075/1": (
        1.0,
        4.0,
        "A section of Arab-Andalusian music in the form al-inṣirāf, in ṭāb‘ al-zrkh and mīzān qdām, "
        'from "yā ‘ajaban ‘lāsh mā tahwānī".',
    ),
    "64eb6302-34ec-4434-a004-4e7e503c3e6c/1": (
        0.0,
        3.0,
        "A section of Arab-Andalusian music in the form al-inṣirāf from nawba rumil al-māīyah, in ṭāb‘ rumil "
        'al-māīyah and mīzān qdām, from "قدام الحجاز المشرقي".',
    ),
}


def paged(results: list) -> dict:
    return {"next": None, "previous": None, "count": len(results), "results": results}


def audio_path(root: Path, mbid: str, flat: bool) -> Path:
    return root / "documents" / f"{mbid}.mp3" if flat else root / "documents" / mbid / f"{mbid}.mp3"


def write_metadata(root: Path, recordings: list) -> None:
    root.mkdir(parents=True, exist_ok=True)
    description = [
        {
            "archive_url": "",
            "mbid": mbid,
            "sections": sections,
            "musescore_url": "",
            "transliterated_title": latin,
            "title": arabic,
        }
        for mbid, arabic, latin, sections, _, _ in recordings
    ]
    files = {
        "description": description,
        "recording": paged([{"transliterated_title": r[2], "title": r[1], "mbid": r[0]} for r in recordings]),
        "nawba": paged([RAML, NO_NAWBA]),
        "tab": paged([TAB_RAML, ZRKH]),
        "mizan": paged([FREE, BASIT, QDAM]),
        "form": paged([MASHALIYA, MUSSI, INSIRAF]),
    }
    for name, data in files.items():
        (root / f"andalusian_{name}.json").write_text(json.dumps(data), encoding="utf-8")


def build(base: Path) -> Corpus:
    root = base / "andalusian"
    write_metadata(root, RECORDINGS)
    paths = {}
    for k, (mbid, _, _, _, length, flat) in enumerate(RECORDINGS):
        if length is None:
            continue
        path = audio_path(root, mbid, flat)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(mp3_bytes(180.0 + 60 * k, length, RATE))
        paths[mbid] = path
    expected = {}
    for rid, (start, duration, description) in EXPECTED.items():
        mbid = rid.split("/")[0]
        expected[rid] = {
            "audio": str(paths[mbid]),
            "start": start,
            "duration": duration,
            "description": description,
            "split": "train",
        }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """The first recording's second section ends at ``0:07``, not ``HH:MM:SS`` (the file is one line)."""
    path = corpus.root / "andalusian_description.json"
    text = path.read_text(encoding="utf-8")
    assert text.count('"end_time": "00:00:07"') == 1
    path.write_text(text.replace('"end_time": "00:00:07"', '"end_time": "0:07"'), encoding="utf-8")
    return path, 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    """The recording with one section in ``documents/<mbid>/``."""
    rid = "5a5432e8-efff-4010-88cc-1ad921cc2075/1"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
