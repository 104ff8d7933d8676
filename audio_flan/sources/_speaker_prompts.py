"""Zero-shot TTS prompts drawn within a speaker: each record's ``prompt_audio`` is the next utterance of the same
speaker in id order, cyclically, so never the utterance itself (None for a speaker with one utterance, whom
zero-shot TTS then leaves out). Used by the parsers whose shards hold whole speakers (AISHELL-2, AISHELL-3,
KeSpeech), not a parser itself."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Record


def with_next_prompt(by_speaker: dict[str, list[dict]]) -> Iterator[Record]:
    """The records of each speaker (in speaker order, then id order), each with ``prompt_audio`` and
    ``prompt_audio_id`` of the speaker's next utterance."""
    for speaker in sorted(by_speaker):
        utterances = sorted(by_speaker[speaker], key=lambda r: r["id"])
        for k, record in enumerate(utterances):
            prompt = utterances[(k + 1) % len(utterances)]
            alone = prompt is record
            yield {
                **record,
                "prompt_audio": None if alone else prompt["audio"],
                "prompt_audio_id": None if alone else prompt["id"],
            }
