"""The simulate shape: clean audio transformed by a recipe (:mod:`audio_flan.audio_values`); the clean audio out,
or the known parameter (the SNR).

The binding names the record's clean audio and the effect:

- ``effect: clip`` (declipping): the input is clipped at a level drawn in :data:`audio_flan.dsp.CLIP_LEVEL`
  (a fraction of the clean peak);
- ``effect: band_limit`` (bandwidth extension, super-resolution): resampled down to a rate drawn from
  :data:`audio_flan.dsp.CUTOFF_RATES` below the source's and back up, so nothing is left above half of it;
- ``effect: gap`` (inpainting): a span drawn within :data:`audio_flan.dsp.GAP_SECONDS` set to zero, at least
  :data:`audio_flan.dsp.GAP_MARGIN_SECONDS` from either end;
- ``effect: mix`` (denoising; SNR estimation): noise drawn from the task's ``noise`` role (audio_flan/roles.py)
  added at an SNR drawn in :data:`audio_flan.dsp.SNR_DB` (0.1 dB steps; power is the mean square over the whole
  clean signal and the whole noise segment added, :func:`audio_flan.dsp.mix_at_snr`). A noise clip longer than
  the speech gives a region of the speech's length at a drawn offset; a shorter one is looped. With an audio
  output slot the answer is the clean speech; a mixture that would peak above :data:`audio_flan.dsp.MIX_PEAK`
  is scaled down, and its clean target by the same factor (the recipe's ``peak``), so nothing clips and the
  target stays exact. With a text output slot the answer is the SNR, written
  ``<dB with one decimal> dB`` (``12.3 dB``, ``-4.0 dB``; :func:`snr_text`, read back by :func:`parse_snr`);
- ``effect: reverb`` (dereverberation): the clean audio convolved with an impulse response drawn from the task's
  ``rir`` role, aligned to its direct path (:func:`audio_flan.dsp.convolve_rir`), so the clean target is
  time-aligned with the reverberant input; scaled down with its target, as a mixture is, rather than clipped.
  Of a multichannel response (a microphone array's, as some of SLR28's) one channel is used, drawn from the
  instance's seed and recorded as the recipe's ``channel``, and the target is aligned to that channel's direct
  path (averaging the channels would smear the direct path and comb-filter).

Every parameter, and which role audio is used, is drawn from the user's seed and the instance id, so any
instance can be regenerated alone; the recipe (its parameters and files) is in the instance's ``metadata`` under
``simulation``, each role's item under ``roles`` and the licence of every corpus the instance uses under
``licenses``. The input audio is a recipe, rendered only when touched (and as FLAC on export); the output is the
clean file. Reading a file's rate or length reads its header, not its samples. A record the effect cannot apply
to (too short for a gap, too low a rate to band-limit) is left out and counted in one warning per shard.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping

from .. import dsp
from ..audio_values import AudioValue, BandLimit, Clip, File, Gap, Mix, Pad, Region, Reverb, file_layout
from ..roles import PoolItem, RolePool, licenses
from ..segments import Segment
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input

EFFECTS = ("clip", "band_limit", "gap", "mix", "reverb")
#: the role each effect draws its second audio from
ROLE_OF = {"mix": "noise", "reverb": "rir"}
#: the effects whose drawn parameter can be the answer (a text output slot), and which parameter
ANSWER_OF = {"mix": "snr_db"}

_SNR = re.compile(r"(-?\d+\.\d) dB")


def snr_text(snr_db: float) -> str:
    """The answer of SNR estimation: the SNR in dB with one decimal and the unit (``12.3 dB``)."""
    return f"{snr_db:.1f} dB".replace("-0.0 ", "0.0 ")


def parse_snr(text: str) -> float:
    """The SNR a :func:`snr_text` answer states (after any output prefix; a final full stop is allowed)."""
    match = _SNR.search(text)
    if not match:
        raise ValueError(f"{text!r} states no SNR as '<number with one decimal> dB'")
    return float(match.group(1))


def header_seconds(path: str) -> tuple[float, int]:
    """(duration, rate) from the file's header; a pool's noise files, drawn again and again, are read once (a
    file rewritten since is read again)."""
    seconds, rate, _ = _layout(path)
    return seconds, rate


def _layout(path: str) -> tuple[float, int, int]:
    """(duration, rate, channels) from the file's header, as :func:`header_seconds`."""
    st = os.stat(path)
    return _header(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4096)
def _header(path: str, mtime_ns: int, size: int) -> tuple[float, int, int]:
    frames, rate, channels = file_layout(path)  # the audio values' own reader: m4a/mp4/webm through PyAV as well
    return frames / rate, rate, channels


def _rir_channel(item: PoolItem, seed: int, instance_id: str) -> int | None:
    """The channel of a multichannel impulse response an instance convolves with, drawn uniformly from the
    instance's seed (``rir.channel``); None for a mono response."""
    try:
        _, _, channels = _layout(item.path)
    except (OSError, RuntimeError) as err:
        raise RecordError(f"{item.corpus} rir {item.id}: cannot read {item.path}: {err}") from None
    return dsp.draw_choice(seed, instance_id, "rir.channel", range(channels)) if channels > 1 else None


def noise_under(item: PoolItem, role: str, seconds: float, seed: int, instance_id: str) -> AudioValue:
    """The noise of ``item`` for ``seconds`` of audio: a region at a drawn offset, or the whole clip (looped when
    shorter)."""
    try:
        noise_seconds, _ = header_seconds(item.path)
    except RuntimeError as err:
        raise RecordError(f"{item.corpus} {role} {item.id}: cannot read {item.path}: {err}") from None
    if noise_seconds > seconds:
        offset = dsp.draw_offset(seed, instance_id, f"{role}.offset", noise_seconds, seconds)
        return Region(item.path, offset, seconds)
    return File(item.path)


def place_in_noise(
    path: str, role: str, seed: int, instance_id: str, roles: Mapping[str, RolePool], split: str | None = None
) -> tuple[AudioValue, list[Segment], dict[str, PoolItem]]:
    """Speech placed in noise (voice activity detection): ``path`` with noise-only stretches drawn in
    :data:`audio_flan.dsp.PLACE_SECONDS` before and after it, over noise from ``role`` at an SNR drawn in
    :data:`audio_flan.dsp.SNR_DB` (power over the whole padded speech signal, silences included), scaled down
    rather than clipped. The speech segment is where the clip was placed: from the end of the lead-in to the start
    of the tail, pauses inside the clip included. The noise is drawn from the instance's ``split``
    (audio_flan/roles.py). Returns the recipe, the segment and the role item."""
    item = roles[role].draw(seed, instance_id, split)
    seconds, rate = header_seconds(path)
    before = dsp.draw_uniform(seed, instance_id, "place.before", *dsp.PLACE_SECONDS, 0.001)
    after = dsp.draw_uniform(seed, instance_id, "place.after", *dsp.PLACE_SECONDS, 0.001)
    # times on the sample grid of the speech, so that the segment is exactly where the samples are
    start = round(before * rate) / rate
    end = start + round(seconds * rate) / rate
    padded = Pad(File(path), before, after)
    noise = noise_under(item, role, before + seconds + after, seed, instance_id)
    mixture = Mix(padded, noise, dsp.draw_snr_db(seed, instance_id), peak=dsp.MIX_PEAK)
    return mixture, [Segment(round(start, 6), round(end, 6), "speech")], {role: item}


def degrade(
    effect: str,
    path: str,
    seed: int,
    instance_id: str,
    roles: Mapping[str, RolePool] | None = None,
    split: str | None = None,
) -> tuple[AudioValue, dict[str, PoolItem]]:
    """The recipe of one instance and the role items it uses, drawn from the instance's ``split``
    (audio_flan/roles.py)."""
    clean = File(path)
    if effect == "clip":
        return Clip(clean, dsp.draw_clip_level(seed, instance_id)), {}
    if effect in ROLE_OF:
        role = ROLE_OF[effect]
        item = (roles or {})[role].draw(seed, instance_id, split)
        if effect == "reverb":
            channel = _rir_channel(item, seed, instance_id)
            return Reverb(clean, File(item.path), peak=dsp.MIX_PEAK, channel=channel), {role: item}
        speech_seconds, _ = header_seconds(path)
        noise = noise_under(item, role, speech_seconds, seed, instance_id)
        return Mix(clean, noise, dsp.draw_snr_db(seed, instance_id), peak=dsp.MIX_PEAK), {role: item}
    seconds, rate = header_seconds(path)
    if effect == "band_limit":
        return BandLimit(clean, dsp.draw_cutoff_rate(seed, instance_id, rate)), {}
    start, length = dsp.draw_gap(seed, instance_id, seconds)
    return Gap(clean, start, length), {}


def target(degraded: AudioValue, clean: str) -> AudioValue | str:
    """The answer audio of an enhancement pair: the clean file, or, for a mixture or a reverberant signal (scaled
    down, with its target, when it would clip), the clean signal as that recipe scales it."""
    if isinstance(degraded, Mix):
        return dataclasses.replace(degraded, part="clean")
    if isinstance(degraded, Reverb):
        return dataclasses.replace(degraded, part="dry")
    return clean


class Simulate(Shape):
    name = "simulate"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        if binding.get("audio") not in fields:
            errors.append(
                f"the simulate shape needs 'audio' bound to a field of the parser ({', '.join(sorted(fields))})"
            )
        effect = binding.get("effect")
        if effect not in EFFECTS:
            errors.append(f"effect must be one of {', '.join(EFFECTS)}")
        extra = set(binding) - {"audio", "effect"}
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (simulate takes audio and effect)")
        role = ROLE_OF.get(effect)
        if role is not None and role not in task.roles:
            errors.append(
                f"effect {effect} draws its {role} from the task's role {role!r}, which the file does not declare "
                f"(add roles: {{{role}: {{<parser>: {{audio: <field>}}}}}})"
            )
        out_types = list(task.outputs.values())
        if list(task.inputs.values()) != ["audio"]:
            errors.append("a simulate task takes one audio in")
        if out_types == ["text"] and effect not in ANSWER_OF:
            errors.append(
                f"a text answer is the drawn parameter, which only {', '.join(ANSWER_OF)} has; effect {effect} "
                "gives audio"
            )
        elif out_types not in (["audio"], ["text"]):
            errors.append("a simulate task gives one audio (the clean audio) or one text (the drawn parameter)")
        return errors

    def roles_needed(self, binding) -> tuple[str, ...]:
        role = ROLE_OF.get(binding.get("effect"))
        return (role,) if role else ()

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        field, effect = binding["audio"], binding["effect"]
        in_slot = next(iter(task.inputs))
        answers_text = next(iter(task.outputs.values())) == "text"
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for record in records:
            iid = f"{task.name}/{ctx.source.name}/{record['id']}"
            try:
                degraded, items = degrade(effect, record[field], ctx.seed, iid, ctx.roles, ctx.split)
            except dsp.SimulationError as err:  # too short for a gap, too low a rate to band-limit
                skips.add(f"record(s) the {effect} cannot apply to", f"{record['id']} ({err})")
                continue
            except RuntimeError as err:
                raise RecordError(
                    f"{ctx.source.corpus} record {record['id']}: cannot read {record[field]}: {err}"
                ) from None
            rendered = task.prompts.render(iid, ctx.seed, {}, task.options)
            degraded_id = f"{audio_id(ctx, record, field)}_{effect}"
            lines = [(rendered.input_labels[in_slot], mark(degraded_id))]
            simulation = degraded.describe()
            extra: dict = {"simulation": simulation}
            if items:
                extra["roles"] = {role: item.describe() for role, item in items.items()}
                extra["licenses"] = licenses(ctx.source, items)
            if answers_text:
                output, outputs = rendered.answer(snr_text(simulation[ANSWER_OF[effect]])), []
            else:
                output, outputs = mark(audio_id(ctx, record, field)), [target(degraded, record[field])]
            yield instance(
                ctx,
                iid,
                rendered.instruction,
                render_input(lines),
                output,
                [degraded],
                outputs,
                record,
                extra=extra,
            )
        skips.report()
