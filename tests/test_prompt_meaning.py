"""Every instruction asks the question its answer answers: the mechanical checks of tests/prompt_checks.py over
all 80 prompt sets, rendered with every known value of each slot and option, and the kind of every answer
against the I/O column of the task inventory (shared/TASKS.md) and the paper's examples."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
import yaml
from prompt_checks import CHECKS, absent_slot_problems, task_views, view_name

from audio_flan.registry import RegistryError, config_dir, load_registry, task_table

TASKS = list(task_table().values())


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("task", task_views(), ids=view_name)
def test_prompt_set_fits_what_the_task_asks(task, check):
    problems = CHECKS[check](task)
    assert not problems, "\n".join(problems)


# What each config's answer is, from the I/O column of shared/TASKS.md (the task inventory, a contract) and the
# paper's examples: "2 audios -> which is faster" is ordinal, "2 audios -> same speaker?" is yes/no, a timed
# list is segments, an open description is text, audio out is audio; everything else names a label.
ORDINAL = {"music.tempo_comparison", "music.emotion_comparison"}
YES_NO = {
    "speech.speaker_verification",
    "speech.spoken_paragraph_recognition",
    "music.instrument_comparison",
    "music.instrumental_technique_comparison",
}
SEGMENTS = {
    "speech.speaker_diarization",
    "music.beat_tracking",
    "music.chord_estimation",
    "music.melody_extraction",
    "audio.sound_event_detection",
    "audio.voice_activity_detection",
    "audio.speech_nonspeech_detection",
}
TEXT = {
    "speech.asr",
    "speech.dialect_asr",
    "speech.phonetic_recognition",
    "speech.speech_translation",
    "speech.speech_caption",
    "music.progression_extraction",
    "music.caption",
    "audio.caption",
    "audio.sound_event_sequence_recognition",
    "audio.sound_event_understanding",
}


def expected_kind(task) -> str:
    if task.name in ORDINAL:
        return "ordinal"
    if task.name in YES_NO:
        return "yes_no"
    if task.name in SEGMENTS:
        return "segments"
    if task.name in TEXT:
        return "text"
    return "audio" if task.outputs[task.output_slot] == "audio" else "label"


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_answer_kind_follows_the_task_inventory(task):
    assert task.asks.kind == expected_kind(task)


def test_comparisons_follow_the_paper():
    """Tempo and emotion comparison ask which of the two is faster / more X; key comparison answers with the
    relation of the keys, not only same or not."""
    table = task_table()
    for name in ORDINAL:
        assert table[name].asks.kind == "ordinal" and table[name].options == ("first", "second")
    assert table["music.tempo_comparison"].asks.more == "faster"
    assert "emotion" in table["music.emotion_comparison"].inputs  # "more {emotion}": the mood is named
    key = table["music.key_comparison"]
    assert key.asks.kind == "label" and {"relative keys", "parallel keys", "the same key"} <= set(key.options)


def test_identification_lists_its_candidates():
    for name in ("speech.speaker_identification", "music.artist_identification"):
        task = task_table()[name]
        assert task.asks.candidates == "candidates" and task.inputs["candidates"] == "text"


def test_emotion_classification_answers_with_several_mood_and_theme_tags():
    task = task_table()["music.emotion_classification"]
    assert task.asks.many and task.asks.label == "mood/theme tags"


@pytest.fixture
def registry_copy(tmp_path):
    """A copy of a few registry files that a test can break."""
    for name in ("speech/asr.yaml", "speech/gender_recognition.yaml", "speech/speaker_verification.yaml"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config_dir() / name, target)
    load_registry.cache_clear()
    yield tmp_path
    load_registry.cache_clear()


def edit(path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def per_slot_labels(d):
    d["prompts"]["input_labels"] = {"audio": ["audio 1:"], "audio2": ["second clip:"]}


@pytest.mark.parametrize(
    "file, change, message",
    [
        ("gender_recognition", lambda d: d.pop("asks"), "missing keys ['asks']"),
        ("gender_recognition", lambda d: d["asks"].update(kind="maybe"), "asks.kind is 'maybe'"),
        ("gender_recognition", lambda d: d["asks"].update(kind="yes_no"), "needs options: [yes, no]"),
        ("gender_recognition", lambda d: d["asks"].update(kind="audio"), "does not fit an output slot"),
        ("gender_recognition", lambda d: d["asks"].update(label=""), "asks.label must say"),
        ("gender_recognition", lambda d: d["asks"].update(candidates="nope"), "asks.candidates must name"),
        ("gender_recognition", lambda d: d["asks"].update(more="faster"), "asks.more is for ordinal answers only"),
        ("speaker_verification", lambda d: d["asks"].update(kind="ordinal"), "needs options: [first, second]"),
        ("speaker_verification", per_slot_labels, "labels its audios as a pair"),
        (
            "speaker_verification",
            lambda d: d["prompts"]["input_labels"].update({"audio+audio2": [["audio 1:"]]}),
            "expected one per slot",
        ),
    ],
)
def test_what_a_task_asks_is_validated_naming_the_file(registry_copy, file, change, message):
    path = registry_copy / "speech" / f"{file}.yaml"
    edit(path, change)
    with pytest.raises(RegistryError) as err:
        load_registry(str(registry_copy))
    assert str(err.value).startswith(str(path)) and message in str(err.value)


def test_an_audio_answer_takes_no_prefix(registry_copy):
    path = registry_copy / "speech" / "tts.yaml"
    shutil.copy(config_dir() / "speech" / "tts.yaml", path)
    edit(path, lambda d: d["prompts"].update(output_prefixes=["", "Speech:"]))
    with pytest.raises(RegistryError, match="an audio answer takes no prefix"):
        load_registry(str(registry_copy))


def test_instructions_without_a_score_may_not_ask_for_one():
    """The check that holds a view without an input to its absence finds an instruction that asks for notes."""
    view = task_table()["music.singing_voice_synthesis"].without(["notes"])
    assert absent_slot_problems(view) == []
    asking = dict(view.prompts.instructions, command=("Sing these lyrics on the given melody.",))
    problems = absent_slot_problems(replace(view, prompts=replace(view.prompts, instructions=asking)))
    assert problems == [
        "music.singing_voice_synthesis-without-notes: 'melody' in 'Sing these lyrics on the given melody.' "
        "asks for what the input lacks"
    ]
