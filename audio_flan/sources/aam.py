"""AAM, Artificial Audio Multitracks (Ostermann et al., 2023): 3,000 generated songs with their mixes, stems and
annotations of beats, chords, keys, tempi, instruments and every note.

Licence: CC BY 4.0 (Zenodo 5794629), so the audio may be redistributed with attribution.

Layout, as the Zenodo zips extract (file names from public download scripts; the ARFF writers read in GitHub
``fabianostermann/ArtificialSongGenerator``, ``util/ArffUtil.java`` and ``util/OnsetAnnotator.java``)::

    0001-1000-annotations-v1.1.0/<id>_beatinfo.arff   one row per beat: start time, bar count, quarter count
                                                        (1 = downbeat), chord name ('Fmaj', 'A#min', 'N.C.')
    0001-1000-annotations-v1.1.0/<id>_segments.arff   one row per section: start time, mark, tempo, key
                                                        ('C#maj', sharps only), instruments ('[Flute,Piano,...]'),
                                                        generator; the last row is an end marker (mark 'end')
    0001-1000-annotations-v1.1.0/<id>_onsets.arff     one row at every note-on and note-off: the time, then one
                                                        column per instrument: '[+62,66]' (62 starts, 66 held),
                                                        '[]' silent
    0001-1000-audio-mixes/<id>_mix.flac               (1001-2000, 2001-3000 alike)
    0001-1000-audio-multitracks*/<id>_<Instrument>.flac  optional: one stem per instrument of the song
    tinyAAM: annotations/, audio-mixes-mp3/<id>_mix.mp3, audio-multitracks-mp3/<id>_<Instrument>.mp3
    or all of them side by side in one folder: <id>_segments.arff ... <id>_mix.flac, <id>_<Instrument>.flac

What the record holds (Zenodo 5794629, found with the search tools; I could not open the record itself): 13 zips,
``{0001-1000,1001-2000,2001-3000}-{annotations-v1.1.0,audio-mixes,audio-multitracks,midis}.zip`` and ``info.zip``
(the names and MD5 sums in a public download script, the same names in a cluster job script that unzips them);
tinyAAM is a separate record (Zenodo 6771120, ``tinyAAM.zip`` with ``annotations/``, ``audio-mixes-mp3/``,
``audio-multitracks-mp3/`` inside). The full set's zips hold their files at the top level, with no folder: a
public benchmark reads ``<id>_beatinfo.arff`` out of ``0001-1000-annotations-v1.1.0.zip`` by that bare name, and
downloaders extract each zip into a folder of their choosing. So the folder names are the extractor's: a folder
named after its zip (``unzip -d``, a desktop "extract to folder"), tinyAAM's names (``annotations/``,
``audio-mixes*/``, ``audio-multitracks*/``), or every zip unzipped into one folder, files side by side; all three
are read. The stems inside the multitrack zips are ``<id>_<Instrument>.<ext>``: the generator saves each
instrument's part as ``<title>_<instrument name>.mid`` (``main/ArtificialSongGenerator.java``, ``saveToMidi``) and
the sampling robot records each MIDI file under its own name (``SamplingRoboter/src/main/SamplingRoboter.java``).

The annotation files are "ARFF-like": ``@RELATION``/``@ATTRIBUTE`` lines, then comma-separated rows with
single-quoted strings; some beatinfo files omit ``@DATA``, so rows are every non-blank line that does not start
with ``@`` or ``%``. Columns are taken from the ``@ATTRIBUTE`` lines where a file has them (the onsets' instrument
columns), else by position. A row that does not parse (a time that is not a number, a chord or key that is not
one) is an error naming the file and line; beat times that go backwards (a known quirk) are sorted, duplicates
dropped. Under ``on_error="skip"`` the first malformed row of a song's annotation files is counted and skipped,
and the song (every window of it) is left out, counted under its own reason: its beats, chords, keys or notes
would be incomplete. Each song's files are read by one shard only, so nothing is counted twice. A file without
sections and end marker stays an error under every policy.

Records are **windows** of a song: :data:`WINDOW` seconds from 0, as many as fit before the end marker, each a
region of the mix (``audio_values.Region``: only those frames are decoded), its annotations re-timed from the
window's start:

- ``beats``: the beat times (timeline ``points``); ``chords``: runs of equal beat chords as timed segments, in
  Harte notation (``C:maj``, ``Bb:min``, ``N`` for no chord; roots spelled as ``_music_labels.pitch_name``);
- ``key``: the key of the sections under the window when they agree (``_music_labels`` spelling), else None;
- ``beat_question`` with ``beat_instruments`` and ``beat_pitches``: one beat of the window (drawn by a hash of the
  window's id), named by its index in the window and its time; the instruments sounding during it (a note
  starting or held), their names as words (``ElectricBass`` is ``electric bass``); ``pitch_question`` names the melody instrument (the first of the section's list) on that
  beat and ``beat_pitches`` gives its pitches then, as note names with their MIDI numbers (None on a rest).

- ``stem`` with ``stem_instrument`` and ``instrument_family`` (``music.instrument_classification``: a mix has
  several instruments, a stem one): one instrument of the window, drawn by a hash of the window's id among those
  that sound in it (by the onsets; by the sections' lists for a song without them) and have a stem file, as a
  region of its stem; its family is the config's closed option set (NSynth's families), mapped from the
  generator's 31 default instruments (``main/Config.java``) in :data:`FAMILY`: bowed strings (Violin, Viola,
  Cello, Erhu, Jinghu, MorinKhuur) ``string``; guitars and plucked lutes (the three electric guitars,
  AcousticGuitar, Ukulele, Sitar, Balalaika) ``guitar``; Trumpet, Flugelhorn, Trombone ``brass``; Clarinet and the
  saxophones ``reed``; Flute, PanFlute, Shakuhachi, Fujara ``flute``; the pianos ``keyboard``; the four bass
  instruments (by their role; OrganBass too) ``bass``. ``Drums`` has no family among the options and is never
  drawn. A window without such a stem (no multitrack folder, as most users download only the mixes, or only
  drums) has None, and the config leaves it out and counts it. Stems are taken to start with the mix (they are
  its tracks), so a window is the same region of either.

A song whose mix is absent is skipped and counted (one warning per shard). There is no split: everything is
``train``; shards cut the songs of each annotation folder by a BLAKE2 hash of the id (about one per 64 songs,
judged from the folder listing, at most 8).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..audio_values import Region
from . import _music_labels as music
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

WINDOW = 10.0
MAX_SHARDS = 8
SONGS_PER_SHARD = 64
AUDIO_SUFFIXES = (".flac", ".mp3", ".wav")
_ANNOTATIONS = re.compile(r"(\d{4}-\d{4})-annotations.*|annotations")
_SONG = re.compile(r"(\d{4})_segments\.arff")
_CHORD = re.compile(r"([A-G][#b]?)(maj|min)")
_EVENTS = re.compile(r"\[([^\]]*)\]")
FIELDS = (
    "id",
    "audio",
    "song",
    "start",
    "beats",
    "chords",
    "key",
    "beat_question",
    "beat_instruments",
    "pitch_question",
    "beat_pitches",
    "stem",
    "stem_instrument",
    "instrument_family",
)
#: the generator's 31 default instruments (``main/Config.java``) -> music.instrument_classification's families
FAMILY = {
    **dict.fromkeys(("Violin", "Viola", "Cello", "Erhu", "Jinghu", "MorinKhuur"), "string"),
    **dict.fromkeys(("ElectricGuitarLead", "ElectricGuitarClean", "ElectricGuitarCrunch"), "guitar"),
    **dict.fromkeys(("AcousticGuitar", "Ukulele", "Sitar", "Balalaika"), "guitar"),
    **dict.fromkeys(("Trumpet", "Flugelhorn", "Trombone"), "brass"),
    **dict.fromkeys(("Clarinet", "AltoSax", "TenorSax"), "reed"),
    **dict.fromkeys(("Flute", "PanFlute", "Shakuhachi", "Fujara"), "flute"),
    **dict.fromkeys(("Piano", "BrightPiano", "ElectricPiano"), "keyboard"),
    **dict.fromkeys(("ElectricBass", "OrganBass", "DoubleBassPizz", "DoubleBassArco"), "bass"),
}
FAMILIES = tuple(sorted(set(FAMILY.values())))
_STEM = re.compile(r"(\d{4})_([A-Za-z]+)(\.flac|\.mp3|\.wav)")


class AAMFormatError(CorpusFormatError):
    """An AAM annotation file that is not what the generator writes."""


class AAMRowError(AAMFormatError):
    """One row of an AAM annotation file that does not parse (the rest of the file may be sound)."""


FLAT = "."  # the annotation "folder" of a copy whose zips were all extracted into the root, side by side
_FLAT_MIX = re.compile(r"\d{4}_mix(?:\.flac|\.mp3|\.wav)")


def annotation_dirs(root: Path) -> list[str]:
    names = visible_names(root)
    found = [n for n in names if _ANNOTATIONS.fullmatch(n) and (root / n).is_dir()]
    if any(_SONG.fullmatch(n) for n in names) and any(_FLAT_MIX.fullmatch(n) for n in names):
        found.append(FLAT)
    return found


def mix_dir(root: Path, annotations: str) -> Path | None:
    if annotations == FLAT:
        return root
    match = _ANNOTATIONS.fullmatch(annotations)
    prefixes = [f"{match[1]}-audio-mixes"] if match and match[1] else ["audio-mixes"]
    for name in visible_names(root):
        if any(name.startswith(p) for p in prefixes) and (root / name).is_dir():
            return root / name
    return None


def stem_dir(root: Path, annotations: str) -> Path | None:
    """The multitrack folder beside an annotation folder (``<range>-audio-multitracks*``), if the user has one."""
    if annotations == FLAT:
        return root
    match = _ANNOTATIONS.fullmatch(annotations)
    prefix = f"{match[1]}-audio-multitracks" if match and match[1] else "audio-multitracks"
    for name in visible_names(root):
        if name.startswith(prefix) and (root / name).is_dir():
            return root / name
    return None


def stem_files(folder: Path | None) -> dict[str, dict[str, str]]:
    """Song -> instrument -> stem path, for the stems of instruments with a family (one listing per shard)."""
    found: dict[str, dict[str, str]] = {}
    if folder is None:
        return found
    for name in visible_names(folder):
        match = _STEM.fullmatch(name)
        if match and match[2] in FAMILY:
            found.setdefault(match[1], {}).setdefault(match[2], os.fspath(folder / name))
    return found


def detect(root: Path) -> bool:
    return any(mix_dir(root, a) is not None for a in annotation_dirs(root))


def songs(folder: Path) -> list[str]:
    return [m[1] for n in visible_names(folder, strict=True) if (m := _SONG.fullmatch(n))]


def shard_of(song: str, count: int) -> int:
    return stable_hash(song) % count


def list_shards(root: Path) -> dict[str, list[Shard]]:
    shards: list[Shard] = []
    for folder in annotation_dirs(root):
        count = max(1, min(MAX_SHARDS, len(songs(root / folder)) // SONGS_PER_SHARD))
        shards += [[folder, i, count] for i in range(count)]
    return {"train": shards}


def read_arff(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(attribute names, (line, values) per data row) of an ARFF-like file."""
    names: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for line_no, text in text_lines(path, AAMFormatError):
        stripped = text.strip()
        if not stripped or stripped.startswith("%"):
            continue
        if stripped.startswith("@"):
            if stripped[:10].upper() == "@ATTRIBUTE":
                rest = stripped[10:].strip()
                name = rest[1:].split("'", 1)[0] if rest.startswith("'") else rest.split()[0]
                names.append(name)
            continue
        try:
            values = next(csv.reader([stripped], quotechar="'", skipinitialspace=True, strict=True))
        except csv.Error as err:
            raise AAMRowError(f"{path}:{line_no}: not a comma-separated ARFF row ({err})") from None
        rows.append((line_no, values))
    return names, rows


def _seconds(path: Path, line_no: int, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise AAMRowError(f"{path}:{line_no}: time {value!r} is not a number of seconds") from None
    if number < 0:
        raise AAMRowError(f"{path}:{line_no}: time {value!r} is negative")
    return number


def chord(path: Path, line_no: int, name: str) -> str:
    """An AAM chord name in Harte notation: ``A#min`` -> ``Bb:min``, ``N.C.`` -> ``N``."""
    if name in ("N.C.", "BASS_NOTE_EXCEPTION", ""):
        return "N"
    match = _CHORD.fullmatch(name)
    if not match:
        raise AAMRowError(f"{path}:{line_no}: chord {name!r} is not <root>maj, <root>min or N.C.")
    return f"{music.pitch_name(match[1])}:{match[2]}"


def read_beats(path: Path) -> list[tuple[float, str]]:
    """(time, chord) per beat, in time order, without repeated times."""
    _, rows = read_arff(path)
    beats: dict[float, str] = {}
    for line_no, values in rows:
        if len(values) < 4:
            raise AAMRowError(f"{path}:{line_no}: expected 4 fields (time, bar, quarter, chord), got {len(values)}")
        beats.setdefault(round(_seconds(path, line_no, values[0]), 6), chord(path, line_no, values[3].strip()))
    return sorted(beats.items())


def read_sections(path: Path) -> tuple[list[tuple[float, str, list[str]]], float]:
    """(start, key, instruments) per section, and the song's end (the end marker's time)."""
    _, rows = read_arff(path)
    sections, end = [], None
    for line_no, values in rows:
        if len(values) < 5:
            raise AAMRowError(f"{path}:{line_no}: expected 6 fields (time, mark, tempo, key, instruments, generator)")
        start = _seconds(path, line_no, values[0])
        if values[1].strip() == "end":
            end = start
            continue
        try:
            key = music.key(values[3])
        except ValueError as err:
            raise AAMRowError(f"{path}:{line_no}: {err}") from None
        listed = values[4].strip()
        if not (listed.startswith("[") and listed.endswith("]")):
            raise AAMRowError(f"{path}:{line_no}: instruments {listed!r} are not a [list]")
        sections.append((start, key, [i.strip() for i in listed[1:-1].split(",") if i.strip()]))
    if end is None or not sections:
        raise AAMFormatError(f"{path}:{len(rows) and rows[-1][0] or 1}: no sections and end marker row ('end')")
    return sorted(sections), end


def read_onsets(path: Path) -> tuple[list[str], list[tuple[float, dict[str, list[tuple[int, bool]]]]]]:
    """(instrument names, (time, instrument -> [(pitch, starts)] of sounding notes) per row)."""
    names, rows = read_arff(path)
    instruments = [n.removeprefix("Onset events of ").strip() for n in names[1:]]
    events = []
    for line_no, values in rows:
        if len(values) != len(names):
            raise AAMRowError(f"{path}:{line_no}: expected {len(names)} fields (time and one per instrument)")
        sounding: dict[str, list[tuple[int, bool]]] = {}
        for instrument, value in zip(instruments, values[1:]):
            match = _EVENTS.fullmatch(value.strip())
            if not match:
                raise AAMRowError(f"{path}:{line_no}: {instrument} events {value!r} are not a [list]")
            notes = []
            for item in filter(None, (i.strip() for i in match[1].split(","))):
                if not item.lstrip("+").isdigit():
                    raise AAMRowError(f"{path}:{line_no}: {instrument} event {item!r} is not a MIDI pitch")
                notes.append((int(item.lstrip("+")), item.startswith("+")))
            if notes:
                sounding[instrument] = notes
        events.append((_seconds(path, line_no, values[0]), sounding))
    return instruments, sorted(events, key=lambda e: e[0])


def sounding(events, start: float, end: float) -> dict[str, set[int]]:
    """Instrument -> pitches sounding in [start, end): held from the last row before, or starting inside."""
    before = [e for e in events if e[0] <= start]
    active: dict[str, set[int]] = {i: {p for p, _ in n} for i, n in (before[-1][1].items() if before else [])}
    for time, notes in events:
        if start < time < end:
            for instrument, pitches in notes.items():
                active.setdefault(instrument, set()).update(p for p, starts in pitches if starts)
    return {i: p for i, p in active.items() if p}


def instrument_name(name: str) -> str:
    """AAM's class-like instrument names as words: ``ElectricBass`` -> ``electric bass``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _prose(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def windows(root: Path, folder: str, song: str, mix: str, stems: dict[str, str] | None = None) -> Iterator[Record]:
    base = root / folder
    sections, end = read_sections(base / f"{song}_segments.arff")
    beats = read_beats(base / f"{song}_beatinfo.arff")
    onsets_path = base / f"{song}_onsets.arff"
    _, events = read_onsets(onsets_path) if onsets_path.is_file() else ([], [])
    start = 0.0
    while start + WINDOW <= end + 1e-9:
        stop = start + WINDOW
        inside = [(t, c) for t, c in beats if start <= t < stop]
        keys = {k for s, k, _ in _overlapping(sections, start, stop)}
        runs: list[list] = []
        for i, (t, c) in enumerate(inside):
            until = inside[i + 1][0] if i + 1 < len(inside) else stop
            if runs and runs[-1][2] == c:
                runs[-1][1] = until - start
            else:
                runs.append([t - start, until - start, c])
        rid = f"{song}@{start:g}"
        question = instruments = pitch_question = pitches = None
        if inside and events:
            k = stable_hash(rid) % len(inside)
            t = inside[k][0]
            until = inside[k + 1][0] if k + 1 < len(inside) else stop
            heard = sounding(events, t, until)
            melody = next((i for s, _, listed in reversed(sections) if s <= t for i in listed[:1]), None)
            question = f"beat {k + 1} of this clip, from {t - start:.2f} s to {until - start:.2f} s"
            instruments = _prose(sorted(instrument_name(i) for i in heard)) if heard else None
            played = sorted(heard.get(melody, ())) if melody else []
            pitches = ", ".join(f"{music.note_name(p)} (MIDI {p})" for p in played) or None
            pitch_question = f"the {instrument_name(melody)} (the melody) on {question}" if melody else None
        stem = _stem_of(rid, stems or {}, events, sections, start, stop)
        yield {
            "id": rid,
            "audio": Region(mix, start, WINDOW),
            "stem": Region(stems[stem], start, WINDOW) if stems and stem else None,
            "stem_instrument": instrument_name(stem) if stem else None,
            "instrument_family": FAMILY[stem] if stem else None,
            "song": song,
            "start": start,
            "beats": [[t - start, t - start, ""] for t, _ in inside],
            "chords": runs,
            "key": keys.pop() if len(keys) == 1 else None,
            "beat_question": question,
            "beat_instruments": instruments,
            "pitch_question": pitch_question,
            "beat_pitches": pitches,
        }
        start = stop


def _stem_of(rid: str, stems: dict[str, str], events, sections, start: float, stop: float) -> str | None:
    """One instrument that sounds in the window and has a stem, drawn by a hash of the window's id."""
    heard = (
        sounding(events, start, stop)
        if events
        else {i: {0} for _, _, listed in _overlapping(sections, start, stop) for i in listed}
    )
    candidates = sorted(i for i in heard if i in stems)
    if not candidates:
        return None
    k = stable_hash(f"{rid}/stem")
    return candidates[k % len(candidates)]


def _overlapping(sections, start: float, stop: float):
    for i, section in enumerate(sections):
        until = sections[i + 1][0] if i + 1 < len(sections) else float("inf")
        if section[0] < stop and until > start:
            yield section


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and isinstance(shard[0], str)):
        raise AAMFormatError(f"shard {shard!r} is not [annotation folder, index, count]")
    folder, index, count = shard
    if (
        not (folder == FLAT or _ANNOTATIONS.fullmatch(folder))
        or not (isinstance(index, int) and isinstance(count, int))
        or not (0 <= index < count)
    ):
        raise AAMFormatError(f"shard {shard!r} is not [annotation folder, index, count]")
    mixes = mix_dir(root, folder)
    stems = stem_files(stem_dir(root, folder))
    skips = Skips(f"AAM {folder} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    for song in sorted(s for s in songs(root / folder) if shard_of(s, count) == index):
        mix = next(
            (mixes / f"{song}_mix{x}" for x in AUDIO_SUFFIXES if mixes and (mixes / f"{song}_mix{x}").is_file()), None
        )
        if mix is None:
            skips.add("song(s) whose <id>_mix audio is missing", song)
            continue
        try:
            records = list(windows(root, folder, song, os.fspath(mix), stems.get(song)))
        except AAMRowError as err:
            skips.bad(err)
            skips.add("song(s) left out: a row of their annotation files is malformed", song, always=True, audio=False)
            continue
        yield from records
    skips.report()


SOURCE = Source(
    name="aam",
    corpus="AAM",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://zenodo.org/records/5794629",
    layout="a folder with 0001-1000-annotations-v1.1.0/<id>_{beatinfo,segments,onsets}.arff, 0001-1000-audio-mixes/ "
    "and optionally 0001-1000-audio-multitracks/",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AAM",
    labels={"key": music.KEYS, "instrument_family": FAMILIES},
    languages=(),
)
