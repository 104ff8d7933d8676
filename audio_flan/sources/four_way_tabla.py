"""Four-way Tabla (DAP-Lab, IIT Bombay; Rohit, Bhattacharjee and Rao, "Four-way Classification of Tabla Strokes
with Models Adapted from Automatic Drum Transcription", ISMIR 2021; Zenodo 7110248): about one-minute tabla solos
with the onset of every stroke annotated in four classes. Read for text-to-music and text-guided continuation: each
solo's onset annotation is turned into a one-sentence description of the playing.

Licence: CC BY 4.0 (mirdata's ``four_way_tabla`` loader, its ``LICENSE_INFO``, and the corpus notes; the same
loader's docstring says CC BY 3.0, a sentence carried over from its Mridangam Stroke loader), so the audio may be
redistributed with attribution.

Layout, as ``4way-tabla-ismir21-dataset.zip`` (Zenodo 7110248) extracts (mirdata's ``four_way_tabla`` loader, its
``REMOTES`` and its test resources, which are byte copies of real files; the DAP-Lab ``4way-tabla-transcription``
README points at the record)::

    4way-tabla-ismir21-dataset/{train,test}/audios/<id>.wav           44.1 kHz, 16 bit
    4way-tabla-ismir21-dataset/{train,test}/onsets/{b,d,rb,rt}/<id>.onsets

e.g. ``train/audios/AHK_solo-tintal-1.wav`` and ``test/audios/binati_SRC.wav``. 226 solos in train, 10 in test, each
about a minute long. An ``.onsets`` file holds one onset time in seconds per line, as numpy writes them
(``1.699999999999999956e+00``), with or without a final newline (mirdata's copies of
``test/onsets/b/binati_SRC.onsets`` and ``train/onsets/d/AHK_solo-tintal-1.onsets`` differ in this). The stroke
classes are the folder names: ``d`` damped, ``rt`` resonant treble, ``rb`` resonant bass, ``b`` resonant both (bass
and treble together). A solo with no stroke of a class has no file in that class's folder (mirdata's test copy of
``binati_SRC`` has no ``rt`` file).

Decisions. A solo is a WAV of ``audios/`` with at least one onset file; the classes whose file is absent (or
empty) count zero strokes. An onset line that is not a non-negative number of seconds, or that lies past the WAV's
end (by more than 50 ms), is an error naming the file and line (under ``on_error="skip"``, counted, and the solo
left out, since its counts would be wrong). An onset set whose WAV is absent is skipped and counted (as is a WAV
no header can be read from); a WAV with no onset file in any class is not read, and counted as such. Blank lines
hold nothing and are passed over.

Description rule (in the style of the other CompMusic descriptions): ``A tabla solo of <length>, <density> strokes
per second, mostly <kinds> strokes.`` The length is the WAV's duration from its header (``1 min 6 s``; under 10 s
with one decimal, ``3.0 s``); the density is all annotated strokes over that whole duration, one decimal; the kinds
are the most frequent class when it holds at least half of the strokes (``mostly damped strokes``), else the two
most frequent (``mostly damped and resonant treble strokes``); ties go in the order d, rt, rb, b. A solo whose files
annotate no stroke is ``A tabla solo of <length> with no strokes annotated.``

Fields: ``description``, ``seconds`` (the WAV's duration), ``strokes`` (all onsets) and the count of each class
(``damped``, ``resonant_treble``, ``resonant_bass``, ``resonant_both``). No language (instrumental).

Splits: the corpus's own ``train`` and ``test`` folders. One shard per split folder.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path

import soundfile as sf

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, text_lines, visible_names

FOLDERS = {"train": "train", "test": "test"}  # split -> its folder
KINDS = ("d", "rt", "rb", "b")  # the onset folders, in the order ties are broken
NAMES = {"d": "damped", "rt": "resonant treble", "rb": "resonant bass", "b": "resonant bass-and-treble"}
COUNT_FIELDS = {"d": "damped", "rt": "resonant_treble", "rb": "resonant_bass", "b": "resonant_both"}
SUFFIX = ".onsets"
END_TOLERANCE = 0.05  # seconds an onset may lie past the WAV's last sample (annotation rounding)
FIELDS = ("id", "audio", "description", "seconds", "strokes", *COUNT_FIELDS.values())


class TablaFormatError(CorpusFormatError):
    """A Four-way Tabla onset line that is not an onset time within its solo."""


def _is_split_folder(folder: Path) -> bool:
    onsets = folder / "onsets"
    return (folder / "audios").is_dir() and any((onsets / kind).is_dir() for kind in KINDS)


def detect(root: Path) -> bool:
    """A ``train`` or ``test`` folder holding ``audios/`` and an ``onsets/<class>/`` folder (listing only)."""
    return any(_is_split_folder(root / folder) for folder in FOLDERS.values())


def list_shards(root: Path) -> dict[str, list[Shard]]:
    return {split: [split] for split, folder in FOLDERS.items() if _is_split_folder(root / folder)}


def format_length(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def describe(seconds: float, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    length = format_length(seconds)
    if not total:
        return f"A tabla solo of {length} with no strokes annotated."
    ranked = sorted(KINDS, key=lambda k: (-counts[k], KINDS.index(k)))
    top = ranked[:1] if 2 * counts[ranked[0]] >= total else ranked[:2]
    kinds = " and ".join(NAMES[k] for k in top)
    return f"A tabla solo of {length}, {total / seconds:.1f} strokes per second, mostly {kinds} strokes."


def read_onsets(path: Path, seconds: float) -> int:
    """The number of onsets in one ``.onsets`` file, each checked to be a time within the solo."""
    count = 0
    for line_no, text in text_lines(path, TablaFormatError):
        cell = text.strip()
        if not cell:
            continue
        try:
            onset = float(cell)
        except ValueError:
            onset = math.nan
        if not (math.isfinite(onset) and onset >= 0):
            raise TablaFormatError(f"{path}:{line_no}: {cell!r} is not an onset time in seconds")
        if onset > seconds + END_TOLERANCE:
            raise TablaFormatError(f"{path}:{line_no}: onset {cell} s is past the end of the WAV ({seconds:.3f} s)")
        count += 1
    return count


def onset_sets(folder: Path, skips: Skips) -> dict[str, dict[str, Path]]:
    """id -> {class: its .onsets file} for every id with at least one onset file."""
    sets: dict[str, dict[str, Path]] = {}
    for kind in KINDS:
        kind_folder = folder / "onsets" / kind
        if not kind_folder.is_dir():
            continue
        for name in visible_names(kind_folder):
            if not name.endswith(SUFFIX) or not (kind_folder / name).is_file():
                skips.add(f"file(s) of onsets/{kind}/ not named <id>{SUFFIX}", name, always=True, audio=False)
                continue
            sets.setdefault(name[: -len(SUFFIX)], {})[kind] = kind_folder / name
    return sets


def _duration(path: Path) -> float | None:
    try:
        info = sf.info(os.fspath(path))
    except (RuntimeError, sf.LibsndfileError, OSError):
        return None
    return info.frames / info.samplerate if info.samplerate else None


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in FOLDERS:
        raise TablaFormatError(f"shard {shard!r} is not a Four-way Tabla split folder ({', '.join(FOLDERS)})")
    split = str(shard)
    folder = root / FOLDERS[split]
    skips = Skips(f"Four-way Tabla {split}/ in {root}", SOURCE.missing_audio)
    sets = onset_sets(folder, skips)
    audios = folder / "audios"
    for solo in sorted(sets):
        wav = audios / f"{solo}.wav"
        if not wav.is_file():
            skips.add("onset set(s) whose audios/<id>.wav is missing", solo)
            continue
        seconds = _duration(wav)
        if seconds is None or seconds <= 0:
            skips.add("WAV(s) whose header cannot be read", solo)
            continue
        try:
            counts = {kind: read_onsets(sets[solo][kind], seconds) if kind in sets[solo] else 0 for kind in KINDS}
        except TablaFormatError as err:
            skips.bad(err)
            continue
        yield {
            "id": solo,
            "audio": os.fspath(wav),
            "description": describe(seconds, counts),
            "seconds": round(seconds, 3),
            "strokes": sum(counts.values()),
            **{COUNT_FIELDS[kind]: counts[kind] for kind in KINDS},
        }
    for name in audio_files(audios, (".wav",)):
        if name[: -len(".wav")] not in sets:
            skips.add("WAV(s) of audios/ with no onset file", name, always=True, audio=False)
    skips.report()


SOURCE = Source(
    name="four_way_tabla",
    corpus="Four-way Tabla",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://zenodo.org/records/7110248",
    layout="4way-tabla-ismir21-dataset/ with {train,test}/audios/<id>.wav and .../onsets/{b,d,rb,rt}/<id>.onsets",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="FourWayTabla",
    languages=(),
)
