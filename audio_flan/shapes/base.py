"""What every task shape shares: the context it runs in, and how slots become the input and output text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from ..example import AudioItem, make_example
from ..features import AUDIO_MARK

if TYPE_CHECKING:  # types only: the registry imports the shapes
    from ..registry import Task
    from ..roles import RolePool
    from ..sources.base import Record, Source


class RecordError(ValueError):
    """A source record that cannot fill the task's slots."""


@dataclass(frozen=True)
class Context:
    """One (config, source, split) being generated; ``binding`` maps the task's slots to record fields;
    ``roles`` holds the pool of each of the task's roles in the data_dir (audio_flan/roles.py)."""

    task: Task
    source: Source
    binding: Mapping[str, Any]
    seed: int
    split: str
    roles: Mapping[str, RolePool] = field(default_factory=dict)


def audio_id(ctx: Context, record: Mapping, field: str) -> str:
    """The id written between the audio markers: "<corpus prefix>_<record id>" (plus the field for extra audios)."""
    rid = record.get(f"{field}_id") or (record["id"] if field == "audio" else f"{record['id']}_{field}")
    return f"{ctx.source.audio_prefix}_{rid}" if ctx.source.audio_prefix else str(rid)


def render_input(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label} {value}" for label, value in lines)


def render_output(prefix: str, value: str) -> str:
    return f"{prefix} {value}" if prefix else value


def instance(
    ctx: Context,
    instance_id: str,
    instruction: str,
    input_text: str,
    output_text: str,
    input_audios: list[AudioItem],
    output_audios: list[AudioItem],
    record: Record | Mapping[str, Any],
    extra: Optional[dict] = None,
) -> dict:
    """An example from a corpus record: the record's other fields go to ``metadata``."""
    meta = {k: v for k, v in record.items() if k not in ctx.source.audio_fields}
    meta.update(extra or {})
    return make_example(
        id=instance_id,
        config=ctx.task.name,
        domain=ctx.task.domain,
        instruction=instruction,
        input=input_text,
        output=output_text,
        input_audios=input_audios,
        output_audios=output_audios,
        source=ctx.source.corpus,
        language=record.get("language"),
        metadata=meta,
    )


class Shape:
    """Turns a shard's records into instances. Knows nothing about any corpus."""

    name: str = ""

    def check(self, task: Task, binding: Mapping, fields: frozenset) -> list[str]:
        raise NotImplementedError

    def roles_needed(self, binding: Mapping) -> tuple[str, ...]:
        """The task roles (audio_flan/roles.py) this binding cannot do without: the builder requires their corpora
        in the data_dir when it lists the splits."""
        return ()

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        raise NotImplementedError


def mark(audio: str) -> str:
    return AUDIO_MARK.format(audio)
