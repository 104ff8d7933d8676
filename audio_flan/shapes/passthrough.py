"""The passthrough shape: records that are finished instances (the released Audio-FLAN files) become examples
as they are; their corpus goes to the ``source`` column, their provenance to ``metadata``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..example import make_example
from .base import Context, Shape

#: the record fields that are provenance, kept in ``metadata``
PROVENANCE = ("task_type", "split", "origin", "other", "file", "line", "folder")


class Passthrough(Shape):
    name = "passthrough"

    def check(self, task, binding, fields) -> list[str]:
        return ["this parser yields finished instances and takes no binding"] if binding else []

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        task = ctx.task
        for record in records:
            yield make_example(
                id=record["id"],
                config=task.name,
                domain=task.domain,
                instruction=record["instruction"],
                input=record["input"],
                output=record["output"],
                input_audios=record["input_audios"],
                output_audios=record["output_audios"],
                source=record["corpus"],
                language=record["language"],
                metadata={k: record[k] for k in PROVENANCE},
            )
