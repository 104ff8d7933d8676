"""Prompt sets: enough variants in every form, deterministic choice, safe filling, options listed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from prompt_checks import task_views, view_name

from audio_flan.prompts import FORMS, PromptSet, choose, fill, template_slots
from audio_flan.registry import task_table

TASKS = list(task_table().values())
VIEWS = task_views()  # the tasks and their views without input slots (prompts.without)


@pytest.mark.parametrize("task", VIEWS, ids=view_name)
def test_each_task_has_ten_distinct_instructions_in_every_form(task):
    instructions = task.prompts.all_instructions
    assert len(set(instructions)) >= 10
    for form in FORMS:
        assert task.prompts.instructions[form], f"{task.name} has no {form}"
    assert all(q.rstrip().endswith("?") for q in task.prompts.instructions["question"]), task.name
    assert set(task.prompts.labelled_slots) == set(task.inputs)


def test_instruction_sets_are_written_per_task():
    """No two tasks (nor views of them without an input) share their whole instruction set."""
    seen = {}
    for task in VIEWS:
        key = frozenset(task.prompts.all_instructions)
        assert key not in seen, f"{view_name(task)} and {seen.get(key)} have the same instructions"
        seen[key] = view_name(task)


def test_choice_is_stable_across_processes_and_hash_seeds():
    code = "from audio_flan.prompts import stable_int; print(stable_int(0, 'speech.asr/x/1', 'instruction'))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outs) == 1


def test_choice_depends_on_id_and_seed():
    options = [str(i) for i in range(50)]
    by_id = {choose(options, 0, f"id{i}") for i in range(200)}
    assert len(by_id) > 30  # spread over the variants
    assert choose(options, 0, "a") == choose(options, 0, "a")
    assert any(choose(options, 0, f"id{i}") != choose(options, 1, f"id{i}") for i in range(10))


@pytest.mark.parametrize("template", ["{a.__class__}", "{a[0]}", "{a!r}", "{a:>10}", "{0}", "{}", "oops }"])
def test_only_named_slots_are_allowed(template):
    with pytest.raises(ValueError):
        template_slots(template)


def test_fill_substitutes_names_only():
    assert fill("Say it {emotion}ly, {emotion}!", {"emotion": "sad"}) == "Say it sadly, sad!"
    # a value that looks like a template is not expanded again
    assert fill("{x}", {"x": "{y.__class__}"}) == "{y.__class__}"
    with pytest.raises(KeyError, match="needs slot 'missing'"):
        fill("{missing}", {})


def test_options_are_always_listed():
    ps = PromptSet({f: (f"{f} it.", f"{f} with {{options}} now.") for f in FORMS}, {"audio": ("audio:",)}, ("",))
    for i in range(20):
        r = ps.render(f"id{i}", 0, {}, ["female", "male"])
        assert "female or male" in r.instruction


def test_a_label_task_lists_its_options_in_every_instruction():
    task = task_table()["speech.gender_recognition"]
    for i in range(30):
        assert "female" in task.prompts.render(f"x{i}", 0, {}, task.options).instruction
