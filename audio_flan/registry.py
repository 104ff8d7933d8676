"""Reads and validates the task registry in ``builder_configs/``: one YAML file per builder config.

The registry is the single list of tasks. Every error names the file it comes from. See
``builder_configs/README.md`` for the format.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml

from .prompts import FORMS, PromptSet, template_slots

DOMAINS = ("speech", "music", "audio")
KINDS = ("understanding", "generation")
SLOT_TYPES = ("audio", "text")
KNOWN_SHAPES = ("label", "transcribe", "synthesize", "condition", "compare", "timeline", "simulate")
MIN_INSTRUCTIONS = 10
_KEYS = {
    "name",
    "domain",
    "major",
    "minor",
    "aliases",
    "kind",
    "shape",
    "inputs",
    "outputs",
    "options",
    "sources",
    "prompts",
}
_REQUIRED = _KEYS - {"aliases", "options"}


class RegistryError(ValueError):
    """A registry file that does not say what it must."""


def normalise_task_name(name: str) -> str:
    """Task names as the release and the paper spell them vary in case, punctuation (hyphens, slashes, commas,
    brackets, underscores) and spaces, and write "non-speech" as "nonspeech" too: all of that is ignored."""
    words = re.sub(r"[\W_]+", " ", name.lower()).strip()
    return re.sub(r"\bnon ", "non", words)


@dataclass(frozen=True)
class Task:
    """One builder config: a task of the paper, the sources that feed it and its prompt set."""

    name: str
    domain: str
    major: str
    minor: str
    aliases: tuple[str, ...]
    kind: str
    shape: str
    inputs: Mapping[str, str]
    outputs: Mapping[str, str]
    options: Optional[tuple[str, ...]]
    sources: Mapping[str, Mapping]
    prompts: PromptSet
    file: str

    @property
    def understanding(self) -> bool:
        return self.kind == "understanding"

    @property
    def output_slot(self) -> str:
        return next(iter(self.outputs))

    @property
    def release_names(self) -> frozenset[str]:
        """Normalised spellings of this task's minor name in the release's ``task_type.minor``."""
        return frozenset(normalise_task_name(n) for n in (self.minor, *self.aliases))


def _fail(file: str, message: str):
    raise RegistryError(f"{file}: {message}")


def _str_list(file: str, key: str, value, allow_empty_items: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _fail(file, f"{key} must be a list of strings")
    if not allow_empty_items and any(not v.strip() for v in value):
        _fail(file, f"{key} has an empty string")
    return tuple(value)


def _slots(file: str, key: str, value) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        _fail(file, f"{key} must be a mapping of slot name to 'audio' or 'text'")
    for slot, kind in value.items():
        if kind not in SLOT_TYPES:
            _fail(file, f"{key}.{slot} is {kind!r}; expected one of {', '.join(SLOT_TYPES)}")
    return dict(value)


def _prompts(file: str, raw, inputs: Mapping[str, str], options) -> PromptSet:
    if not isinstance(raw, dict) or "instructions" not in raw:
        _fail(file, "prompts must be a mapping with 'instructions'")
    instructions = raw["instructions"]
    if not isinstance(instructions, dict):
        _fail(file, f"prompts.instructions must map each sentence form ({', '.join(FORMS)}) to a list")
    unknown = set(instructions) - set(FORMS)
    if unknown:
        _fail(file, f"prompts.instructions has unknown forms {sorted(unknown)}; expected {', '.join(FORMS)}")
    by_form = {}
    for form in FORMS:
        if not instructions.get(form):
            _fail(file, f"prompts.instructions.{form} is missing or empty")
        by_form[form] = _str_list(file, f"prompts.instructions.{form}", instructions[form])
    allowed = {s for s, t in inputs.items() if t == "text"} | {"options"}
    for form, templates in by_form.items():
        for template in templates:
            try:
                used = template_slots(template)
            except ValueError as err:
                _fail(file, f"prompts.instructions.{form}: {err}")
            bad = set(used) - allowed
            if bad:
                _fail(
                    file,
                    f"prompts.instructions.{form}: template {template!r} uses unknown slots {sorted(bad)}; allowed: {sorted(allowed)}",
                )
            if "options" in used and not options:
                _fail(
                    file,
                    f"prompts.instructions.{form}: template {template!r} uses {{options}} but the task has no options",
                )
    distinct = {t for ts in by_form.values() for t in ts}
    if len(distinct) < MIN_INSTRUCTIONS:
        _fail(
            file,
            f"prompts.instructions has {len(distinct)} distinct instructions; at least {MIN_INSTRUCTIONS} are needed",
        )
    labels = raw.get("input_labels") or {}
    if not isinstance(labels, dict):
        _fail(file, "prompts.input_labels must map input slots to lists of labels")
    for slot in labels:
        if slot not in inputs:
            _fail(file, f"prompts.input_labels.{slot}: not an input slot of this task ({', '.join(inputs)})")
    input_labels = {
        slot: _str_list(file, f"prompts.input_labels.{slot}", labels.get(slot) or [f"{slot}:"]) for slot in inputs
    }
    prefixes = _str_list(
        file, "prompts.output_prefixes", raw.get("output_prefixes", [""]) or [""], allow_empty_items=True
    )
    return PromptSet(by_form, input_labels, prefixes)


def parse_task(file: str, raw) -> Task:
    """Validate one registry file's content (parsers and shapes are checked by :func:`load_registry`)."""
    if not isinstance(raw, dict):
        _fail(file, "expected a YAML mapping")
    unknown = set(raw) - _KEYS
    if unknown:
        _fail(file, f"unknown keys {sorted(unknown)}")
    missing = _REQUIRED - set(raw)
    if missing:
        _fail(file, f"missing keys {sorted(missing)}")
    name, domain = raw["name"], raw["domain"]
    if domain not in DOMAINS:
        _fail(file, f"domain {domain!r} is not one of {', '.join(DOMAINS)}")
    stem = Path(file).stem
    if name != f"{domain}.{stem}" or Path(file).parent.name != domain:
        _fail(file, f"name {name!r} must be '<domain>.<file stem>' and the file must sit in builder_configs/<domain>/")
    if raw["kind"] not in KINDS:
        _fail(file, f"kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if raw["shape"] not in KNOWN_SHAPES:
        _fail(file, f"shape {raw['shape']!r} is not one of {', '.join(KNOWN_SHAPES)}")
    inputs = _slots(file, "inputs", raw["inputs"])
    outputs = _slots(file, "outputs", raw["outputs"])
    if len(outputs) != 1:
        _fail(file, "outputs must have exactly one slot")
    options = _str_list(file, "options", raw["options"]) if raw.get("options") is not None else None
    sources = raw["sources"]
    if not isinstance(sources, dict) or not sources:
        _fail(file, "sources must map parser names to their slot bindings")
    for parser, binding in sources.items():
        if binding is not None and not isinstance(binding, dict):
            _fail(file, f"sources.{parser} must be a mapping of slot to record field")
    return Task(
        name=name,
        domain=domain,
        major=str(raw["major"]),
        minor=str(raw["minor"]),
        aliases=_str_list(file, "aliases", raw.get("aliases") or []),
        kind=raw["kind"],
        shape=raw["shape"],
        inputs=inputs,
        outputs=outputs,
        options=options,
        sources={p: dict(b or {}) for p, b in sources.items()},
        prompts=_prompts(file, raw["prompts"], inputs, options),
        file=file,
    )


def _check_sources(task: Task) -> None:
    from .shapes import SHAPES
    from .sources import get_sources

    known = get_sources()
    for parser, binding in task.sources.items():
        if parser not in known:
            _fail(task.file, f"sources.{parser}: no such parser; known: {', '.join(sorted(known))}")
        source = known[parser]
        if source.finished:
            if binding:
                _fail(task.file, f"sources.{parser}: this parser yields finished instances and takes no binding")
            continue
        if task.shape not in SHAPES:
            _fail(
                task.file,
                f"sources.{parser}: shape {task.shape!r} has no implementation yet; only the release can feed it",
            )
        for error in SHAPES[task.shape].check(task, binding, source.fields):
            _fail(task.file, f"sources.{parser}: {error}")


def config_dir() -> Path:
    return Path(str(resources.files("audio_flan.builder_configs")))


@functools.cache
def load_registry(directory: Optional[str] = None) -> dict[str, Task]:
    """All tasks, by config name, in the order of the domains and then of the file names."""
    root = Path(directory) if directory else config_dir()
    tasks: dict[str, Task] = {}
    aliases: dict[tuple[str, str], str] = {}
    for domain in DOMAINS:
        for path in sorted((root / domain).glob("*.y*ml")):
            file = str(path)
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as err:
                raise RegistryError(f"{file}: not valid YAML: {err}") from err
            task = parse_task(file, raw)
            if task.name in tasks:
                _fail(file, f"duplicate config name {task.name!r} (also in {tasks[task.name].file})")
            for spelling in task.release_names:
                other = aliases.setdefault((task.domain, spelling), task.name)
                if other != task.name:
                    _fail(file, f"task name {spelling!r} also names {other} ({tasks[other].file})")
            _check_sources(task)
            tasks[task.name] = task
    if not tasks:
        raise RegistryError(f"{root}: no registry files found")
    return tasks


def task_table() -> dict[str, Task]:
    """Config name to task, for code and for the CLI."""
    return dict(load_registry())
