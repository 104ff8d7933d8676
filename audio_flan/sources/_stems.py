"""What the multitrack parsers (MedleyDB, MoisesDB) share: excerpts of a track, which stems sound in each, and
whether a mix is the sum of its stems.

A track's files are read once, block by block (one excerpt at a time, every file in step), in mono (the mean of
the channels) as float64. Per excerpt the energy of each stem group is kept; over the whole track the Gram
matrix of the stems and their products with the mix, so that the least-squares gains of the stems and the
energy left over (the mix minus the fitted sum) come out without holding the track in memory.

Loudness is the RMS of the mono downmix over the excerpt, in dB relative to full scale (a full-scale square
wave is 0 dBFS). A group is *silent* over an excerpt when it is below :data:`SILENT_DBFS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import soundfile as sf

#: excerpt length (seconds): consecutive excerpts from the start, the last one holding what is left
EXCERPT_SECONDS = 10.0
#: a stem group whose RMS over an excerpt is below this (dBFS) is silent there and is not a target
SILENT_DBFS = -40.0
#: a mix is the sum of its stems when the energy of (mix - fitted sum) is at least this far below the mix's
MIX_TOLERANCE_DB = -20.0


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
    finally:
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
