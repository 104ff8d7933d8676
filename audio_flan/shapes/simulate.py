"""The simulate shape: clean audio transformed by a recipe (:mod:`audio_flan.audio_values`), the clean audio out.

The binding names the record's clean audio and the effect:

- ``effect: clip`` (declipping): the input is clipped at a level drawn in :data:`audio_flan.dsp.CLIP_LEVEL`
  (a fraction of the clean peak);
- ``effect: band_limit`` (bandwidth extension, super-resolution): resampled down to a rate drawn from
  :data:`audio_flan.dsp.CUTOFF_RATES` below the source's and back up, so nothing is left above half of it;
- ``effect: gap`` (inpainting): a span drawn within :data:`audio_flan.dsp.GAP_SECONDS` set to zero, at least
  :data:`audio_flan.dsp.GAP_MARGIN_SECONDS` from either end.

Every parameter is drawn from the user's seed and the instance id, so any instance can be regenerated alone;
the recipe (its parameters and files) is in the instance's ``metadata`` under ``simulation``. The input audio is
a recipe, rendered only when touched (and as FLAC on export); the output is the clean file. Reading the source's
rate or length (band limit, gap) reads its header, not its samples. A record the effect cannot apply to (too
short for a gap, too low a rate to band-limit) is left out and counted in one warning per shard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import soundfile as sf

from .. import dsp
from ..audio_values import AudioValue, BandLimit, Clip, File, Gap
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input

EFFECTS = ("clip", "band_limit", "gap")


def degrade(effect: str, path: str, seed: int, instance_id: str) -> AudioValue:
    clean = File(path)
    if effect == "clip":
        return Clip(clean, dsp.draw_clip_level(seed, instance_id))
    info = sf.info(path)
    if effect == "band_limit":
        return BandLimit(clean, dsp.draw_cutoff_rate(seed, instance_id, info.samplerate))
    start, length = dsp.draw_gap(seed, instance_id, info.frames / info.samplerate)
    return Gap(clean, start, length)


class Simulate(Shape):
    name = "simulate"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        if binding.get("audio") not in fields:
            errors.append(
                f"the simulate shape needs 'audio' bound to a field of the parser ({', '.join(sorted(fields))})"
            )
        if binding.get("effect") not in EFFECTS:
            errors.append(f"effect must be one of {', '.join(EFFECTS)}")
        extra = set(binding) - {"audio", "effect"}
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (simulate takes audio and effect)")
        if list(task.inputs.values()) != ["audio"] or list(task.outputs.values()) != ["audio"]:
            errors.append("a simulate task fed by one corpus takes one audio in and gives one audio out")
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        field, effect = binding["audio"], binding["effect"]
        in_slot = next(iter(task.inputs))
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for record in records:
            iid = f"{task.name}/{ctx.source.name}/{record['id']}"
            try:
                degraded = degrade(effect, record[field], ctx.seed, iid)
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
            output = mark(audio_id(ctx, record, field))
            yield instance(
                ctx,
                iid,
                rendered.instruction,
                render_input(lines),
                output,
                [degraded],
                [record[field]],
                record,
                extra={"simulation": degraded.describe()},
            )
        skips.report()
