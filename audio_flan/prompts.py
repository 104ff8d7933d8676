"""Prompt sets: many instruction variants per task, chosen deterministically, filled safely.

A variant is picked with a keyed BLAKE2 hash of (seed, instance id, what is being picked), never with
Python's ``hash()``, so the choice is the same in every process whatever PYTHONHASHSEED says. Templates
are filled by slot name only: ``{name}`` is replaced by a value, nothing else is evaluated (``str.format``
would allow attribute and index access on the values).

Options are written as prose ("yes or no", "bass, brass or flute"); an instruction that does not name them
gets one sentence saying them. Input labels of slots that belong together (the two audios of a pair) are
chosen together, from one family ("audio 1:" with "audio 2:"). An output prefix ending in ":" is followed
by the bare answer; any other prefix starts a sentence, which ends with a full stop.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FORMS = ("command", "request", "question", "suggestion")
#: what a task's answer is (the registry's ``asks.kind``)
ANSWER_KINDS = ("label", "yes_no", "ordinal", "text", "audio", "segments")
SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ANY_BRACE = re.compile(r"[{}]")
_SENTENCE_END = (".", "!", "?", '"', ")")


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


def prose(items: Sequence[str]) -> str:
    """A list as an English phrase: "a", "a or b", "a, b or c"."""
    items = [str(i) for i in items]
    if not items:
        raise ValueError("nothing to list")
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def option_pattern(option: str) -> re.Pattern:
    """An option as whole words, any case, spaces, hyphens and underscores aside ("bonafide" is "bona fide",
    "synth_lead" is "synth lead")."""
    letters = [c for c in option if not (c.isspace() or c in "_-")]
    body = r"[\s_-]?".join(re.escape(c) for c in letters)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def names_all(text: str, options: Sequence[str]) -> bool:
    """Whether ``text`` already says every option."""
    return all(option_pattern(o).search(text) for o in options)


def options_sentence(options: Sequence[str]) -> str:
    """The sentence added to an instruction that does not name its options."""
    return f"Answer {prose(options)}." if len(options) == 2 else f"Choose one of: {prose(options)}."


def answer_text(prefix: str, value: str) -> str:
    """The output: the bare value, the value after a "label:" prefix, or a sentence ending with a full stop."""
    if not prefix:
        return value
    if prefix.endswith(":"):
        return f"{prefix} {value}"
    return f"{prefix} {value}" if value.endswith(_SENTENCE_END) else f"{prefix} {value}."


@dataclass(frozen=True)
class Rendered:
    instruction: str
    input_labels: dict[str, str]
    output_prefix: str

    def answer(self, value: str) -> str:
        return answer_text(self.output_prefix, value)


@dataclass(frozen=True)
class PromptSet:
    """The instruction variants of one task, by sentence form, plus input label and output prefix variants.

    ``input_labels`` maps a slot, or a group of slots that are labelled together (a tuple of slot names), to
    its variants; a group's variant is a tuple with one label per slot. ``without`` maps a set of input slots to
    the prompt set of the task's instances that lack them (a corpus without a score: the lyrics alone), whose
    instructions never ask for what is not shown.
    """

    instructions: dict[str, tuple[str, ...]]
    input_labels: Mapping[str | tuple[str, ...], tuple] = field(default_factory=dict)
    output_prefixes: tuple[str, ...] = ("",)
    without: Mapping[frozenset[str], PromptSet] = field(default_factory=dict)

    @functools.cached_property
    def all_instructions(self) -> tuple[str, ...]:
        return tuple(t for form in FORMS for t in self.instructions.get(form, ()))

    @functools.cached_property
    def label_groups(self) -> tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]:
        """Every (slots, variants) with single slots as 1-tuples, in declaration order."""
        out = []
        for key, variants in self.input_labels.items():
            if isinstance(key, tuple):
                out.append((key, tuple(tuple(v) for v in variants)))
            else:
                out.append(((key,), tuple((v,) for v in variants)))
        return tuple(out)

    @property
    def labelled_slots(self) -> tuple[str, ...]:
        return tuple(s for slots, _ in self.label_groups for s in slots)

    def instruction(self, template: str, values: Mapping[str, str], options: Sequence[str] | None = None) -> str:
        """One template filled; the options sentence added unless the instruction names every option."""
        slots = dict(values)
        if options:
            slots["options"] = prose(options)
        text = fill(template, slots)
        if options and "{options}" not in template and not names_all(text, options):
            text = f"{text} {options_sentence(options)}"
        return text

    def render(
        self, instance_id: str, seed: int, values: Mapping[str, str], options: Sequence[str] | None = None
    ) -> Rendered:
        template = choose(self.all_instructions, seed, instance_id, "instruction")
        labels: dict[str, str] = {}
        for key, variants in self.input_labels.items():
            if isinstance(key, tuple):
                labels.update(zip(key, choose(variants, seed, instance_id, "label", "+".join(key))))
            else:
                labels[key] = choose(variants, seed, instance_id, "label", key)
        prefix = choose(self.output_prefixes, seed, instance_id, "prefix")
        return Rendered(self.instruction(template, values, options), labels, prefix)
