"""CCOM-HuQin (Zhang et al., TISMIR 2023): Chinese bowed-string (huqin) playing techniques recorded at the
Central Conservatory of Music, WAV 48 kHz mono. This parser reads the isolated technique clips (``SinglePT``);
the excerpts with note-level technique annotations are not read (no config here asks for them).

Licence: CC BY 4.0 (Zenodo record 11387046, v2.0.1; earlier DOI 10.5281/zenodo.6957454), so the audio may be
redistributed with attribution.

Layout, as ``CCOM-HuQin-v2.0.1-audios.zip`` extracts (the corpus notes: a public inspection report of the zip and
an ESPnet-style prep script that walks ``SinglePT/<instrument>/<technique>/*.wav``)::

    CCOM-HuQin-v2.0.1-audios/
      metadata-v2.0.csv  PTNamingConvention.pdf  readme-v2.0.1.pdf  xmlParser.py
      SinglePT/<Instrument>[-<performer>]/<PT>/<n>_<n>_..._<n>.wav    e.g. SinglePT/Erhu-1/Vibrato/1_1_8_1_1_1_1_1_1.wav
      Excerpts/<Instrument>/<piece>/...                                (not read)

**The technique is the parent folder** and the instrument the grandparent, with a performer suffix (``Erhu-1``,
``Erhu-2``) stripped; the numbers of the file name encode sub-parameters (speed, dynamics, interval; see
``PTNamingConvention.pdf``) and are kept only in the id. SinglePT clips are 32-bit integer PCM (0.13-2.77 s).
The corpus lists no files: it is its folders, so a missing clip cannot be told; a WAV shorter than a WAV header
(empty or cut off by a failed copy) is skipped and counted, and so are WAVs not at
``SinglePT/<instrument>/<PT>/<file>`` and WAVs in a technique folder this parser does not know. macOS debris and
dot files are never read.

Labels: the 13 technique folders, spelled out as the corpus's names are read aloud (:data:`TECHNIQUES`, folder ->
label): the Western terms in English (``Port`` -> ``portamento``, ``Pizz`` -> ``pizzicato``), the bowing
techniques named ``<x>G`` (``G`` for 弓 *gong*, bow) in their pinyin, the way erhu teaching names them, since
their English glosses are not settled: ``dungong`` 顿弓 (detached, staccato-like strokes), ``paogong`` 抛弓
(thrown bow, ricochet), ``duangong`` 断弓 (broken bow), ``tiaogong`` 跳弓 (springing bow), ``diangong`` 垫弓
(padded bow), ``jigong`` 击弓 (striking the strings), ``dajigong`` 大击弓 (striking hard). Appoggiatura (16
clips) and DaJiG (3) are rare: the comparison task's pairs are drawn per shard, so they simply yield few.
``instrument`` is the instrument folder without its performer suffix, lower case (``erhu``), ``performer`` the
suffix (``1``; empty without one).

Splits: the corpus has none, and few performers per instrument; everything is ``train``. One shard per
instrument folder (it holds every technique of that performer, so comparison pairs of both answers exist).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, visible_names

SINGLE = "SinglePT"
METADATA = "metadata-v2.0.csv"
#: technique folder -> label
TECHNIQUES = {
    "Appoggiatura": "appoggiatura",
    "DaJiG": "dajigong",
    "DianG": "diangong",
    "DuanG": "duangong",
    "DunG": "dungong",
    "JiG": "jigong",
    "PaoG": "paogong",
    "Pizz": "pizzicato",
    "Port": "portamento",
    "TiaoG": "tiaogong",
    "Tremolo": "tremolo",
    "Trill": "trill",
    "Vibrato": "vibrato",
}
LABELS = tuple(sorted(TECHNIQUES.values()))
WAV_HEADER = 44  # bytes: a file shorter than a WAV header holds no audio
_INSTRUMENT = re.compile(r"(?P<name>[A-Za-z]+)(?:-(?P<performer>\d+))?")
FIELDS = ("id", "audio", "technique", "instrument", "performer")


class CCOMHuQinFormatError(CorpusFormatError):
    """A CCOM-HuQin shard that does not name an instrument folder."""


def detect(root: Path) -> bool:
    return (root / SINGLE).is_dir() and ((root / METADATA).is_file() or (root / "PTNamingConvention.pdf").is_file())


def instrument_folders(root: Path) -> list[str]:
    base = root / SINGLE
    return [n for n in visible_names(base, strict=True) if _INSTRUMENT.fullmatch(n) and (base / n).is_dir()]


def list_shards(root: Path) -> dict[str, list[Shard]]:
    shards: list[Shard] = list(instrument_folders(root))
    return {"train": shards}


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    match = _INSTRUMENT.fullmatch(shard) if isinstance(shard, str) else None
    if match is None:
        raise CCOMHuQinFormatError(f"shard {shard!r} is not an instrument folder of {SINGLE}/ (Erhu-1, Banhu, ...)")
    folder = str(shard)
    skips = Skips(f"CCOM-HuQin {folder} in {root}", SOURCE.missing_audio)
    base = root / SINGLE / folder
    records = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        rel = Path(dirpath).relative_to(base)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".wav"):
                continue
            where = f"{folder}/{rel / name}"
            if len(rel.parts) != 1:
                skips.add("WAV(s) not at SinglePT/<instrument>/<technique>/<file>", where, always=True, audio=False)
                continue
            if rel.parts[0] not in TECHNIQUES:
                skips.add("WAV(s) in a folder that is not one of the 13 techniques", where, always=True, audio=False)
                continue
            if os.stat(os.path.join(dirpath, name)).st_size < WAV_HEADER:
                skips.add("WAV(s) too short to hold a WAV header (empty or truncated)", where)
                continue
            records.append(
                {
                    "id": f"{folder}/{rel.parts[0]}/{name[: -len('.wav')]}",
                    "audio": os.fspath(Path(dirpath) / name),
                    "technique": TECHNIQUES[rel.parts[0]],
                    "instrument": match["name"].lower(),
                    "performer": match["performer"] or "",
                }
            )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()


SOURCE = Source(
    name="ccom_huqin",
    corpus="CCOM-HuQin",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://zenodo.org/records/11387046",
    layout="CCOM-HuQin-v2.0.1-audios/ with SinglePT/<instrument>/<technique>/*.wav and metadata-v2.0.csv",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="CCOM-HuQin",
    labels={"technique": LABELS},
    languages=(),
)
