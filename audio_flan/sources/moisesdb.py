"""MoisesDB (Pereira et al., ISMIR 2023): 240 tracks from 45 artists as multitrack stems in a two-level taxonomy
(11 stems, each the sum of one or more source tracks), without mixtures.

Licence: CC BY-NC-SA 4.0 (the README's front matter), research use, downloaded behind a form: not
redistributable.

Layout, as ``moisesdb.zip`` unpacks (``moises-ai/moises-db``: ``moisesdb/track.py`` joins
``<data_path>/<provider>/<track id>/data.json`` and ``<stemName>/<id>.<extension>``; ``defaults.py``;
``../shared/corpora/music_sound.md`` A13)::

    <root>/moisesdb_v0.1/<track uuid>/data.json
    <root>/moisesdb_v0.1/<track uuid>/<stemName>/<source uuid>.wav

``data.json``: ``artist``, ``song``, ``genre``, ``stems: [{"stemName": "vocals", "tracks": [{"id", "trackType",
"extension", "has_bleed"}, ...]}, ...]``. stemName is one of vocals, bass, drums, guitar, piano, other_keys,
bowed_strings, wind, other_plucked, percussion, other; a prompt names it for people, underscores as spaces
("bowed strings"). trackType (the finer level, e.g. "lead female singer") is kept in the record's metadata.

There is no mixture file: as ``track.py`` builds it, the mixture is the sum of every source track and a stem the
sum of its tracks. Here the mixture is a ``Sum`` recipe of regions of every source file and the target the
``Sum`` of the target stem's files, all at unit gain, so mixture - target is exactly the other stems. Tracks are
cut into excerpts of :data:`~audio_flan.sources._stems.EXCERPT_SECONDS` inside the shortest file (source files
of a track may differ in length: ``track.py`` trims or pads; here the excerpts stop where the shortest ends); a
stem whose sum is below :data:`~audio_flan.sources._stems.SILENT_DBFS` dBFS over an excerpt is not a target
there (MoisesDB ships no activation annotation, so the level is measured: each track's files are read once, on
the first load, with a progress bar when that read is long, and the levels kept in the datasets cache,
``_stems.cached_scan``; later loads open no audio before the first example). There is no mix to check against the
stems: the mixture is their sum by construction. Files of one track at different sample rates (``track.py`` resamples to 44.1 kHz) are reported and the
track skipped.

Splits: MoisesDB has none; tracks go to a split by a stable hash of the artist (data.json's ``artist``, read
when listing): 10 % test, 10 % validation, the rest train, no artist in two splits. Shards: one per track; a
track whose source files are not all there is skipped and counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..audio_values import Region, Sum
from . import _stems
from ._stable_hash import hash_split
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, read_json, visible_names

PROVIDER = "moisesdb_v0.1"
STEMS = (
    "vocals", "bass", "drums", "guitar", "piano", "other_keys", "bowed_strings", "wind", "other_plucked",
    "percussion", "other",
)  # fmt: skip
FIELDS = (
    "id", "audio", "stem", "target", "track", "artist", "song", "genre", "track_types", "excerpt", "has_bleed",
    "audio_id", "target_id",
)  # fmt: skip


class MoisesDBFormatError(CorpusFormatError):
    """A MoisesDB data.json that is not what the corpus distributes."""


def display_name(stem: str) -> str:
    return stem.replace("_", " ")


def _track_ids(root: Path) -> list[str]:
    return [n for n in visible_names(root / PROVIDER) if (root / PROVIDER / n / "data.json").is_file()]


def detect(root: Path) -> bool:
    names = visible_names(root / PROVIDER)
    return bool(names) and (root / PROVIDER / names[0] / "data.json").is_file()


def split_of(artist: str) -> str:
    return hash_split(artist)


def _data(root: Path, track: str) -> dict:
    path = root / PROVIDER / track / "data.json"
    data = read_json(path, MoisesDBFormatError)
    if not isinstance(data, dict) or not isinstance(data.get("stems"), list):
        raise MoisesDBFormatError(f"{path}:1: expected an object with 'stems' (a list of stemName and tracks)")
    return data


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per track, in the split of its artist (each track's data.json is read for the artist)."""
    shards: dict[str, list[Shard]] = {}
    for track in _track_ids(root):
        shards.setdefault(split_of(str(_data(root, track).get("artist", ""))), []).append(track)
    return shards


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 1


def sources(path: Path, data: dict) -> list[tuple[str, str, str]]:
    """(stemName, file path relative to the track folder, trackType) per source track, in file order."""
    out = []
    for stem in data["stems"]:
        name = stem.get("stemName") if isinstance(stem, dict) else None
        if name not in STEMS or not isinstance(stem.get("tracks"), list):
            raise MoisesDBFormatError(
                f"{path}:{_line_of(path, str(name))}: stemName {name!r} with its tracks; expected one of {', '.join(STEMS)}"
            )
        for source in stem["tracks"]:
            ident = source.get("id") if isinstance(source, dict) else None
            extension = source.get("extension") if isinstance(source, dict) else None
            kind = source.get("trackType") if isinstance(source, dict) else None
            if not (isinstance(ident, str) and ident and isinstance(extension, str) and isinstance(kind, str)):
                raise MoisesDBFormatError(
                    f"{path}:{_line_of(path, str(ident))}: a track of stem {name!r} needs 'id', 'extension' and "
                    "'trackType' (strings)"
                )
            out.append((name, f"{name}/{ident}.{extension}", kind))
    return out


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not isinstance(shard, str) or shard not in _track_ids(root):
        raise MoisesDBFormatError(f"shard {shard!r} is not a track folder of {root / PROVIDER}")
    folder = root / PROVIDER / shard
    skips = Skips(f"MoisesDB {folder}", SOURCE.missing_audio)
    try:
        data = _data(root, shard)
        listed = sources(folder / "data.json", data)
    except MoisesDBFormatError as err:  # an error naming file and line, or under on_error="skip" a counted skip
        skips.bad(err, "track(s) whose data.json does not parse")
        skips.report()
        return
    absent = [str(folder / rel) for _, rel, _ in listed if not (folder / rel).is_file()]
    if absent or not listed:
        skips.add("track(s) with source files absent", ", ".join(absent) or f"{shard}: no sources")
        skips.report()
        return
    names = [s for s in STEMS if any(n == s for n, _, _ in listed)]
    groups = [[i for i, (n, _, _) in enumerate(listed) if n == name] for name in names]
    paths = [str(folder / rel) for _, rel, _ in listed]
    try:
        scanned = _stems.cached_scan(paths, groups)
    except (_stems.StemsMismatch, RuntimeError) as err:
        skips.add("track(s) whose source files cannot be read together", f"{shard} ({err})", audio=False)
        skips.report()
        return
    bleed = {
        n: any(bool(t.get("has_bleed")) for s in data["stems"] if s.get("stemName") == n for t in s["tracks"])
        for n in names
    }
    for (offset, duration), levels in zip(scanned.excerpts, scanned.group_dbfs):
        regions = [Region(p, offset, duration) for p in paths]
        mixture = Sum(regions, [1.0] * len(regions))
        for name, group, level in zip(names, groups, levels):
            if level < _stems.SILENT_DBFS:
                continue
            yield {
                "id": f"{shard}/{offset:g}/{name}",
                "audio_id": f"{shard}_{offset:g}s_mix",  # one id for the excerpt's mixture, whatever the target
                "target_id": f"{shard}_{offset:g}s_{name}",
                "audio": mixture,
                "stem": display_name(name),
                "target": Sum([regions[i] for i in group], [1.0] * len(group)),
                "track": shard,
                "artist": str(data.get("artist", "")),
                "song": str(data.get("song", "")),
                "genre": str(data.get("genre", "")),
                "track_types": sorted({listed[i][2] for i in group}),
                "excerpt": {"offset": offset, "duration": duration, "dbfs": round(level, 2)},
                "has_bleed": bleed[name],
            }
    skips.report()


SOURCE = Source(
    name="moisesdb",
    corpus="MoisesDB",
    license="CC BY-NC-SA 4.0",
    redistributable=False,
    homepage="https://music.ai/research/",
    layout="moisesdb_v0.1/<track uuid>/data.json with <stemName>/<source uuid>.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MoisesDB",
    audio_fields=frozenset({"audio", "target"}),
    listing_reads=(f"{PROVIDER}/*/data.json",),
    labels={"stem": tuple(display_name(s) for s in STEMS)},
)
