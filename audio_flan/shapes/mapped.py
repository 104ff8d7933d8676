"""Shapes where one record makes one instance and each slot is filled from one record field: label, transcribe,
synthesize and condition differ only in which slots are audio and which are text, so one class serves them all
under their four names. A binding may leave input slots out (``without: [notes]``) when the task writes
instructions for instances without them (``prompts.without``): its instances have the same columns, their input
shows the remaining slots and their instruction is one of those.

An identification task (``asks.candidates`` names a text input slot) lists the candidate answers in its input.
The binding of that slot is either a record field (the parser supplies the candidates, a list or a string) or a
number N: the shape then draws N candidates, the true answer among them, from the distinct answers of the
shard, in an order drawn from the seed and the record id.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping

from ..prompts import prose, stable_int
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input


class Mapped(Shape):
    """One record, one instance. ``name`` is the registry's shape name."""

    def __init__(self, name: str):
        self.name = name

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        gone = binding.get("without")
        if gone is not None:
            if not isinstance(gone, list) or not gone or not all(isinstance(s, str) for s in gone):
                return [f"without must list the input slots the source lacks, got {gone!r}"]
            if frozenset(gone) not in task.prompts.without:
                return [
                    f"without {'+'.join(gone)}: the task writes no instructions for instances without it "
                    f"(prompts.without has {', '.join('+'.join(sorted(g)) for g in task.prompts.without) or 'none'})"
                ]
            task = task.without(gone)
        slots = {**task.inputs, **task.outputs}
        for slot in slots:
            if slot not in binding:
                errors.append(f"slot {slot!r} is not bound to a record field")
        for slot, field in binding.items():
            if slot == "without":
                continue
            if gone and slot in gone:
                errors.append(f"slot {slot!r} is bound, and left out by without")
                continue
            if slot == "options":
                if not isinstance(field, list) or not all(isinstance(o, str) for o in field):
                    errors.append("options must be a list of strings")
                continue
            if slot not in slots:
                errors.append(f"{slot!r} is not a slot of this task ({', '.join(slots)})")
            elif slot == task.asks.candidates and not isinstance(field, str):
                if isinstance(field, bool) or not isinstance(field, int) or field < 2:
                    errors.append(f"slot {slot!r} takes a record field or a number of candidates (2 or more)")
            elif field not in fields:
                errors.append(
                    f"slot {slot!r} takes field {field!r}, which the parser does not provide ({', '.join(sorted(fields))})"
                )
        return errors

    def options(self, ctx: Context):
        return ctx.binding.get("options") or ctx.task.options

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        # a source that lacks input slots (``without``) gets the task without them and its instructions for that
        task, binding = ctx.task.without(ctx.binding.get("without") or ()), ctx.binding
        out_slot = task.output_slot
        options = self.options(ctx)
        # a drawn candidate count is a number, not a field
        fields = [field for slot, field in binding.items() if slot != "options" and isinstance(field, str)]
        skips = Skips(f"{task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        drawn = task.asks.candidates if isinstance(binding.get(task.asks.candidates or ""), int) else None
        pool: list[str] = []
        if drawn:  # candidates come from the whole shard's answers
            records = list(records)
            pool = sorted({str(r[binding[out_slot]]) for r in records if r.get(binding[out_slot]) is not None})
        for record in records:
            lacking = [f for f in fields if record.get(f) is None]
            if lacking:  # None: the corpus has no such annotation for this record (not an error)
                skips.add(f"record(s) without {', '.join(lacking)}", str(record["id"]))
                continue
            iid = f"{task.name}/{ctx.source.name}/{record['id']}"
            values = {}
            for slot, kind in task.inputs.items():
                if kind == "text":
                    value = _draw(ctx, record, pool) if slot == drawn else _text(record.get(binding[slot]))
                    if value is None or value == "":
                        raise RecordError(
                            f"{ctx.source.corpus} record {record['id']}: field {binding[slot]!r} is empty"
                        )
                    values[slot] = value
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
                # drawn candidates hold the answer by construction (and a name holding a comma would not survive
                # parsing the prose back); a parser's own list is checked
                listed = task.asks.candidates if not drawn else None
                if listed and answer not in _listed(record, binding, listed, values):
                    raise RecordError(
                        f"{ctx.source.corpus} record {record['id']}: answer {answer!r} is not among its candidates"
                    )
                output = rendered.answer(answer)
            yield instance(ctx, iid, rendered.instruction, render_input(lines), output, in_audios, out_audios, record)
        skips.report()


def _text(value) -> str | None:
    """A text slot's value: a list is written as prose ("a, b or c")."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return prose(value) if value else ""
    return str(value)


def _draw(ctx: Context, record: Mapping, pool: list[str]) -> str:
    """N candidates from the shard's answers, this record's answer among them, in a seeded order."""
    task, binding = ctx.task, ctx.binding
    answer = str(record[binding[task.output_slot]])
    rng = random.Random(stable_int(ctx.seed, task.name, "candidates", record["id"]))
    others = [a for a in pool if a != answer]
    count = binding[str(task.asks.candidates)]
    chosen = rng.sample(others, min(len(others), count - 1)) + [answer]
    rng.shuffle(chosen)
    return prose(chosen)


def _listed(record: Mapping, binding: Mapping, slot: str, values: Mapping[str, str]) -> set[str]:
    """The candidates an instance shows, as a set."""
    given = binding[slot]
    if isinstance(given, str) and isinstance(record.get(given), (list, tuple)):
        return {str(v) for v in record[given]}
    text = values[slot]
    head, _, last = text.rpartition(" or ")
    return {c.strip() for c in head.split(",") if c.strip()} | {last.strip()} if head else {text.strip()}
