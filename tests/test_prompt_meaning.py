"""Every instruction asks the question its answer answers: the mechanical checks of tests/prompt_checks.py over
all 80 prompt sets, rendered with every known value of each slot and option, and the kind of every answer
against the I/O column of the task inventory (shared/TASKS.md) and the paper's examples."""

from __future__ import annotations

import pytest
from prompt_checks import CHECKS

from audio_flan.registry import task_table

TASKS = list(task_table().values())


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
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
