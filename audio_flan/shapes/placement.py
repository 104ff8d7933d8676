"""The place shape: clips of different classes placed one after another on a timeline, the answer their timed
segments, known from the placement (audio.speech_nonspeech_detection). A binding names it with ``shape: place``
and gives ``audio`` (the record field of the clip) and ``label`` (the field holding its class, e.g.
``non-speech``; records without one are not placed, and are counted); ``output`` is as in the timeline shape (``segments`` by
default). Optionally:

- ``draw`` (``{<class>: <role>}``): clips of that class are drawn from a role of the task (``roles:`` in its
  registry file, audio_flan/roles.py) instead of from the records, so the class comes from the corpus the clip
  belongs to (speech from a speech corpus), not from the records' own label field; a record whose label is a
  drawn class is not placed, and is counted. The builder requires one of the role's corpora in the data_dir.
- ``label_source`` (a record field): where the record's class comes from (``caption words``), recorded with
  each placed record.

Each placeable record of a shard opens one timeline: :data:`CLIPS` clips in all (a number drawn), each of a class
other than the one before it (classes in sorted order, drawn ones included); a record class's clip is drawn from
the shard, a drawn class's clip from its role's items of the instance's split; each clip cut to a length drawn in
:data:`CLIP_SECONDS` (the whole clip when shorter) at an offset drawn within it; the clips abut, so every instant
of the audio belongs to exactly one segment. All draws come from the user's seed and the instance id (1 ms
steps). The placement is in the instance's ``metadata`` under ``placement``: per clip its corpus, id, class and
where the class comes from (``label_source``: the record's field, or ``role <name>: <corpus>``), its offset in
the clip and its times; each drawn clip is also under ``roles`` (``<role>.<clip index>``) with its licence, and
``licenses`` names every corpus used. The audio is a :class:`~audio_flan.audio_values.Sum` of regions at their
offsets (at the first clip's rate, others resampled), scaled down when it would peak above
:data:`audio_flan.dsp.MIX_PEAK` (resampling can overshoot full scale), rendered only when touched; the answer is
in :mod:`audio_flan.segments`' format. Clip lengths come from their headers. A shard with a single class (drawn
classes included) gives no timeline; its records are counted in one warning.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Optional

import soundfile as sf

from .. import dsp
from ..audio_values import Region, Sum
from ..prompts import stable_int
from ..roles import PoolItem, licenses
from ..segments import Segment
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input
from .timeline import OUTPUTS, render

CLIPS = (2, 4)  # clips per timeline, inclusive
CLIP_SECONDS = (1.0, 4.0)  # length of each placed clip
_KEYS = {"audio", "label", "output", "draw", "label_source"}


@dataclass(frozen=True)
class _Clip:
    """One clip to place: a record of the shard, or an item drawn from a role."""

    id: str
    path: str
    label: str
    source: str
    label_source: Optional[str]
    item: Optional[PoolItem] = None
    role: Optional[str] = None


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
        draw = binding.get("draw", {})
        if not isinstance(draw, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in draw.items()):
            errors.append(
                f"'draw' maps a class to the role its clips are drawn from ({{speech: speech}}), got {draw!r}"
            )
        else:
            for label, role in draw.items():
                if role not in task.roles:
                    errors.append(
                        f"'draw' takes {label!r} clips from role {role!r}, which is not declared "
                        f"(add roles: {{{role}: {{<parser>: {{audio: <field>}}}}}})"
                    )
        if "label_source" in binding and binding["label_source"] not in fields:
            errors.append(f"'label_source' takes a field of the parser ({', '.join(sorted(fields))})")
        extra = set(binding) - _KEYS
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (place takes {', '.join(sorted(_KEYS))})")
        if list(task.inputs.values()) != ["audio"] or list(task.outputs.values()) != ["text"]:
            errors.append("a place task takes one audio input and gives text")
        return errors

    def roles_needed(self, binding) -> tuple[str, ...]:
        return tuple(sorted(set(dict(binding.get("draw", {})).values())))

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        label_field, draw = binding["label"], dict(binding.get("draw", {}))
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        recs = []
        for r in sorted(records, key=lambda r: str(r["id"])):
            if r.get(label_field) is None:
                skips.add(
                    f"record(s) without a {label_field} label, not placed", str(r["id"]), always=True, audio=False
                )
            elif str(r[label_field]) in draw:
                reason = f"record(s) of a class whose clips are drawn from a role ({', '.join(draw)})"
                skips.add(reason, str(r["id"]), always=True, audio=False)
            else:
                recs.append(r)
        groups: dict[str, list[Mapping]] = {}
        for r in recs:
            groups.setdefault(str(r[label_field]), []).append(r)
        classes = sorted(set(groups) | (set(draw) if recs else set()))
        if len(classes) < 2:
            for r in recs:
                skips.add("record(s) in a shard with one class only", str(r["id"]))
            skips.report()
            return
        pools = {label: ctx.roles[role].require(ctx.split) for label, role in draw.items()}
        durations: dict[str, float] = {}
        for anchor in recs:
            iid = f"{task.name}/{ctx.source.name}/{anchor['id']}"
            rng = random.Random(stable_int(ctx.seed, task.name, "place", anchor["id"]))
            chosen = [self._record_clip(ctx, anchor)]
            for k in range(1, rng.randint(*CLIPS)):
                others = [c for c in classes if c != chosen[-1].label]
                label = others[rng.randrange(len(others))]
                if label in draw:
                    item = dsp.draw_choice(ctx.seed, iid, f"role.{draw[label]}.clip{k}", pools[label])
                    chosen.append(
                        _Clip(
                            item.id,
                            item.path,
                            label,
                            item.corpus,
                            f"role {draw[label]}: {item.corpus}",
                            item,
                            draw[label],
                        )
                    )
                else:
                    pool = groups[label]
                    chosen.append(self._record_clip(ctx, pool[rng.randrange(len(pool))]))
            yield self._instance(ctx, iid, anchor, chosen, durations)
        skips.report()

    @staticmethod
    def _record_clip(ctx: Context, record: Mapping) -> _Clip:
        source = ctx.binding.get("label_source")
        return _Clip(
            str(record["id"]),
            str(record[ctx.binding["audio"]]),
            str(record[ctx.binding["label"]]),
            ctx.source.corpus,
            None if source is None or record.get(source) is None else str(record[source]),
        )

    def _instance(
        self, ctx: Context, iid: str, anchor: Mapping, chosen: list[_Clip], durations: dict[str, float]
    ) -> dict:
        task, binding = ctx.task, ctx.binding
        stems, offsets, segments, placement = [], [], [], []
        items: dict[str, PoolItem] = {}
        at = 0.0
        for k, clip in enumerate(chosen):
            if clip.path not in durations:
                try:
                    info = sf.info(clip.path)
                except RuntimeError as err:
                    raise RecordError(f"{clip.source} clip {clip.id}: cannot read {clip.path}: {err}") from None
                durations[clip.path] = math.floor(info.frames / info.samplerate * 1000) / 1000
            whole = durations[clip.path]
            length = min(whole, dsp.draw_uniform(ctx.seed, iid, f"clip{k}.length", *CLIP_SECONDS, 0.001))
            offset = dsp.draw_offset(ctx.seed, iid, f"clip{k}.offset", whole, length)
            stems.append(Region(clip.path, offset, length))
            offsets.append(at)
            end = round(at + length, 3)
            segments.append(Segment(at, end, clip.label))
            entry = {"id": clip.id, "source": clip.source, "label": clip.label, "label_source": clip.label_source}
            if clip.item is not None:
                items[f"{clip.role}.{k}"] = clip.item
                entry["parser"] = clip.item.parser
            placement.append({**entry, "offset": offset, "start": at, "end": end})
            at = end
        audio = Sum(stems, [1.0] * len(stems), offsets, peak=dsp.MIX_PEAK)
        rendered = task.prompts.render(iid, ctx.seed, {}, task.options)
        slot = next(iter(task.inputs))
        text = render(segments, binding.get("output", "segments"))
        lines = [(rendered.input_labels[slot], mark(f"{audio_id(ctx, anchor, binding['audio'])}_placed"))]
        extra: dict = {"placement": placement, "simulation": audio.describe()}
        if items:
            extra["roles"] = {name: item.describe() for name, item in items.items()}
            extra["licenses"] = licenses(ctx.source, items)
        return instance(
            ctx,
            iid,
            rendered.instruction,
            render_input(lines),
            f"{rendered.output_prefix}\n{text}" if rendered.output_prefix else text,
            [audio],
            [],
            anchor,
            extra=extra,
        )
