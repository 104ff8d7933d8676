"""Prompt sets: many instruction variants per task, chosen deterministically, filled safely.

A variant is picked with a keyed BLAKE2 hash of (seed, instance id, what is being picked), never with
Python's ``hash()``, so the choice is the same in every process whatever PYTHONHASHSEED says. Templates
are filled by slot name only: ``{name}`` is replaced by a value, nothing else is evaluated (``str.format``
would allow attribute and index access on the values).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FORMS = ("command", "request", "question", "suggestion")
SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ANY_BRACE = re.compile(r"[{}]")


def stable_int(*parts: object) -> int:
    """A 64-bit integer from the parts, identical on every machine and run."""
    data = b"".join(str(part).encode("utf-8") + b"\x1f" for part in parts)
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def choose(options: Sequence, *key: object):
    """Pick one of ``options`` deterministically from ``key``."""
    if not options:
        raise ValueError("nothing to choose from")
    return options[stable_int(*key) % len(options)]


def template_slots(template: str) -> list[str]:
    """The slot names a template uses; raises on braces that are not a plain ``{name}`` slot."""
    leftover = _ANY_BRACE.search(SLOT.sub("", template))
    if leftover:
        raise ValueError(f"template {template!r}: only {{name}} slots are allowed, found a stray {leftover.group()!r}")
    return SLOT.findall(template)


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` by ``values[name]``; a missing slot is an error, nothing else is touched."""

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"template {template!r} needs slot {name!r}, which this instance does not have")
        return str(values[name])

    return SLOT.sub(sub, template)


@dataclass(frozen=True)
class Rendered:
    instruction: str
    input_labels: dict[str, str]
    output_prefix: str


@dataclass(frozen=True)
class PromptSet:
    """The instruction variants of one task, by sentence form, plus input label and output prefix variants."""

    instructions: dict[str, tuple[str, ...]]
    input_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    output_prefixes: tuple[str, ...] = ("",)

    @functools.cached_property
    def all_instructions(self) -> tuple[str, ...]:
        return tuple(t for form in FORMS for t in self.instructions.get(form, ()))

    def render(
        self, instance_id: str, seed: int, values: Mapping[str, str], options: Sequence[str] | None = None
    ) -> Rendered:
        template = choose(self.all_instructions, seed, instance_id, "instruction")
        slots = dict(values)
        if options:
            slots["options"] = ", ".join(options)
        instruction = fill(template, slots)
        if options and "{options}" not in template:
            instruction = f"{instruction} Options: {slots['options']}."
        labels = {
            slot: choose(variants, seed, instance_id, "label", slot) for slot, variants in self.input_labels.items()
        }
        prefix = choose(self.output_prefixes, seed, instance_id, "prefix")
        return Rendered(instruction, labels, prefix)
