"""The place shape: clips of different classes placed one after another on a timeline, the answer their timed
segments, known from the placement (audio.speech_nonspeech_detection from captioned clips). A binding names it
with ``shape: place`` and gives ``audio`` (the record field of the clip) and ``label`` (the field holding its
class, e.g. ``speech`` / ``non-speech``; records without one are not placed); ``output`` is as in the timeline
shape (``segments`` by default).

Each labelled record of a shard opens one timeline: :data:`CLIPS` clips in all (a number drawn), each of a class
other than the one before it, drawn from the shard; each clip cut to a length drawn in :data:`CLIP_SECONDS` (the
whole clip when shorter) at an offset drawn within it; the clips abut, so every instant of the audio belongs to
exactly one segment. All draws come from the user's seed and the instance id (1 ms steps), and the placement
(clip ids, classes, offsets, times) is in the instance's ``metadata`` under ``placement``. The audio is a
:class:`~audio_flan.audio_values.Sum` of regions at their offsets (at the first clip's rate), rendered only when
touched; the answer is in :mod:`audio_flan.segments`' format. Clip lengths come from their headers. A shard with a
single class gives no timeline; its records are counted in one warning.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Mapping

import soundfile as sf

from .. import dsp
from ..audio_values import Region, Sum
from ..prompts import stable_int
from ..segments import Segment
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input
from .timeline import OUTPUTS, render

CLIPS = (2, 4)  # clips per timeline, inclusive
CLIP_SECONDS = (1.0, 4.0)  # length of each placed clip


class Place(Shape):
    name = "place"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        for key in ("audio", "label"):
            if binding.get(key) not in fields:
                errors.append(
                    f"the place shape needs {key!r} bound to a field of the parser ({', '.join(sorted(fields))})"
                )
        if binding.get("output", "segments") not in OUTPUTS:
            errors.append(f"output must be one of {', '.join(OUTPUTS)}")
        extra = set(binding) - {"audio", "label", "output"}
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (place takes audio, label and output)")
        if list(task.inputs.values()) != ["audio"] or list(task.outputs.values()) != ["text"]:
            errors.append("a place task takes one audio input and gives text")
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        label_field = binding["label"]
        recs = sorted((r for r in records if r.get(label_field) is not None), key=lambda r: str(r["id"]))
        groups: dict[str, list[Mapping]] = {}
        for r in recs:
            groups.setdefault(str(r[label_field]), []).append(r)
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        if len(groups) < 2:
            for r in recs:
                skips.add("record(s) in a shard with one class only", str(r["id"]))
            skips.report()
            return
        durations: dict[str, float] = {}
        for anchor in recs:
            iid = f"{task.name}/{ctx.source.name}/{anchor['id']}"
            rng = random.Random(stable_int(ctx.seed, task.name, "place", anchor["id"]))
            chosen = [anchor]
            for _ in range(rng.randint(*CLIPS) - 1):
                classes = sorted(c for c in groups if c != str(chosen[-1][label_field]))
                pool = groups[classes[rng.randrange(len(classes))]]
                chosen.append(pool[rng.randrange(len(pool))])
            yield self._instance(ctx, iid, chosen, durations)
        skips.report()

    def _instance(self, ctx: Context, iid: str, chosen: list[Mapping], durations: dict[str, float]) -> dict:
        task, binding = ctx.task, ctx.binding
        field, label_field = binding["audio"], binding["label"]
        stems, offsets, segments, placement = [], [], [], []
        at = 0.0
        for k, record in enumerate(chosen):
            path = record[field]
            if path not in durations:
                try:
                    info = sf.info(path)
                except RuntimeError as err:
                    raise RecordError(f"{ctx.source.corpus} record {record['id']}: cannot read {path}: {err}") from None
                durations[path] = math.floor(info.frames / info.samplerate * 1000) / 1000
            whole = durations[path]
            length = min(whole, dsp.draw_uniform(ctx.seed, iid, f"clip{k}.length", *CLIP_SECONDS, 0.001))
            offset = dsp.draw_offset(ctx.seed, iid, f"clip{k}.offset", whole, length)
            stems.append(Region(path, offset, length))
            offsets.append(at)
            label = str(record[label_field])
            segments.append(Segment(at, round(at + length, 3), label))
            placement.append(
                {"id": str(record["id"]), "label": label, "offset": offset, "start": at, "end": round(at + length, 3)}
            )
            at = round(at + length, 3)
        audio = Sum(stems, [1.0] * len(stems), offsets)
        rendered = task.prompts.render(iid, ctx.seed, {}, task.options)
        slot = next(iter(task.inputs))
        text = render(segments, binding.get("output", "segments"))
        lines = [(rendered.input_labels[slot], mark(f"{audio_id(ctx, chosen[0], field)}_placed"))]
        return instance(
            ctx,
            iid,
            rendered.instruction,
            render_input(lines),
            f"{rendered.output_prefix}\n{text}" if rendered.output_prefix else text,
            [audio],
            [],
            chosen[0],
            extra={"placement": placement, "simulation": audio.describe()},
        )
