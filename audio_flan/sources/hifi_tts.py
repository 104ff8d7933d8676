"""Hi-Fi TTS (Hi-Fi Multi-Speaker English TTS Dataset, OpenSLR 109; Bakhturina et al. 2021): 291.6 hours of
English audiobook speech (LibriVox) from 10 speakers, at least 17 hours each, 44.1 kHz FLAC, split into
``clean`` and ``other`` by signal-to-noise ratio.

Licence: CC BY 4.0 (OpenSLR 109), so the audio may be redistributed with attribution.

Layout, as ``hi_fi_tts_v0.tar.gz`` extracts (NeMo's ``scripts/dataset_processing/tts/hifitts/get_data.py`` and
lhotse's ``recipes/hifitts.py`` read it so; our corpus notes, speech.md §15)::

    hi_fi_tts_v0/
      <speaker>_manifest_<clean|other>_<train|dev|test>.json      JSON lines, one utterance each
      audio/<speaker>_<clean|other>/<book id>/<file>.flac

A manifest line holds ``audio_filepath`` (relative to ``hi_fi_tts_v0/``), ``duration``, ``text``,
``text_no_preprocessing`` (the book's text, punctuated and cased) and ``text_normalized`` (numbers and
abbreviations spelled out). The speaker and the quality come only from the manifest's file name. Speakers and
genders (lhotse's ``ID2SPEAKER``/``ID2GENDER``): 92 Cori Samuel F, 6097 Phil Benson M, 9017 John Van Stan M, 6670
Mike Pelton M, 6671 Tony Oliva M, 8051 Maria Kasper F, 9136 Helen Taylor F, 11614 Sylviamb F, 11697 Celine Major
F, 12787 LikeManyWaters F; a speaker outside that table has no gender (gender recognition leaves them out).

What a record is: one manifest line, ``text`` its ``text_normalized`` (``text`` where a line lacks it) and
``text_original`` its ``text_no_preprocessing``. Splits: the manifests' ``train``/``dev``/``test``
(``dev`` -> ``validation``). Shards: up to 4 manifests of a split (several speakers, so speaker verification
pairs different speakers too). A line that is not a JSON object with ``audio_filepath`` and ``text``, or whose
path leads outside ``audio/``, is an error naming file and line; a line whose FLAC is absent is skipped and
counted once per shard.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

MANIFEST = re.compile(r"(?P<spk>\d+)_manifest_(?P<quality>clean|other)_(?P<part>train|dev|test)\.json")
SPLITS = {"train": "train", "dev": "validation", "test": "test"}
SPEAKERS = {
    "92": ("Cori Samuel", "female"),
    "6097": ("Phil Benson", "male"),
    "9017": ("John Van Stan", "male"),
    "6670": ("Mike Pelton", "male"),
    "6671": ("Tony Oliva", "male"),
    "8051": ("Maria Kasper", "female"),
    "9136": ("Helen Taylor", "female"),
    "11614": ("Sylviamb", "female"),
    "11697": ("Celine Major", "female"),
    "12787": ("LikeManyWaters", "female"),
}
MANIFESTS_PER_SHARD = 4
FIELDS = (
    "id",
    "audio",
    "text",
    "text_original",
    "speaker",
    "gender",
    "quality",
    "book",
    "duration",
    "language",
    "language_name",
)


class HiFiTTSFormatError(CorpusFormatError):
    """A Hi-Fi TTS manifest that is not what NeMo's and lhotse's readers expect."""


def detect(root: Path) -> bool:
    return (root / "audio").is_dir() and any(MANIFEST.fullmatch(n) for n in visible_names(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, manifest, ...]`` of up to 4 manifests (in speaker order). Reads nothing."""
    manifests: dict[str, list[str]] = {}
    for name in visible_names(root):
        match = MANIFEST.fullmatch(name)
        if match:
            manifests.setdefault(SPLITS[match["part"]], []).append(name)
    shards: dict[str, list[Shard]] = {}
    for split, names in manifests.items():
        names.sort(key=lambda n: (int(n.split("_")[0]), n))
        count = -(-len(names) // MANIFESTS_PER_SHARD)
        shards[split] = [[split, *names[i::count]] for i in range(count)]
    return shards


def _string(row: dict, key: str, where: str, required: bool = True) -> str | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HiFiTTSFormatError(f"{where}: {key!r} is {value!r}; expected a non-empty string")
    return value.strip()


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) >= 2 and shard[0] in SPLITS.values()):
        raise HiFiTTSFormatError(f"shard {shard!r} is not [split, manifest, ...]")
    skips = Skips(f"Hi-Fi TTS {shard[0]} shard [{', '.join(map(str, shard[1:]))}] in {root}", SOURCE.missing_audio)
    audio_root = os.path.realpath(root / "audio")
    for name in shard[1:]:
        match = MANIFEST.fullmatch(str(name))
        if match is None:
            raise HiFiTTSFormatError(f"shard entry {name!r} is not '<speaker>_manifest_<quality>_<part>.json'")
        path = root / str(name)
        speaker, quality = match["spk"], match["quality"]
        seen: dict[str, int] = {}
        for line_no, line in text_lines(path, HiFiTTSFormatError):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise HiFiTTSFormatError(f"{where}: not a JSON object ({err.msg} at column {err.colno})") from None
            if not isinstance(row, dict):
                raise HiFiTTSFormatError(f"{where}: expected a JSON object with audio_filepath and text")
            rel = _string(row, "audio_filepath", where)
            assert rel is not None
            audio = os.path.normpath(os.path.join(root, rel))
            if not os.path.realpath(audio).startswith(audio_root + os.sep) or not rel.endswith(".flac"):
                raise HiFiTTSFormatError(
                    f"{where}: audio_filepath {rel!r} is not 'audio/<speaker>_<quality>/<book>/<file>.flac'"
                )
            text = _string(row, "text_normalized", where, required=False) or _string(row, "text", where)
            original = _string(row, "text_no_preprocessing", where, required=False)
            book = Path(rel).parent.name
            rid = f"{speaker}_{quality}_{book}_{Path(rel).stem}"
            if rid in seen:
                raise HiFiTTSFormatError(f"{where}: {rel} is listed twice (first at line {seen[rid]})")
            seen[rid] = line_no
            if not os.path.isfile(audio):
                skips.add("manifest line(s) whose .flac file is missing", f"{name}:{line_no}")
                continue
            duration = row.get("duration")
            yield {
                "id": rid,
                "audio": audio,
                "text": text,
                "text_original": original or text,
                "speaker": speaker,
                "gender": SPEAKERS[speaker][1] if speaker in SPEAKERS else None,
                "quality": quality,
                "book": book,
                "duration": float(duration) if isinstance(duration, (int, float)) else None,
                "language": "en",
                "language_name": "English",
            }
    skips.report()


SOURCE = Source(
    name="hifi_tts",
    corpus="Hi-Fi TTS",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://www.openslr.org/109/",
    layout="hi_fi_tts_v0/ with <speaker>_manifest_<clean|other>_<train|dev|test>.json and "
    "audio/<speaker>_<quality>/<book>/<file>.flac",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="HiFiTTS",
    languages=("en",),
    labels={"gender": ("female", "male"), "language": ("en",), "language_name": ("English",)},
)
