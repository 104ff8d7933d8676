"""The separate shape: one source pulled out of a mixture, the source named by a text (a caption, a class label, a
stem name) or by a reference recording (another utterance of the target speaker, another clip of the target's
class). Generic over corpora and tasks: speech.speaker_extraction, audio.label_querying_sound_extraction,
audio.audio_querying_sound_extraction, audio.text_guided_source_separation, and multitrack stems.

A task whose instances are otherwise one record each (shape ``condition``) is fed through it by naming it in the
binding (``shape: separate``). Each record of a shard is the target once (records sorted by id); the binding says:

- ``audio``: the record field of the source audio (the target, and the answer);
- ``key``: the field that tells sources apart: the interferer is drawn among the shard's records whose key
  differs from the target's (another speaker, another class), the reference among those whose key is the
  target's (the same speaker, the same class);
- ``recording`` (optional, default ``id``): the field naming the recording; the target, its interferer and its
  reference are always three different recordings (LibriMix reuses an utterance in several mixtures);
- ``mixture`` (optional): a record field holding a mixture the corpus itself made of the target and others (a
  generated LibriMix, a multitrack's own mix); then nothing is mixed and no interferer is drawn;
- ``window`` (optional, seconds): longer sources are cut to a window at an offset drawn from the seed (their
  headers are read, not their samples);
- ``noise`` (optional): a role of the task (``roles:`` in its registry file, audio_flan/roles.py) whose audio is
  added under drawn mixtures, as LibriMix's noisy mixtures add WHAM! noise. It is used where the role's noise is
  given: when none of the role's corpora is in the data_dir, mixtures are the two sources alone, exactly as
  without the key;
- each text input slot: a field of the target (its label, its caption); each audio input slot after the
  first: a field of the reference record. The first audio input slot holds the mixture; the output is the target.

The mixture is :class:`~audio_flan.audio_values.Mix` of the target (unscaled) and the interferer, the interferer
zero-padded to the target's length (never looped: a zero-gain copy of the target in a
:class:`~audio_flan.audio_values.Sum` sets the length) and scaled to a target-to-interferer ratio drawn in
:data:`TIR_DB`, 0.1 dB steps, from the user's seed and the instance id (mean-square power over the target's
length, as :func:`audio_flan.dsp.mix_at_snr` measures). So the answer is exactly the target inside the mixture:
mixture − answer is the scaled interferer, to float precision. The drawn pair, the ratio and the recipe are in
the instance's ``metadata`` (``separation``, ``simulation``).

With noise (LibriMix's noisy mixtures: two speakers over WHAM! noise), the interferer is itself mixed
(:class:`~audio_flan.audio_values.Mix`) with a noise clip drawn from the role's pool for the instance's split (a
region of the target's length at a drawn offset, or a shorter clip looped;
:func:`audio_flan.shapes.simulate.noise_under`) at an interferer-to-noise ratio drawn in :data:`NOISE_SNR_DB`,
0.1 dB steps (mean-square power over the target's length), and the target is mixed with that interference at the
ratio drawn in :data:`TIR_DB` (target to interferer plus noise); mixture − answer is then the scaled interferer
plus the scaled noise. The noise item and its licence are recorded (``roles``, ``licenses``), the ratio as
``separation.noise_snr_db``.

Peak limit, with or without noise: a drawn mixture that would peak above :data:`audio_flan.dsp.MIX_PEAK` is
scaled down to it, and the answer (the target) by the same factor (the recipe's ``peak``; the answer is the
recipe's ``part: clean``), so nothing clips on export and the answer is still exactly the target inside the
mixture. A mixture within the limit is not scaled, and its answer is the target's samples as the corpus holds
them. A corpus's own mixture (``mixture``) is used as it is. A target with no possible interferer or reference
in its shard is left out and counted in one warning per shard.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator, Mapping
from typing import Optional

import soundfile as sf

from .. import dsp
from ..audio_values import AudioValue, File, Mix, Region, Sum
from ..example import AudioItem
from ..prompts import stable_int
from ..roles import PoolItem, RolePool, licenses
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input
from .simulate import header_seconds, noise_under

#: target-to-interferer ratio of drawn mixtures, dB (LibriMix's loudness draws give about -5..5 dB)
TIR_DB = (-5.0, 5.0)
#: interferer-to-noise ratio, dB, when noise is added (LibriMix draws each speaker at -33..-25 LUFS and its WHAM!
#: noise at -38..-30 LUFS: the interfering speaker is about -3..13 dB above the noise)
NOISE_SNR_DB = (-3.0, 13.0)
_KEYS = {"audio", "key", "recording", "mixture", "window", "noise"}


def windowed(path: str, seed: int, instance_id: str, what: str, window: Optional[float]) -> AudioValue:
    """The whole file, or (when it is longer than ``window`` seconds) a window of it at a drawn offset."""
    if not window:
        return File(path)
    info = sf.info(path)
    duration = info.frames / info.samplerate
    if duration <= window:
        return File(path)
    return Region(path, dsp.draw_offset(seed, instance_id, what, duration, window), window)


def mixture(target: AudioValue, interferer: AudioValue, tir_db: float) -> Mix:
    """``target`` plus ``interferer`` (zero-padded or cut to the target's length) at ``tir_db`` dB, scaled down with
    its target when it would peak above :data:`audio_flan.dsp.MIX_PEAK` (``part="clean"`` gives that target)."""
    return Mix(target, Sum([interferer, target], [1.0, 0.0]), tir_db, peak=dsp.MIX_PEAK)


class Separate(Shape):
    name = "separate"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        audios = [s for s, kind in task.inputs.items() if kind == "audio"]
        if not audios or list(task.outputs.values()) != ["audio"]:
            return ["a separate task takes a mixture (its first audio input) and gives audio"]
        required = ["audio", "key", *[s for s, kind in task.inputs.items() if kind == "text"], *audios[1:]]
        for key in required:
            if key not in binding:
                errors.append(f"the separate shape needs {key!r} in the binding")
        if "window" in binding and "mixture" in binding:
            errors.append("'window' cuts drawn mixtures only; a corpus's own mixture ('mixture') is used whole")
        if "noise" in binding and "mixture" in binding:
            errors.append(
                "'noise' is added under drawn mixtures only; a corpus's own mixture ('mixture') is used as is"
            )
        for key, field in binding.items():
            if key == "noise":
                if field not in task.roles:
                    errors.append(
                        f"'noise' names the task role the noise is drawn from; {field!r} is not declared "
                        f"(add roles: {{{field}: {{<parser>: {{audio: <field>}}}}}})"
                    )
            elif key == "window":
                if isinstance(field, bool) or not isinstance(field, (int, float)) or field <= 0:
                    errors.append(f"'window' must be a number of seconds above 0, got {field!r}")
            elif key not in _KEYS and key not in task.inputs:
                errors.append(
                    f"unknown binding key {key!r} (separate takes {', '.join(sorted(_KEYS))} and input slots)"
                )
            elif key == audios[0] and key != "audio":
                errors.append(f"{key!r} is the mixture slot; the mixture is made, or bound with 'mixture'")
            elif not isinstance(field, str) or field not in fields:
                errors.append(
                    f"{key!r} takes field {field!r}, which the parser does not provide ({', '.join(sorted(fields))})"
                )
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        recs = sorted(records, key=lambda r: str(r["id"]))
        key, recording = binding["key"], binding.get("recording", "id")
        given = binding.get("mixture")
        references = [s for s, kind in task.inputs.items() if kind == "audio"][1:]
        groups: dict[str, list[Mapping]] = {}
        for r in recs:
            if r.get(key) is not None:
                groups.setdefault(str(r[key]), []).append(r)
        keyed = sum(len(g) for g in groups.values())
        noise = _noise_pool(ctx) if not given else None
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for target in recs:
            lacking = [f for f in (binding["audio"], key, given) if f and target.get(f) is None]
            if lacking:
                skips.add(f"record(s) without {', '.join(lacking)}", str(target["id"]))
                continue
            iid = f"{task.name}/{ctx.source.name}/{target['id']}"
            rng = random.Random(stable_int(ctx.seed, task.name, "separate", target["id"]))
            own = str(target[key])
            same = [r for r in groups[own] if str(r.get(recording)) != str(target.get(recording))]
            reference = same[rng.randrange(len(same))] if same and references else None
            if references and reference is None:
                skips.add(f"target(s) with no other recording of the same {key} in the shard", str(target["id"]))
                continue
            interferer = None
            if not given:
                interferer = _other(groups, own, keyed - len(groups[own]), rng)
                if interferer is None:
                    skips.add(f"target(s) with no recording of another {key} in the shard", str(target["id"]))
                    continue
            try:
                yield self._instance(ctx, iid, target, interferer, reference, noise)
            except RuntimeError as err:  # a header that cannot be read (for a window)
                raise RecordError(f"{ctx.source.corpus} record {target['id']}: cannot read its audio: {err}") from None
        skips.report()

    def _instance(
        self,
        ctx: Context,
        iid: str,
        target: Mapping,
        interferer: Optional[Mapping],
        reference: Optional[Mapping],
        noise: Optional[RolePool] = None,
    ) -> dict:
        task, binding = ctx.task, ctx.binding
        field, window = binding["audio"], binding.get("window")
        audios = [s for s, kind in task.inputs.items() if kind == "audio"]
        clean = windowed(target[field], ctx.seed, iid, "window.target", window)
        answer: AudioValue = clean
        separation: dict = {
            "target": str(target["id"]),
            "key": binding["key"],
            "target_key": str(target[binding["key"]]),
        }
        extra: dict = {"separation": separation}
        if interferer is None:
            mixed: AudioValue = File(target[binding["mixture"]])
            mixed_id = audio_id(ctx, target, binding["mixture"])
        else:
            tir = dsp.draw_uniform(ctx.seed, iid, "tir_db", *TIR_DB, 0.1)
            other = windowed(interferer[field], ctx.seed, iid, "window.interferer", window)
            mixed_id = f"{audio_id(ctx, target, field)}_mix_{interferer['id']}"
            separation.update(interferer=str(interferer["id"]), tir_db=tir)
            if noise is None:
                mixed = mixture(clean, other, tir)
            else:
                interference, item, snr = _with_noise(ctx, iid, other, clean, noise)
                mixed = Mix(clean, interference, tir, peak=dsp.MIX_PEAK)
                mixed_id += "_noisy"
                separation["noise_snr_db"] = snr
                extra["roles"] = {noise.role.name: item.describe()}
                extra["licenses"] = licenses(ctx.source, {noise.role.name: item})
            answer = dataclasses.replace(mixed, part="clean")
            extra["simulation"] = mixed.describe()
        values = {}
        for slot, kind in task.inputs.items():
            if kind == "text":
                value = target.get(binding[slot])
                if value is None or str(value) == "":
                    raise RecordError(f"{ctx.source.corpus} record {target['id']}: field {binding[slot]!r} is empty")
                values[slot] = str(value)
        rendered = task.prompts.render(iid, ctx.seed, values, task.options)
        lines: list[tuple[str, str]] = []
        in_audios: list[AudioItem] = []
        for slot, kind in task.inputs.items():
            if kind == "text":
                lines.append((rendered.input_labels[slot], values[slot]))
            elif slot == audios[0]:
                lines.append((rendered.input_labels[slot], mark(mixed_id)))
                in_audios.append(mixed)
            else:
                assert reference is not None
                path = reference[binding[slot]]
                lines.append((rendered.input_labels[slot], mark(audio_id(ctx, reference, binding[slot]))))
                in_audios.append(windowed(path, ctx.seed, iid, f"window.{slot}", window))
                separation["reference"] = str(reference["id"])
        return instance(
            ctx,
            iid,
            rendered.instruction,
            render_input(lines),
            mark(audio_id(ctx, target, field)),
            in_audios,
            [answer],
            target,
            extra=extra,
        )


def _noise_pool(ctx: Context) -> Optional[RolePool]:
    """The pool of the binding's ``noise`` role, when the binding names one and one of its corpora is in the
    data_dir; else None (mixtures without noise)."""
    name = ctx.binding.get("noise")
    pool = ctx.roles.get(name) if name else None
    return pool if pool is not None and pool.parsers else None


def _with_noise(
    ctx: Context, iid: str, other: AudioValue, clean: AudioValue, pool: RolePool
) -> tuple[AudioValue, PoolItem, float]:
    """The interference: the interferer ``other`` (zero-padded or cut to the target's length) with noise drawn
    from ``pool`` for the instance's split under it, at an interferer-to-noise ratio drawn in :data:`NOISE_SNR_DB`;
    the noise covers the target's length (``clean``: a file, or a window of one)."""
    item = pool.draw(ctx.seed, iid, ctx.split)
    if isinstance(clean, Region) and clean.duration is not None:
        seconds = clean.duration
    elif isinstance(clean, (File, Region)):
        seconds = header_seconds(clean.path)[0]
    else:  # windowed() gives a file or a region of one
        raise TypeError(f"noise goes under a file or a region of one, not {clean.kind}")
    snr = dsp.draw_uniform(ctx.seed, iid, "noise_snr_db", *NOISE_SNR_DB, 0.1)
    padded = Sum([other, clean], [1.0, 0.0])
    return Mix(padded, noise_under(item, pool.role.name, seconds, ctx.seed, iid), snr), item, snr


def _other(groups: dict[str, list[Mapping]], own: str, count: int, rng: random.Random) -> Optional[Mapping]:
    """A record drawn uniformly among the ``count`` records whose key is not ``own`` (groups in key order), without
    building their list: a shard of LibriMix holds thousands of records."""
    if count <= 0:
        return None
    index = rng.randrange(count)
    for name in sorted(groups):
        if name == own:
            continue
        if index < len(groups[name]):
            return groups[name][index]
        index -= len(groups[name])
    return None
