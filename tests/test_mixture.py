"""audio_flan.mixture: the rates it prints are the rates it samples, T5's formulas, determinism, set_epoch."""

from __future__ import annotations

import collections
import math

import pytest

import audio_flan
from audio_flan.builder import SAMPLE_DIR, AudioFlan
from audio_flan.mixture import Mixture, mixing_rates, select_configs
from audio_flan.sources import SourceError

# the configs the sample's LibriTTS-R copy feeds: with source="libritts_r" a pass over them reads a few small files
LIBRITTS = [
    "speech.asr",
    "speech.gender_recognition",
    "speech.language_identification",
    "speech.speaker_verification",
    "speech.spoken_paragraph_recognition",
    "speech.tts",
]


def split_size(config: str, split: str = "train") -> int:
    """A config's instance count by its builder's generator, called directly (not the stream the mixture counts)."""
    builder = AudioFlan(config_name=config)
    return sum(
        1
        for g in builder._split_generators(None)
        if g.name == split
        for _ in builder._generate_examples(**g.gen_kwargs)
    )


def draws(ds, n: int) -> tuple[collections.Counter, int]:
    """Iterate epochs 0, 1, ... (set_epoch before each) until at least n examples were drawn; config counts."""
    ds = ds.select_columns(["config"])
    counts: collections.Counter = collections.Counter()
    total = epoch = 0
    while total < n:
        ds.set_epoch(epoch)
        for example in ds:
            counts[example["config"]] += 1
            total += 1
        epoch += 1
    return counts, total


def test_shares_of_20000_draws_are_within_three_standard_errors_of_the_printed_rates():
    weights = {"speech.asr": 8, "speech.tts": 4, "speech.gender_recognition": 2, "speech.speaker_verification": 1}
    ds = audio_flan.mixture(rates=weights, source="libritts_r", seed=3)
    assert isinstance(ds, Mixture)
    printed = ds.rates
    assert printed == pytest.approx({c: w / 15 for c, w in weights.items()})
    counts, n = draws(ds, 20_000)
    assert n >= 20_000 and set(counts) == set(weights)
    for config, rate in printed.items():
        se = math.sqrt(rate * (1 - rate) / n)
        assert abs(counts[config] / n - rate) <= 3 * se, (config, counts[config] / n, rate)


def test_proportional_rates_are_shares_of_the_counts():
    ds = audio_flan.mixture(LIBRITTS, source="libritts_r", seed=1)
    rows = {r.config: r for r in ds.mixing.rows}
    total = sum(r.count for r in rows.values())
    assert all(r.count_from == "counted" and r.count > 0 for r in rows.values())
    assert ds.rates == pytest.approx({c: r.count / total for c, r in rows.items()})


def test_cap_and_temperature_follow_t5s_formulas():
    counts = {"a": 1000, "b": 100, "c": 10, "d": 0}
    assert mixing_rates(counts) == pytest.approx({"a": 1000 / 1110, "b": 100 / 1110, "c": 10 / 1110, "d": 0})
    assert mixing_rates(counts, cap=100) == pytest.approx({"a": 100 / 210, "b": 100 / 210, "c": 10 / 210, "d": 0})
    z = 1000**0.5 + 100**0.5 + 10**0.5
    assert mixing_rates(counts, "temperature", temperature=2) == pytest.approx(
        {"a": 1000**0.5 / z, "b": 10 / z, "c": 10**0.5 / z, "d": 0}
    )
    assert mixing_rates(counts, "temperature", temperature=1) == pytest.approx(mixing_rates(counts))
    flat = mixing_rates(counts, "temperature", temperature=1e9)
    assert flat["a"] == pytest.approx(1 / 3) and flat["c"] == pytest.approx(1 / 3)


def test_the_sample_mixture_prints_the_formulas_rates():
    plain = audio_flan.mixture("speech")
    n = {r.config: r.count for r in plain.mixing.rows}
    assert n["speech.asr"] == split_size("speech.asr") > 10 and n["speech.accent_recognition"] == split_size(
        "speech.accent_recognition"
    )
    capped = audio_flan.mixture("speech", cap=10)
    hot = audio_flan.mixture("speech", rates="temperature", temperature=3, cap=10)
    total = sum(n.values())
    capped_total = sum(min(c, 10) for c in n.values())
    hot_total = sum(min(c, 10) ** (1 / 3) for c in n.values())
    for config, count in n.items():
        assert plain.rates[config] == pytest.approx(count / total)
        assert capped.rates[config] == pytest.approx(min(count, 10) / capped_total)
        assert hot.rates[config] == pytest.approx(min(count, 10) ** (1 / 3) / hot_total)
    # the cap lowers the share of the largest config, the temperature lowers it further
    assert plain.rates["speech.asr"] > capped.rates["speech.asr"] > hot.rates["speech.asr"]
    assert {r.config for r in capped.mixing.rows if r.capped} == {c for c, k in n.items() if k > 10}
    table = str(capped)
    assert (
        "speech.asr" in table
        and f"{n['speech.asr']} (capped)" in table
        and f"{capped.rates['speech.asr']:.6f}" in table
    )
    assert capped.rates_table(markdown=True).splitlines()[2].startswith("| config | instances |")


def _ids(ds, epoch: int) -> list[str]:
    ds = ds.select_columns(["id"])
    ds.set_epoch(epoch)
    return [e["id"] for e in ds]


def test_same_seed_gives_identical_runs_and_set_epoch_changes_the_order_only():
    make = lambda seed: audio_flan.mixture(LIBRITTS, rates="temperature", temperature=2, source="libritts_r", seed=seed)
    first, second = make(7), make(7)
    assert _ids(first, 0) == _ids(second, 0)
    assert _ids(first, 1) == _ids(second, 1)
    assert _ids(make(8), 0) != _ids(first, 0)
    epoch0, epoch1 = _ids(first, 0), _ids(first, 1)
    assert epoch0 != epoch1
    assert first.rates == second.rates
    # every instance is in every epoch (all_exhausted); only the order and the repeats differ
    assert set(epoch0) == set(epoch1)


def test_first_exhausted_stops_early_and_all_exhausted_sees_every_instance():
    every = audio_flan.mixture(LIBRITTS, source="libritts_r", stopping_strategy="all_exhausted")
    first = audio_flan.mixture(LIBRITTS, source="libritts_r", stopping_strategy="first_exhausted")
    total = sum(r.count for r in every.mixing.rows)
    assert len(set(_ids(every, 0))) == total
    assert len(_ids(first, 0)) < total


def test_unknown_counts_can_be_refused_or_given():
    with pytest.raises(ValueError, match=r"not known for: speech.asr, speech.tts.*counts="):
        audio_flan.mixture(["speech.asr", "speech.tts"], unknown_counts="error")
    ds = audio_flan.mixture(["speech.asr", "speech.tts"], counts={"speech.asr": 30, "speech.tts": 10})
    assert ds.rates == pytest.approx({"speech.asr": 0.75, "speech.tts": 0.25})
    assert {r.count_from for r in ds.mixing.rows} == {"given"}


def test_counts_come_from_split_info_once_a_config_is_prepared():
    builder = audio_flan.AudioFlan(config_name="speech.tts")
    builder.download_and_prepare()
    ds = audio_flan.mixture(["speech.tts", "speech.asr"], unknown_counts="count")
    rows = {r.config: r for r in ds.mixing.rows}
    assert rows["speech.tts"].count_from == "split info" and rows["speech.tts"].count == split_size("speech.tts")
    assert rows["speech.asr"].count_from == "counted" and rows["speech.asr"].count == split_size("speech.asr")


def test_configs_a_data_dir_cannot_feed_are_left_out_with_the_reason_unless_named():
    data_dir = str(SAMPLE_DIR / "LibriTTS_R")
    ds = audio_flan.mixture("speech", data_dir=data_dir)
    rows = {r.config: r for r in ds.mixing.rows}
    fed = {
        name
        for name, task in audio_flan.task_table().items()
        if task.domain == "speech" and "libritts_r" in task.parsers and not task.roles
    }  # (configs whose pairs draw noise or impulse responses from other corpora, absent here, are left out)
    assert set(ds.rates) == fed and set(LIBRITTS) <= fed
    assert rows["speech.emotion_recognition"].rate == 0
    assert rows["speech.emotion_recognition"].note.startswith("not in data_dir")
    assert (
        rows["speech.denoising"].rate == 0 and "role 'noise' has nothing to draw from" in rows["speech.denoising"].note
    )
    assert "not in data_dir" in str(ds)
    with pytest.raises(SourceError):
        audio_flan.mixture(["speech.asr", "speech.emotion_recognition"], data_dir=data_dir)
    with pytest.raises(ValueError, match="none of the 28 configs can be read; music.artist_identification: not in"):
        audio_flan.mixture("music", data_dir=data_dir)


def test_configs_without_instances_in_the_split_get_rate_zero():
    ds = audio_flan.mixture(["speech.asr", "speech.accent_recognition"], split="test")
    rows = {r.config: r for r in ds.mixing.rows}
    assert ds.rates == {"speech.asr": 1.0}
    assert rows["speech.accent_recognition"].note == "no instances in test"
    assert {e["config"] for e in ds.select_columns(["config"])} == {"speech.asr"}


def test_explicit_weights_and_bad_arguments():
    ds = audio_flan.mixture(rates={"speech.asr": 3, "speech.tts": 1, "music.tagging": 0})
    assert ds.rates == pytest.approx({"speech.asr": 0.75, "speech.tts": 0.25})
    assert {r.count_from for r in ds.mixing.rows} == {"not needed"}
    with pytest.raises(ValueError, match="no weight for: speech.tts"):
        audio_flan.mixture(["speech.asr", "speech.tts"], rates={"speech.asr": 1})
    with pytest.raises(ValueError, match="cap and temperature"):
        audio_flan.mixture(rates={"speech.asr": 1}, cap=3)
    with pytest.raises(ValueError, match="unknown config 'speech.nope'"):
        audio_flan.mixture(["speech.nope"])
    with pytest.raises(ValueError, match="stopping_strategy"):
        audio_flan.mixture(["speech.asr"], stopping_strategy="never")
    with pytest.raises(ValueError, match="temperature must be"):
        audio_flan.mixture(["speech.asr"], rates="temperature", temperature=0)


def test_prompt_seed_is_the_configs_seed_and_seed_the_mixtures():
    texts = lambda ds: [e["instruction"] for e in ds.select_columns(["instruction"])]
    base = audio_flan.mixture(["speech.asr"], shuffle=False)
    assert texts(audio_flan.mixture(["speech.asr"], shuffle=False, seed=5)) == texts(base)
    assert texts(audio_flan.mixture(["speech.asr"], shuffle=False, prompt_seed=5)) != texts(base)


def test_select_configs_by_domain_and_all():
    names, explicit = select_configs("music")
    assert len(names) == 28 and not explicit and all(n.startswith("music.") for n in names)
    assert len(select_configs(None)[0]) == 80 and len(select_configs("all")[0]) == 80
    names, explicit = select_configs(["speech.tts", "speech.asr", "speech.asr"])
    assert names == ["speech.asr", "speech.tts"] and explicit


def test_decoded_examples_come_out_of_a_mixture():
    ds = audio_flan.mixture(["speech.asr", "speech.tts"], seed=0)
    example = next(iter(ds))
    audios = example["input_audios"] + example["output_audios"]
    assert audios and audios[0]["sampling_rate"] > 0 and audios[0]["array"].ndim == 1
