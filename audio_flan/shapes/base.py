"""What every task shape shares: the context it runs in, and how slots become the input and output text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..features import AUDIO_MARK

if TYPE_CHECKING:
    from ..registry import Task
    from ..sources.base import Source


class RecordError(ValueError):
    """A source record that cannot fill the task's slots."""


@dataclass(frozen=True)
class Context:
    """One (config, source, split) being generated."""

    task: Task
    source: Source
    binding: Mapping
    seed: int
    split: str


def audio_id(ctx: Context, record: Mapping, field: str) -> str:
    """The id written between the audio markers: "<corpus prefix>_<record id>" (plus the field for extra audios)."""
    rid = record.get(f"{field}_id") or (record["id"] if field == "audio" else f"{record['id']}_{field}")
    return f"{ctx.source.audio_prefix}_{rid}" if ctx.source.audio_prefix else str(rid)


def render_input(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label} {value}" for label, value in lines)


def render_output(prefix: str, value: str) -> str:
    return f"{prefix} {value}" if prefix else value


def metadata(fields: Mapping) -> str:
    """Free-form fields as one JSON string, so that every config has the same columns; stable key order."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


def instance(
    ctx: Context,
    instance_id: str,
    instruction: str,
    input_text: str,
    output_text: str,
    input_audios: list[str],
    output_audios: list[str],
    record: Mapping,
    extra: Optional[dict] = None,
) -> dict:
    audio_fields = ctx.source.audio_fields
    meta = {k: v for k, v in record.items() if k not in audio_fields}
    meta.update(extra or {})
    language = record.get("language")
    return {
        "id": instance_id,
        "config": ctx.task.name,
        "domain": ctx.task.domain,
        "instruction": instruction,
        "input": input_text,
        "output": output_text,
        "input_audios": [{"path": p, "bytes": None} for p in input_audios],
        "output_audios": [{"path": p, "bytes": None} for p in output_audios],
        "source": ctx.source.corpus,
        "language": [language] if isinstance(language, str) else list(language or []),
        "metadata": metadata(meta),
    }


class Shape:
    """Turns a shard's records into instances. Knows nothing about any corpus."""

    name: str = ""

    def check(self, task: Task, binding: Mapping, fields: frozenset) -> list[str]:
        raise NotImplementedError

    def instances(self, records: Iterable[Mapping], ctx: Context) -> Iterator[dict]:
        raise NotImplementedError


def mark(audio: str) -> str:
    return AUDIO_MARK.format(audio)
