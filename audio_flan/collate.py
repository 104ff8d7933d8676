"""A collator for batches of Audio-FLAN examples: decoded audio resampled, padded and masked, plus the text.

``AudioCollator(sampling_rate=16000)(examples)`` takes a list of examples (from a stream, a mixture or a
``DataLoader``) and gives one dict of numpy arrays:

- ``audio``: every audio of the batch, in conversation order (each example's ``input_audios`` then its
  ``output_audios``, the order of the audio parts of :func:`audio_flan.to_messages`), mono, resampled to
  ``sampling_rate`` with soxr where needed, right-padded with zeros to the longest (or to a multiple of
  ``pad_to_multiple_of``): float32 ``(A, T)``, or int16 with ``transfer="int16"`` (see below);
- ``audio_lengths`` (int64 ``(A,)``, samples), ``audio_attention_mask`` (bool ``(A, T)``, True on samples);
- ``audio_example`` (int64 ``(A,)``: the row of the example each audio belongs to) and ``audio_is_output``
  (bool ``(A,)``: True for an output audio, i.e. a target of a generation task);
- the text columns present (``id``, ``config``, ``instruction``, ``input``, ``output``, ``messages``) as lists;
- ``num_cropped`` and ``num_dropped`` (this batch's counts) and ``dropped_ids``.

Audio values may be ``LazyAudio`` (read here, at the collator's rate, in the process that collates: a DataLoader
worker), ``{"path", "bytes"}`` (decoding turned off) or already decoded ``{"array", "sampling_rate"}``.

Long audio. With ``max_seconds``, an audio longer than that is handled as ``too_long`` says: ``"crop"``
(default) keeps its first ``max_seconds`` (counted in ``num_cropped``); ``"drop"`` leaves the whole example out
of the batch (counted in ``num_dropped``, its id in ``dropped_ids``; a batch may then hold fewer examples, or
none). The collator also keeps running totals in ``stats`` (per process: with DataLoader workers, add up the
per-batch counts in the training loop instead).

Transfer. A batch is a :class:`Batch` (a dict) that pickles its padded audio packed, without padding or mask:
with DataLoader workers the main process receives the same batch for far fewer bytes. ``transfer="int16"`` gives the padded audio as 16-bit PCM (half the bytes to move from a worker to the
main process; exact for 16-bit sources at their own rate, within 1/32768 otherwise); :func:`to_float32` turns
it back. ``return_tensors="pt"`` gives torch tensors (torch is imported only then). The defaults (numpy, float32)
are the fastest correct choice measured in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

import numpy as np

from .features import LazyAudio, decode_audio

TOO_LONG = ("crop", "drop")
TRANSFERS = ("float32", "int16")
RETURN_TENSORS = ("np", "pt")
TEXT_COLUMNS = ("id", "config", "instruction", "input", "output", "messages")
AUDIO_COLUMNS = ("input_audios", "output_audios")
INT16_SCALE = 32768.0


class CollateError(ValueError):
    """An example whose audio cannot be collated."""


def _as_mono(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=np.float32)
    if array.ndim == 2:  # (channels, samples), as LazyAudio gives with mono=False
        array = array.mean(axis=0)
    if array.ndim != 1:
        raise CollateError(f"audio must be 1-D (samples) or 2-D (channels, samples); got shape {array.shape}")
    return array


def load_samples(value: Any, sampling_rate: int) -> np.ndarray:
    """One audio value as mono float32 samples at ``sampling_rate``."""
    if isinstance(value, LazyAudio):
        if not value.is_decoded:  # read straight at the target rate: nothing cached, no second resampling
            return _as_mono(decode_audio(value, sampling_rate=sampling_rate)["array"])
        array, rate = value.array, value.sampling_rate
    elif isinstance(value, Mapping) and value.get("array") is not None:
        array, rate = value["array"], int(value["sampling_rate"])
    else:  # {"path", "bytes"}, a path, or bytes
        return _as_mono(decode_audio(value, sampling_rate=sampling_rate)["array"])
    array = _as_mono(array)
    if rate != sampling_rate:
        import soxr

        array = soxr.resample(array, rate, sampling_rate, quality="HQ").astype(np.float32, copy=False)
    return array


class Batch(dict):
    """A collated batch: a plain dict of its columns, which travels light between processes. Pickled (as a
    DataLoader worker sends it to the main process), its padded numpy audio goes packed, the samples of each audio
    one after the other, without the padding and without the attention mask, which the receiving side rebuilds
    from the lengths: the same batch arrives, with a fraction of the bytes through the pipe
    (``benchmarks/RESULTS.md``). Tensors (``return_tensors="pt"``) are left to torch's own sharing."""

    def __reduce__(self):
        state = dict(self)
        audio, lengths = state.get("audio"), state.get("audio_lengths")
        if not (isinstance(audio, np.ndarray) and audio.ndim == 2 and isinstance(lengths, np.ndarray)):
            return (Batch, (state,))
        packed = np.concatenate([audio[i, :n] for i, n in enumerate(lengths)]) if len(lengths) else audio.reshape(-1)
        state["audio"] = None
        mask = state.pop("audio_attention_mask", None) is not None
        return (_unpack, (state, packed, audio.shape[1], mask))


def _unpack(state: dict, packed: np.ndarray, width: int, mask: bool) -> Batch:
    lengths = state["audio_lengths"]
    audio = np.zeros((len(lengths), width), dtype=packed.dtype)
    start = 0
    for i, n in enumerate(lengths):
        audio[i, :n] = packed[start : start + n]
        start += n
    state["audio"] = audio
    if mask:
        state["audio_attention_mask"] = np.arange(width)[None, :] < lengths[:, None]
    return Batch(state)


def to_float32(batch: dict) -> dict:
    """A batch made with ``transfer="int16"`` with its ``audio`` back as float32 in [-1, 1) (in place; numpy or
    torch)."""
    audio = batch["audio"]
    if isinstance(audio, np.ndarray):
        if audio.dtype == np.int16:
            batch["audio"] = audio.astype(np.float32) / INT16_SCALE
    elif str(getattr(audio, "dtype", "")) == "torch.int16":
        batch["audio"] = audio.float().div_(INT16_SCALE)
    return batch


class AudioCollator:
    """Collate Audio-FLAN examples into padded audio and text (see the module docstring).

    ``text_fn``, if given, is called with the kept examples and its mapping is merged into the batch (e.g. a
    tokenizer's output, so that tokenising also happens in the DataLoader workers)."""

    def __init__(
        self,
        sampling_rate: int = 16000,
        max_seconds: Optional[float] = None,
        too_long: str = "crop",
        pad_to_multiple_of: Optional[int] = None,
        transfer: str = "float32",
        return_tensors: str = "np",
        text_fn: Optional[Callable[[list[Mapping]], Mapping[str, Any]]] = None,
    ):
        if not isinstance(sampling_rate, int) or isinstance(sampling_rate, bool) or sampling_rate <= 0:
            raise ValueError(f"sampling_rate must be a positive int, got {sampling_rate!r}")
        if max_seconds is not None and not max_seconds > 0:
            raise ValueError(f"max_seconds must be > 0, got {max_seconds!r}")
        if too_long not in TOO_LONG:
            raise ValueError(f"too_long must be one of {', '.join(TOO_LONG)}; got {too_long!r}")
        if transfer not in TRANSFERS:
            raise ValueError(f"transfer must be one of {', '.join(TRANSFERS)}; got {transfer!r}")
        if return_tensors not in RETURN_TENSORS:
            raise ValueError(f"return_tensors must be one of {', '.join(RETURN_TENSORS)}; got {return_tensors!r}")
        if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
            raise ValueError(f"pad_to_multiple_of must be >= 1, got {pad_to_multiple_of!r}")
        self.sampling_rate = sampling_rate
        self.max_seconds = max_seconds
        self.too_long = too_long
        self.pad_to_multiple_of = pad_to_multiple_of
        self.transfer = transfer
        self.return_tensors = return_tensors
        self.text_fn = text_fn
        self.stats = {"batches": 0, "examples": 0, "audios": 0, "cropped": 0, "dropped": 0}

    @property
    def max_samples(self) -> Optional[int]:
        return None if self.max_seconds is None else int(round(self.max_seconds * self.sampling_rate))

    def _example_audio(self, example: Mapping) -> list[tuple[np.ndarray, bool]]:
        out = []
        for column in AUDIO_COLUMNS:
            for value in example.get(column) or []:
                if value is None:
                    raise CollateError(f"instance {example.get('id', '?')}: {column} holds a missing (None) audio")
                try:
                    out.append((load_samples(value, self.sampling_rate), column == "output_audios"))
                except CollateError as err:
                    raise CollateError(f"instance {example.get('id', '?')}, {column}: {err}") from err
        return out

    def __call__(self, examples: Sequence[Mapping]) -> dict:
        limit = self.max_samples
        kept: list[Mapping] = []
        audios: list[tuple[np.ndarray, bool, int]] = []
        cropped = 0
        dropped_ids: list[str] = []
        for example in examples:
            loaded = self._example_audio(example)
            if limit is not None and any(a.shape[0] > limit for a, _ in loaded):
                if self.too_long == "drop":
                    dropped_ids.append(str(example.get("id", "?")))
                    continue
                cropped += sum(a.shape[0] > limit for a, _ in loaded)
                loaded = [(a[:limit], is_output) for a, is_output in loaded]
            row = len(kept)
            kept.append(example)
            audios.extend((a, is_output, row) for a, is_output in loaded)

        lengths = np.array([a.shape[0] for a, _, _ in audios], dtype=np.int64)
        width = int(lengths.max()) if len(lengths) else 0
        if self.pad_to_multiple_of and width % self.pad_to_multiple_of:
            width += self.pad_to_multiple_of - width % self.pad_to_multiple_of
        dtype = np.int16 if self.transfer == "int16" else np.float32
        padded = np.zeros((len(audios), width), dtype=dtype)
        for i, (a, _, _) in enumerate(audios):
            if dtype is np.int16:
                padded[i, : a.shape[0]] = np.clip(np.rint(a * INT16_SCALE), -32768, 32767)
            else:
                padded[i, : a.shape[0]] = a
        batch = Batch(
            {
                "audio": padded,
                "audio_lengths": lengths,
                "audio_attention_mask": np.arange(width)[None, :] < lengths[:, None],
                "audio_example": np.array([row for _, _, row in audios], dtype=np.int64),
                "audio_is_output": np.array([is_output for _, is_output, _ in audios], dtype=bool),
                "sampling_rate": self.sampling_rate,
            }
        )
        for column in TEXT_COLUMNS:
            if kept and all(column in e for e in kept):
                batch[column] = [e[column] for e in kept]
        batch["num_cropped"] = cropped
        batch["num_dropped"] = len(dropped_ids)
        batch["dropped_ids"] = dropped_ids
        if self.text_fn is not None:
            batch.update(self.text_fn(kept))
        self.stats["batches"] += 1
        self.stats["examples"] += len(kept)
        self.stats["audios"] += len(audios)
        self.stats["cropped"] += cropped
        self.stats["dropped"] += len(dropped_ids)
        if self.return_tensors == "pt":
            batch = to_torch(batch)
        return batch


def to_torch(batch: dict) -> Batch:
    """The batch's numpy arrays as torch tensors (without copying). Only here is torch imported."""
    import torch

    return Batch({k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in batch.items()})
