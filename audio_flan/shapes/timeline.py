"""The timeline shape: audio in, timed segments out, in the one text format of :mod:`audio_flan.segments`.

A record holds its audio and its segments (``[start, end, label]`` lists, seconds from the start of the audio).
The binding says which fields they are and what the task asks:

- ``output: segments`` (``start-end: label`` lines), ``times`` (``start-end`` only: speech regions, one class),
  ``points`` (``start`` only: beats) or ``labels`` (the labels in time order, one a line);
- ``speakers: anonymous``: labels become ``speaker 1``, ``speaker 2``... in order of first appearance
  (diarization);
- ``query: <text slot>``: one instance per distinct label of the record, the label given in that input slot and
  its times asked (sound event detection);
- ``place: <role>`` (voice activity detection from clean speech): no ``segments`` field; the record's audio is
  placed in noise drawn from the task's role, with noise-only stretches before and after it, and its segment is
  known from the placement (:func:`audio_flan.shapes.simulate.place_in_noise`; the recipe is in the instance's
  ``metadata.simulation``, the noise item in ``metadata.roles``).
- ``window: <seconds>``: the record's audio (a file) is a long recording, cut into consecutive windows of that
  many seconds (the last one holds what is left), each one instance whose audio is a
  :class:`~audio_flan.audio_values.Region` of the file (decoding reads only the window). Its segments are clipped
  to the window (a segment across an edge is cut at the edge, never dropped) and timed from the window's start;
  anonymous speakers are numbered in order of first appearance within the window. A window holding no segment
  is not asked, and is counted in one warning per shard, as are segments that start after the file ends. The window is in the instance's ``metadata``
  (``window``: offset, duration). The registry's diarization uses :data:`DEFAULT_WINDOW` (30 s), melody
  extraction 10 s; a binding in ``builder_configs/`` is where to change it.

Segments of one label that overlap are merged; output is sorted by time. An output prefix ("Segments:") stands
on a line of its own above the segments, so the segment lines parse as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import soundfile as sf

from ..audio_values import Region
from ..roles import licenses
from ..segments import Segment, anonymise, clip, format_segments, merge
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input
from .simulate import place_in_noise

OUTPUTS = ("segments", "times", "points", "labels")
_KEYS = {"audio", "segments", "output", "query", "speakers", "place", "window"}
#: window length (seconds) for long meetings (the registry's diarization): what a 30-second audio encoder hears
DEFAULT_WINDOW = 30.0


def windows(path: str, seconds: float) -> list[Region]:
    """Consecutive regions of ``seconds`` covering the file (the last one holds what is left), cut on whole
    frames; the length comes from the file's header."""
    info = sf.info(path)
    rate, frames = info.samplerate, info.frames
    step = max(1, round(seconds * rate))
    return [Region(path, start / rate, min(step, frames - start) / rate) for start in range(0, frames, step)]


def _segments(ctx: Context, record: Mapping, field: str) -> list[Segment]:
    try:
        return [Segment(float(s[0]), float(s[1]), str(s[2]) if len(s) > 2 else "") for s in record[field]]
    except (TypeError, ValueError, IndexError) as err:
        raise RecordError(
            f"{ctx.source.corpus} record {record['id']}: field {field!r} is not a list of segments ({err})"
        ) from None


def render(segments: list[Segment], output: str) -> str:
    if output == "labels":
        return "\n".join(s.label for s in sorted(segments))
    if output == "times":
        return format_segments(merge(segments, label=""), labels=False)
    if output == "points":
        return format_segments(segments, labels=False, points=True)
    return format_segments(merge(segments))


class Timeline(Shape):
    name = "timeline"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        place = binding.get("place")
        if place is not None and place not in task.roles:
            errors.append(f"place {place!r} is not a role of this task ({', '.join(task.roles) or 'none declared'})")
        if place is not None and ("segments" in binding or "query" in binding):
            errors.append("place gives the segments itself: bind neither segments nor query with it")
        for key in ("audio",) if place is not None else ("audio", "segments"):
            if key not in binding:
                errors.append(f"the timeline shape needs {key!r} in the binding")
            elif binding[key] not in fields:
                errors.append(f"{key!r} takes field {binding[key]!r}, which the parser does not provide")
        extra = set(binding) - _KEYS
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (timeline takes {', '.join(sorted(_KEYS))})")
        if binding.get("output", "segments") not in OUTPUTS:
            errors.append(f"output must be one of {', '.join(OUTPUTS)}")
        window = binding.get("window")
        if window is not None and (
            isinstance(window, bool) or not isinstance(window, (int, float)) or not 0 < window < float("inf")
        ):
            errors.append(f"window must be a positive number of seconds, got {window!r}")
        if window is not None and binding.get("query"):
            errors.append("window and query do not go together (a window asks for every segment in it)")
        if window is not None and place is not None:
            errors.append("window and place do not go together (place makes a short clip, window cuts a long one)")
        if binding.get("speakers") not in (None, "anonymous"):
            errors.append("speakers may only be 'anonymous'")
        text_slots = [s for s, kind in task.inputs.items() if kind == "text"]
        query = binding.get("query")
        if query is not None and query not in text_slots:
            errors.append(f"query {query!r} is not a text input slot of this task ({', '.join(text_slots) or 'none'})")
        unfilled = [s for s in text_slots if s != query]
        if unfilled:
            errors.append(f"text input slots {unfilled} are not filled (a timeline fills only its query slot)")
        if list(task.inputs.values()).count("audio") != 1 or list(task.outputs.values()) != ["text"]:
            errors.append("a timeline task takes one audio input and gives text")
        return errors

    def roles_needed(self, binding) -> tuple[str, ...]:
        return (binding["place"],) if binding.get("place") else ()

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        audio_field, output, query = binding["audio"], binding.get("output", "segments"), binding.get("query")
        audio_slot = next(s for s, kind in task.inputs.items() if kind == "audio")
        if binding.get("window") is not None:
            yield from self._windows(records, ctx, float(binding["window"]))
            return
        place = binding.get("place")
        for record in records:
            extra: dict = {}
            audio = record[audio_field]
            if place is not None:
                iid = f"{task.name}/{ctx.source.name}/{record['id']}"
                try:
                    audio, segments, items = place_in_noise(
                        record[audio_field], place, ctx.seed, iid, ctx.roles, ctx.split
                    )
                except RuntimeError as err:
                    raise RecordError(
                        f"{ctx.source.corpus} record {record['id']}: cannot read {record[audio_field]}: {err}"
                    ) from None
                extra = {
                    "simulation": audio.describe(),
                    "roles": {r: item.describe() for r, item in items.items()},
                    "licenses": licenses(ctx.source, items),
                }
            else:
                segments = _segments(ctx, record, binding["segments"])
            if binding.get("speakers") == "anonymous":
                segments = anonymise(segments)
            if query:
                groups = [
                    (label, [s for s in segments if s.label == label]) for label in sorted({s.label for s in segments})
                ]
            else:
                groups = [("", segments)]
            for label, chosen in groups:
                iid = f"{task.name}/{ctx.source.name}/{record['id']}" + (f"/{label}" if query else "")
                values = {query: label} if query else {}
                rendered = task.prompts.render(iid, ctx.seed, values, task.options)
                audio_name = audio_id(ctx, record, audio_field) + ("_placed" if place is not None else "")
                lines = [(rendered.input_labels[audio_slot], mark(audio_name))]
                if query:
                    lines.append((rendered.input_labels[query], label))
                text = render(chosen, "times" if query else output)
                yield instance(
                    ctx,
                    iid,
                    rendered.instruction,
                    render_input(lines),
                    f"{rendered.output_prefix}\n{text}" if rendered.output_prefix else text,
                    [audio],
                    [],
                    record,
                    extra={**extra, "query": label} if query else extra,
                )

    def _windows(self, records: Iterable[Mapping], ctx: Context, seconds: float) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        audio_field, output = binding["audio"], binding.get("output", "segments")
        audio_slot = next(s for s, kind in task.inputs.items() if kind == "audio")
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for record in records:
            path = record[audio_field]
            if not isinstance(path, str):
                raise RecordError(f"{ctx.source.corpus} record {record['id']}: a window needs a file, got {path!r}")
            segments = _segments(ctx, record, binding["segments"])
            try:
                regions = windows(path, seconds)
            except RuntimeError as err:  # soundfile's LibsndfileError
                raise RecordError(f"{ctx.source.corpus} record {record['id']}: cannot read {path}: {err}") from None
            end = regions[-1].offset + float(regions[-1].duration or 0.0) if regions else 0.0
            beyond = [s for s in segments if s.start >= end]
            if beyond:  # annotated past the end of the file: no window holds them
                where = f"{record['id']}: {len(beyond)} from {beyond[0].start:.2f} s, the audio ends at {end:.2f} s"
                skips.add("record(s) with segments after the end of their audio", where, always=True, audio=False)
            for region in regions:
                start, length = region.offset, float(region.duration or 0.0)
                span = f"{start:.2f}-{start + length:.2f}"
                chosen = clip(segments, start, start + length)
                if not chosen:
                    skips.add("window(s) holding no segment", f"{record['id']} {span} s", always=True, audio=False)
                    continue
                if binding.get("speakers") == "anonymous":
                    chosen = anonymise(chosen)
                iid = f"{task.name}/{ctx.source.name}/{record['id']}/{span}"
                rendered = task.prompts.render(iid, ctx.seed, {}, task.options)
                lines = [(rendered.input_labels[audio_slot], mark(f"{audio_id(ctx, record, audio_field)}_{span}"))]
                text = render(chosen, output)
                yield instance(
                    ctx,
                    iid,
                    rendered.instruction,
                    render_input(lines),
                    f"{rendered.output_prefix}\n{text}" if rendered.output_prefix else text,
                    [region],
                    [],
                    {k: v for k, v in record.items() if k != binding["segments"]},
                    extra={"window": {"offset": start, "duration": length}},
                )
        skips.report()
