"""The compare shape: two audios in, "same or not" out, with pairs drawn deterministically and balanced.

Pairs are drawn within one shard (parsers size their shards so that a shard holds several keys). Each
record is an anchor once, in an order drawn from the seed; the wanted answer alternates, so yes and no
differ by at most one within a shard (a tie goes to an answer drawn per shard, so across shards the
difference does not grow systematically); an anchor whose wanted partner does not exist in the shard is
skipped.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping

from ..prompts import stable_int
from .base import Context, Shape, audio_id, instance, mark, render_input, render_output


class Compare(Shape):
    name = "compare"

    def check(self, task, binding, fields) -> list[str]:
        errors = []
        for key in ("audio", "key"):
            if key not in binding:
                errors.append(f"the compare shape needs {key!r} in the binding")
            elif binding[key] not in fields:
                errors.append(
                    f"{key!r} takes field {binding[key]!r}, which the parser does not provide ({', '.join(sorted(fields))})"
                )
        extra = set(binding) - {"audio", "key"}
        if extra:
            errors.append(f"unknown binding keys {sorted(extra)} (compare takes audio and key)")
        if list(task.inputs.values()).count("audio") != 2:
            errors.append("a compare task needs exactly two audio inputs")
        if not task.options or len(task.options) != 2:
            errors.append("a compare task needs options: [<same answer>, <different answer>]")
        return errors

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task, key_field, audio_field = ctx.task, ctx.binding["key"], ctx.binding["audio"]
        recs = sorted(records, key=lambda r: str(r["id"]))
        if len(recs) < 2:
            return
        groups: dict[str, list[Mapping]] = {}
        for r in recs:
            groups.setdefault(str(r[key_field]), []).append(r)
        assert task.options is not None  # the registry checks that a compare task has two options
        same_answer, diff_answer = task.options
        slots = list(task.inputs)
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
            iid = f"{task.name}/{ctx.source.name}/{first['id']}+{second['id']}"
            rendered = task.prompts.render(iid, ctx.seed, {}, task.options)
            lines = [
                (rendered.input_labels[slots[0]], mark(audio_id(ctx, first, audio_field))),
                (rendered.input_labels[slots[1]], mark(audio_id(ctx, second, audio_field))),
            ]
            answer = same_answer if want_same else diff_answer
            yield instance(
                ctx,
                iid,
                rendered.instruction,
                render_input(lines),
                render_output(rendered.output_prefix, answer),
                [first[audio_field], second[audio_field]],
                [],
                first,
                extra={"pair": [str(first["id"]), str(second["id"])], "key": key_field, "same": want_same},
            )
