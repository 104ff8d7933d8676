"""Mechanical checks of prompt sets against what each task's answer means (``asks``) and the vocabulary of
confusable terms in ``tests/prompt_vocabulary.yaml``. Each check returns the problems it finds, as
sentences naming the task and the text, so a failing test says what to fix."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from audio_flan.prompts import answer_text, option_pattern, prose
from audio_flan.registry import Task, task_table
from audio_flan.sources import get_sources

VOCAB = yaml.safe_load((Path(__file__).parent / "prompt_vocabulary.yaml").read_text(encoding="utf-8"))
#: what an open slot is rendered with when nothing lists its values: one consonant-, one vowel-initial
OPEN_VALUES = ("sample value", "example value")
WORD = re.compile(r"[\w'-]+")


def corpus_bindings(task: Task):
    """(source, binding) of every parser of this task that is not the release."""
    sources = get_sources()
    for parser, binding in task.bindings.items():
        if not sources[parser].finished:
            yield sources[parser], binding.slots


def slot_values(task: Task, slot: str) -> tuple[str, ...]:
    """Every known value of a text input slot: the label sets of the bound parsers, then the vocabulary's."""
    values: list[str] = []
    for source, binding in corpus_bindings(task):
        field = binding.get(slot)
        if isinstance(field, str):
            values += source.labels.get(field, ())
    values += VOCAB["slot_values"].get(slot, ())
    return tuple(dict.fromkeys(values)) or OPEN_VALUES


def option_sets(task: Task) -> list[tuple[str, ...] | None]:
    """The closed answer sets an instruction is rendered with: the task's and any a binding gives."""
    sets = [task.options]
    for _source, binding in corpus_bindings(task):
        if binding.get("options"):
            sets.append(tuple(binding["options"]))
    return list(dict.fromkeys(sets))


def answers(task: Task) -> tuple[str, ...]:
    """Every known answer: the closed sets in the registry and the label sets of the bound parsers."""
    values = list(task.options or ())
    for source, binding in corpus_bindings(task):
        values += binding.get("options") or ()
        field = binding.get(task.output_slot) if task.shape != "compare" else None
        if isinstance(field, str):
            values += source.labels.get(field, ())
    return tuple(dict.fromkeys(values)) or OPEN_VALUES


def task_views() -> list[Task]:
    """Every task, and each view of it without input slots (``prompts.without``), whose prompts are held to the
    same checks."""
    return [view for task in task_table().values() for view in task.views()]


def view_name(task: Task) -> str:
    return task.name + "".join(f"-without-{slot}" for slot in sorted(task.lacks))


def rendered_instructions(task: Task) -> list[tuple[str, str]]:
    """(template, rendered text) for every instruction, each text slot taking each of its known values."""
    return _rendered(task.name, task.lacks)


@functools.cache
def _rendered(name: str, lacks: frozenset[str]) -> list[tuple[str, str]]:
    return list(_render(task_table()[name].without(lacks)))


def _render(task: Task) -> Iterator[tuple[str, str]]:
    text_slots = [s for s, t in task.inputs.items() if t == "text"]
    known = {s: slot_values(task, s) for s in text_slots}
    for options in option_sets(task):
        for template in task.prompts.all_instructions:
            base = {s: v[0] for s, v in known.items()}
            yield template, task.prompts.instruction(template, base, options)
            for slot in text_slots:
                if "{" + slot + "}" not in template:
                    continue
                for value in known[slot][1:]:
                    yield template, task.prompts.instruction(template, {**base, slot: value}, options)


def _templates(task: Task) -> Iterator[tuple[str, dict[str, str]]]:
    """(template, slot values) for every instruction, each text slot taking each of its known values."""
    text_slots = [s for s, t in task.inputs.items() if t == "text"]
    known = {s: slot_values(task, s) for s in text_slots}
    for template in task.prompts.all_instructions:
        base = {s: v[0] for s, v in known.items()}
        yield template, base
        for slot in text_slots:
            if "{" + slot + "}" in template:
                for value in known[slot][1:]:
                    yield template, {**base, slot: value}


def rendered_outputs(task: Task) -> Iterator[str]:
    if task.asks.kind == "audio":
        return
    for prefix in task.prompts.output_prefixes:
        for value in answers(task):
            yield answer_text(prefix, value)


def article_problems(task: Task) -> list[str]:
    a_ok, an_ok = set(VOCAB["articles"]["a_before"]), set(VOCAB["articles"]["an_before"])
    problems = []
    texts = [text for _, text in rendered_instructions(task)] + list(rendered_outputs(task))
    for text in dict.fromkeys(texts):
        for match in re.finditer(r"\b(a|an)\s+([\w'-]+)", text, re.IGNORECASE):
            article, word = match.group(1).lower(), match.group(2).lower()
            vowel = word[0] in "aeiou"
            if article == "a" and vowel and word not in a_ok or article == "an" and not vowel and word not in an_ok:
                problems.append(f"{task.name}: {match.group(0)!r} in {text!r}")
    return problems


def prefix_problems(task: Task) -> list[str]:
    frames = set(VOCAB["sentence_frames"])
    problems = []
    for prefix in task.prompts.output_prefixes:
        if not prefix or prefix.endswith(":"):
            continue
        last = prefix.split()[-1].lower()
        if task.asks.kind not in ("label", "yes_no", "ordinal"):
            problems.append(f"{task.name}: {prefix!r} starts a sentence, but a {task.asks.kind} answer is not a noun")
        elif task.asks.kind == "ordinal":
            if last != "the":
                problems.append(f"{task.name}: {prefix!r} must lead to 'the first'/'the second' (end with 'the')")
        elif last not in frames:
            problems.append(f"{task.name}: {prefix!r} + an answer is no sentence (it must end with {sorted(frames)})")
    return problems


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def yes_no_problems(task: Task) -> list[str]:
    openers, subjects = set(VOCAB["yes_no_openers"]), set(VOCAB["request_subjects"])
    problems = []
    if task.asks.kind == "yes_no" and task.options != ("yes", "no"):
        problems.append(f"{task.name}: a yes/no task whose options are {task.options}")
    if task.asks.kind == "yes_no":
        return problems
    for _template, text in rendered_instructions(task):
        for sentence in re.findall(r"[^.?!]*\?", text):
            words = WORD.findall(sentence.lower())
            if len(words) < 2 or words[0] not in openers or words[1] in subjects:
                continue
            if " or " not in sentence:
                problems.append(
                    f"{task.name}: yes/no question {sentence.strip()!r}, but the answer is {task.asks.label}"
                )
            elif task.options and sum(_normal(o) in _normal(sentence) for o in task.options) < 2:
                problems.append(
                    f"{task.name}: {sentence.strip()!r} offers alternatives that are not the options {list(task.options)}"
                )
    return problems


def meaning_problems(task: Task) -> list[str]:
    rule = VOCAB["meanings"].get(task.asks.label)
    if not rule:
        return []
    problems = []
    texts = [text for _, text in rendered_instructions(task)] + [p for p in task.prompts.output_prefixes if p]
    for text in texts:
        lowered = text.lower()
        for allowed in rule.get("allow", ()):
            lowered = re.sub(allowed, " ", lowered, flags=re.IGNORECASE)
        for pattern in rule.get("forbid", ()):
            found = re.search(pattern, lowered, re.IGNORECASE)
            if found:
                problems.append(f"{task.name}: {found.group(0)!r} in {text!r} does not ask for the {task.asks.label}")
    for template in task.prompts.all_instructions:
        for pattern in rule.get("require", ()):
            if not re.search(pattern, template, re.IGNORECASE):
                problems.append(f"{task.name}: {template!r} does not say {pattern!r} (the answer is {task.asks.label})")
    return problems


def pair_problems(task: Task) -> list[str]:
    problems = []
    for slots, variants in task.prompts.label_groups:
        if len(slots) < 2:
            continue
        for variant in variants:
            words = [WORD.findall(label.lower()) for label in variant]
            for markers in VOCAB["pair_markers"]:
                markers = [str(m).lower() for m in markers][: len(variant)]
                if all(m in w for m, w in zip(markers, words)):
                    rest = [[x for x in w if x != m] for m, w in zip(markers, words)]
                    if all(r == rest[0] for r in rest):
                        break
            else:
                problems.append(f"{task.name}: labels {list(variant)} are not one family (e.g. 'audio 1:'/'audio 2:')")
    return problems


def option_problems(task: Task) -> list[str]:
    problems = []
    for options in option_sets(task):
        if not options:
            continue
        # each closed set is judged in the instructions rendered with it (a binding's own options included)
        texts = [task.prompts.instruction(template, base, options) for template, base in _templates(task)]
        for text in texts:
            for option in options:
                count = len(option_pattern(option).findall(text))
                if count != 1:
                    problems.append(f"{task.name}: option {option!r} is said {count} times in {text!r}")
            if len(options) == 2 and re.search(rf"\bone of\W+{re.escape(prose(options))}", text):
                problems.append(f"{task.name}: 'one of' two options in {text!r}")
            if re.search(r"\bOptions?:", text) or ", ".join(options) + "." in text:
                problems.append(f"{task.name}: options not written as prose ({prose(options)!r}) in {text!r}")
    return problems


def template_problems(task: Task) -> list[str]:
    """A slot right after a verb that wants an adjective ("sound {emotion}": "sound surprise")."""
    verbs = "|".join(VOCAB["adjective_verbs"])
    problems = []
    for template in task.prompts.all_instructions:
        found = re.search(rf"\b({verbs})\s+\{{\w+\}}", template, re.IGNORECASE)
        if found:
            problems.append(f"{task.name}: {found.group(0)!r} in {template!r} breaks on noun values")
    return problems


def absent_slot_problems(task: Task) -> list[str]:
    """An instruction of instances that lack an input (a score) must not ask for it: no word of the slot's name
    or input labels, nor the vocabulary's words for it, may be said."""
    if not task.lacks:
        return []
    full = task_table()[task.name]
    words = {w for slot in task.lacks for w in VOCAB["absent_slot_words"].get(slot, ())}
    for slots, variants in full.prompts.label_groups:
        for k, slot in enumerate(slots):
            if slot in task.lacks:
                words |= {slot, *(w for variant in variants for w in WORD.findall(variant[k].lower()))}
    stems = sorted({w[:-1] if w.endswith("s") else w for w in words})
    pattern = re.compile(rf"\b({'|'.join(map(re.escape, stems))})\w*", re.IGNORECASE)
    problems = []
    for _template, text in _render(task):
        found = pattern.search(text)
        if found:
            problems.append(f"{view_name(task)}: {found.group(0)!r} in {text!r} asks for what the input lacks")
    return problems


CHECKS = {
    "articles": article_problems,
    "output prefixes": prefix_problems,
    "yes/no questions": yes_no_problems,
    "meaning": meaning_problems,
    "pair labels": pair_problems,
    "options": option_problems,
    "slot frames": template_problems,
    "absent slots": absent_slot_problems,
}
