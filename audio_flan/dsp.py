"""The simulations behind the enhancement, inpainting and separation tasks (numpy and soxr), and the drawing of
their parameters.

Signal functions take 1-D float arrays of samples (time in samples, rates in Hz) and return arrays of the
first input's dtype (float32 from files: half the memory traffic of float64; convolutions run in float64);
they are pure and deterministic. ``audio_flan.audio_values`` wraps them as lazy recipes over files.

Parameter drawing: every parameter of an instance comes from :func:`generator`, a numpy ``Generator`` seeded by
a BLAKE2 hash of (user seed, instance id, what is drawn) (:func:`audio_flan.prompts.stable_int`), never by
Python's ``hash()``, so any instance can be regenerated alone, in any process, whatever PYTHONHASHSEED. Each
parameter has its own ``what``, so drawing one never shifts another. Draws are rounded (0.1 dB, 0.01, 1 ms),
so the value recorded in the metadata is exactly the value rendered. The ranges are the module-level constants
below. (numpy keeps ``Generator.uniform`` and ``integers`` on PCG64 stable in practice but does not promise
it across numpy versions; the recorded parameters, not the seed, are what regenerates an instance exactly.)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Optional, TypeVar

import numpy as np

from .prompts import stable_int

T = TypeVar("T")

# The ranges parameters are drawn from (uniformly, rounded as said).
SNR_DB = (-5.0, 20.0)  # mixtures: signal-to-noise ratio in dB, 0.1 dB steps (the usual enhancement range)
MIX_PEAK = 0.99  # a simulated noisy input is scaled down (with its clean target) when it would peak above this
CLIP_LEVEL = (0.1, 0.6)  # clipping threshold as a fraction of the clean signal's peak, 0.01 steps
CUTOFF_RATES = (4000, 8000, 12000, 16000, 24000)  # band-limiting: the low rate (Hz); the cut-off is half of it
GAP_SECONDS = (0.05, 0.5)  # inpainting: length of the gap, 1 ms steps
GAP_MARGIN_SECONDS = 0.1  # the gap starts and ends at least this far from the ends of the audio
PLACE_SECONDS = (0.3, 2.0)  # speech placed in noise: the noise before and after it, each, 1 ms steps
STEM_GAIN_DB = (-6.0, 6.0)  # sums of stems: gain of each stem, 0.1 dB steps

_EPS_POWER = 1e-20  # below this mean square a signal counts as silent


class SimulationError(ValueError):
    """Parameters or signals a simulation cannot use (silent clean speech, a gap longer than the audio, ...)."""


def _mono(x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if x.ndim != 1:
        raise SimulationError(f"{name}: expected a 1-D array of samples, got shape {x.shape}")
    return x


def power(x: np.ndarray) -> float:
    """Mean square of the samples: the power every SNR here is measured with."""
    x = _mono(x, "power")
    # numpy's pairwise summation in the samples' own dtype: float32 gives ~1e-7 relative error, and is 9x faster
    # than accumulating in float64; not np.dot, whose BLAS threads spin for milliseconds on a busy machine
    return float(np.mean(np.square(x))) if x.size else 0.0


def snr_db(signal: np.ndarray, noise: np.ndarray) -> float:
    """10 log10(power(signal) / power(noise)), both as mean squares over the whole arrays."""
    return 10.0 * np.log10(power(signal) / power(noise))


def loop_to_length(x: np.ndarray, length: int) -> np.ndarray:
    """``x`` repeated end to end and cut to ``length`` samples (noise shorter than the speech it covers)."""
    x = _mono(x, "loop_to_length")
    if x.size == 0:
        raise SimulationError("cannot loop an empty signal")
    if x.size >= length:
        return x[:length]
    return np.tile(x, -(-length // x.size))[:length]


def noise_gain(clean: np.ndarray, noise: np.ndarray, snr: float) -> float:
    """The factor g such that power(clean) / power(g * noise) is ``snr`` dB (both arrays the same length)."""
    p_clean, p_noise = power(clean), power(noise)
    if p_clean <= _EPS_POWER:
        raise SimulationError("the clean signal is silent: an SNR is not defined")
    if p_noise <= _EPS_POWER:
        raise SimulationError("the noise is silent: it cannot be brought to an SNR")
    return float(np.sqrt(p_clean / (p_noise * 10.0 ** (snr / 10.0))))


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr: float) -> np.ndarray:
    """``clean + g * noise``, with g chosen so that the SNR is ``snr`` dB.

    Power is the mean square over the whole clean signal and over the whole noise segment actually added
    (``noise`` looped or cut to the clean signal's length), not an active-speech level: it is exactly
    measurable from the pair (``snr_db(clean, noisy - clean)`` gives ``snr`` back), needs no voice activity
    detector and is the same on every machine. Speech with long pauses therefore has a lower active-speech SNR
    than the recorded figure. The clean signal is not scaled, so it is the enhancement target as it is.
    """
    clean = _mono(clean, "clean")
    noise = loop_to_length(noise, clean.size).astype(clean.dtype, copy=False)
    gain = clean.dtype.type(noise_gain(clean, noise, snr))
    out = np.multiply(noise, gain)  # one new array, the clean signal added in place
    out += clean
    return out


def headroom(mixture: np.ndarray, peak: float) -> float:
    """The factor (at most 1) that brings ``mixture``'s largest absolute sample down to ``peak``."""
    if not 0.0 < peak <= 1.0:
        raise SimulationError(f"a peak limit must be in (0, 1] (full scale is 1), got {peak}")
    top = max(float(mixture.max()), -float(mixture.min())) if mixture.size else 0.0  # no |x| array
    return 1.0 if top <= peak else peak / top


def mix_parts(
    clean: np.ndarray, noise: np.ndarray, snr: float, peak: Optional[float] = None
) -> tuple[np.ndarray, np.ndarray]:
    """(mixture, clean target): :func:`mix_at_snr`, and, when ``peak`` is given and the mixture would exceed
    it, both scaled by the one factor that brings the mixture's peak to ``peak`` (so nothing clips when written
    as PCM, and the SNR and the target's relation to the mixture are unchanged)."""
    mixture = mix_at_snr(clean, noise, snr)
    clean = _mono(clean, "clean")
    if peak is None:
        return mixture, clean
    k = headroom(mixture, peak)
    if k == 1.0:
        return mixture, clean
    scale = mixture.dtype.type(k)
    mixture *= scale  # a new array of mix_at_snr's: scaled in place
    return mixture, clean * scale


def direct_path(rir: np.ndarray) -> int:
    """The index of the direct path of an impulse response: its largest absolute sample."""
    rir = _mono(rir, "rir")
    if rir.size == 0 or not np.any(rir):
        raise SimulationError("the impulse response is empty or all zeros")
    return int(np.argmax(np.abs(rir)))


def _fft_convolve(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    n = x.size + h.size - 1
    size = 1 << (n - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(h, size), size)[:n]


def convolve_rir(x: np.ndarray, rir: np.ndarray) -> np.ndarray:
    """``x`` convolved with a room impulse response (FFT convolution), aligned to the direct path.

    The response is scaled so that its direct path (largest absolute sample) is +1, and the output starts at
    the direct path and has ``x``'s length: the direct sound sits at the same samples, with the same gain and
    polarity, as in ``x``, so ``x`` is the time-aligned dereverberation target (the reverberant tail past the
    end of ``x`` is cut).
    """
    x = _mono(x, "x")
    rir = _mono(rir, "rir")
    peak = direct_path(rir)
    h = rir.astype(np.float64) / rir[peak]
    if x.size == 0:
        return x.copy()
    return _fft_convolve(x.astype(np.float64), h)[peak : peak + x.size].astype(x.dtype)


def clip(x: np.ndarray, level: float) -> np.ndarray:
    """``x`` clipped at ``level`` times its own peak (0 < level <= 1): samples beyond +-threshold are set to it,
    the others are unchanged. Returns the clipped signal; :func:`clip_threshold` gives the threshold."""
    x = _mono(x, "x")
    threshold = x.dtype.type(clip_threshold(x, level))
    return np.clip(x, -threshold, threshold)


def clip_threshold(x: np.ndarray, level: float) -> float:
    """The absolute threshold of :func:`clip`: ``level`` times the peak of ``x``."""
    if not 0.0 < level <= 1.0:
        raise SimulationError(f"clip level must be in (0, 1] (a fraction of the peak), got {level}")
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak == 0.0:
        raise SimulationError("cannot clip a silent signal at a fraction of its peak")
    return level * peak


def band_limit(x: np.ndarray, rate: int, low_rate: int) -> np.ndarray:
    """``x`` resampled from ``rate`` down to ``low_rate`` and back up with soxr (VHQ), at its original length:
    nothing above ``low_rate / 2`` Hz remains (soxr's anti-aliasing filter), as in narrow-band recordings."""
    import soxr

    x = _mono(x, "x")
    if not 0 < low_rate < rate:
        raise SimulationError(f"band-limiting needs a rate below the signal's {rate} Hz, got {low_rate} Hz")
    down = soxr.resample(x, rate, low_rate, quality="VHQ")
    up = soxr.resample(down, low_rate, rate, quality="VHQ")
    if up.size >= x.size:
        return np.ascontiguousarray(up[: x.size])
    return np.concatenate([up, np.zeros(x.size - up.size, dtype=up.dtype)])


def cut_gap(x: np.ndarray, start: int, stop: int) -> np.ndarray:
    """``x`` with samples ``start`` to ``stop`` (excluded) set to zero."""
    x = _mono(x, "x")
    if not 0 <= start <= stop <= x.size:
        raise SimulationError(f"gap [{start}, {stop}) is not inside the {x.size} samples of the signal")
    y = x.copy()
    y[start:stop] = 0.0
    return y


def pad(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """``x`` with ``before`` zeros in front and ``after`` zeros behind."""
    x = _mono(x, "x")
    if before < 0 or after < 0:
        raise SimulationError(f"padding must not be negative, got {before} and {after} samples")
    return np.concatenate([np.zeros(before, x.dtype), x, np.zeros(after, x.dtype)])


def crop(x: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Samples ``start`` to ``stop`` (excluded) of ``x``."""
    x = _mono(x, "x")
    if not 0 <= start <= stop <= x.size:
        raise SimulationError(f"crop [{start}, {stop}) is not inside the {x.size} samples of the signal")
    return x[start:stop].copy()


def sum_stems(
    stems: Sequence[np.ndarray], gains: Sequence[float], offsets: Optional[Sequence[int]] = None
) -> np.ndarray:
    """``sum(gain_i * stem_i)``, stem i starting at sample ``offsets[i]`` (default 0); the output is as long as
    the latest-ending stem, zeros where no stem plays."""
    if not stems:
        raise SimulationError("a sum needs at least one stem")
    offsets = [0] * len(stems) if offsets is None else list(offsets)
    if not len(stems) == len(gains) == len(offsets):
        raise SimulationError(f"{len(stems)} stems but {len(gains)} gains and {len(offsets)} offsets")
    if any(o < 0 for o in offsets):
        raise SimulationError(f"stem offsets must not be negative, got {offsets}")
    arrays = [_mono(s, f"stem {i}") for i, s in enumerate(stems)]
    out = np.zeros(max(o + a.size for o, a in zip(offsets, arrays)), dtype=np.result_type(*arrays))
    for a, g, o in zip(arrays, gains, offsets):
        out[o : o + a.size] += out.dtype.type(g) * a
    return out


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


# -- parameter drawing --------------------------------------------------------------------------------------


def generator(seed: int, instance_id: str, what: str) -> np.random.Generator:
    """The numpy generator for one parameter (``what``) of one instance under the user's seed."""
    # what np.random.default_rng(int) builds, without its per-call wrapper (a few draws per instance add up)
    return np.random.Generator(np.random.PCG64(stable_int("dsp", seed, instance_id, what)))


@functools.lru_cache(maxsize=64)
def _decimals(step: float) -> int:
    """The decimals a multiple of ``step`` is rounded to (computed once per step: numpy's scalar maths is slow)."""
    return max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0


def draw_uniform(seed: int, instance_id: str, what: str, low: float, high: float, step: float) -> float:
    """A number drawn uniformly in [low, high], rounded to a multiple of ``step``."""
    if not low <= high:
        raise SimulationError(f"{what}: empty range [{low}, {high}]")
    value = generator(seed, instance_id, what).uniform(low, high)
    return round(min(max(round(value / step) * step, low), high), _decimals(step))


def draw_snr_db(
    seed: int, instance_id: str, what: str = "snr_db", low: float = SNR_DB[0], high: float = SNR_DB[1]
) -> float:
    """An SNR in dB, within :data:`SNR_DB` unless told otherwise, 0.1 dB steps."""
    return draw_uniform(seed, instance_id, what, low, high, 0.1)


def draw_clip_level(seed: int, instance_id: str, what: str = "clip_level") -> float:
    """A clipping threshold as a fraction of the peak, within :data:`CLIP_LEVEL`, 0.01 steps."""
    return draw_uniform(seed, instance_id, what, *CLIP_LEVEL, 0.01)


def draw_cutoff_rate(seed: int, instance_id: str, rate: int, what: str = "cutoff_rate") -> int:
    """A low rate from :data:`CUTOFF_RATES` that is below ``rate`` (the source's), uniformly."""
    options = [r for r in CUTOFF_RATES if r < rate]
    if not options:
        raise SimulationError(f"no band-limiting rate in {CUTOFF_RATES} is below the source's {rate} Hz")
    return draw_choice(seed, instance_id, what, options)


def draw_gap(seed: int, instance_id: str, duration: float, what: str = "gap") -> tuple[float, float]:
    """(start, length) in seconds of a gap inside audio of ``duration`` seconds: the length within
    :data:`GAP_SECONDS` (no longer than the audio allows), the start uniform with :data:`GAP_MARGIN_SECONDS`
    kept at both ends; 1 ms steps."""
    room = round(duration - 2 * GAP_MARGIN_SECONDS, 3)
    if room < GAP_SECONDS[0]:
        raise SimulationError(f"{duration:.3f} s of audio is too short for a gap of at least {GAP_SECONDS[0]} s")
    length = draw_uniform(seed, instance_id, what + ".length", GAP_SECONDS[0], min(GAP_SECONDS[1], room), 0.001)
    start = draw_uniform(
        seed, instance_id, what + ".start", GAP_MARGIN_SECONDS, round(GAP_MARGIN_SECONDS + room - length, 3), 0.001
    )
    return start, length


def draw_offset(seed: int, instance_id: str, what: str, available: float, needed: float) -> float:
    """Where to start a ``needed``-second window inside ``available`` seconds (e.g. a noise region), 1 ms
    steps; 0 when the source is not longer than the window (it will be looped)."""
    if available <= needed:
        return 0.0
    return draw_uniform(seed, instance_id, what, 0.0, math.floor((available - needed) * 1000) / 1000, 0.001)


def draw_choice(seed: int, instance_id: str, what: str, options: Sequence[T]) -> T:
    """One of ``options`` uniformly (an impulse response, a noise file). Pass the options in a stable order
    (sorted), not in directory-listing order."""
    if not options:
        raise SimulationError(f"{what}: nothing to choose from")
    return options[int(generator(seed, instance_id, what).integers(len(options)))]


def draw_stem_gains_db(seed: int, instance_id: str, count: int, what: str = "stem_gains_db") -> list[float]:
    """``count`` stem gains in dB within :data:`STEM_GAIN_DB`, 0.1 dB steps, each drawn on its own."""
    return [draw_uniform(seed, instance_id, f"{what}.{i}", *STEM_GAIN_DB, 0.1) for i in range(count)]
