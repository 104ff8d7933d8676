"""MedleyVox (Jeon et al., ICASSP 2023): an evaluation set for separating several singing voices, cut from
MedleyDB v1 and v2 raw tracks.

Licence: derived from MedleyDB (CC BY-NC-SA 4.0); the Zenodo record (7984549) asks for the same terms. Not
redistributable.

Layout, as ``testset/testset_save.py`` of ``jeonchangbin49/MedleyVox`` writes it (and the Zenodo archive holds;
``../shared/corpora/music_sound.md`` A12)::

    <root>/{unison,duet,main_vs_rest}/<Song>/<seg key>/mix/<Song> - <seg key>.wav
    <root>/{unison,duet,main_vs_rest}/<Song>/<seg key>/gt/<RAW name> - <seg key>.wav   one per voice
    <root>/testset_config/{V1_rest_vocals_only_config,V2_vocals_only_config}/<Song>.json

Audio: mono 44.1 kHz; each gt file is a MedleyDB raw vocal track over the segment times its gain adjustment,
and the mix is their sum (``testset_save.py``). Which gt is the main vocal is said only by the segment configs
(``"seg_1": {"type", "num_of_singers", "num_of_voices", "start_sec", "end_sec", "main_vocal", "other_vocals",
"gain_adjustment"}``), which ship in the MedleyVox repository's ``testset/testset_config/``: copy that folder
into the root as ``testset_config/`` (not pinned down: whether the Zenodo archive carries them; the parser looks
for them there, and counts the segments it cannot use without them).

Targets, named for people: in ``main_vs_rest`` the main vocal ("lead vocal") and the sum of the rest ("backing
vocals"); in ``duet`` the main vocal ("lead vocal") and the other ("second vocal"). ``unison`` segments (voices
singing one line together) are not used: no text tells their voices apart; they are counted. A target below
:data:`~audio_flan.sources._stems.SILENT_DBFS` dBFS over the segment is not asked. The mix is checked to be the
sum of the gt files (at unit gains, energy of the difference at most
:data:`~audio_flan.sources._stems.MIX_TOLERANCE_DB` dB below the mix's); a segment whose mix fails, or is absent,
is reported and takes the sum of its gt files as the mixture.

Split: MedleyVox is an evaluation set, so everything is ``test``. Shards: one per (type, song).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..audio_values import AudioValue, File, Sum
from . import _stems
from .base import CorpusFormatError, Record, Shard, Source, UnusableRecordWarning
from .readers import Skips, read_json, visible_names

TYPES = ("duet", "main_vs_rest", "unison")
ROLES = {"duet": ("lead vocal", "second vocal"), "main_vs_rest": ("lead vocal", "backing vocals")}
CONFIGS = "testset_config"
FIELDS = (
    "id", "audio", "description", "target", "song", "segment", "type", "voices", "start_sec", "end_sec",
    "num_of_singers", "mix_check", "audio_id", "target_id",
)  # fmt: skip
_SEGMENT = re.compile(r"seg_(\d+)")


class MedleyVoxFormatError(CorpusFormatError):
    """A MedleyVox segment config or file name that is not what the corpus distributes."""


def detect(root: Path) -> bool:
    for kind in TYPES:
        songs = visible_names(root / kind)
        if songs:
            segments = visible_names(root / kind / songs[0])
            return bool(segments) and {"mix", "gt"} <= set(visible_names(root / kind / songs[0] / segments[0]))
    return False


def list_shards(root: Path) -> dict[str, list[Shard]]:
    shards: list[Shard] = [[kind, song] for kind in TYPES for song in visible_names(root / kind)]
    return {"test": shards} if shards else {}


def _segments(folder: Path) -> list[str]:
    names = [n for n in visible_names(folder) if _SEGMENT.fullmatch(n)]
    return sorted(names, key=lambda n: int(n[4:]))


def _config(root: Path, song: str) -> tuple[Path, dict] | None:
    for sub in visible_names(root / CONFIGS):
        path = root / CONFIGS / sub / f"{song}.json"
        if path.is_file():
            data = read_json(path, MedleyVoxFormatError)
            if not isinstance(data, dict):
                raise MedleyVoxFormatError(f"{path}:1: expected an object of segments (seg_1: {{...}})")
            return path, data
    return None


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 1


def _entry(path: Path, data: dict, segment: str) -> tuple[str, list[str], dict]:
    entry = data.get(segment)
    main = entry.get("main_vocal") if isinstance(entry, dict) else None
    others = entry.get("other_vocals") if isinstance(entry, dict) else None
    if not (
        isinstance(entry, dict)
        and isinstance(main, str)
        and isinstance(others, list)
        and all(isinstance(o, str) for o in others)
    ):
        line = _line_of(path, '"' + segment + '"')
        raise MedleyVoxFormatError(
            f"{path}:{line}: segment {segment!r} needs 'main_vocal' (a raw track name) and "
            "'other_vocals' (a list of them)"
        )
    if entry.get("type") not in (None, *TYPES):
        line = _line_of(path, '"' + segment + '"')
        raise MedleyVoxFormatError(
            f"{path}:{line}: segment {segment!r} has type {entry.get('type')!r}; expected one of {TYPES}"
        )
    return main, others, entry


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in TYPES and isinstance(shard[1], str)):
        raise MedleyVoxFormatError(f"shard {shard!r} is not [segment type, song]")
    kind, song = shard
    folder = root / kind / song
    skips = Skips(f"MedleyVox {folder}", SOURCE.missing_audio)
    unused = Skips(f"MedleyVox {folder}", category=UnusableRecordWarning)
    segments = _segments(folder)
    if kind == "unison":
        for segment in segments:
            unused.add("unison segment(s) (one line sung together: no text names one voice)", segment, always=True)
        unused.report()
        return
    try:
        config = _config(root, song)
    except MedleyVoxFormatError as err:  # an error naming file and line, or under on_error="skip" a counted skip
        skips.bad(err, "song(s) whose segment config does not parse")
        skips.report()
        return
    if config is None:
        for segment in segments:
            unused.add(
                f"segment(s) without their config in {CONFIGS}/ (the main vocal is unknown)", segment, always=True
            )
        unused.report()
        return
    path, data = config
    for segment in segments:
        try:
            main, others, entry = _entry(path, data, segment)
        except MedleyVoxFormatError as err:
            skips.bad(err, "segment(s) whose config entry is malformed")
            continue
        where = folder / segment
        gts = [str(where / "gt" / f"{name} - {segment}.wav") for name in [main, *others]]
        absent = [g for g in gts if not Path(g).is_file()]
        if absent:
            skips.add("segment(s) with voices absent", ", ".join(absent))
            continue
        mix = where / "mix" / f"{song} - {segment}.wav"
        groups = [[0], list(range(1, len(gts)))]
        try:
            scanned = _stems.cached_scan(gts, groups, str(mix) if mix.is_file() else None, excerpt=1e6)
        except (_stems.StemsMismatch, RuntimeError) as err:
            skips.add("segment(s) whose voices cannot be read with their mix", f"{where} ({err})", audio=False)
            continue
        unit = scanned.unit_residual_db
        passes = unit is not None and unit <= _stems.MIX_TOLERANCE_DB
        if not passes:
            skips.add(
                f"segment(s) whose mix is absent or not the sum of its voices within {_stems.MIX_TOLERANCE_DB:g} dB "
                "(mixture made from the voices instead)",
                f"{where} ({'no mix' if unit is None else f'{unit} dB'})",
                always=True,
                audio=False,
            )
        mixture: AudioValue = File(str(mix)) if passes else Sum([File(g) for g in gts], [1.0] * len(gts))
        names = [main, *others]
        for role, group, level in zip(ROLES[kind], groups, scanned.group_dbfs[0]):
            if level < _stems.SILENT_DBFS:
                continue
            target = File(gts[group[0]]) if len(group) == 1 else Sum([File(gts[i]) for i in group], [1.0] * len(group))
            yield {
                "id": f"{kind}/{song}/{segment}/{role.replace(' ', '_')}",
                "audio_id": f"{song}_{segment}_mix",
                "target_id": f"{song}_{segment}_{role.replace(' ', '_')}",
                "audio": mixture,
                "description": role,
                "target": target,
                "song": song,
                "segment": segment,
                "type": kind,
                "voices": [names[i] for i in group],
                "start_sec": entry.get("start_sec"),
                "end_sec": entry.get("end_sec"),
                "num_of_singers": entry.get("num_of_singers"),
                "mix_check": {"unit_residual_db": unit, "mix_used": passes},
            }
    skips.report()
    unused.report()


SOURCE = Source(
    name="medleyvox",
    corpus="MedleyVox",
    license="CC BY-NC-SA 4.0 (derived from MedleyDB)",
    redistributable=False,
    homepage="https://github.com/jeonchangbin49/MedleyVox",
    layout="{duet,main_vs_rest,unison}/<Song>/seg_N/{mix,gt}/*.wav with testset_config/*/<Song>.json",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="MedleyVox",
    audio_fields=frozenset({"audio", "target"}),
    labels={"description": ("lead vocal", "second vocal", "backing vocals")},
)
