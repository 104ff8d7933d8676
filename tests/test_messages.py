"""audio_flan.to_messages / messages_map: every audio in marker order, the exact text, audio kept lazy."""

from __future__ import annotations

import itertools

import datasets
import numpy as np
import pytest

import audio_flan
from audio_flan.builder import AudioFlan
from audio_flan.features import LazyAudio
from audio_flan.messages import MARKER, MessageError, attach_audio, message_skeleton

# one config of each task shape in the registry
BY_SHAPE = {
    "label": "speech.gender_recognition",
    "transcribe": "speech.asr",
    "synthesize": "speech.tts",
    "condition": "speech.zero_shot_tts",
    "compare": "speech.speaker_verification",
    "timeline": "speech.speaker_diarization",
    "simulate": "speech.denoising",
}


def examples(config: str, n: int = 4, decode: bool = True) -> list[dict]:
    ds = AudioFlan(config_name=config).as_streaming_dataset(split="train")
    return list(itertools.islice(ds if decode else ds.decode(False), n))


def rebuild(content: list[dict], ids: list[str]) -> str:
    """The turn's text with each audio part put back as its marker (the ids in the order given)."""
    ids = iter(ids)
    return "".join(
        p["text"] if p["type"] == "text" else audio_flan.features.AUDIO_MARK.format(next(ids)) for p in content
    )


def test_every_shape_in_the_registry_has_a_config_here():
    shapes = {task.shape for task in audio_flan.task_table().values()}
    assert shapes == set(BY_SHAPE)
    assert all(audio_flan.task_table()[c].shape == s for s, c in BY_SHAPE.items())


@pytest.mark.parametrize("shape", sorted(BY_SHAPE))
def test_messages_hold_every_audio_in_marker_order_and_the_exact_text(shape):
    for example in examples(BY_SHAPE[shape]):
        messages = audio_flan.to_messages(example)
        assert [m["role"] for m in messages] == ["user", "assistant"]
        user, assistant = messages[0]["content"], messages[1]["content"]
        user_text = example["instruction"] + "\n" + example["input"]
        assert rebuild(user, MARKER.findall(user_text)) == user_text
        assert rebuild(assistant, MARKER.findall(example["output"])) == example["output"]
        # the audio parts are the example's own values, in order: inputs in the user turn, outputs in the answer
        assert [p["audio"] for p in user if p["type"] == "audio"] == example["input_audios"]
        assert all(a is b for a, b in zip([p["audio"] for p in user if p["type"] == "audio"], example["input_audios"]))
        assert [p["audio"] for p in assistant if p["type"] == "audio"] == example["output_audios"]
        assert all(isinstance(a, LazyAudio) and not a.is_decoded for a in example["input_audios"])
        assert all(p["type"] in ("text", "audio") and set(p) in ({"type", "text"}, {"type", "audio"}) for p in user)


def test_generation_tasks_put_their_audio_in_the_assistant_turn():
    for config in ("speech.tts", "speech.zero_shot_tts", "speech.denoising"):
        for example in examples(config):
            user, assistant = (m["content"] for m in audio_flan.to_messages(example))
            out = [p for p in assistant if p["type"] == "audio"]
            assert out and len(out) == len(example["output_audios"])
            assert len([p for p in user if p["type"] == "audio"]) == len(example["input_audios"])
    for example in examples("speech.asr"):
        assert all(p["type"] == "text" for p in audio_flan.to_messages(example)[1]["content"])


def test_marker_order_is_the_order_of_the_audio_lists():
    example = {
        "id": "x",
        "instruction": "Which is louder?",
        "input": "first <|SOA|>b<|EOA|>, then\n<|SOA|>a\n<|EOA|>.",
        "output": "the first",
        "input_audios": [{"path": "/b.wav", "bytes": None}, {"path": "/a.wav", "bytes": None}],
        "output_audios": [],
    }
    user = audio_flan.to_messages(example, system_prompt="Be brief.")
    assert user[0] == {"role": "system", "content": [{"type": "text", "text": "Be brief."}]}
    assert user[1]["content"] == [
        {"type": "text", "text": "Which is louder?\nfirst "},
        {"type": "audio", "audio": {"path": "/b.wav", "bytes": None}},
        {"type": "text", "text": ", then\n"},
        {"type": "audio", "audio": {"path": "/a.wav", "bytes": None}},
        {"type": "text", "text": "."},
    ]
    paths = audio_flan.to_messages(example, audio="path")[0]["content"]
    assert [p["path"] for p in paths if p["type"] == "audio"] == ["/b.wav", "/a.wav"]


def test_audio_modes_array_and_path_and_undecoded_values():
    example = examples("speech.speaker_verification", 1, decode=False)[0]
    assert isinstance(example["input_audios"][0], dict)  # {"path", "bytes"} with decoding off
    parts = [p for p in audio_flan.to_messages(example, audio="array")[0]["content"] if p["type"] == "audio"]
    assert len(parts) == 2
    for part, value in zip(parts, example["input_audios"]):
        expected = audio_flan.decode_audio(value)
        assert part["sampling_rate"] == expected["sampling_rate"]
        np.testing.assert_array_equal(part["audio"], expected["array"])
    paths = [p["path"] for p in audio_flan.to_messages(example, audio="path")[0]["content"] if p["type"] == "audio"]
    assert paths == [v["path"] for v in example["input_audios"]]
    embedded = dict(example, input_audios=[{"path": None, "bytes": b"RIFF"}] * 2)
    with pytest.raises(MessageError, match="needs a file path"):
        audio_flan.to_messages(embedded, audio="path")
    with pytest.raises(ValueError, match="audio must be one of"):
        audio_flan.to_messages(example, audio="tensor")


def test_markers_and_audio_lists_that_disagree_are_an_error_naming_the_instance():
    example = examples("speech.asr", 1)[0]
    broken = dict(example, input_audios=[])
    with pytest.raises(MessageError, match=rf"{example['id']}.*1 audio marker\(s\) but input_audios holds 0"):
        audio_flan.to_messages(broken)


def test_the_map_form_keeps_audio_lazy_and_attaches_it_later():
    stream = AudioFlan(config_name="speech.zero_shot_tts").as_streaming_dataset(split="train")
    mapped = stream.map(audio_flan.messages_map, fn_kwargs={"system_prompt": "S"})
    for example in itertools.islice(mapped, 3):
        assert all(isinstance(a, LazyAudio) and not a.is_decoded for a in example["input_audios"])
        parts = [p for m in example["messages"] for p in m["content"] if p["type"] == "audio"]
        assert [p["audio_index"] for p in parts] == [0, 1]
        assert attach_audio(example["messages"], example) == audio_flan.to_messages(example, system_prompt="S")
        assert not any(a.is_decoded for a in example["input_audios"] + example["output_audios"])


def test_the_map_form_stores_in_arrow_and_reads_back_to_the_same_messages():
    rows = examples("speech.speaker_verification", 3, decode=False)
    table = datasets.Dataset.from_list([{k: r[k] for k in ("id", "instruction", "input", "output")} for r in rows]).map(
        lambda e: audio_flan.messages_map(dict(e, input_audios=[0, 0], output_audios=[]))
    )
    for stored, row in zip(table, rows):
        # datasets 3.x stores the parts as one struct (every key on every part, None where absent; attach_audio
        # drops those), 5.x as JSON: the same messages come back either way
        assert attach_audio(stored["messages"], row) == audio_flan.to_messages(row)
    assert message_skeleton(rows[0]) == audio_flan.messages_map(rows[0])["messages"]
