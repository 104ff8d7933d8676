"""The one schema of every config, and an audio feature that needs neither torch nor torchcodec.

``Audio`` subclasses ``datasets.Audio`` so that Arrow and Parquet metadata still say ``Audio`` (the Hub
viewer and any ``datasets`` version see audio columns), but it encodes without reading the file and
decodes lazily with soundfile: the value it gives is a ``LazyAudio`` mapping whose samples are read on
first access of ``array`` or ``sampling_rate``. The same value comes back on datasets 3.6 and 5.x.

Besides a file, a value may be a region of a file or a recipe (``audio_flan.audio_values``): it is stored
inside the same ``{path, bytes}`` struct and rendered only when its samples are touched.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional

import datasets
import numpy as np

from . import audio_values
from .audio_values import AudioDecodeError, AudioValue  # noqa: F401  (AudioDecodeError: re-exported, its old home)

AUDIO_MARK = "<|SOA|>{}<|EOA|>"


def _read(
    path: Optional[str], data: Optional[bytes], sampling_rate: Optional[int], mono: bool
) -> tuple[np.ndarray, int]:
    return audio_values.decode(path, data, sampling_rate, mono)


def decode_audio(value: Any, sampling_rate: Optional[int] = None, mono: bool = True) -> dict:
    """Decode an undecoded audio value (``{"path", "bytes"}``, a path, bytes, or a region or recipe of
    ``audio_flan.audio_values``) to ``{"path", "array", "sampling_rate"}``, with soundfile (rendering a region
    or recipe) and, when asked, soxr resampling.

    For users who turned decoding off (``.decode(False)``, ``cast_column(..., Audio(decode=False))``) or who
    read the Parquet files without this package's features.
    """
    if isinstance(value, AudioValue):
        value = value.to_storage()
    if isinstance(value, LazyAudio):
        value = {"path": value.path, "bytes": value.bytes}
    if isinstance(value, str):
        value = {"path": value, "bytes": None}
    elif isinstance(value, (bytes, bytearray)):
        value = {"path": None, "bytes": bytes(value)}
    array, rate = _read(value.get("path"), value.get("bytes"), sampling_rate, mono)
    return {"path": value.get("path"), "array": array, "sampling_rate": rate}


class LazyAudio(Mapping):
    """A decoded audio value that reads its samples only when ``array`` or ``sampling_rate`` is touched.

    It behaves like the dict ``{"path", "array", "sampling_rate"}`` that ``datasets`` 3.x gives, on every
    ``datasets`` version. It never compares equal to the stored ``{"path", "bytes"}`` value: ``datasets``
    decodes a list of audios only when decoding its first element changes it.
    """

    __slots__ = ("path", "bytes", "_target_rate", "_mono", "_decoded")
    _KEYS = ("path", "array", "sampling_rate")

    def __init__(
        self, path: Optional[str], data: Optional[bytes], sampling_rate: Optional[int] = None, mono: bool = True
    ):
        self.path = path
        self.bytes = data
        self._target_rate = sampling_rate
        self._mono = mono
        self._decoded: Optional[tuple[np.ndarray, int]] = None

    def _load(self) -> tuple[np.ndarray, int]:
        if self._decoded is None:
            self._decoded = _read(self.path, self.bytes, self._target_rate, self._mono)
        return self._decoded

    @property
    def array(self) -> np.ndarray:
        return self._load()[0]

    @property
    def sampling_rate(self) -> int:
        return self._load()[1]

    @property
    def is_decoded(self) -> bool:
        return self._decoded is not None

    def __getitem__(self, key: str):
        if key == "path":
            return self.path
        if key == "array":
            return self.array
        if key == "sampling_rate":
            return self.sampling_rate
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        state = f"{self.array.shape[-1]} samples at {self.sampling_rate} Hz" if self.is_decoded else "not read yet"
        return f"LazyAudio(path={self.path!r}, {state})"


@dataclass(repr=False)
class Audio(datasets.Audio):
    """``datasets.Audio`` without torch: paths and bytes are stored as given, decoding is lazy and uses soundfile."""

    def __repr__(self) -> str:
        return f"audio_flan.Audio(sampling_rate={self.sampling_rate}, decode={self.decode})"

    def encode_example(self, value: Any) -> Optional[dict]:
        if value is None:
            return None
        if isinstance(value, str):
            return {"path": value, "bytes": None}
        if isinstance(value, (bytes, bytearray)):
            return {"path": None, "bytes": bytes(value)}
        if isinstance(value, LazyAudio):
            return {"path": value.path, "bytes": value.bytes}
        if isinstance(value, AudioValue):
            return value.to_storage()
        if isinstance(value, Mapping):
            if value.get("bytes") is not None or value.get("path") is not None and "array" not in value:
                return {"path": value.get("path"), "bytes": value.get("bytes")}
            if "array" in value:
                import soundfile as sf

                buffer = io.BytesIO()
                array = np.asarray(value["array"], dtype=np.float32)
                sf.write(
                    buffer,
                    array.T if array.ndim == 2 else array,
                    int(value["sampling_rate"]),
                    format="WAV",
                    subtype="PCM_16",
                )
                return {"path": value.get("path"), "bytes": buffer.getvalue()}
        raise ValueError(
            f"an audio value must be a path, bytes, a region or recipe, or a dict with path/bytes or array/sampling_rate; got {type(value).__name__}"
        )

    def _mono(self) -> bool:
        if getattr(self, "num_channels", None) not in (None, 1):  # datasets >= 4
            return False
        return getattr(self, "mono", True)  # datasets 3.x

    def decode_example(self, value: dict, token_per_repo_id=None) -> LazyAudio:
        if not self.decode:
            raise RuntimeError("decoding is disabled for this Audio feature; use audio_flan.decode_audio on the value")
        return LazyAudio(value.get("path"), value.get("bytes"), self.sampling_rate, self._mono())


AUDIO_COLUMNS = ("input_audios", "output_audios")


def make_features(sampling_rate: Optional[int] = None) -> datasets.Features:
    """The schema shared by all 80 configs, so that any of them can be interleaved or concatenated."""
    return datasets.Features(
        {
            "id": datasets.Value("string"),
            "config": datasets.Value("string"),
            "domain": datasets.Value("string"),
            "instruction": datasets.Value("string"),
            "input": datasets.Value("string"),
            "output": datasets.Value("string"),
            "input_audios": [Audio(sampling_rate=sampling_rate)],
            "output_audios": [Audio(sampling_rate=sampling_rate)],
            "source": datasets.Value("string"),
            "language": [datasets.Value("string")],
            "metadata": datasets.Value("string"),
        }
    )
