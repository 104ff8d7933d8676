"""Instances as chat messages, in the structure transformers' ``apply_chat_template`` takes for audio models.

An instance's text marks each audio as ``<|SOA|>audio id<|EOA|>``: the k-th marker of ``input`` is
``input_audios[k]`` and the k-th marker of ``output`` is ``output_audios[k]``. :func:`to_messages` turns it into

    [{"role": "system", "content": [{"type": "text", "text": SYSTEM}]},                  (only with system_prompt)
     {"role": "user", "content": [{"type": "text", "text": INSTRUCTION + "\\n" + text before the 1st marker},
                                  {"type": "audio", "audio": <input_audios[0]>},
                                  {"type": "text", "text": text between the markers}, ...]},
     {"role": "assistant", "content": [{"type": "text", "text": OUTPUT}]}]

The user turn holds the instruction, the input's text and its audios in marker order; the assistant turn holds
the output's text, or, for tasks whose output is audio (TTS, conversion, separation, enhancement...), its audio
parts in marker order. Putting every audio part back as its marker gives exactly ``instruction + separator +
input`` and ``output``: no text is lost or added. Empty text pieces are left out.

Audio parts carry the value under ``"audio"`` (the key the templates of Qwen2-Audio and others test for), as
``audio=`` says: ``"lazy"`` (default) the value as the example holds it (a ``LazyAudio``, read only when
touched, or ``{"path", "bytes"}`` with decoding off), ``"array"`` a decoded float32 array (with
``"sampling_rate"`` in the part), ``"path"`` the file path (under ``"path"`` too, for processors that load
files themselves).

For ``datasets.map``, :func:`messages_map` gives the messages with each audio part holding only its position
(``{"type": "audio", "audio_index": k}``, k counting over ``input_audios + output_audios``), so that nothing
audio is copied into the new column (Arrow cannot store a lazy value, and would decode it): the audio stays lazy
in its own columns, and :func:`attach_audio` puts it into the parts when the batch is made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from .features import LazyAudio, decode_audio

MARKER = re.compile(r"<\|SOA\|>(.*?)<\|EOA\|>", re.S)  # the release reader's pattern (features.AUDIO_MARK)
AUDIO_MODES = ("lazy", "array", "path")


class MessageError(ValueError):
    """An instance whose audio markers and audio lists do not agree."""


def split_markers(text: str) -> list[tuple[str, str]]:
    """``text`` as ("text", piece) and ("audio", id) items in order; empty text pieces left out."""
    items: list[tuple[str, str]] = []
    position = 0
    for match in MARKER.finditer(text):
        if match.start() > position:
            items.append(("text", text[position : match.start()]))
        items.append(("audio", match.group(1)))
        position = match.end()
    if position < len(text):
        items.append(("text", text[position:]))
    return items


def _parts(items: list[tuple[str, str]], first_index: int) -> list[dict]:
    parts: list[dict] = []
    index = first_index
    for kind, value in items:
        if kind == "text":
            parts.append({"type": "text", "text": value})
        else:
            parts.append({"type": "audio", "audio_index": index})
            index += 1
    return parts


def _check(example: Mapping, column: str, text: str, n_markers: int) -> None:
    have = len(example.get(column) or [])
    if have != n_markers:
        raise MessageError(
            f"instance {example.get('id', '?')} ({example.get('config', '?')}): its {column.split('_')[0]} text has "
            f"{n_markers} audio marker(s) but {column} holds {have} audio value(s); text: {text[:200]!r}"
        )


def message_skeleton(example: Mapping, system_prompt: Optional[str] = None, separator: str = "\n") -> list[dict]:
    """The messages with audio parts as positions (``{"type": "audio", "audio_index": k}``), nothing decoded."""
    instruction, input_text, output = example["instruction"], example.get("input") or "", example["output"]
    user_text = instruction + separator + input_text if input_text else instruction
    user_items = split_markers(user_text)
    output_items = split_markers(output)
    n_in = sum(kind == "audio" for kind, _ in user_items)
    n_out = sum(kind == "audio" for kind, _ in output_items)
    _check(example, "input_audios", user_text, n_in)
    _check(example, "output_audios", output, n_out)
    messages = []
    if system_prompt is not None:
        messages.append({"role": "system", "content": [{"type": "text", "text": system_prompt}]})
    messages.append({"role": "user", "content": _parts(user_items, 0)})
    messages.append({"role": "assistant", "content": _parts(output_items, n_in)})
    return messages


def _audio_part(value: Any, mode: str, example: Mapping) -> dict:
    if mode == "lazy":
        return {"type": "audio", "audio": value}
    if mode == "array":
        if isinstance(value, LazyAudio) or (isinstance(value, Mapping) and "array" in value):
            array, rate = value["array"], value["sampling_rate"]
        else:
            decoded = decode_audio(value)
            array, rate = decoded["array"], decoded["sampling_rate"]
        return {"type": "audio", "audio": array, "sampling_rate": rate}
    path = value.path if isinstance(value, LazyAudio) else (value.get("path") if isinstance(value, Mapping) else value)
    if not isinstance(path, str) or not path:
        raise MessageError(
            f'instance {example.get("id", "?")}: audio="path" needs a file path, but an audio value has none '
            '(audio embedded as bytes, e.g. read from Parquet); use audio="array" or "lazy"'
        )
    return {"type": "audio", "audio": path, "path": path}


def attach_audio(messages: Sequence[Mapping], example: Mapping, audio: str = "lazy") -> list[dict]:
    """Messages whose audio parts hold positions (from :func:`messages_map` or :func:`message_skeleton`) with
    the audio of ``example`` put in, as ``audio`` says ("lazy", "array" or "path"). Keys whose value is None
    (Arrow gives every part every key) are dropped, so templates that test ``'text' in part`` see the right parts."""
    if audio not in AUDIO_MODES:
        raise ValueError(f"audio must be one of {', '.join(AUDIO_MODES)}; got {audio!r}")
    values = list(example.get("input_audios") or []) + list(example.get("output_audios") or [])
    out = []
    for message in messages:
        content = []
        for part in message["content"]:
            part = {k: v for k, v in part.items() if v is not None}
            if part.get("type") == "audio" and "audio_index" in part:
                index = int(part.pop("audio_index"))
                if not 0 <= index < len(values):
                    raise MessageError(
                        f"instance {example.get('id', '?')}: an audio part refers to audio {index}, but the example "
                        f"holds {len(values)} (input_audios + output_audios)"
                    )
                part = _audio_part(values[index], audio, example)
            content.append(part)
        out.append({**{k: v for k, v in message.items() if v is not None}, "content": content})
    return out


def to_messages(
    example: Mapping, system_prompt: Optional[str] = None, audio: str = "lazy", separator: str = "\n"
) -> list[dict]:
    """The instance as chat messages (see the module docstring): a system turn when ``system_prompt`` is given,
    a user turn with the instruction, ``separator``, the input text and its audios in marker order, and an
    assistant turn with the output (text, or audio parts in marker order)."""
    return attach_audio(message_skeleton(example, system_prompt, separator), example, audio)


def messages_map(example: Mapping, system_prompt: Optional[str] = None, separator: str = "\n") -> dict:
    """``dataset.map(messages_map)`` (``fn_kwargs={"system_prompt": ...}`` for a system turn): adds a
    ``messages`` column whose audio parts hold positions; the audio stays lazy in ``input_audios`` and
    ``output_audios``. ``attach_audio(example["messages"], example, audio=...)`` gives what ``to_messages``
    gives."""
    return {"messages": message_skeleton(example, system_prompt, separator)}
