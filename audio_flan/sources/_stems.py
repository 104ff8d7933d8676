"""What the multitrack parsers (MedleyDB, MoisesDB) share: excerpts of a track, which stems sound in each, and
whether a mix is the sum of its stems.

A track's files are read once, block by block (one excerpt at a time, every file in step), in mono (the mean of
the channels) as float64. Per excerpt the energy of each stem group is kept; over the whole track the Gram
matrix of the stems and their products with the mix, so that the least-squares gains of the stems and the
energy left over (the mix minus the fitted sum) come out without holding the track in memory.

Loudness is the RMS of the mono downmix over the excerpt, in dB relative to full scale (a full-scale square
wave is 0 dBFS). A group is *silent* over an excerpt when it is below :data:`SILENT_DBFS`.

A scan is kept in the datasets cache (``audio_flan_index/stem_scans/``, one small JSON per scan) keyed by every
file's real path, size and modification time and the scan's parameters (:func:`cached_scan`), so a track's audio is
read on the first load only; a changed file, or a cache that cannot be written, means a new read. A read that
takes longer than :data:`SCAN_BAR_DELAY` seconds shows a progress bar (seconds of the track read).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import soundfile as sf
from tqdm.auto import tqdm

from ._index_cache import writable_dir

#: excerpt length (seconds): consecutive excerpts from the start, the last one holding what is left
EXCERPT_SECONDS = 10.0
#: a stem group whose RMS over an excerpt is below this (dBFS) is silent there and is not a target
SILENT_DBFS = -40.0
#: a mix is the sum of its stems when the energy of (mix - fitted sum) is at least this far below the mix's
MIX_TOLERANCE_DB = -20.0
#: a scan that takes longer than this (seconds) shows a progress bar
SCAN_BAR_DELAY = 2.0
#: bumped when what a scan computes changes, so that older cached scans are not used
SCAN_VERSION = 1


class StemsMismatch(ValueError):
    """The files of a track do not share a sample rate."""


@dataclass(frozen=True)
class Scan:
    rate: int
    frames: int  # the shortest file's length: excerpts lie inside every file
    excerpts: tuple[tuple[float, float], ...]  # (offset, duration) seconds
    group_dbfs: tuple[tuple[float, ...], ...]  # per excerpt, per group
    gains: tuple[float, ...]  # least-squares gains of the stems against the mix (empty without a mix)
    residual_db: float | None  # energy of (mix - fitted sum) relative to the mix's, dB (>= -200); None without a mix
    unit_residual_db: float | None  # the same for the plain sum (every gain 1)


def dbfs(energy: float, samples: int) -> float:
    rms = math.sqrt(energy / samples) if samples else 0.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf


def _mono(block: np.ndarray) -> np.ndarray:
    return block.astype(np.float64).mean(axis=1) if block.ndim == 2 else block.astype(np.float64)


def scan(
    stems: Sequence[str], groups: Sequence[Sequence[int]], mix: str | None = None, excerpt: float = EXCERPT_SECONDS
) -> Scan:
    """Read ``stems`` (and ``mix``) once. ``groups`` lists, per group, the indices of its stems."""
    paths = list(stems) + ([mix] if mix else [])
    infos = [sf.info(p) for p in paths]
    rates = {i.samplerate for i in infos}
    if len(rates) != 1:
        raise StemsMismatch(f"sample rates differ: {', '.join(f'{p} {i.samplerate} Hz' for p, i in zip(paths, infos))}")
    rate = rates.pop()
    frames = min(i.frames for i in infos)
    step = max(1, round(excerpt * rate))
    n = len(stems)
    gram, cross, mix_energy = np.zeros((n, n)), np.zeros(n), 0.0
    excerpts, levels = [], []
    files = [sf.SoundFile(p) for p in paths]
    track = os.path.commonpath(paths) if len(paths) > 1 else os.path.dirname(paths[0])
    # shown only when the read takes longer than SCAN_BAR_DELAY seconds (a long track with many stems, cold cache)
    bar = tqdm(
        total=round(frames / rate, 1),
        unit="s",
        desc=f"reading {track} once (stem levels{', mix check' if mix else ''})",
        delay=SCAN_BAR_DELAY,
        leave=False,
    )
    try:
        for start in range(0, frames, step):
            count = min(step, frames - start)
            blocks = [_mono(f.read(count, dtype="float32", always_2d=True)) for f in files]
            if any(b.size != count for b in blocks):
                raise StemsMismatch(f"a file ended early near frame {start}: {paths}")
            matrix = np.stack(blocks[:n])
            if mix:
                gram += matrix @ matrix.T
                cross += matrix @ blocks[n]
                mix_energy += float(blocks[n] @ blocks[n])
            excerpts.append((start / rate, count / rate))
            levels.append(tuple(dbfs(float(np.sum(matrix[list(g)].sum(axis=0) ** 2)), count) for g in groups))
            bar.update(round(count / rate, 1))
    finally:
        bar.close()
        for f in files:
            f.close()
    gains: tuple[float, ...] = ()
    residual = unit = None
    if mix:
        fitted = np.linalg.lstsq(gram, cross, rcond=None)[0] if n else np.zeros(0)
        left = mix_energy - 2 * float(fitted @ cross) + float(fitted @ gram @ fitted)
        gains = tuple(round(float(g), 6) for g in fitted)
        residual = _relative_db(left, mix_energy)
        ones = np.ones(n)
        unit = _relative_db(mix_energy - 2 * float(ones @ cross) + float(ones @ gram @ ones), mix_energy)
    return Scan(rate, frames, tuple(excerpts), tuple(levels), gains, residual, unit)


def _relative_db(left: float, total: float) -> float:
    """``left`` relative to ``total`` in dB, floored at -200 (rounding leaves a little energy even when the mix is
    exactly the sum); 0 for a silent mix."""
    return round(10 * math.log10(max(left, 1e-20 * total) / total), 2) if total > 0 else 0.0


def cached_scan(
    stems: Sequence[str], groups: Sequence[Sequence[int]], mix: str | None = None, excerpt: float = EXCERPT_SECONDS
) -> Scan:
    """:func:`scan`, or its result from the datasets cache when none of the files changed since it was kept."""
    paths = list(stems) + ([mix] if mix else [])
    try:
        files = [[os.path.realpath(p), st.st_size, st.st_mtime_ns] for p in paths for st in [os.stat(p)]]
    except OSError:  # scan names the file it cannot read
        return scan(stems, groups, mix, excerpt)
    key = json.dumps([SCAN_VERSION, files, [list(g) for g in groups], bool(mix), excerpt])
    folder = writable_dir("stem_scans")
    path = (
        folder / f"{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json" if folder else None
    )
    kept = _load(path, key) if path else None
    if kept is not None:
        return kept
    result = scan(stems, groups, mix, excerpt)
    if path is not None:
        _keep(path, key, result)
    return result


def _load(path: Any, key: str) -> Optional[Scan]:
    """The scan kept at ``path`` for ``key``; None when there is none or it cannot be read (it is then redone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        value = data["scan"]
        return Scan(
            rate=int(value["rate"]),
            frames=int(value["frames"]),
            excerpts=tuple((float(o), float(d)) for o, d in value["excerpts"]),
            group_dbfs=tuple(tuple(float(x) for x in row) for row in value["group_dbfs"]),
            gains=tuple(float(g) for g in value["gains"]),
            residual_db=value["residual_db"],
            unit_residual_db=value["unit_residual_db"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _keep(path: Any, key: str, result: Scan) -> None:
    """Write the scan next to its final name and rename it into place (readers never see half a file)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"key": key, "scan": dataclasses.asdict(result)}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a full or read-only cache: the scan is simply not kept
        try:
            tmp.unlink()
        except OSError:
            pass
