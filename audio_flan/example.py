"""The one function that builds an example: every config's rows, from a corpus parser through a task shape or
from the release through the passthrough shape, have exactly these columns, in this order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Union

from .audio_values import AudioValue

#: an audio of an example: a file's path, or a region or recipe (stored as its JSON, rendered when touched)
AudioItem = Union[str, AudioValue]

COLUMNS = (
    "id",
    "config",
    "domain",
    "instruction",
    "input",
    "output",
    "input_audios",
    "output_audios",
    "source",
    "language",
    "metadata",
)


def metadata_json(fields: Mapping[str, Any]) -> str:
    """Free-form fields as one JSON string, so that every config has the same columns; stable key order."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


def languages(value: Any) -> list[str]:
    """A record's language(s) as the ``language`` column's list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def audio_storage(item: AudioItem) -> dict[str, Any]:
    """The ``{"path", "bytes"}`` value datasets stores for one audio of an example."""
    return item.to_storage() if isinstance(item, AudioValue) else {"path": item, "bytes": None}


def make_example(
    *,
    id: str,
    config: str,
    domain: str,
    instruction: str,
    input: str,
    output: str,
    input_audios: Iterable[AudioItem],
    output_audios: Iterable[AudioItem],
    source: str,
    language: Any,
    metadata: Mapping[str, Any],
) -> dict[str, Any]:
    """An example of the one schema (:func:`audio_flan.features.make_features`); audios are paths or audio
    values (regions, recipes)."""
    return {
        "id": id,
        "config": config,
        "domain": domain,
        "instruction": instruction,
        "input": input,
        "output": output,
        "input_audios": [audio_storage(a) for a in input_audios],
        "output_audios": [audio_storage(a) for a in output_audios],
        "source": source,
        "language": languages(language),
        "metadata": metadata_json(metadata),
    }
