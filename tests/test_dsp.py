"""The simulations, measured as physics on rendered recipes over real audio files, and the parameter draws."""

from __future__ import annotations

import numpy as np
import pytest
from audio_signals import read, room_impulse_response, speechlike, write

from audio_flan import audio_values as av
from audio_flan import dsp
from audio_flan.audio_values import AudioDecodeError

RATE = 16000


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dsp")
    rng = np.random.default_rng(7)
    return {
        "clean": write(folder / "clean.wav", speechlike(3.0, RATE, seed=1), RATE),
        "other": write(folder / "other.wav", speechlike(2.0, RATE, seed=2), RATE),
        "noise": write(folder / "noise.wav", 0.2 * rng.standard_normal(5 * RATE), RATE),
        "short_noise": write(folder / "short_noise.wav", 0.2 * rng.standard_normal(RATE // 2), RATE),
        "noise_48k": write(folder / "noise_48k.wav", 0.2 * rng.standard_normal(4 * 48000), 48000),
        "rir": write(folder / "rir.wav", room_impulse_response(RATE), RATE, subtype="FLOAT"),
        "rir_long": write(
            folder / "rir_long.wav", room_impulse_response(RATE, 1.0, -5.0, seed=2), RATE, subtype="FLOAT"
        ),
        "rir_negative": write(
            folder / "rir_neg.wav", -room_impulse_response(RATE, 0.6, 3.0, seed=3), RATE, subtype="FLOAT"
        ),
        "silence": write(folder / "silence.wav", np.zeros(RATE), RATE),
    }


def render(value: av.AudioValue) -> np.ndarray:
    array, rate = value.render()
    assert rate == RATE and array.dtype == np.float32
    return array


@pytest.mark.parametrize("snr", [-5.0, 0.0, 7.3, 20.0])
@pytest.mark.parametrize("noise", ["noise", "short_noise", "noise_48k"])
def test_measured_snr_is_the_recorded_snr(files, snr, noise):
    """Power is the mean square over the whole clean signal; noise shorter than the speech is looped and
    noise at another rate resampled, and the SNR still holds."""
    clean = read(files["clean"])
    value = av.Mix(av.File(files["clean"]), av.Region(files[noise], 0.25, None), snr)
    noisy = render(value)
    assert noisy.shape == clean.shape
    assert abs(dsp.snr_db(clean, noisy - clean) - value.snr_db) < 0.1


def test_snr_survives_the_export(files):
    clean = read(files["clean"])
    value = av.Mix(av.File(files["clean"]), av.File(files["noise"]), 12.5)
    data, _ = av.to_export_bytes(value)
    noisy = av.read_bytes(data, "export")[0][0]
    assert abs(dsp.snr_db(clean, noisy - clean) - 12.5) < 0.1


@pytest.mark.parametrize("level", [0.1, 0.35, 0.6, 1.0])
def test_clipping_never_exceeds_the_level_and_keeps_the_rest(files, level):
    clean = read(files["clean"]).astype(np.float64)
    clipped = render(av.Clip(av.File(files["clean"]), level)).astype(np.float64)
    threshold = level * np.abs(clean).max()
    assert np.abs(clipped).max() <= threshold * (1 + 1e-6)
    below = np.abs(clean) < threshold
    assert np.array_equal(clipped[below], clean[below])  # exactly the clean samples
    assert np.allclose(clipped[~below], np.sign(clean[~below]) * threshold, rtol=1e-6)
    if level < 1:
        assert (~below).sum() > 0


def _energy_above(x: np.ndarray, rate: int, cutoff: float) -> float:
    """Energy above ``cutoff`` Hz relative to the whole, in dB (Hann window, so leakage does not mask it)."""
    spectrum = np.abs(np.fft.rfft(x.astype(np.float64) * np.hanning(x.size))) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / rate)
    return 10 * np.log10(spectrum[freqs > cutoff].sum() / spectrum.sum())


@pytest.mark.parametrize("low_rate", [4000, 8000, 12000])
@pytest.mark.parametrize("source", ["clean", "noise"])
def test_band_limited_audio_has_nothing_above_the_cutoff(files, low_rate, source):
    original = read(files[source])
    value = av.BandLimit(av.File(files[source]), low_rate)
    limited = render(value)
    assert limited.shape == original.shape
    assert _energy_above(original, RATE, value.cutoff_hz) > -40  # there was something to remove
    assert _energy_above(limited, RATE, value.cutoff_hz) < -50
    # and what lies well below the cut-off is kept
    assert (
        dsp.snr_db(_lowpass(original, 0.8 * value.cutoff_hz), _lowpass(original - limited, 0.8 * value.cutoff_hz)) > 30
    )


def _lowpass(x: np.ndarray, cutoff: float) -> np.ndarray:
    spectrum = np.fft.rfft(x.astype(np.float64))
    spectrum[np.fft.rfftfreq(x.size, 1 / RATE) > cutoff] = 0
    return np.fft.irfft(spectrum, x.size)


@pytest.mark.parametrize("start,duration", [(0.5, 0.2), (1.234, 0.05), (0.0, 0.1), (2.9, 0.1)])
def test_the_gap_is_exactly_the_recorded_span(files, start, duration):
    clean = read(files["clean"])
    gapped = render(av.Gap(av.File(files["clean"]), start, duration))
    first, stop = round(start * RATE), round((start + duration) * RATE)
    zero = np.flatnonzero(gapped == 0)
    assert zero[0] == first and zero[-1] == stop - 1 and zero.size == stop - first
    keep = np.ones(clean.size, bool)
    keep[first:stop] = False
    assert np.array_equal(gapped[keep], clean[keep])


def test_a_crop_is_the_span_of_its_source(files):
    clean = read(files["clean"])
    cropped = render(av.Crop(av.File(files["clean"]), 0.5, 1.25))
    assert np.array_equal(cropped, clean[8000:28000])
    assert np.array_equal(render(av.Crop(av.File(files["clean"]), 2.5)), clean[40000:])


def test_a_mixture_is_the_sum_of_its_scaled_sources(files):
    a, b, n = read(files["clean"]), read(files["other"]), read(files["noise"])
    gains = [dsp.db_to_gain(g) for g in (-3.2, 1.5, -10.0)]
    value = av.Sum([av.File(files["clean"]), av.File(files["other"]), av.File(files["noise"])], gains, [0.0, 0.75, 0.1])
    mixture = render(value)
    expected = np.zeros(max(a.size, 12000 + b.size, 1600 + n.size))
    expected[: a.size] += gains[0] * a
    expected[12000 : 12000 + b.size] += gains[1] * b
    expected[1600 : 1600 + n.size] += gains[2] * n
    assert mixture.shape == expected.shape
    np.testing.assert_allclose(mixture, expected, rtol=0, atol=4 * np.finfo(np.float32).eps)


def test_a_mix_at_an_snr_is_clean_plus_scaled_noise(files):
    clean, noise = read(files["clean"]).astype(np.float64), read(files["noise"]).astype(np.float64)[: 3 * RATE]
    noisy = render(av.Mix(av.File(files["clean"]), av.File(files["noise"]), 3.0))
    np.testing.assert_allclose(noisy, clean + dsp.noise_gain(clean, noise, 3.0) * noise, atol=np.finfo(np.float32).eps)


def _lag_of_peak(reference: np.ndarray, signal: np.ndarray) -> int:
    n = reference.size + signal.size - 1
    size = 1 << (n - 1).bit_length()
    xcorr = np.fft.irfft(np.fft.rfft(signal, size) * np.conj(np.fft.rfft(reference, size)), size)
    lag = int(np.argmax(np.abs(xcorr)))
    return lag if lag < size // 2 else lag - size


@pytest.mark.parametrize("rir", ["rir", "rir_long", "rir_negative"])
def test_the_dereverberation_target_is_time_aligned_with_the_reverberant_input(files, rir):
    clean = read(files["clean"])
    reverberant = render(av.Reverb(av.File(files["clean"]), av.File(files[rir])))
    assert reverberant.shape == clean.shape
    assert abs(_lag_of_peak(clean, reverberant)) <= RATE // 1000  # 0 +- 1 ms
    assert np.corrcoef(clean, reverberant)[0, 1] > 0  # same polarity, even when the response's peak is negative
    assert dsp.snr_db(clean, reverberant - clean) < 15  # and it is reverberant, not a copy


def _two_channel_response(delays_ms: tuple[float, float]) -> np.ndarray:
    """A microphone pair's response: the same room, the direct sound reaching each microphone at its own delay."""
    channels = []
    for k, delay in enumerate(delays_ms):
        h = room_impulse_response(RATE, 0.3, 3.0, predelay=delay / 1000, seed=10 + k)
        channels.append(np.pad(h, (0, 2000 - h.size)) if h.size < 2000 else h)
    n = max(c.size for c in channels)
    return np.stack([np.pad(c, (0, n - c.size)) for c in channels], axis=1)  # (samples, channels)


def test_a_multichannel_response_is_convolved_one_channel_at_a_time_aligned_to_that_channels_direct_path(
    files, tmp_path
):
    """Averaging the channels of an array's response smears the direct path (two peaks 15 ms apart: a comb
    filter); one channel is a physical response, and the target is aligned to its direct path."""
    response = _two_channel_response((20.0, 35.0))
    path = write(tmp_path / "rir_2ch.wav", response, RATE, subtype="FLOAT")
    clean = read(files["clean"])
    rendered = []
    for channel in (0, 1):
        reverberant = render(av.Reverb(av.File(files["clean"]), av.File(path), channel=channel))
        assert abs(_lag_of_peak(clean, reverberant)) <= RATE // 1000  # 0 +- 1 ms, whichever channel
        expected = dsp.convolve_rir(clean, response[:, channel].astype(np.float32))
        np.testing.assert_allclose(reverberant, expected, atol=1e-6)
        rendered.append(reverberant)
    assert not np.allclose(rendered[0], rendered[1], atol=1e-3)
    averaged = dsp.convolve_rir(clean, response.mean(axis=1).astype(np.float32))
    assert not np.allclose(rendered[0], averaged, atol=1e-3) and not np.allclose(rendered[1], averaged, atol=1e-3)

    with pytest.raises(AudioDecodeError, match="has 2 channels; say which one"):
        av.Reverb(av.File(files["clean"]), av.File(path)).render()
    with pytest.raises(AudioDecodeError, match="channel 2 asked of the impulse response .*rir_2ch.wav, which has 2"):
        av.Reverb(av.File(files["clean"]), av.File(path), channel=2).render()


def test_the_channel_is_recorded_in_the_recipe_and_a_mono_recipe_is_unchanged(files):
    mono = av.Reverb(av.File(files["clean"]), av.File(files["rir"]), peak=0.99)
    assert "channel" not in mono.to_dict()  # values stored before channels existed read the same
    chosen = av.Reverb(av.File(files["clean"]), av.File(files["rir"]), channel=1)
    assert chosen.to_dict()["channel"] == 1 and av.from_bytes(chosen.to_storage()["bytes"]) == chosen
    for bad in (-1, 1.5, True, "0"):
        with pytest.raises(av.AudioValueError, match="channel must be None or an integer >= 0"):
            av.Reverb(av.File(files["clean"]), av.File(files["rir"]), channel=bad)


def test_the_convolution_is_the_direct_convolution(files):
    x = np.random.default_rng(0).standard_normal(1000)
    h = room_impulse_response(RATE, t60=0.01)
    peak = dsp.direct_path(h)
    np.testing.assert_allclose(dsp.convolve_rir(x, h), np.convolve(x, h / h[peak])[peak : peak + x.size], atol=1e-9)


def test_impossible_simulations_say_what_is_wrong(files):
    with pytest.raises(AudioDecodeError, match="silent"):
        av.Mix(av.File(files["clean"]), av.File(files["silence"]), 5.0).render()
    with pytest.raises(AudioDecodeError, match="silent"):
        av.Mix(av.File(files["silence"]), av.File(files["noise"]), 5.0).render()
    with pytest.raises(AudioDecodeError, match="gap"):
        av.Gap(av.File(files["clean"]), 2.9, 0.5).render()
    with pytest.raises(AudioDecodeError, match="below the signal's 16000 Hz"):
        av.BandLimit(av.File(files["clean"]), 16000).render()
    with pytest.raises(AudioDecodeError, match="all zeros"):
        av.Reverb(av.File(files["clean"]), av.File(files["silence"])).render()


# -- parameter draws ----------------------------------------------------------------------------------------

IDS = [f"speech.denoising/train/{i:05d}" for i in range(400)]


def test_draws_stay_in_their_documented_ranges_and_steps():
    snrs = [dsp.draw_snr_db(0, i) for i in IDS]
    assert dsp.SNR_DB[0] <= min(snrs) < dsp.SNR_DB[0] + 1 and dsp.SNR_DB[1] - 1 < max(snrs) <= dsp.SNR_DB[1]
    assert all(round(s, 1) == s for s in snrs)
    levels = [dsp.draw_clip_level(0, i) for i in IDS]
    assert dsp.CLIP_LEVEL[0] <= min(levels) and max(levels) <= dsp.CLIP_LEVEL[1]
    assert all(round(v, 2) == v for v in levels)
    rates = {dsp.draw_cutoff_rate(0, i, 16000) for i in IDS}
    assert rates == {4000, 8000, 12000}  # only rates below the source's
    assert {dsp.draw_cutoff_rate(0, i, 48000) for i in IDS} == set(dsp.CUTOFF_RATES)
    for i in IDS:
        start, length = dsp.draw_gap(0, i, 3.0)
        assert dsp.GAP_SECONDS[0] <= length <= dsp.GAP_SECONDS[1]
        assert start >= dsp.GAP_MARGIN_SECONDS and start + length <= 3.0 - dsp.GAP_MARGIN_SECONDS + 1e-9
        assert round(start, 3) == start and round(length, 3) == length
        offset = dsp.draw_offset(0, i, "noise", 60.0, 3.0)
        assert 0 <= offset <= 57.0 and round(offset, 3) == offset
        assert all(dsp.STEM_GAIN_DB[0] <= g <= dsp.STEM_GAIN_DB[1] for g in dsp.draw_stem_gains_db(0, i, 3))
    assert dsp.draw_offset(0, IDS[0], "noise", 2.0, 3.0) == 0.0  # shorter than needed: looped from the start
    pool = [f"rir_{k:03d}.wav" for k in range(10)]
    assert {dsp.draw_choice(0, i, "rir", pool) for i in IDS} == set(pool)


def test_another_seed_draws_other_parameters():
    for i in IDS[:20]:
        a = (dsp.draw_snr_db(0, i), dsp.draw_clip_level(0, i), dsp.draw_gap(0, i, 3.0))
        b = (dsp.draw_snr_db(1, i), dsp.draw_clip_level(1, i), dsp.draw_gap(1, i, 3.0))
        assert a != b
    snrs = [dsp.draw_snr_db(1, i) for i in IDS]
    assert snrs != [dsp.draw_snr_db(0, i) for i in IDS]


def test_each_parameter_is_drawn_on_its_own():
    """Drawing one parameter never depends on another: the SNR of an instance is the same whether or not its
    other parameters were drawn, and two parameters of one instance are not the same draw."""
    first = dsp.draw_snr_db(5, IDS[3])
    dsp.draw_clip_level(5, IDS[3])
    dsp.draw_gap(5, IDS[3], 10.0)
    assert dsp.draw_snr_db(5, IDS[3]) == first
    assert dsp.draw_snr_db(5, IDS[3], what="snr_db.2") != first


def test_a_gap_needs_room():
    with pytest.raises(dsp.SimulationError, match="too short"):
        dsp.draw_gap(0, "x", 0.2)
    with pytest.raises(dsp.SimulationError, match="below the source"):
        dsp.draw_cutoff_rate(0, "x", 4000)
