"""The task registry: the 80 contract names, validation errors that name the file, the task table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from util import CONTRACT

from audio_flan.registry import RegistryError, config_dir, load_registry, normalise_task_name, task_table


def test_config_names_are_the_contract():
    assert len(CONTRACT) == 80
    assert sorted(task_table()) == sorted(CONTRACT)


def test_builder_configs_come_from_the_registry():
    from audio_flan.builder import AudioFlan

    assert [c.name for c in AudioFlan.BUILDER_CONFIGS] == list(task_table())


def test_every_task_has_a_well_formed_entry():
    for task in task_table().values():
        assert task.kind in ("understanding", "generation")
        assert "release" in task.bindings, task.file
        assert len(task.outputs) == 1


def test_understanding_and_generation_follow_the_paper():
    tasks = task_table()
    assert tasks["speech.asr"].kind == "understanding"
    assert tasks["speech.tts"].kind == "generation"
    assert tasks["speech.speaker_extraction"].kind == "understanding"  # starred in TASKS.md
    assert tasks["speech.snr_estimation"].kind == "generation"


def test_release_names_normalise_case_hyphens_spaces():
    assert normalise_task_name("Speech-to-text  Translation") == normalise_task_name("speech to TEXT translation")
    assert normalise_task_name("Speech-to-text Translation") in task_table()["speech.speech_translation"].release_names
    assert normalise_task_name("Sound Super-resolution") in task_table()["audio.super_resolution"].release_names


@pytest.fixture
def registry_copy(tmp_path):
    """A copy of two registry files that a test can break."""
    for name in ("speech/asr.yaml", "speech/gender_recognition.yaml"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config_dir() / name, target)
    load_registry.cache_clear()
    yield tmp_path
    load_registry.cache_clear()


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_a_valid_copy_loads(registry_copy):
    assert set(load_registry(str(registry_copy))) == {"speech.asr", "speech.gender_recognition"}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["sources"].update(no_such_corpus={}), "no such parser"),
        (lambda d: d.update(shape="spiral"), "shape 'spiral' is not one of"),
        (lambda d: d.pop("prompts"), "missing keys ['prompts']"),
        (lambda d: d["prompts"]["instructions"].update(command=[]), "prompts.instructions.command is missing or empty"),
        (lambda d: d["sources"]["libritts_r"].update(audio="no_such_field"), "which the parser does not provide"),
        (lambda d: d["prompts"]["instructions"]["command"].append("Say {speaker.name}"), "only {name} slots"),
        (lambda d: d["prompts"]["instructions"]["command"].append("Say {nope}"), "unknown slots ['nope']"),
        (lambda d: d.update(kind="both"), "kind 'both'"),
        (lambda d: d.update(name="speech.other"), "must be '<domain>.<file stem>'"),
    ],
)
def test_invalid_entries_are_clear_errors_naming_the_file(registry_copy, change, message):
    path = registry_copy / "speech" / "asr.yaml"
    edit(path, change)
    with pytest.raises(RegistryError) as err:
        load_registry(str(registry_copy))
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


def test_duplicate_names_are_an_error(registry_copy):
    dup = registry_copy / "speech" / "asr_copy.yaml"
    shutil.copy(registry_copy / "speech" / "asr.yaml", dup)
    edit(dup, lambda d: d.update(name="speech.asr_copy"))
    with pytest.raises(RegistryError, match="also names speech.asr"):
        load_registry(str(registry_copy))


def test_too_few_instructions_is_an_error(registry_copy):
    path = registry_copy / "speech" / "asr.yaml"
    edit(
        path,
        lambda d: d["prompts"].update(
            instructions={f: ["Only one."] for f in ("command", "request", "question", "suggestion")}
        ),
    )
    with pytest.raises(RegistryError, match="1 distinct instructions; at least 10"):
        load_registry(str(registry_copy))


def test_invalid_yaml_names_the_file(registry_copy):
    path = registry_copy / "speech" / "asr.yaml"
    path.write_text("name: [unclosed\n")
    with pytest.raises(RegistryError, match=f"{path}: not valid YAML"):
        load_registry(str(registry_copy))


@pytest.fixture
def svs_copy(tmp_path):
    """A copy of the singing voice synthesis file, whose OpenSinger binding leaves the score out."""
    target = tmp_path / "music" / "singing_voice_synthesis.yaml"
    target.parent.mkdir(parents=True)
    shutil.copy(config_dir() / "music" / "singing_voice_synthesis.yaml", target)
    # the registry wants exactly one default config
    shutil.copytree(
        config_dir() / "speech", tmp_path / "speech", ignore=lambda d, names: [n for n in names if n != "asr.yaml"]
    )
    load_registry.cache_clear()
    yield target
    load_registry.cache_clear()


def test_a_binding_may_leave_out_an_input_the_task_writes_instructions_without(svs_copy):
    task = load_registry(str(svs_copy.parent.parent))["music.singing_voice_synthesis"]
    assert task.bindings["opensinger"].slots["without"] == ["notes"]
    view = task.without(["notes"])
    assert dict(view.inputs) == {"lyrics": "text"} and view.lacks == {"notes"}
    assert set(view.prompts.labelled_slots) == {"lyrics"}
    assert not set(view.prompts.all_instructions) & set(task.prompts.all_instructions)
    assert [v.lacks for v in task.views()] == [frozenset(), frozenset({"notes"})]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["prompts"].pop("without"),
            "without notes: the task writes no instructions for instances without it",
        ),
        (
            lambda d: d["prompts"]["without"]["notes"]["command"].append("Sing {lyrics} on {notes}."),
            "prompts.without.notes.command: template 'Sing {lyrics} on {notes}.' uses unknown slots ['notes']",
        ),
        (lambda d: d["sources"]["opensinger"].update(notes="notes"), "slot 'notes' is bound, and left out by without"),
        (lambda d: d["sources"]["opensinger"].update(without="notes"), "without must list the input slots"),
        (lambda d: d["prompts"]["without"].update(tempo=d["prompts"]["without"]["notes"]), "'tempo' is not an input"),
        (lambda d: d["prompts"]["without"]["notes"].update(question=[]), "prompts.without.notes.question is missing"),
    ],
)
def test_leaving_an_input_out_is_checked(svs_copy, change, message):
    edit(svs_copy, change)
    with pytest.raises(RegistryError) as err:
        load_registry(str(svs_copy.parent.parent))
    assert str(err.value).startswith(str(svs_copy))
    assert message in str(err.value)
