"""Reads and validates the task registry in ``builder_configs/``: one YAML file per builder config.

The registry is the single list of tasks. Every error names the file it comes from. See
``builder_configs/README.md`` for the format.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import yaml

from . import derived
from .prompts import ANSWER_KINDS, FORMS, PromptSet, template_slots
from .roles import Role, RoleSource
from .shapes import PASSTHROUGH, SHAPES
from .sources import get_sources
from .sources.base import Query
from .tasknames import DOMAINS, normalise_task_name

KINDS = ("understanding", "generation")
SLOT_TYPES = ("audio", "text")
KNOWN_SHAPES = ("label", "transcribe", "synthesize", "condition", "compare", "timeline", "simulate")
#: the Hub's task categories a config may declare (its card's ``task_categories``)
HUB_TASKS = (
    "audio-classification",
    "audio-text-to-text",
    "audio-to-audio",
    "automatic-speech-recognition",
    "text-to-audio",
    "text-to-speech",
    "voice-activity-detection",
)
MIN_INSTRUCTIONS = 10
_KEYS = {
    "name",
    "domain",
    "major",
    "minor",
    "aliases",
    "kind",
    "shape",
    "hub_tasks",
    "default",
    "inputs",
    "outputs",
    "options",
    "asks",
    "sources",
    "prompts",
    "roles",
}
_REQUIRED = _KEYS - {"aliases", "options", "default", "roles"}
_ROLE_KEYS = {"audio", "pool"}

__all__ = [
    "DOMAINS",
    "Asks",
    "Binding",
    "RegistryError",
    "Task",
    "default_config",
    "load_registry",
    "normalise_task_name",
    "task_table",
]


class RegistryError(ValueError):
    """A registry file that does not say what it must."""


@dataclass(frozen=True)
class Binding:
    """How one parser feeds one config: the shape its records go through and which record field fills which
    slot (``{}`` for the release, whose records are finished instances)."""

    parser: str
    shape: str
    slots: Mapping[str, Any]


@dataclass(frozen=True)
class Asks:
    """What a task's answer is: its kind and, in words, what it names (see builder_configs/README.md)."""

    kind: str  # one of prompts.ANSWER_KINDS
    label: str  # what the answer names: "instrument family", "same speaker", "faster recording"
    many: bool = False  # label: the answer may hold several labels
    candidates: Optional[str] = None  # label: the text input slot that lists the candidate answers
    more: Optional[str] = None  # ordinal: the quality the answer picks the stronger of ("faster")


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
    hub_tasks: tuple[str, ...]
    default: bool
    inputs: Mapping[str, str]
    outputs: Mapping[str, str]
    options: Optional[tuple[str, ...]]
    asks: Asks
    bindings: Mapping[str, Binding]  # parser name -> binding, in the registry file's order
    prompts: PromptSet
    file: str
    roles: Mapping[str, Role] = field(default_factory=dict)  # role name -> the corpora it draws from
    lacks: frozenset[str] = frozenset()  # the input slots a view of the task leaves out (see `without`)

    def without(self, slots: Iterable[str]) -> Task:
        """The task as its instances are made from a source that lacks the input ``slots`` (a corpus without a
        score): those slots gone, and the instructions the registry writes for their absence
        (``prompts.without``). Raises KeyError when it writes none."""
        gone = frozenset(slots)
        if not gone:
            return self
        inputs = {s: t for s, t in self.inputs.items() if s not in gone}
        return replace(self, inputs=inputs, prompts=self.prompts.without[gone], lacks=gone)

    def views(self) -> tuple[Task, ...]:
        """The task and each of its views without input slots, as instances may be made of it."""
        return (self, *(self.without(gone) for gone in self.prompts.without))

    @property
    def parsers(self) -> tuple[str, ...]:
        """The parsers that feed this config, in the registry file's order."""
        return tuple(self.bindings)

    @property
    def query(self) -> Query:
        """What this config asks of a source that holds many tasks (the release)."""
        known = frozenset(n for t in load_registry().values() if t.domain == self.domain for n in t.release_names)
        return Query(self.name, self.domain, self.release_names, known)

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


_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def _fail(file: str, message: str) -> Any:
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
    by_form = _instructions(file, "prompts.instructions", raw["instructions"], inputs, options)
    input_labels = _input_labels(file, raw.get("input_labels") or {}, inputs)
    prefixes = _str_list(
        file, "prompts.output_prefixes", raw.get("output_prefixes", [""]) or [""], allow_empty_items=True
    )
    without = _without(file, raw.get("without"), inputs, options, input_labels, prefixes)
    return PromptSet(by_form, input_labels, prefixes, without)


def _instructions(file: str, where: str, instructions, inputs: Mapping[str, str], options) -> dict:
    """The instruction templates by sentence form, each form present, only the text input slots (and
    ``{options}``) as slots, at least :data:`MIN_INSTRUCTIONS` distinct."""
    if not isinstance(instructions, dict):
        _fail(file, f"{where} must map each sentence form ({', '.join(FORMS)}) to a list")
    unknown = set(instructions) - set(FORMS)
    if unknown:
        _fail(file, f"{where} has unknown forms {sorted(unknown)}; expected {', '.join(FORMS)}")
    by_form = {}
    for form in FORMS:
        if not instructions.get(form):
            _fail(file, f"{where}.{form} is missing or empty")
        by_form[form] = _str_list(file, f"{where}.{form}", instructions[form])
    allowed = {s for s, t in inputs.items() if t == "text"} | {"options"}
    for form, templates in by_form.items():
        for template in templates:
            try:
                used = template_slots(template)
            except ValueError as err:
                _fail(file, f"{where}.{form}: {err}")
            bad = set(used) - allowed
            if bad:
                _fail(
                    file,
                    f"{where}.{form}: template {template!r} uses unknown slots {sorted(bad)}; allowed: {sorted(allowed)}",
                )
            if "options" in used and not options:
                _fail(file, f"{where}.{form}: template {template!r} uses {{options}} but the task has no options")
    distinct = {t for ts in by_form.values() for t in ts}
    if len(distinct) < MIN_INSTRUCTIONS:
        _fail(file, f"{where} has {len(distinct)} distinct instructions; at least {MIN_INSTRUCTIONS} are needed")
    return by_form


def _without(
    file: str, raw, inputs: Mapping[str, str], options, labels: Mapping, prefixes: tuple[str, ...]
) -> dict[frozenset[str], PromptSet]:
    """``prompts.without``: per input slot (or ``slot+slot`` group) a source may leave out, the instructions by
    form of the instances that lack it; their input labels and output prefixes are the task's."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        _fail(file, "prompts.without must map input slots (or 'slot+slot' groups) a source may lack to instructions")
    out: dict[frozenset[str], PromptSet] = {}
    for key, instructions in raw.items():
        where = f"prompts.without.{key}"
        gone = frozenset(str(key).split("+"))
        for slot in sorted(gone):
            if slot not in inputs:
                _fail(file, f"{where}: {slot!r} is not an input slot of this task ({', '.join(inputs)})")
        rest = {s: t for s, t in inputs.items() if s not in gone}
        if not rest:
            _fail(file, f"{where}: an instance without {'+'.join(sorted(gone))} has no input left")
        kept = {}
        for label_key, variants in labels.items():
            group = set(label_key) if isinstance(label_key, tuple) else {label_key}
            if group & gone and group - gone:
                _fail(file, f"{where}: {'+'.join(sorted(group))} are labelled together; leave all of them out or none")
            if not group & gone:
                kept[label_key] = variants
        out[gone] = PromptSet(_instructions(file, where, instructions, rest, options), kept, prefixes)
    return out


def _input_labels(file: str, labels, inputs: Mapping[str, str]) -> dict:
    """Per slot, or per group of slots written ``slot+slot`` whose labels are chosen together, the variants."""
    if not isinstance(labels, dict):
        _fail(file, "prompts.input_labels must map input slots (or 'slot+slot' groups) to lists of labels")
    out: dict = {}
    seen: set[str] = set()
    for key, variants in labels.items():
        slots = tuple(str(key).split("+"))
        where = f"prompts.input_labels.{key}"
        for slot in slots:
            if slot not in inputs:
                _fail(file, f"{where}: {slot!r} is not an input slot of this task ({', '.join(inputs)})")
            if slot in seen:
                _fail(file, f"{where}: slot {slot!r} is labelled twice")
            seen.add(slot)
        if len(slots) == 1:
            out[slots[0]] = _str_list(file, where, variants)
            continue
        if not isinstance(variants, list) or not variants:
            _fail(file, f"{where} must list label groups, each a list of {len(slots)} labels")
        groups = []
        for variant in variants:
            group = _str_list(file, where, variant)
            if len(group) != len(slots):
                _fail(
                    file, f"{where}: {list(group)} has {len(group)} labels; expected one per slot ({', '.join(slots)})"
                )
            groups.append(group)
        out[slots] = tuple(groups)
    for slot in inputs:
        if slot not in seen:
            out[slot] = (f"{slot}:",)
    return out


def _asks(file: str, raw, outputs: Mapping[str, str], inputs: Mapping[str, str], options, prompts: PromptSet) -> Asks:
    """Validate ``asks``: what the answer is, and that the output slot, options and slots fit it (whether the
    prompt text fits it is checked by the test suite's prompt checks)."""
    if not isinstance(raw, dict) or set(raw) - {"kind", "label", "many", "candidates", "more"}:
        _fail(file, "asks must be a mapping with kind and label (and optionally many, candidates, more)")
    kind, label = raw.get("kind"), raw.get("label")
    if kind not in ANSWER_KINDS:
        _fail(file, f"asks.kind is {kind!r}; expected one of {', '.join(ANSWER_KINDS)}")
    if not isinstance(label, str) or not label.strip():
        _fail(file, "asks.label must say, in words, what the answer names (e.g. 'instrument family')")
    asks = Asks(kind, label, raw.get("many", False), raw.get("candidates"), raw.get("more"))
    out_type = next(iter(outputs.values()))
    if (kind == "audio") != (out_type == "audio"):
        _fail(file, f"asks.kind {kind!r} does not fit an output slot of type {out_type!r}")
    if kind == "yes_no" and options != ("yes", "no"):
        _fail(file, f"asks.kind yes_no needs options: [yes, no]; got {list(options or [])}")
    if kind == "ordinal":
        if options != ("first", "second"):
            _fail(file, f"asks.kind ordinal needs options: [first, second]; got {list(options or [])}")
        if not isinstance(asks.more, str) or not asks.more.strip():
            _fail(file, "asks.kind ordinal needs asks.more: the quality the answer picks the stronger of")
    elif asks.more is not None:
        _fail(file, "asks.more is for ordinal answers only")
    if not isinstance(asks.many, bool) or (asks.many and kind != "label"):
        _fail(file, "asks.many must be true or false, and true only for label answers")
    if asks.candidates is not None and (kind != "label" or inputs.get(asks.candidates) != "text"):
        _fail(file, f"asks.candidates must name a text input slot of a label task; got {asks.candidates!r}")
    if kind == "audio" and prompts.output_prefixes != ("",):
        _fail(file, f"output_prefixes {list(prompts.output_prefixes)}: an audio answer takes no prefix")
    return asks


def _roles(file: str, raw) -> dict[str, Role]:
    """Validate ``roles`` (structure only; the parsers, fields and pools are checked by :func:`_bind`)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        _fail(file, "roles must map role names (noise, rir, ...) to the parsers that feed them")
    out = {}
    for name, parsers in raw.items():
        if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
            _fail(file, f"roles: {name!r} is not a lower-case identifier")
        if not isinstance(parsers, dict) or not parsers:
            _fail(file, f"roles.{name} must map parser names to {{audio: <field>}} (optionally pool: <pool>)")
        specs = []
        for parser, spec in parsers.items():
            where = f"roles.{name}.{parser}"
            if not isinstance(spec, dict) or set(spec) - _ROLE_KEYS or "audio" not in spec:
                _fail(file, f"{where} must be {{audio: <record field>}} with optionally pool: <pool name>")
            for key, value in spec.items():
                if not isinstance(value, str) or not value.strip():
                    _fail(file, f"{where}.{key} must be a non-empty string, got {value!r}")
            specs.append(RoleSource(str(parser), spec["audio"], spec.get("pool")))
        out[name] = Role(name, tuple(specs))
    return out


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
    prompts = _prompts(file, raw["prompts"], inputs, options)
    asks = _asks(file, raw["asks"], outputs, inputs, options, prompts)
    if raw["shape"] == "compare":
        audios = tuple(s for s, t in inputs.items() if t == "audio")
        if audios not in prompts.input_labels:
            _fail(file, f"prompts.input_labels: a compare task labels its audios as a pair ({'+'.join(audios)})")
    sources = raw["sources"]
    if not isinstance(sources, dict) or not sources:
        _fail(file, "sources must map parser names to their slot bindings")
    for parser, binding in sources.items():
        if binding is not None and not isinstance(binding, dict):
            _fail(file, f"sources.{parser} must be a mapping of slot to record field")
    hub_tasks = _str_list(file, "hub_tasks", raw["hub_tasks"])
    unknown_hub = [t for t in hub_tasks if t not in HUB_TASKS]
    if not hub_tasks or unknown_hub:
        _fail(file, f"hub_tasks must list one or more of {', '.join(HUB_TASKS)}; got {list(hub_tasks)}")
    default = raw.get("default", False)
    if not isinstance(default, bool):
        _fail(file, f"default must be true or false, got {default!r}")
    return Task(
        name=name,
        domain=domain,
        major=str(raw["major"]),
        minor=str(raw["minor"]),
        aliases=_str_list(file, "aliases", raw.get("aliases") or []),
        kind=raw["kind"],
        shape=raw["shape"],
        hub_tasks=hub_tasks,
        default=default,
        inputs=inputs,
        outputs=outputs,
        options=options,
        asks=asks,
        bindings={p: Binding(p, raw["shape"], dict(b or {})) for p, b in sources.items()},
        prompts=prompts,
        file=file,
        roles=_roles(file, raw.get("roles")),
    )


def _bind(task: Task) -> Task:
    """Check every binding against its parser and shape; a parser of finished instances gets the passthrough
    shape. Returns the task with its bindings resolved."""
    known = get_sources()
    for role in task.roles.values():
        for spec in role.sources:
            where = f"roles.{role.name}.{spec.parser}"
            if spec.parser not in known:
                _fail(task.file, f"{where}: no such parser; known: {', '.join(sorted(known))}")
            source = known[spec.parser]
            if source.finished:
                _fail(task.file, f"{where}: {source.corpus} holds finished instances and cannot feed a role")
            if spec.audio not in source.audio_fields:
                _fail(
                    task.file,
                    f"{where}: audio {spec.audio!r} is not an audio field of {spec.parser} "
                    f"({', '.join(sorted(source.audio_fields))})",
                )
            if spec.pool is not None and spec.pool not in source.pools:
                pools = ", ".join(sorted(source.pools)) or "none"
                _fail(task.file, f"{where}: pool {spec.pool!r} is not a pool of {spec.parser} (its pools: {pools})")
    bindings = {}
    for parser, binding in task.bindings.items():
        if parser not in known:
            _fail(task.file, f"sources.{parser}: no such parser; known: {', '.join(sorted(known))}")
        source = known[parser]
        # a binding may name another shape than the task's: one that builds the task's instances from several
        # records (mixtures of two clips for a task whose instances are otherwise one record each)
        slots = {k: v for k, v in binding.slots.items() if k != "shape"}
        wanted = binding.slots.get("shape", task.shape)
        if wanted not in SHAPES and "shape" in binding.slots:
            _fail(task.file, f"sources.{parser}: shape {wanted!r} is not one of {', '.join(sorted(SHAPES))}")
        shape = PASSTHROUGH if source.finished else SHAPES.get(wanted)
        if shape is None:
            raise RegistryError(
                f"{task.file}: sources.{parser}: shape {task.shape!r} has no implementation yet; "
                "only the release can feed it"
            )

        # a slot may take a field derived from one of the parser's (``text: arpabet(text)``, audio_flan/derived.py)
        fields = set(source.fields)
        for value in slots.values():
            if derived.parse(value):
                for error in derived.check(value, source.fields, source.languages):
                    _fail(task.file, f"sources.{parser}: {error}")
                fields.add(value)
        for error in shape.check(task, slots, frozenset(fields)):
            _fail(task.file, f"sources.{parser}: {error}")
        bindings[parser] = Binding(parser, shape.name, slots)
    return replace(task, bindings=bindings)


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
            tasks[task.name] = _bind(task)
    if not tasks:
        raise RegistryError(f"{root}: no registry files found")
    defaults = [t.name for t in tasks.values() if t.default]
    if len(defaults) != 1:
        raise RegistryError(f"{root}: exactly one task must say 'default: true'; found {defaults or 'none'}")
    return tasks


def task_table() -> dict[str, Task]:
    """Config name to task, for code and for the CLI."""
    return dict(load_registry())


def default_config() -> str:
    """The config ``load_dataset("audio-flan")`` gives when none is named."""
    return next(t.name for t in load_registry().values() if t.default)
