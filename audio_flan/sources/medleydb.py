"""MedleyDB (Bittner et al., ISMIR 2014; v1 122 tracks, v2 74 more): multitrack recordings with a mix, stems and
raw tracks, instrument labels, and melody annotations.

Licence: CC BY-NC-SA 4.0; access on request through Zenodo, so the audio is not redistributable.

Layout, as the audio archives and the ``marl/medleydb`` annotations unpack (``medleydb/multitrack.py``:
``%s_METADATA.yaml``, ``%s_STEMS``, ``%s_MIX.wav``, ``%s_STEM_%%s.wav``; ``../shared/corpora/music_sound.md`` A11)::

    <root>/
      Audio/<TrackId>/<TrackId>_METADATA.yaml        TrackId = Artist_Title, e.g. MusicDelta_Beethoven
      Audio/<TrackId>/<TrackId>_MIX.wav              44.1 kHz, 16-bit, stereo
      Audio/<TrackId>/<TrackId>_STEMS/<TrackId>_STEM_01.wav ...
      Audio/<TrackId>/<TrackId>_RAW/...              not read
      Annotations/Melody/Melody2/<TrackId>_MELODY2.csv                 (the medleydb repository, HEAD)
      Annotations/Melody_Annotations/MELODY2/<TrackId>_MELODY2.csv     (its 2014 layout; either is read)
      Annotations/Activation_Confidence/v2/<TrackId>_ACTIVATION_CONF.lab        (the repository, HEAD: v2 for
      Annotations/Activation_Confidence/original/<TrackId>_ACTIVATION_CONF.lab   every track, original for v1;
      Annotations/Activation_Confidence/<TrackId>_ACTIVATION_CONF.lab            earlier commits: flat)

METADATA.yaml (read with YAML's safe loader): ``artist``, ``title``, ``genre``, ``mix_filename``, ``stem_dir``,
``stems: {S01: {component, filename, instrument, raw: {...}}, ...}``; ``excerpt``/``has_bleed``/``instrumental``
are the strings ``'yes'``/``'no'``. ``instrument`` is the taxonomy's display name ("female singer", "electric
bass", "drum set"): that is what a separation prompt names. Stems of one track with the same instrument are one
target (the sum of them), so a name never points at half of what it names.

Melody (``music.melody_extraction``): MELODY2, the f0 of the predominant melodic line whatever instrument plays
it (MELODY1 follows one stem, MELODY3 lists every melodic stem): ``time,f0`` rows, no header, CRLF, a row every
256/44100 s, f0 in Hz and 0 where no melody sounds. The pitch representation is **note names**: each f0 is
rounded to the nearest equal-tempered MIDI note (A4 = 440 Hz) and written as its name with sharps and the
octave (``C4`` is MIDI 60, ``A#3``); consecutive frames on one note make a segment from the first frame's time
to the last frame's time plus one hop; runs shorter than :data:`MIN_NOTE_SECONDS` (vibrato flickering across a
semitone boundary) are left out. Segments are the timeline format (``0.52-1.10: A4``); ``_music_labels`` makes
the names (``midi_from_hz``, ``note_name``) and reads them back (``midi_pitch``). An f0 outside the MIDI range
(below about 7.9 Hz or above 12.9 kHz) is no pitch: an error naming file and line. The config cuts each mix into
windows (the timeline shape's ``window``).

Separation (``music.text_guided_source_separation``): each track is cut into excerpts of
:data:`~audio_flan.sources._stems.EXCERPT_SECONDS` (the last one holding what is left). Which instruments sound in
an excerpt comes from MedleyDB's activation annotation where the track has one (``medleydb/multitrack.py`` reads
the v2 file, else the original; ``annotate/activation_conf.py`` writes them with ``np.savetxt``: a header
``time,S01,S02,...`` naming the stems, then one row per 2048 samples at 44.1 kHz, ``%.4f`` confidences in [0, 1],
LF): a stem group is a target in an excerpt when one of its stems has a confidence of at least
:data:`ACTIVE_CONFIDENCE` (the threshold MedleyDB's instrument activations use) over at least
:data:`MIN_ACTIVE_SECONDS` of it (half of a shorter excerpt). Without an annotation, a group that is silent over an excerpt (RMS below
:data:`~audio_flan.sources._stems.SILENT_DBFS` dBFS) is not a target there. A malformed annotation is an error
naming file and line (under ``on_error="skip"``, the track is counted and left out).
The mix is checked against the stems once per track: least-squares gains of the stems (mono, over the whole
track; MedleyDB's own ``mixing_coefficients.yaml`` were fitted the same way) must leave at most
:data:`~audio_flan.sources._stems.MIX_TOLERANCE_DB` dB of the mix's energy. Where they do, the input is the
track's own ``_MIX.wav`` (a region) and the target the group's stems scaled by their gains (a ``Sum`` recipe of
regions); where they do not, the track is reported and its mixture is the plain sum of its stems (target: the
group's stems at unit gain), so the target is always inside the mixture. The check's result is in each record.

Splits: MedleyDB has none; tracks go to a split by a stable hash of the artist (the TrackId's part before its
first ``_``, as ``multitrack.py`` reads it): 10 % test, 10 % validation, the rest train. No artist is in two
splits. Shards: one per track. Reading a track reads its mix and stems once for the mix check (and the levels),
on the first load only: the result is kept in the datasets cache (``_stems.cached_scan``), so later loads open
no audio before the first example.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..audio_values import AudioValue, Region, Sum
from . import _music_labels as music
from . import _stems
from ._stable_hash import hash_split
from .base import CorpusFormatError, Query, Record, Shard, Source
from .readers import Skips, csv_rows, require_regular, visible_names

FIELDS = (
    "id", "audio", "melody", "instrument", "target", "track", "artist", "title", "genre", "excerpt", "mix_check",
    "audio_id", "target_id",
)  # fmt: skip
MIN_NOTE_SECONDS = 0.05
MELODY_DIRS = ("Annotations/Melody/Melody2", "Annotations/Melody_Annotations/MELODY2")
ACTIVATION_DIRS = (
    "Annotations/Activation_Confidence/v2",
    "Annotations/Activation_Confidence/original",
    "Annotations/Activation_Confidence",
)
#: a stem is active in a frame whose activation confidence is at least this
ACTIVE_CONFIDENCE = 0.5
#: a stem group is a target in an excerpt when one of its stems is active for at least this long (seconds) in it,
#: or for half of an excerpt shorter than twice this
MIN_ACTIVE_SECONDS = 1.0


class MedleyDBFormatError(CorpusFormatError):
    """A MedleyDB metadata or annotation file that is not what the corpus distributes."""


def _tracks(root: Path) -> list[str]:
    return [n for n in visible_names(root / "Audio") if (root / "Audio" / n / f"{n}_METADATA.yaml").is_file()]


def detect(root: Path) -> bool:
    # the first few names only: a stray file (a track list) may sort first
    return any((root / "Audio" / n / f"{n}_METADATA.yaml").is_file() for n in visible_names(root / "Audio")[:3])


def split_of(artist: str) -> str:
    return hash_split(artist)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    shards: dict[str, list[Shard]] = {}
    for track in _tracks(root):
        shards.setdefault(split_of(track.split("_")[0]), []).append(track)
    return shards


def read_yaml(path: Path) -> dict:
    require_regular(path, MedleyDBFormatError)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise MedleyDBFormatError(f"{path}: not UTF-8 text (byte {err.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise MedleyDBFormatError(f"{path}:{line}: not valid YAML ({getattr(err, 'problem', err)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("stems"), dict):
        raise MedleyDBFormatError(f"{path}:1: expected a mapping with 'stems' (S01: filename, instrument, ...)")
    return data


def _line_of(path: Path, key: str) -> int:
    """The line where ``key:`` is first written (for errors about a value YAML has already parsed)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return 1


def stem_list(path: Path, meta: dict) -> list[tuple[str, str, str]]:
    """(stem key, file name, instrument display name) per stem, in key order."""
    out = []
    for key in sorted(meta["stems"]):
        stem = meta["stems"][key]
        instrument = stem.get("instrument") if isinstance(stem, dict) else None
        if isinstance(instrument, list) and instrument and all(isinstance(i, str) for i in instrument):
            instrument = " and ".join(instrument)
        filename = stem.get("filename") if isinstance(stem, dict) else None
        if not (isinstance(key, str) and isinstance(filename, str) and isinstance(instrument, str) and instrument):
            raise MedleyDBFormatError(
                f"{path}:{_line_of(path, str(key))}: stem {key!r} needs 'filename' and 'instrument' (a display name)"
            )
        out.append((key, filename, instrument.strip()))
    return out


def read_melody(path: Path) -> list[list]:
    """Note segments ``[start, end, name]`` of a MELODY CSV (see the module's docstring)."""
    rows: list[tuple[float, str | None]] = []  # (time, note name, None where no melody sounds)
    for line_no, row in csv_rows(path, MedleyDBFormatError, columns=("time", "f0")):
        try:
            time, f0 = float(row["time"]), float(row["f0"])
        except ValueError:
            time = f0 = -1.0
        if time < 0 or f0 < 0 or not math.isfinite(time + f0) or (rows and time <= rows[-1][0]):
            raise MedleyDBFormatError(f"{path}:{line_no}: expected 'time,f0' (seconds, rising; Hz, 0 if unvoiced)")
        try:
            rows.append((time, music.note_name(music.midi_from_hz(f0)) if f0 > 0 else None))
        except ValueError:
            raise MedleyDBFormatError(
                f"{path}:{line_no}: f0 {row['f0'].strip()} Hz is outside the MIDI range "
                "(C-1 to G9: about 7.9 Hz to 12.9 kHz)"
            ) from None
    hop = rows[1][0] - rows[0][0] if len(rows) > 1 else 256 / 44100
    segments: list[list] = []
    run: list | None = None
    for time, note in rows:
        if run is not None and note == run[2] and time - run[1] < 1.5 * hop:
            run[1] = time
            continue
        if run is not None:
            segments.append(run)
        run = [time, time, note] if note else None
    if run is not None:
        segments.append(run)
    return [[s, e + hop, n] for s, e, n in segments if e + hop - s >= MIN_NOTE_SECONDS]


def _annotation(root: Path, folders: tuple[str, ...], name: str) -> Path | None:
    """The first of ``root/<folder>/<name>`` that exists, in ``folders``' order of preference."""
    return next((root / rel / name for rel in folders if (root / rel / name).is_file()), None)


def _melody_path(root: Path, track: str) -> Path | None:
    return _annotation(root, MELODY_DIRS, f"{track}_MELODY2.csv")


def _activation_path(root: Path, track: str) -> Path | None:
    return _annotation(root, ACTIVATION_DIRS, f"{track}_ACTIVATION_CONF.lab")


def read_activations(path: Path, keys: list[str]) -> tuple[list[float], dict[str, list[float]]]:
    """(frame times, stem key -> confidence per frame) of an ACTIVATION_CONF.lab, for the stems ``keys``."""
    times: list[float] = []
    columns: dict[str, list[float]] | None = None
    for line_no, row in csv_rows(path, MedleyDBFormatError, required=("time",)):
        if columns is None:
            missing = [k for k in keys if k not in row]
            if missing:
                raise MedleyDBFormatError(
                    f"{path}:1: expected the header 'time,S01,S02,...' naming every stem of the track "
                    f"(no column for {', '.join(missing)})"
                )
            columns = {k: [] for k in keys}
        try:
            time, values = float(row["time"]), [float(row[k]) for k in keys]
        except ValueError:
            time, values = -1.0, []
        if (
            not math.isfinite(time)
            or time < 0
            or (times and time <= times[-1])
            or not all(0.0 <= v <= 1.0 for v in values)  # NaN fails this too
        ):
            raise MedleyDBFormatError(
                f"{path}:{line_no}: expected the time (seconds, rising) and a confidence in [0, 1] per stem"
            )
        times.append(time)
        for key, value in zip(keys, values):
            columns[key].append(value)
    return times, columns or {k: [] for k in keys}


def active_seconds(
    times: list[float], columns: dict[str, list[float]], keys: list[str], offset: float, duration: float
) -> float:
    """How long, within [offset, offset + duration), one of ``keys`` is active (frames at or above
    :data:`ACTIVE_CONFIDENCE`, each lasting one hop)."""
    hop = times[1] - times[0] if len(times) > 1 else 2048 / 44100
    frames = sum(
        1
        for i, t in enumerate(times)
        if offset <= t < offset + duration and max(columns[k][i] for k in keys) >= ACTIVE_CONFIDENCE
    )
    return round(frames * hop, 3)


def _common(root: Path, shard: Shard) -> tuple[str, Path, Path, dict, dict]:
    if not isinstance(shard, str) or shard not in _tracks(root):
        raise MedleyDBFormatError(f"shard {shard!r} is not a track folder of {root / 'Audio'}")
    track, folder = shard, root / "Audio" / shard
    meta_path = folder / f"{track}_METADATA.yaml"
    meta = read_yaml(meta_path)
    common = {
        "track": track,
        "artist": str(meta.get("artist", track.split("_")[0])),
        "title": str(meta.get("title", "")),
        "genre": str(meta.get("genre", "")),
    }
    return track, folder, meta_path, meta, common


def _mix(folder: Path, track: str, meta: dict) -> Path:
    name = meta.get("mix_filename")
    return folder / (name if isinstance(name, str) else f"{track}_MIX.wav")


BAD = "track(s) whose metadata or annotation does not parse"


def read_melody_shard(root: Path, shard: Shard) -> Iterator[Record]:
    """The track's mix and its MELODY2 notes (nothing when the track has no melody annotation). A malformed
    METADATA.yaml or MELODY2 is an error naming file and line, or under ``on_error="skip"`` a counted skip."""
    melody = _melody_path(root, str(shard))
    if melody is None:
        return
    skips = Skips(f"MedleyDB {root / 'Audio' / str(shard)}", SOURCE.missing_audio)
    try:
        track, folder, _, meta, common = _common(root, shard)
        mix = _mix(folder, track, meta)
        notes = read_melody(melody) if mix.is_file() else []
    except MedleyDBFormatError as err:
        skips.bad(err, BAD)
        skips.report()
        return
    if not mix.is_file():
        skips.add("annotated track(s) whose mix is absent", str(mix))
    else:
        # the same fields as a separation record, those of the other part None
        yield {
            "id": track,
            "audio": str(mix),
            "melody": notes,
            "instrument": None,
            "target": None,
            **_NO_EXCERPT,
            **common,
        }
    skips.report()


_NO_EXCERPT = {"excerpt": None, "mix_check": None, "audio_id": None, "target_id": None}


def read_stems_shard(root: Path, shard: Shard) -> Iterator[Record]:
    """Per excerpt, per instrument sounding in it: the mixture and that instrument's stems."""
    skips = Skips(f"MedleyDB {root / 'Audio' / str(shard)}", SOURCE.missing_audio)
    try:
        track, folder, meta_path, meta, common = _common(root, shard)
        stems = stem_list(meta_path, meta)
        activation = _activation_path(root, track)
        activity = read_activations(activation, [key for key, _, _ in stems]) if activation else None
    except MedleyDBFormatError as err:
        skips.bad(err, BAD)
        skips.report()
        return
    stem_dir = str(meta["stem_dir"]) if isinstance(meta.get("stem_dir"), str) else f"{track}_STEMS"
    mix = _mix(folder, track, meta)
    has_mix = mix.is_file()
    paths = [str(folder / stem_dir / name) for _, name, _ in stems]
    absent = [p for p in paths if not Path(p).is_file()]
    if absent or not paths:
        skips.add("track(s) with stems absent (no separation pairs)", ", ".join(absent) or f"{track}: no stems")
        skips.report()
        return
    names = sorted({instrument for _, _, instrument in stems})
    groups = [[i for i, (_, _, inst) in enumerate(stems) if inst == name] for name in names]
    try:
        scanned = _stems.cached_scan(paths, groups, str(mix) if has_mix else None)
    except (_stems.StemsMismatch, RuntimeError) as err:
        skips.add("track(s) whose stems cannot be read with their mix", f"{track} ({err})", audio=False)
        skips.report()
        return
    passes = has_mix and scanned.residual_db is not None and scanned.residual_db <= _stems.MIX_TOLERANCE_DB
    if has_mix and not passes:
        skips.add(
            f"track(s) whose MIX.wav is not the sum of their stems within {_stems.MIX_TOLERANCE_DB:g} dB "
            "(mixture made from the stems instead)",
            f"{track} ({scanned.residual_db} dB)",
            always=True,
            audio=False,
        )
    check = {"residual_db": scanned.residual_db, "gains": list(scanned.gains), "mix_used": passes}
    gains = scanned.gains if passes else (1.0,) * len(paths)
    for (offset, duration), levels in zip(scanned.excerpts, scanned.group_dbfs):
        regions = [Region(p, offset, duration) for p in paths]
        mixture: AudioValue = Region(str(mix), offset, duration) if passes else Sum(regions, gains)
        for name, group, level in zip(names, groups, levels):
            excerpt = {"offset": offset, "duration": duration, "dbfs": round(level, 2)}
            if activity is not None:
                keys = [stems[i][0] for i in group]
                excerpt["active_seconds"] = active_seconds(*activity, keys, offset, duration)
                if excerpt["active_seconds"] < min(MIN_ACTIVE_SECONDS, duration / 2):
                    continue
            elif level < _stems.SILENT_DBFS:
                continue
            slug = name.replace(" ", "_")
            yield {
                "id": f"{track}/{offset:g}/{slug}",
                "audio_id": f"{track}_{offset:g}s_mix",  # one id for the excerpt's mixture, whatever the target
                "target_id": f"{track}_{offset:g}s_{slug}",
                "audio": mixture,
                "melody": None,
                "instrument": name,
                "target": Sum([regions[i] for i in group], [gains[i] for i in group]),
                "excerpt": excerpt,
                "mix_check": check,
                **common,
            }
    skips.report()


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    """Both kinds of record (un-narrowed): the melody record, then the separation records."""
    yield from read_melody_shard(root, shard)
    yield from read_stems_shard(root, shard)


def list_melody_shards(root: Path) -> dict[str, list[Shard]]:
    """Only the tracks with a MELODY2 annotation (a stat per track, no file opened)."""
    return {
        split: kept
        for split, shards in list_shards(root).items()
        if (kept := [t for t in shards if _melody_path(root, str(t)) is not None])
    }


#: config -> the part of the corpus it reads (the melody part reads no stem)
PARTS = {"music.melody_extraction": "melody", "music.text_guided_source_separation": "stems"}


def narrow(source: Source, query: Query) -> Source:
    part = PARTS.get(query.config)
    if part == "melody":
        return source.with_functions(list_melody_shards, read_melody_shard)
    if part == "stems":
        return source.with_functions(list_shards, read_stems_shard)
    return source


SOURCE = Source(
    name="medleydb",
    corpus="MedleyDB",
    license="CC BY-NC-SA 4.0",
    redistributable=False,
    homepage="https://medleydb.weebly.com/",
    layout="Audio/<TrackId>/<TrackId>_METADATA.yaml with _MIX.wav and _STEMS/ (Annotations/Melody*/ beside)",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MedleyDB",
    audio_fields=frozenset({"audio", "target"}),
    narrow=narrow,
)
