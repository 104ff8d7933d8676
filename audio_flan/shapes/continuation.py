"""The continue shape: a crop of a recording as the prompt, the audio that follows it in the same recording as the
answer (audio.continuation). A binding names it with ``shape: continue`` and gives ``audio``, the record field of
the recording, and a record field for each text input of the task (music.text_guided_continuation's
``description``), which fills that slot.

For each record, the prompt length is drawn in :data:`PROMPT_SECONDS` (no longer than the recording leaves room
for :data:`MIN_CONTINUATION_SECONDS` after it), the continuation runs on for up to :data:`CONTINUATION_SECONDS`,
and the pair starts at an offset drawn within the recording; all from the user's seed and the instance id, in
1 ms steps, recorded in the instance's ``metadata`` under ``continuation``. Prompt and answer are regions of the
file (only their frames are read) that meet exactly: the answer's first sample is the one after the prompt's
last. The recording's length comes from its header. The record's audio may be a region of a file (a section of a
long recording, as the Arab-Andalusian corpus annotates them): then prompt and answer lie inside that region, and
``start`` counts from the region's start. A recording too short for a prompt and a continuation is left out and
counted in one warning per shard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping

import soundfile as sf

from .. import dsp
from ..audio_values import Region
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input

PROMPT_SECONDS = (2.0, 5.0)
CONTINUATION_SECONDS = 10.0
MIN_CONTINUATION_SECONDS = 1.0


def split_points(seed: int, instance_id: str, duration: float) -> tuple[float, float, float]:
    """(start, prompt length, continuation length) in seconds for a recording of ``duration`` seconds."""
    room = math.floor((duration - MIN_CONTINUATION_SECONDS) * 1000) / 1000
    if room < PROMPT_SECONDS[0]:
        raise dsp.SimulationError(
            f"{duration:.3f} s is too short for a {PROMPT_SECONDS[0]} s prompt and a {MIN_CONTINUATION_SECONDS} s "
            "continuation"
        )
    prompt = dsp.draw_uniform(seed, instance_id, "prompt", PROMPT_SECONDS[0], min(PROMPT_SECONDS[1], room), 0.001)
    rest = math.floor((duration - prompt) * 1000) / 1000
    follow = min(CONTINUATION_SECONDS, rest)
    start = dsp.draw_offset(seed, instance_id, "start", duration, prompt + follow)
    start = min(start, math.floor((duration - prompt - follow) * 1000) / 1000)
    return start, prompt, follow


class Continue(Shape):
    name = "continue"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        text_slots = [s for s, t in task.inputs.items() if t == "text"]
        for key in ("audio", *text_slots):
            if binding.get(key) not in fields:
                errors.append(
                    f"the continue shape needs {key!r} bound to a field of the parser ({', '.join(sorted(fields))})"
                )
        extra = set(binding) - {"audio", *text_slots}
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (continue takes audio and the task's text inputs)")
        if list(task.inputs.values()).count("audio") != 1 or list(task.outputs.values()) != ["audio"]:
            errors.append("a continuation task takes one audio prompt (and text) and gives audio")
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, field = ctx.task, ctx.binding["audio"]
        slot = next(s for s, t in task.inputs.items() if t == "audio")
        text_slots = [s for s, t in task.inputs.items() if t == "text"]
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for record in records:
            iid = f"{task.name}/{ctx.source.name}/{record['id']}"
            value = record[field]
            path, offset = (value.path, value.offset) if isinstance(value, Region) else (value, 0.0)
            try:
                info = sf.info(path)
            except RuntimeError as err:
                raise RecordError(f"{ctx.source.corpus} record {record['id']}: cannot read {path}: {err}") from None
            length = info.frames / info.samplerate - offset
            if isinstance(value, Region) and value.duration is not None:
                length = min(length, value.duration)
            try:
                start, prompt, follow = split_points(ctx.seed, iid, length)
            except dsp.SimulationError as err:
                skips.add("record(s) too short to continue", f"{record['id']} ({err})")
                continue
            values = {s: str(record.get(ctx.binding[s]) or "") for s in text_slots}
            if any(not v for v in values.values()):
                skips.add(f"record(s) without {', '.join(ctx.binding[s] for s in text_slots)}", str(record["id"]))
                continue
            rendered = task.prompts.render(iid, ctx.seed, values, task.options)
            base = audio_id(ctx, record, field)
            lines = [
                (rendered.input_labels[s], mark(f"{base}_prompt") if s == slot else values[s]) for s in task.inputs
            ]
            yield instance(
                ctx,
                iid,
                rendered.instruction,
                render_input(lines),
                mark(f"{base}_continuation"),
                [Region(path, offset + start, prompt)],
                [Region(path, offset + start + prompt, follow)],
                record,
                extra={"continuation": {"start": start, "prompt_seconds": prompt, "continuation_seconds": follow}},
            )
        skips.report()
