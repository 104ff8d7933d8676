"""Decoding the audio of container files soundfile cannot read (m4a, mp4, webm, ...) through PyAV, an optional
extra: ``pip install 'audio-flan[video]'``.

Clips that users download from YouTube for the YouTube-keyed corpora (AudioSet, AudioCaps, VGGSound, MusicCaps)
often stay in the container the downloader chose: AAC in ``.m4a``/``.mp4``, Opus or Vorbis in ``.webm``.
libsndfile reads none of these. :func:`is_container` says, by file name or by the first bytes, whether a file
needs PyAV; :func:`read` decodes one.

The whole audio stream is decoded from its start (these clips are seconds long) and a region is cut from the
samples, so a region is the same samples whether or not the container could seek to it exactly. Samples are
float32 (channels, samples) at the stream's own rate, as soundfile gives them for other files. Decoding is
deterministic for one FFmpeg build (the one PyAV's wheel bundles): the same file gives the same array. Lossy
codecs add encoder delay and padding, so a clip's length may differ from the original's by a codec frame.
"""

from __future__ import annotations

import io
import os
from typing import Any, BinaryIO, Optional, Union

import numpy as np

#: file name endings of containers whose audio soundfile cannot decode
SUFFIXES = (".m4a", ".mp4", ".m4v", ".mov", ".aac", ".webm", ".mkv", ".mka")
EXTRA = "video"
INSTALL = f"pip install 'audio-flan[{EXTRA}]'"


class MissingExtraError(ImportError):
    """A file that needs PyAV, in an environment without it: the message names the extra to install."""


class ContainerDecodeError(RuntimeError):
    """A container whose audio PyAV cannot decode (the message names the file)."""


def is_container(name: Optional[str] = None, head: bytes = b"") -> bool:
    """Whether a file needs PyAV: by its name's ending, or by its first bytes (an ISO-BMFF ``ftyp`` box, as in
    m4a/mp4/mov, or the EBML header of webm/mkv)."""
    if name and os.path.splitext(name.split("#", 1)[0])[1].lower() in SUFFIXES:
        return True
    return head[4:8] == b"ftyp" or head[:4] == b"\x1a\x45\xdf\xa3"


def _av() -> Any:
    try:
        import av
    except ImportError:
        raise MissingExtraError(
            f"decoding m4a/mp4/webm audio needs PyAV, which is not installed; install the extra: {INSTALL}"
        ) from None
    return av


def _decode(av: Any, source: Union[str, BinaryIO], where: str) -> tuple[np.ndarray, int]:
    chunks: list[np.ndarray] = []
    rate = 0
    try:
        with av.open(source, mode="r") as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise ContainerDecodeError(f"cannot decode audio {where}: the file holds no audio stream")
            resampler = None
            for frame in container.decode(stream):
                if resampler is None:  # planar float32 at the stream's own rate and channel layout
                    rate = frame.sample_rate
                    resampler = av.AudioResampler(format="fltp", layout=frame.layout, rate=rate)
                chunks.extend(out.to_ndarray() for out in resampler.resample(frame))
            if resampler is not None:
                chunks.extend(out.to_ndarray() for out in resampler.resample(None))
    except ContainerDecodeError:
        raise
    except Exception as err:  # PyAV raises its own error types (av.error.*), and OSError for unreadable files
        raise ContainerDecodeError(f"cannot decode audio {where}: {err}") from err
    if not chunks:
        raise ContainerDecodeError(f"cannot decode audio {where}: it holds no samples")
    array = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    if not np.isfinite(array).all():
        raise ContainerDecodeError(f"cannot decode audio {where}: it holds NaN or infinite samples")
    return array, int(rate)


def read(
    path: Optional[str] = None,
    offset: float = 0.0,
    duration: Optional[float] = None,
    data: Optional[bytes] = None,
) -> tuple[np.ndarray, int]:
    """float32 samples (channels, samples) and the rate of a container file at ``path`` (or held in ``data``),
    or of the region [offset, offset + duration) of it. A region not inside the audio is an error."""
    av = _av()
    where = path or "<embedded bytes>"
    array, rate = _decode(av, io.BytesIO(data) if data is not None else str(path), where)
    start = round(offset * rate)
    stop = array.shape[1] if duration is None else round((offset + duration) * rate)
    if not 0 <= start <= stop <= array.shape[1]:
        raise ContainerDecodeError(
            f"cannot decode audio {where}: region {offset} s + {duration} s is not inside its "
            f"{array.shape[1] / rate:.3f} s"
        )
    return np.ascontiguousarray(array[:, start:stop]), rate
