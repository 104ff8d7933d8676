"""Shapes where one record makes one instance and each slot is filled from one record field: label, transcribe,
synthesize and condition differ only in which slots are audio and which are text, so one class serves them all
under their four names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input, render_output


class Mapped(Shape):
    """One record, one instance. ``name`` is the registry's shape name."""

    def __init__(self, name: str):
        self.name = name

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        slots = {**task.inputs, **task.outputs}
        for slot in slots:
            if slot not in binding:
                errors.append(f"slot {slot!r} is not bound to a record field")
        for slot, field in binding.items():
            if slot == "options":
                if not isinstance(field, list) or not all(isinstance(o, str) for o in field):
                    errors.append("options must be a list of strings")
                continue
            if slot not in slots:
                errors.append(f"{slot!r} is not a slot of this task ({', '.join(slots)})")
            elif field not in fields:
                errors.append(
                    f"slot {slot!r} takes field {field!r}, which the parser does not provide ({', '.join(sorted(fields))})"
                )
        return errors

    def options(self, ctx: Context):
        return ctx.binding.get("options") or ctx.task.options

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, binding = ctx.task, ctx.binding
        out_slot = task.output_slot
        options = self.options(ctx)
        fields = [field for slot, field in binding.items() if slot != "options"]
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        for record in records:
            lacking = [f for f in fields if record.get(f) is None]
            if lacking:  # None: the corpus has no such annotation for this record (not an error)
                skips.add(f"record(s) without {', '.join(lacking)}", str(record["id"]))
                continue
            iid = f"{task.name}/{ctx.source.name}/{record['id']}"
            values = {}
            for slot, kind in task.inputs.items():
                if kind == "text":
                    value = record.get(binding[slot])
                    if value is None or str(value) == "":
                        raise RecordError(
                            f"{ctx.source.corpus} record {record['id']}: field {binding[slot]!r} is empty"
                        )
                    values[slot] = str(value)
            rendered = task.prompts.render(iid, ctx.seed, values, options)
            lines, in_audios = [], []
            for slot, kind in task.inputs.items():
                if kind == "audio":
                    in_audios.append(record[binding[slot]])
                    lines.append((rendered.input_labels[slot], mark(audio_id(ctx, record, binding[slot]))))
                else:
                    lines.append((rendered.input_labels[slot], values[slot]))
            out_audios = []
            if task.outputs[out_slot] == "audio":
                out_audios.append(record[binding[out_slot]])
                output = mark(audio_id(ctx, record, binding[out_slot]))
            else:
                answer = record.get(binding[out_slot])
                if answer is None or str(answer) == "":
                    raise RecordError(
                        f"{ctx.source.corpus} record {record['id']}: field {binding[out_slot]!r} is empty"
                    )
                answer = str(answer)
                if options and task.shape == "label" and answer not in options:
                    raise RecordError(
                        f"{ctx.source.corpus} record {record['id']}: label {answer!r} is not one of the options of {task.name}"
                    )
                output = render_output(rendered.output_prefix, answer)
            yield instance(ctx, iid, rendered.instruction, render_input(lines), output, in_audios, out_audios, record)
        skips.report()
