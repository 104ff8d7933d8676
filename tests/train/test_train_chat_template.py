"""apply_chat_template renders audio_flan.to_messages: a tokenizer with a chat template that knows audio parts,
built here (a tokenizers word-level model inside transformers' PreTrainedTokenizerFast; nothing downloaded)."""

from __future__ import annotations

import itertools

import pytest

transformers = pytest.importorskip("transformers", reason="needs the train extra: pip install 'audio-flan[train]'")
tokenizers = pytest.importorskip("tokenizers", reason="needs the train extra: pip install 'audio-flan[train]'")

import audio_flan  # noqa: E402
from audio_flan.builder import AudioFlan  # noqa: E402
from audio_flan.messages import MARKER  # noqa: E402

BY_SHAPE = {
    "label": "speech.gender_recognition",
    "transcribe": "speech.asr",
    "synthesize": "speech.tts",
    "condition": "speech.zero_shot_tts",
    "compare": "speech.speaker_verification",
    "timeline": "speech.speaker_diarization",
    "simulate": "speech.denoising",
}
SPECIAL = ["<|im_start|>", "<|im_end|>", "<|audio|>", "<unk>", "<pad>"]
TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'audio' %}{{ '<|audio|>' }}{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{{ '<|im_end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def word_level_tokenizer(texts: list[str]) -> transformers.PreTrainedTokenizerFast:
    split = tokenizers.pre_tokenizers.Sequence(
        [tokenizers.pre_tokenizers.WhitespaceSplit(), tokenizers.pre_tokenizers.Punctuation()]
    )
    words = sorted({w for t in texts for w, _ in split.pre_tokenize_str(t)})
    vocab = {token: i for i, token in enumerate(SPECIAL + words)}
    model = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab=vocab, unk_token="<unk>"))
    model.pre_tokenizer = split
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=model, unk_token="<unk>", pad_token="<pad>", additional_special_tokens=SPECIAL[:3]
    )
    tokenizer.chat_template = TEMPLATE
    return tokenizer


def first_examples(config: str, n: int = 3) -> list[dict]:
    return list(itertools.islice(AudioFlan(config_name=config).as_streaming_dataset(split="train"), n))


@pytest.fixture(scope="module")
def cases():
    return {shape: first_examples(config) for shape, config in BY_SHAPE.items()}


@pytest.fixture(scope="module")
def tokenizer(cases):
    texts = [e[k] for examples in cases.values() for e in examples for k in ("instruction", "input", "output")]
    return word_level_tokenizer(
        [MARKER.sub(" ", t) for t in texts] + ["You are a careful listener .", "system user assistant"]
    )


@pytest.mark.parametrize("shape", sorted(BY_SHAPE))
def test_apply_chat_template_renders_every_audio_in_place(shape, cases, tokenizer):
    for example in cases[shape]:
        messages = audio_flan.to_messages(example, system_prompt="You are a careful listener.")
        rendered = tokenizer.apply_chat_template(messages, tokenize=False)
        user = MARKER.sub("<|audio|>", example["instruction"] + "\n" + example["input"])
        answer = MARKER.sub("<|audio|>", example["output"])
        assert rendered == (
            "<|im_start|>system\nYou are a careful listener.<|im_end|>\n"
            f"<|im_start|>user\n{user}<|im_end|>\n"
            f"<|im_start|>assistant\n{answer}<|im_end|>\n"
        )
        ids = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"]
        audio_id = tokenizer.convert_tokens_to_ids("<|audio|>")
        assert ids.count(audio_id) == len(example["input_audios"]) + len(example["output_audios"])
        assert tokenizer.unk_token_id not in ids  # every word of the text made it through


def test_generation_tasks_render_their_audio_in_the_assistant_turn(cases, tokenizer):
    for shape in ("synthesize", "condition", "simulate"):
        for example in cases[shape]:
            rendered = tokenizer.apply_chat_template(audio_flan.to_messages(example), tokenize=False)
            assistant = rendered.split("<|im_start|>assistant\n", 1)[1]
            assert assistant.count("<|audio|>") == len(example["output_audios"]) >= 1
    for example in cases["label"]:
        rendered = tokenizer.apply_chat_template(audio_flan.to_messages(example), tokenize=False)
        assert "<|audio|>" not in rendered.split("<|im_start|>assistant\n", 1)[1]


def test_a_prompt_for_generation_ends_where_the_answer_starts(cases, tokenizer):
    example = cases["transcribe"][0]
    prompt = tokenizer.apply_chat_template(
        audio_flan.to_messages(example)[:-1], add_generation_prompt=True, tokenize=False
    )
    full = tokenizer.apply_chat_template(audio_flan.to_messages(example), tokenize=False)
    assert full.startswith(prompt) and full[len(prompt) :] == example["output"] + "<|im_end|>\n"
