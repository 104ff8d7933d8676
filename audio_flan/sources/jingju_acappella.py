"""Jingju a cappella singing, part 1 (CompMusic, Gong, Caro Repetto, Yang and Serra; Zenodo 1323561, version 7):
Beijing opera (jingju) arias sung a cappella by professional and amateur singers of the laosheng and dan role
types, with phrase, syllable and phoneme boundaries. Read for text-to-music and text-guided continuation: each
aria's catalogue row is turned into a one-sentence description of the music.

Licence (the dataset's ``readme.txt``): annotations CC BY-NC-SA 4.0; the WAVs ending ``upf`` or ``lon`` (recorded by
MTG-UPF) CC BY-NC-ND 4.0; those ending ``qm`` (recorded by C4DM, Queen Mary University of London) under the
isophonics SingingVoiceDataset licence (mirdata's loader says CC BY-NC 4.0 for the upf/lon audio). Non-commercial,
so export treats it as not redistributable.

Layout, as the record's files extract side by side (mirdata's ``compmusic_jingju_acappella`` loader, its
``REMOTES`` and its test resources, byte copies of the real files)::

    catalogue - laosheng.csv     catalogue - dan.csv      (the names hold spaces)
    wav/laosheng/<name>.wav      wav/dan/<name>.wav       44.1 kHz, mono or stereo
    annotation_txt/{laosheng,dan}/<name>_{phrase_char,phrase,syllable,phoneme}.txt   (not read)
    readme.txt

A catalogue is UTF-8 CSV with the header ``File name,Work,Phonetically annotated,Details,Legend``: the WAV's name
without ``.wav`` (``lseh-Tan_Yang_jia-Hong_yang_dong-qm``), the aria in Chinese (``“叹杨家投宋主心血用尽”——
《洪羊洞》（杨延昭）``), ``*`` where phonetically annotated, free details, and a legend cell that explains a
file-name prefix: ``lseh - role-type: lao sheng 老生, shenqiang: er huang 二黄`` (``shenqiang`` so spelled). The
laosheng catalogue has no final newline. A third-party inspection of the full record (found with the code search;
not the record itself) says the legend covers the shengqiang erhuang, fan erhuang, gao bo zi, bang zi, si ping
diao and xi pi, and that the catalogues do not match the WAVs one to one.

Decisions. The legend is read as a key: every legend cell of a catalogue defines its prefix, and a row takes the
role type and shengqiang of its own prefix (the part of its name before the first ``-``), whichever row defines it.
A row whose prefix no legend defines takes the role type of its catalogue (``lao sheng``, ``dan``) and no
shengqiang. A row whose field count is wrong, a legend cell not in that form, a prefix defined twice differently or
a name listed twice is an error naming the file and line (under ``on_error="skip"``, counted and skipped; a bad
legend row is left out with its legend, and rows of that prefix then lack their shengqiang, as an undefined prefix
does). A row whose WAV is absent is skipped and counted; a WAV of ``wav/<role>/`` that no catalogue row lists is
not read, and counted as such.

Fields: ``description`` e.g. ``An a cappella jingju (Beijing opera) aria of the lao sheng 老生 role type in er huang
二黄 shengqiang: “叹杨家投宋主心血用尽”——《洪羊洞》（杨延昭）.``; ``role_type``, ``shengqiang`` (None where
unknown) and ``work`` as the catalogue writes them. ``language`` is ``zh`` (the arias are sung in Mandarin with
jingju's stage pronunciation).

Splits: none in the corpus; everything is ``train``. One shard per catalogue.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, csv_rows

CATALOGUES = {"laosheng": "catalogue - laosheng.csv", "dan": "catalogue - dan.csv"}
ROLE_TYPES = {"laosheng": "lao sheng", "dan": "dan"}  # a catalogue's role type where no legend names a prefix
COLUMNS = ("File name", "Work", "Phonetically annotated", "Details", "Legend")
_LEGEND = re.compile(r"(?P<prefix>[A-Za-z]+)\s*-\s*role-type:\s*(?P<role>[^,]+?),\s*sheng?qiang:\s*(?P<mode>.+?)")
FIELDS = ("id", "audio", "description", "role_type", "shengqiang", "work", "language")


class JingjuFormatError(CorpusFormatError):
    """A Jingju a cappella catalogue row that is not what the dataset's catalogue holds."""


def detect(root: Path) -> bool:
    return any((root / name).is_file() for name in CATALOGUES.values()) and (root / "wav").is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {"train": [role for role, name in CATALOGUES.items() if (root / name).is_file()]}


def describe(role_type: str, shengqiang: str | None, work: str) -> str:
    text = f"An a cappella jingju (Beijing opera) aria of the {role_type} role type"
    if shengqiang:
        text += f" in {shengqiang} shengqiang"
    return f"{text}: {work}." if work else f"{text}."


def read_catalogue(path: Path, skips: Skips) -> tuple[list[tuple[int, str, str]], dict[str, tuple[str, str]]]:
    """The rows ``(line, file name, work)`` of a catalogue and its legend, prefix -> (role type, shengqiang)."""
    rows: list[tuple[int, str, str]] = []
    legend: dict[str, tuple[str, str]] = {}
    names: set[str] = set()
    for line_no, row in csv_rows(path, JingjuFormatError, required=COLUMNS, skips=skips):
        name, cell = row["File name"].strip(), row["Legend"].strip()
        try:
            if cell:
                match = _LEGEND.fullmatch(cell)
                if not match:
                    raise JingjuFormatError(
                        f"{path}:{line_no}: Legend {cell!r} is not '<prefix> - role-type: <role>, shenqiang: <mode>'"
                    )
                meaning = (match["role"].strip(), match["mode"].strip())
                if legend.setdefault(match["prefix"], meaning) != meaning:
                    raise JingjuFormatError(f"{path}:{line_no}: the prefix {match['prefix']!r} is defined twice")
            if name in names:
                raise JingjuFormatError(f"{path}:{line_no}: {name!r} is listed twice")
        except JingjuFormatError as err:
            skips.bad(err)
            continue
        if name:
            names.add(name)
            rows.append((line_no, name, row["Work"].strip()))
    return rows, legend


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in CATALOGUES:
        raise JingjuFormatError(f"shard {shard!r} is not a Jingju a cappella catalogue ({', '.join(CATALOGUES)})")
    role = str(shard)
    skips = Skips(f"Jingju a cappella {role} in {root}", SOURCE.missing_audio)
    rows, legend = read_catalogue(root / CATALOGUES[role], skips)
    folder = root / "wav" / role
    for _, name, work in rows:
        wav = folder / f"{name}.wav"
        if not wav.is_file():
            skips.add(f"catalogue row(s) whose wav/{role}/<name>.wav is missing", name)
            continue
        role_type, shengqiang = legend.get(name.split("-")[0], (ROLE_TYPES[role], None))
        yield {
            "id": name,
            "audio": os.fspath(wav),
            "description": describe(role_type, shengqiang, work),
            "role_type": role_type,
            "shengqiang": shengqiang,
            "work": work or None,
            "language": "zh",
        }
    listed = {f"{name}.wav" for _, name, _ in rows}
    for name in audio_files(folder, (".wav",)):
        if name not in listed:
            skips.add(f"WAV(s) of wav/{role}/ no catalogue row lists", name, always=True, audio=False)
    skips.report()


SOURCE = Source(
    name="jingju_acappella",
    corpus="Jingju a cappella singing",
    license="CC BY-NC-SA 4.0 (annotations), CC BY-NC-ND 4.0 (upf/lon audio), isophonics licence (qm audio)",
    redistributable=False,
    homepage="https://zenodo.org/record/1323561",
    layout="'catalogue - laosheng.csv' / 'catalogue - dan.csv' with wav/{laosheng,dan}/<name>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Jingju",
    languages=("zh",),
)
