"""The compare shape: two audios in, one answer about the pair out, with pairs drawn deterministically within a
shard (parsers size their shards so that a shard holds several keys).

Two answers are supported, as the task's ``asks.kind`` says:

- ``yes_no`` (binding ``audio``, ``key``): "do the two share the key field?". Each record is an anchor once, in
  an order drawn from the seed; the wanted answer alternates, so yes and no differ by at most one within a
  shard (a tie goes to an answer drawn per shard, so across shards the difference does not grow
  systematically); an anchor whose wanted partner does not exist in the shard is skipped.
- ``ordinal`` (binding ``audio``, ``value``, ``margin``): "which of the two is more <asks.more>?", answered
  ``first`` or ``second``. ``value`` names a numeric field that grows with the quality asked about (tempo in
  BPM for "faster"); a partner's value differs from the anchor's by at least ``margin``, so no pair is a tie
  or too close to call. Which slot holds the stronger one alternates like yes and no above. A text input
  slot (``{emotion}`` in "which is more {emotion}?") is bound to a record field too: pairs are then drawn only
  between records with the same value there, and that value fills the slot.
- ``label`` (binding ``audio``, ``key``, ``relation``): "how do the two relate?", answered with one of the task's
  options. ``relation`` names one of the source's ``relations`` (a function of two records giving an option: the
  relation of two keys); ``key`` the field it needs, so that records without it are left out. Each record is an
  anchor once; its partner is drawn among the records whose relation to it is the least-asked answer so far that
  the anchor can have, so the answers are as balanced as the shard allows.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping

from ..prompts import stable_int
from ..sources.base import UnusableRecordWarning
from ..sources.readers import Skips
from .base import Context, RecordError, Shape, audio_id, instance, mark, render_input

_BINDING_KEYS = {
    "yes_no": ("audio", "key"),
    "ordinal": ("audio", "value", "margin"),
    "label": ("audio", "key", "relation"),
}


class Compare(Shape):
    name = "compare"

    def check(self, task, binding, fields) -> list[str]:
        kind = task.asks.kind
        if kind not in _BINDING_KEYS:
            return [f"the compare shape answers yes_no, ordinal or label; this task asks for {kind!r}"]
        errors = []
        text_slots = [s for s, t in task.inputs.items() if t == "text"]
        if kind in ("yes_no", "label") and text_slots:
            errors.append(f"a {kind} compare task takes no text inputs")
        if kind == "label" and not task.options:
            errors.append("a label compare task needs options: the relations it answers with")
        for key in (*_BINDING_KEYS[kind], *text_slots):
            if key not in binding:
                errors.append(f"the compare shape ({kind}) needs {key!r} in the binding")
            elif key == "relation":
                if not isinstance(binding[key], str) or not binding[key]:
                    errors.append(f"'relation' names one of the source's relations, got {binding[key]!r}")
            elif key == "margin":
                if isinstance(binding[key], bool) or not isinstance(binding[key], (int, float)) or binding[key] <= 0:
                    errors.append(f"'margin' must be a number above 0, got {binding[key]!r}")
            elif binding[key] not in fields:
                errors.append(
                    f"{key!r} takes field {binding[key]!r}, which the parser does not provide ({', '.join(sorted(fields))})"
                )
        extra = set(binding) - set(_BINDING_KEYS[kind]) - set(text_slots)
        if extra:
            errors.append(
                f"unknown binding keys {sorted(extra)} (compare, {kind}, takes {', '.join(_BINDING_KEYS[kind])})"
            )
        if list(task.inputs.values()).count("audio") != 2:
            errors.append("a compare task needs exactly two audio inputs")
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        recs = sorted(self._usable(records, ctx), key=lambda r: str(r["id"]))
        if len(recs) < 2:
            return
        if ctx.task.asks.kind == "ordinal":
            yield from self._ordinal(recs, ctx)
        elif ctx.task.asks.kind == "label":
            yield from self._label(recs, ctx)
        else:
            yield from self._yes_no(recs, ctx)

    def _usable(self, records: Iterable[Mapping], ctx: Context) -> list[Mapping]:
        """The records holding every compared field; a record without one (None: the corpus does not annotate it,
        e.g. a clip without a tempo annotation) is left out and counted, as the one-record shapes do."""
        fields = [f for k, f in ctx.binding.items() if k not in ("margin", "relation") and isinstance(f, str)]
        skips = Skips(f"{ctx.task.name} from {ctx.source.corpus} ({ctx.split})", category=UnusableRecordWarning)
        usable = []
        for record in records:
            lacking = [f for f in fields if record.get(f) is None]
            if lacking:
                skips.add(f"record(s) without {', '.join(lacking)}", str(record["id"]))
            else:
                usable.append(record)
        skips.report()
        return usable

    def _yes_no(self, recs: list[Mapping], ctx: Context) -> Iterator[dict]:
        task, key_field = ctx.task, ctx.binding["key"]
        groups: dict[str, list[Mapping]] = {}
        for r in recs:
            groups.setdefault(str(r[key_field]), []).append(r)
        same_answer, diff_answer = task.options or ("yes", "no")  # the registry requires them
        counts = {True: 0, False: 0}
        used: set[frozenset] = set()  # a pair is asked once, whichever of its records was the anchor
        # which answer a tie goes to is drawn per shard, so that odd shards do not all lean the same way
        ties_to_same = stable_int(ctx.seed, task.name, "tie", recs[0]["id"]) % 2 == 0
        for anchor in sorted(recs, key=lambda r: stable_int(ctx.seed, task.name, "anchor", r["id"])):
            want_same = counts[True] < counts[False] or (counts[True] == counts[False] and ties_to_same)
            rng = random.Random(stable_int(ctx.seed, task.name, "partner", anchor["id"]))
            key = str(anchor[key_field])
            if want_same:
                pool = [r for r in groups[key] if r is not anchor]
            else:
                pool = [r for r in recs if str(r[key_field]) != key]
            pool = [r for r in pool if frozenset((anchor["id"], r["id"])) not in used]
            if not pool:
                continue
            partner = pool[rng.randrange(len(pool))]
            used.add(frozenset((anchor["id"], partner["id"])))
            counts[want_same] += 1
            first, second = (anchor, partner) if rng.random() < 0.5 else (partner, anchor)
            answer = same_answer if want_same else diff_answer
            extra = {"pair": [str(first["id"]), str(second["id"])], "key": key_field, "same": want_same}
            yield self._instance(ctx, first, second, {}, answer, extra)

    def _label(self, recs: list[Mapping], ctx: Context) -> Iterator[dict]:
        task, name = ctx.task, ctx.binding["relation"]
        relation = ctx.source.relations.get(name)
        if relation is None:
            raise RecordError(f"{ctx.source.corpus} declares no relation {name!r} (the binding of {task.name})")
        options = list(task.options or ())
        counts = dict.fromkeys(options, 0)
        used: set[frozenset] = set()  # a pair is asked once, whichever of its records was the anchor
        for anchor in sorted(recs, key=lambda r: stable_int(ctx.seed, task.name, "anchor", r["id"])):
            rng = random.Random(stable_int(ctx.seed, task.name, "partner", anchor["id"]))
            pools: dict[str, list[Mapping]] = {}
            for r in recs:
                if r is not anchor and frozenset((anchor["id"], r["id"])) not in used:
                    answer = relation(anchor, r)
                    if answer not in counts:
                        raise RecordError(
                            f"{ctx.source.corpus} relation {name!r} of {anchor['id']} and {r['id']} is {answer!r}, "
                            f"not one of the options of {task.name}"
                        )
                    pools.setdefault(answer, []).append(r)
            if not pools:
                continue
            wanted = min(pools, key=lambda o: (counts[o], options.index(o)))
            partner = pools[wanted][rng.randrange(len(pools[wanted]))]
            used.add(frozenset((anchor["id"], partner["id"])))
            counts[wanted] += 1
            first, second = (anchor, partner) if rng.random() < 0.5 else (partner, anchor)
            answer = relation(first, second)
            extra = {"pair": [str(first["id"]), str(second["id"])], "relation": name, "answer": answer}
            yield self._instance(ctx, first, second, {}, answer, extra)

    def _ordinal(self, recs: list[Mapping], ctx: Context) -> Iterator[dict]:
        task, value_field, margin = ctx.task, ctx.binding["value"], ctx.binding["margin"]
        text_slots = [s for s, t in task.inputs.items() if t == "text"]
        values = {str(r["id"]): _number(ctx, r, value_field) for r in recs}
        groups: dict[tuple, list[Mapping]] = {}
        for r in recs:
            groups.setdefault(tuple(str(r[ctx.binding[s]]) for s in text_slots), []).append(r)
        first_answer, second_answer = task.options or ("first", "second")  # the registry requires them
        counts = {True: 0, False: 0}  # True: the first audio is the stronger one
        used: set[frozenset] = set()  # a pair is asked once, whichever of its records was the anchor
        ties_to_first = stable_int(ctx.seed, task.name, "tie", recs[0]["id"]) % 2 == 0
        for anchor in sorted(recs, key=lambda r: stable_int(ctx.seed, task.name, "anchor", r["id"])):
            want_first = counts[True] < counts[False] or (counts[True] == counts[False] and ties_to_first)
            rng = random.Random(stable_int(ctx.seed, task.name, "partner", anchor["id"]))
            group = tuple(str(anchor[ctx.binding[s]]) for s in text_slots)
            mine = values[str(anchor["id"])]
            pool = [r for r in groups[group] if abs(values[str(r["id"])] - mine) >= margin]
            pool = [r for r in pool if frozenset((anchor["id"], r["id"])) not in used]
            if not pool:
                continue
            partner = pool[rng.randrange(len(pool))]
            used.add(frozenset((anchor["id"], partner["id"])))
            stronger, weaker = (anchor, partner) if mine > values[str(partner["id"])] else (partner, anchor)
            first, second = (stronger, weaker) if want_first else (weaker, stronger)
            counts[want_first] += 1
            extra = {
                "pair": [str(first["id"]), str(second["id"])],
                "value": value_field,
                "values": [values[str(first["id"])], values[str(second["id"])]],
                "stronger": "first" if want_first else "second",
            }
            slots = dict(zip(text_slots, group))
            yield self._instance(ctx, first, second, slots, first_answer if want_first else second_answer, extra)

    def _instance(self, ctx: Context, first: Mapping, second: Mapping, values: dict, answer: str, extra: dict) -> dict:
        task, audio_field = ctx.task, ctx.binding["audio"]
        audios = [s for s, t in task.inputs.items() if t == "audio"]
        iid = f"{task.name}/{ctx.source.name}/{first['id']}+{second['id']}"
        rendered = task.prompts.render(iid, ctx.seed, values, task.options)
        lines = []
        for slot, kind in task.inputs.items():
            if kind == "audio":
                record = first if slot == audios[0] else second
                lines.append((rendered.input_labels[slot], mark(audio_id(ctx, record, audio_field))))
            else:
                lines.append((rendered.input_labels[slot], values[slot]))
        return instance(
            ctx,
            iid,
            rendered.instruction,
            render_input(lines),
            rendered.answer(answer),
            [first[audio_field], second[audio_field]],
            [],
            first,
            extra=extra,
        )


def _number(ctx: Context, record: Mapping, field: str) -> float:
    try:
        return float(record[field])
    except (TypeError, ValueError):
        raise RecordError(
            f"{ctx.source.corpus} record {record['id']}: field {field!r} is {record[field]!r}, not a number"
        ) from None
