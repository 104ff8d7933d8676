"""Audio values that are not a whole file: a *region* of a file, or a *recipe* (audio computed from other audio
values: a mixture at an SNR, a convolution with an impulse response, clipping, band-limiting, a gap, a crop, a
sum of stems). Both are lazy: nothing is read until the samples are touched.

Values: :class:`File` and :class:`Region` are leaves; :class:`Mix`, :class:`Reverb`, :class:`Clip`,
:class:`BandLimit`, :class:`Gap`, :class:`Crop` and :class:`Sum` are recipes over other values. Paths are
absolute local paths. Times are in seconds; a time t falls on sample ``round(t * rate)``.

Storage. ``datasets`` stores audio as ``{"path": string, "bytes": binary}``. A region or recipe is stored as
``bytes`` = :data:`MAGIC` followed by the value as canonical JSON (UTF-8, sorted keys), and ``path`` = None for
a recipe or ``"<file>#t=<start>,<end>"`` (a W3C media fragment, not an openable file) for a region. The magic
line is not the start of any audio format, so a reader that does not know it (soundfile, the stock
``datasets.Audio``) fails loudly instead of playing the wrong audio. Publish with :func:`to_export_bytes` (what
``audio-flan export`` embeds): it replaces each one with the rendered audio as FLAC, so the Hub and its viewer
never see one. (``datasets``' own ``push_to_hub`` embeds with the stock ``Audio``, rebuilt from the Arrow schema,
and would upload the JSON as it is.) A :class:`File` is stored as a
plain path, as before. The JSON survives the Arrow cache unchanged, on every ``datasets`` version.

Rendering. A recipe renders in mono at the rate of its first input (the clean signal, the source, the first
stem); its other inputs are downmixed (an impulse response: one channel of it, never a mean) and resampled
to that rate with soxr. It computes on float32 samples (as
soundfile reads them; convolutions run in float64) and gives float32. Rendering is deterministic: same value, same files, same library versions → the same array. A region
keeps its channels; decoding downmixes unless the feature asks for several channels.

Export (:func:`to_export_bytes`): a file is embedded as its own bytes; a region or recipe as FLAC, 16-bit when
every file it reads is at most 16-bit PCM (so a region of a 16-bit file is bit-exact), otherwise (24-bit, 32-bit,
float or lossy sources) 24-bit, FLAC's widest. Samples beyond full scale are clipped by the PCM conversion, with
a :class:`ClippedRenderWarning`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import numbers
import os
import stat
import threading
import warnings
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Optional, Union

import numpy as np

from . import dsp, video_decode

MAGIC = b"audio-flan value v1\n"

# soundfile subtypes of at most 16 bits per sample; every other source is exported at 24 bits
_SUBTYPES_16 = frozenset(
    (
        "PCM_S8",
        "PCM_U8",
        "PCM_16",
        "ULAW",
        "ALAW",
        "DPCM_8",
        "DPCM_16",
        "DWVW_12",
        "DWVW_16",
        "IMA_ADPCM",
        "MS_ADPCM",
        "VOX_ADPCM",
        "G721_32",
        "G723_24",
        "G723_40",
        "GSM610",
        "NMS_ADPCM_16",
        "NMS_ADPCM_24",
        "NMS_ADPCM_32",
        "ALAC_16",
    )
)


# subtypes decoded from integers (scaled into [-1, 1]): they cannot hold NaN or infinite samples, so their reads
# skip that check (a pass over every sample); float and lossy subtypes are checked
_SUBTYPES_INTEGER = _SUBTYPES_16 | frozenset(("PCM_24", "PCM_32", "ALAC_20", "ALAC_24", "ALAC_32", "DWVW_24"))


class AudioDecodeError(RuntimeError):
    """An audio file, buffer or value that cannot be read or rendered."""


class AudioValueError(ValueError):
    """A region or recipe that is malformed (bad JSON, a missing field, a value out of range)."""


class ClippedRenderWarning(UserWarning):
    """Rendered audio went beyond full scale and was clipped when written as PCM."""


# -- reading files ------------------------------------------------------------------------------------------


class _Bounded:
    """The last ``entries`` items put (the oldest dropped first), shared by the threads of a process."""

    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            return self._items.get(key)

    def take(self, key: Any) -> Any:
        """The item, removed (None when there is none)."""
        with self._lock:
            return self._items.pop(key, None)

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class _RecentReads(_Bounded):
    """The last few file reads of this process, so that a pair's input recipe and its output (the same clean
    file, touched one after the other) read the file once. Keyed by path, span and the file's inode, size and
    modification time, so a rewritten file is read again; arrays are held read-only, and callers copy before
    handing one out. Reads larger than :data:`CACHE_ENTRY_BYTES` are not kept."""

    def __init__(self, entries: int, entry_bytes: int):
        super().__init__(entries)
        self.entry_bytes = entry_bytes

    def get(self, key: tuple) -> Optional[tuple[np.ndarray, int]]:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, value: tuple[np.ndarray, int]) -> None:
        array = value[0]
        if array.nbytes > self.entry_bytes or not self.entries:
            return
        array.flags.writeable = False
        super().put(key, value)


CACHE_ENTRIES = 4
CACHE_ENTRY_BYTES = 16 * 2**20  # 87 s of mono float32 at 48 kHz
_recent = _RecentReads(CACHE_ENTRIES, CACHE_ENTRY_BYTES)


HEADER_BYTES = 1 << 16  # where a WAV's data chunk or a FLAC's STREAMINFO must start


def _require_regular(path: str) -> os.stat_result:
    """A named pipe or a device would block or never end: only regular files are audio. Returns the file's
    status."""
    try:
        status = os.stat(path)
    except OSError as err:
        raise AudioDecodeError(f"cannot decode audio {path}: {err.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise AudioDecodeError(f"cannot decode audio {path}: not a regular file")
    return status


def _check_samples(where: str, array: np.ndarray, head: bytes, finite: bool = False) -> None:
    """Audio with no samples, fewer frames than its header declares (a truncated file: libsndfile quietly reads
    what is there), or NaN/infinite samples is an error, not data. ``finite``: the samples were decoded from
    integers, so they are known to be finite."""
    frames = array.shape[0]
    declared = _declared_frames(head)
    if declared is not None and frames < declared:
        raise AudioDecodeError(
            f"cannot decode audio {where}: truncated, {frames} of the {declared} frames its header declares"
        )
    if frames == 0:
        raise AudioDecodeError(f"cannot decode audio {where}: it holds no samples")
    if not finite and not np.isfinite(array).all():
        raise AudioDecodeError(f"cannot decode audio {where}: it holds NaN or infinite samples")


def _declared_frames(head: bytes) -> Optional[int]:
    """The frame count a WAV (RIFF) or FLAC header (the file's first bytes) declares, or None when it says none
    (streamed files) or is another format."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        block_align, at = None, 12
        while at + 8 <= len(head):
            chunk, size = head[at : at + 4], int.from_bytes(head[at + 4 : at + 8], "little")
            if chunk == b"fmt " and at + 22 <= len(head):
                block_align = int.from_bytes(head[at + 20 : at + 22], "little")
            elif chunk == b"data":
                if not block_align or size in (0, 0xFFFFFFFF):
                    return None
                return size // block_align
            at += 8 + size + (size & 1)
        return None
    if head[:4] == b"fLaC" and len(head) >= 26 and head[4] & 0x7F == 0:  # STREAMINFO comes first
        info = head[8:42]
        total = int.from_bytes(info[13:18], "big") & 0xFFFFFFFFF  # the low 36 bits
        return total or None
    return None


def read_file(
    path: str, offset: float = 0.0, duration: Optional[float] = None, keep: bool = True
) -> tuple[np.ndarray, int]:
    """Samples of a file, or of the region [offset, offset + duration) of it, as float32 (channels, samples).

    Only the region is read: soundfile seeks to its first frame and reads its frames. A region that does not
    lie inside the file is an error naming the file. The array may be read-only (shared with a recent read of
    the same span): copy it before handing it out. ``keep=False``: a new read is not kept among the recent reads,
    so it stays writable and the caller's own (a pair's clean half, handed out without a copy).
    """
    import soundfile as sf

    status = _require_regular(path)
    try:
        key = (path, offset, duration, status.st_ino, status.st_size, status.st_mtime_ns)
        hit = _recent.get(key)
        if hit is not None:
            return hit
        if video_decode.is_container(path):  # m4a/mp4/webm: through PyAV (the `video` extra)
            array, rate = _read_container(path, offset, duration)
            _recent.put(key, (array, rate))
            return array, rate
        # one open for the samples and, for a whole file, the header bytes the truncation check reads
        fd = os.open(path, os.O_RDONLY)
        try:
            with sf.SoundFile(fd, closefd=False) as f:
                rate = f.samplerate
                start = round(offset * rate)
                stop = f.frames if duration is None else round((offset + duration) * rate)
                if not 0 <= start <= stop <= f.frames:
                    raise AudioDecodeError(
                        f"cannot decode audio {path}: region {offset} s + {duration} s is not inside its "
                        f"{f.frames / rate:.3f} s"
                    )
                if start:
                    f.seek(start)
                subtype = f.subtype
                array = _read_float32(f, stop - start, subtype)
                finite = subtype in _SUBTYPES_INTEGER
            head = _header_bytes(fd) if start == 0 and duration is None else b""
        finally:
            os.close(fd)
    except (AudioDecodeError, video_decode.MissingExtraError):
        raise
    except Exception as err:  # soundfile raises several types; say which file whatever it was
        raise AudioDecodeError(f"cannot decode audio {path}: {err}") from err
    if array.shape[0] != stop - start:
        raise AudioDecodeError(f"cannot decode audio {path}: read {array.shape[0]} frames of {stop - start}")
    if start == 0 and duration is None:  # the whole file: is it all there, and audio?
        _check_samples(path, array, head, finite)
    elif not finite and not np.isfinite(array).all():
        raise AudioDecodeError(f"cannot decode audio {path}: it holds NaN or infinite samples")
    array = array.T
    if keep:
        _recent.put(key, (array, int(rate)))
    return array, int(rate)


_PCM_16_SCALE = np.float32(2.0**-15)


def _read_float32(f: Any, frames: int, subtype: str) -> np.ndarray:
    """``frames`` frames of an open ``soundfile.SoundFile`` as float32 (frames, channels), as
    ``f.read(dtype="float32")`` gives them. 16-bit PCM is read as int16 and scaled by 2**-15 with numpy: libsndfile
    does the same product (an int16 times a power of two is exact in float32, so the floats are identical), but
    its conversion loop costs about twice numpy's."""
    if subtype != "PCM_16":
        return f.read(frames, dtype="float32", always_2d=True)
    shape = (frames, f.channels)
    scratch = _scratch.int16(shape[0] * shape[1])
    if scratch is None:
        raw = f.read(frames, dtype="int16", always_2d=True)
    else:
        raw = f.read(frames, dtype="int16", always_2d=True, out=scratch.reshape(shape))
    array = raw.astype(np.float32)
    array *= _PCM_16_SCALE
    return array


class _Scratch(threading.local):
    """A buffer per thread for the int16 samples of a read. Allocating and freeing one per read (half a megabyte
    for 6 s at 48 kHz) made glibc hand the heap back and fault it in again, read after read: a third of a denoising
    pair's decoding time in ``benchmarks/simulate.py``."""

    LIMIT = 1 << 21  # samples (4 MB of int16; 43 s of mono 48 kHz): longer reads allocate their own

    def __init__(self) -> None:
        self.buffer = np.empty(0, np.int16)

    def int16(self, size: int) -> Optional[np.ndarray]:
        if size > self.LIMIT:
            return None
        if self.buffer.size < size:
            self.buffer = np.empty(size, np.int16)
        return self.buffer[:size]


_scratch = _Scratch()


_FIRST_HEADER_BYTES = 1 << 12  # a WAV's data chunk or a FLAC's STREAMINFO is nearly always in the first 4 KB


def _header_bytes(fd: int) -> bytes:
    """The first bytes of a file, as many as the truncation check needs: 4 KB when they hold the declared frame
    count, else :data:`HEADER_BYTES` (the same answer as reading 64 KB every time, at a sixteenth of the copy)."""
    head = os.pread(fd, _FIRST_HEADER_BYTES, 0)
    if len(head) < _FIRST_HEADER_BYTES or _declared_frames(head) is not None:
        return head
    return os.pread(fd, HEADER_BYTES, 0)


def file_info(path: str) -> tuple[int, int]:
    """(frames, rate) of an audio file, as :func:`read_file` would decode it (see :func:`file_layout`)."""
    frames, rate, _ = file_layout(path)
    return frames, rate


def file_layout(path: str) -> tuple[int, int, int]:
    """(frames, rate, channels) of an audio file, as :func:`read_file` would decode it: the header for the
    formats soundfile reads; m4a/mp4/webm through PyAV (the ``video`` extra), whose frame count is that of the
    decoded stream (a container's duration field is not exact for lossy codecs). Errors name the file."""
    import soundfile as sf

    _require_regular(path)
    if video_decode.is_container(path):
        array, rate = read_file(path)  # decoded once and kept in the recent reads for the render that follows
        return array.shape[1], rate, array.shape[0]
    try:
        info = sf.info(path)
    except Exception as err:  # soundfile raises several types; say which file whatever it was
        raise AudioDecodeError(f"cannot decode audio {path}: {err}") from err
    return int(info.frames), int(info.samplerate), int(info.channels)


def _writable(array: np.ndarray) -> np.ndarray:
    return array if array.flags.writeable else array.copy()


def _read_container(
    path: Optional[str], offset: float = 0.0, duration: Optional[float] = None, data: Optional[bytes] = None
) -> tuple[np.ndarray, int]:
    try:
        return video_decode.read(path, offset, duration, data)
    except video_decode.ContainerDecodeError as err:
        raise AudioDecodeError(str(err)) from err


def read_bytes(data: bytes, where: str) -> tuple[np.ndarray, int]:
    """Samples of an encoded audio file held in memory, as float32 (channels, samples)."""
    import soundfile as sf

    if video_decode.is_container(None, data[:16]):
        return _read_container(None, data=data)
    try:
        array, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except Exception as err:
        raise AudioDecodeError(f"cannot decode audio {where}: {err}") from err
    _check_samples(where, array, data[:HEADER_BYTES])
    return array.T, int(rate)


def _bits(path: str) -> int:
    import soundfile as sf

    if video_decode.is_container(path):
        return 24  # lossy codecs: no bit depth of their own
    try:
        subtype = sf.info(path).subtype
    except Exception as err:
        raise AudioDecodeError(f"cannot decode audio {path}: {err}") from err
    return 16 if subtype in _SUBTYPES_16 else 24


def _resample(x: np.ndarray, rate: int, to: int) -> np.ndarray:
    """1-D or (channels, samples) ``x`` from ``rate`` to ``to`` Hz with soxr (HQ)."""
    if rate == to:
        return x
    import soxr

    if x.ndim == 1:
        return soxr.resample(x, rate, to, quality="HQ")
    return soxr.resample(x.T, rate, to, quality="HQ").T


# -- the values ---------------------------------------------------------------------------------------------


class AudioValue:
    """Base of every value. Subclasses are frozen dataclasses; ``kind`` names them in the stored JSON."""

    kind: ClassVar[str] = ""
    _inputs: ClassVar[tuple[str, ...]] = ()  # fields holding one value
    _input_lists: ClassVar[tuple[str, ...]] = ()  # fields holding a sequence of values

    def __post_init__(self) -> None:
        for name in self._inputs:
            if not isinstance(getattr(self, name), AudioValue):
                raise AudioValueError(f"{self.kind}: {name} must be an audio value, got {getattr(self, name)!r}")
        for name in self._input_lists:
            items = tuple(getattr(self, name))
            if not items or not all(isinstance(v, AudioValue) for v in items):
                raise AudioValueError(f"{self.kind}: {name} must be a non-empty list of audio values")
            object.__setattr__(self, name, items)
        self._check()

    def _check(self) -> None:
        """Validate parameters; raise AudioValueError."""

    # the tree

    def children(self) -> tuple[AudioValue, ...]:
        out: list[AudioValue] = [getattr(self, n) for n in self._inputs]
        for name in self._input_lists:
            out.extend(getattr(self, name))
        return tuple(out)

    def files(self) -> tuple[str, ...]:
        """Every file this value reads, in order of first use (for licences and provenance)."""
        seen: dict[str, None] = {}
        for child in self.children():
            seen.update(dict.fromkeys(child.files()))
        return tuple(seen)

    def to_dict(self) -> dict:
        """The value as plain JSON-able data (nested values as dicts, ``type`` naming each)."""
        out: dict[str, Any] = {"type": self.kind}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if isinstance(value, AudioValue):
                out[name] = value.to_dict()
            elif name in self._input_lists:
                out[name] = [v.to_dict() for v in value]
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out

    def describe(self, root: Optional[str] = None) -> dict:
        """:meth:`to_dict` for an instance's metadata: every path relative to ``root`` when it lies under it,
        else its file name, so the metadata does not depend on where the corpora sit on a machine."""
        return _relative_paths(self.to_dict(), root)

    def to_storage(self) -> dict:
        """The ``{"path", "bytes"}`` value ``datasets`` stores (see the module's docstring)."""
        document = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data = MAGIC + document.encode("utf-8")
        _encoded.put(data, self)
        return {"path": self.storage_path(), "bytes": data}

    def storage_path(self) -> Optional[str]:
        return None

    # rendering

    def render_mono(self) -> tuple[np.ndarray, int]:
        """The samples as a 1-D float32 array (the rendering's working precision), and the rate."""
        raise NotImplementedError

    def render(self, mono: bool = True) -> tuple[np.ndarray, int]:
        """The samples as float32: 1-D when ``mono``, else (channels, samples); and the rate."""
        array, rate = self.render_mono()
        array = _writable(np.asarray(array, dtype=np.float32))
        return (array if mono else array[None, :]), rate

    def export_bits(self) -> int:
        """16 or 24: the PCM depth the export uses (see the module's docstring)."""
        return max(_bits(path) for path in self.files())


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The dataclass fields of a value class, in order (``dataclasses.fields`` rebuilds them at every call)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _relative_paths(node: Any, root: Optional[str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (_short_path(v, root) if k == "path" and isinstance(v, str) else _relative_paths(v, root))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_relative_paths(v, root) for v in node]
    return node


def _short_path(path: str, root: Optional[str]) -> str:
    if root is not None:
        real_root, real = os.path.realpath(root), os.path.realpath(path)
        if os.path.commonpath([real_root, real]) == real_root:
            return os.path.relpath(real, real_root).replace(os.sep, "/")
    return os.path.basename(path)


def _real(value: Any) -> Optional[float]:
    """``value`` as a Python float when it is a finite real number (numpy scalars included, bools not)."""
    if type(value) is float:  # the common case, without the ABC check
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return None
    return float(value)


def _set_number(value: AudioValue, name: str, what: str, minimum: Optional[float] = None) -> None:
    """Check field ``name`` is a finite number (>= ``minimum``) and store it as a Python float (for JSON)."""
    number = _real(getattr(value, name))
    if number is None or (minimum is not None and number < minimum):
        raise AudioValueError(f"{value.kind}: {name} must be {what}, got {getattr(value, name)!r}")
    object.__setattr__(value, name, number)


def _set_seconds(value: AudioValue, name: str, allow_none: bool = False) -> None:
    if getattr(value, name) is None and allow_none:
        return
    _set_number(value, name, "a non-negative number of seconds", minimum=0.0)


def _at(seconds: float, rate: int) -> int:
    return round(seconds * rate)


def _span(x: np.ndarray, rate: int, start: float, duration: Optional[float]) -> tuple[int, int]:
    first = _at(start, rate)
    return first, (x.size if duration is None else _at(start + duration, rate))


def _input(value: AudioValue, rate: Optional[int] = None, mine: bool = False) -> tuple[np.ndarray, int]:
    """An input rendered in mono, resampled to ``rate`` when given. ``mine``: a file or region is read outside
    the recent reads, so the array is the caller's (a pair's, read once and handed out without a copy)."""
    if mine and isinstance(value, (File, Region)):
        array, own = value.read(keep=False)
        array = _downmix32(array)
    else:
        array, own = value.render_mono()
    if rate is not None and own != rate:
        array = np.asarray(_resample(array, own, rate), dtype=np.float32)
        own = rate
    return array, own


def _simulate(kind: str, fn, *args):
    try:
        return fn(*args)
    except dsp.SimulationError as err:
        raise AudioDecodeError(f"cannot render {kind}: {err}") from err


@dataclass(frozen=True)
class File(AudioValue):
    """A whole audio file."""

    path: str
    kind: ClassVar[str] = "file"

    def _check(self) -> None:
        if not isinstance(self.path, str) or not self.path:
            raise AudioValueError(f"file: path must be a non-empty string, got {self.path!r}")

    def files(self) -> tuple[str, ...]:
        return (self.path,)

    def to_storage(self) -> dict:
        return {"path": self.path, "bytes": None}

    def read(self, keep: bool = True) -> tuple[np.ndarray, int]:
        """The samples as :func:`read_file` gives them, (channels, samples)."""
        return read_file(self.path, keep=keep)

    def render_mono(self) -> tuple[np.ndarray, int]:
        array, rate = self.read()
        return _downmix32(array), rate

    def render(self, mono: bool = True) -> tuple[np.ndarray, int]:
        array, rate = self.read()
        return _writable(_downmix32(array) if mono else array), rate


@dataclass(frozen=True)
class Region(AudioValue):
    """``duration`` seconds of a file from ``offset`` seconds (``duration`` None: to the end); decoding reads
    only those frames."""

    path: str
    offset: float
    duration: Optional[float] = None
    kind: ClassVar[str] = "region"

    def _check(self) -> None:
        File._check(self)  # type: ignore[arg-type]
        _set_seconds(self, "offset")
        _set_seconds(self, "duration", allow_none=True)

    def files(self) -> tuple[str, ...]:
        return (self.path,)

    def storage_path(self) -> Optional[str]:
        end = "" if self.duration is None else _number(self.offset + self.duration)
        return f"{self.path}#t={_number(self.offset)},{end}"

    def read(self, keep: bool = True) -> tuple[np.ndarray, int]:
        """The region's samples as :func:`read_file` gives them, (channels, samples)."""
        return read_file(self.path, self.offset, self.duration, keep=keep)

    def render_mono(self) -> tuple[np.ndarray, int]:
        array, rate = self.read()
        return _downmix32(array), rate

    def render(self, mono: bool = True) -> tuple[np.ndarray, int]:
        array, rate = self.read()
        return _writable(_downmix32(array) if mono else array), rate


def _number(seconds: float) -> str:
    return f"{float(seconds):.6f}".rstrip("0").rstrip(".")


def _downmix32(array: np.ndarray) -> np.ndarray:
    return array[0] if array.shape[0] == 1 else array.mean(axis=0)


@dataclass(frozen=True)
class Mix(AudioValue):
    """``clean`` plus ``noise`` scaled to ``snr_db`` (:func:`audio_flan.dsp.mix_at_snr`: mean-square power over
    the whole clean signal; noise looped or cut to the clean length, resampled to the clean rate).

    With ``peak`` (a fraction of full scale), a mixture that would peak above it is scaled down to it, and
    ``part: clean`` gives the clean signal scaled by that same factor: the target that goes with the scaled
    mixture (:func:`audio_flan.dsp.mix_parts`). ``part: mixture`` (the default) gives the mixture."""

    clean: AudioValue
    noise: AudioValue
    snr_db: float
    peak: Optional[float] = None
    part: str = "mixture"
    kind: ClassVar[str] = "mix"
    _inputs: ClassVar[tuple[str, ...]] = ("clean", "noise")

    def _check(self) -> None:
        _set_number(self, "snr_db", "a finite number (dB)")
        _check_peak(self)
        if self.part not in ("mixture", "clean"):
            raise AudioValueError(f"mix: part must be 'mixture' or 'clean', got {self.part!r}")

    def to_dict(self) -> dict:
        return _without_defaults(super().to_dict(), peak=None, part="mixture")

    def render_mono(self) -> tuple[np.ndarray, int]:
        def both() -> tuple[np.ndarray, np.ndarray, int]:
            # the pair's own reads: its clean half is handed out without a copy, and neither file is read twice
            clean, rate = _input(self.clean, mine=True)
            noise, _ = _input(self.noise, rate, mine=True)
            mixture, target = _simulate(self.kind, dsp.mix_parts, clean, noise, self.snr_db, self.peak)
            return mixture, target, rate

        return _pair(self, "mixture", both)


#: the other halves of the last few pairs rendered in this process, each handed out once (taken)
_recent_pairs = _Bounded(2)


@dataclass(frozen=True)
class Reverb(AudioValue):
    """``source`` convolved with the impulse response ``rir``, aligned to its direct path
    (:func:`audio_flan.dsp.convolve_rir`; the response resampled to the source rate).

    With ``peak``, a reverberant signal that would peak above it is scaled down to it, and ``part: dry`` gives
    ``source`` scaled by the same factor: the time-aligned target that goes with it. ``part: reverberant`` (the
    default) gives the reverberant signal.

    ``channel``: which channel of a multichannel response to convolve with (0-based); the target is aligned to
    that channel's direct path. None (the default, left out of the JSON) for a mono response; a multichannel
    one without a channel is an error, never a mean of its channels."""

    source: AudioValue
    rir: AudioValue
    peak: Optional[float] = None
    part: str = "reverberant"
    channel: Optional[int] = None
    kind: ClassVar[str] = "reverb"
    _inputs: ClassVar[tuple[str, ...]] = ("source", "rir")

    def _check(self) -> None:
        _check_peak(self)
        if self.part not in ("reverberant", "dry"):
            raise AudioValueError(f"reverb: part must be 'reverberant' or 'dry', got {self.part!r}")
        channel = self.channel
        if channel is not None:
            if isinstance(channel, bool) or not isinstance(channel, numbers.Integral) or channel < 0:
                raise AudioValueError(f"reverb: channel must be None or an integer >= 0, got {channel!r}")
            object.__setattr__(self, "channel", int(channel))

    def to_dict(self) -> dict:
        return _without_defaults(super().to_dict(), peak=None, part="reverberant", channel=None)

    def render_mono(self) -> tuple[np.ndarray, int]:
        def both() -> tuple[np.ndarray, np.ndarray, int]:
            source, rate = _input(self.source)
            rir = _response_channel(self.rir, self.channel, rate)
            wet = _simulate(self.kind, dsp.convolve_rir, source, rir)
            return (*_scaled(wet, source, self.peak), rate)

        return _pair(self, "reverberant", both)


def _response_channel(rir: AudioValue, channel: Optional[int], rate: int) -> np.ndarray:
    """Channel ``channel`` of an impulse response, resampled to ``rate``. The channels of a multichannel
    response (a microphone array's) are never averaged: their direct paths arrive at different samples, so a
    mean smears the direct path and comb-filters; one channel is a physical response. ``channel`` None is for a
    mono response only."""
    array, own = rir.render(mono=False)
    where = rir.storage_path() or (rir.files()[0] if rir.files() else rir.kind)
    channels = array.shape[0]
    if channel is None and channels != 1:
        raise AudioDecodeError(
            f"cannot render reverb: the impulse response {where} has {channels} channels; say which one to use "
            "(channel=), averaging them would smear the direct path"
        )
    if channel is not None and channel >= channels:
        raise AudioDecodeError(
            f"cannot render reverb: channel {channel} asked of the impulse response {where}, which has {channels}"
        )
    response = array[channel or 0]
    if own != rate:
        response = np.asarray(_resample(response, own, rate), dtype=np.float32)
    return response


def _check_peak(value: Any) -> None:
    """A pair recipe's ``peak``: None, or a fraction of full scale in (0, 1]."""
    if value.peak is not None:
        _set_number(value, "peak", "in (0, 1] (a fraction of full scale)")
        if not 0 < value.peak <= 1:
            raise AudioValueError(
                f"{value.kind}: peak must be in (0, 1] (a fraction of full scale), got {value.peak!r}"
            )


def _without_defaults(document: dict, **defaults: Any) -> dict:
    """A value's JSON without the fields added later when they hold their defaults, so older values read the same."""
    for name, default in defaults.items():
        if document.get(name) == default:
            del document[name]
    return document


def _scaled(degraded: np.ndarray, clean: np.ndarray, peak: Optional[float]) -> tuple[np.ndarray, np.ndarray]:
    """(degraded, clean), both scaled by the factor that brings the degraded signal's peak down to ``peak``."""
    if peak is None:
        return degraded, clean
    k = _simulate("headroom", dsp.headroom, degraded, peak)
    if k == 1.0:
        return degraded, clean
    scale = degraded.dtype.type(k)
    return degraded * scale, clean * clean.dtype.type(k)


def _pair(value: Any, first: str, render) -> tuple[np.ndarray, int]:
    """One part of a pair's recipe (degraded or target; the input and output of an instance, touched one after
    the other). Both are computed together: the part asked for is handed out, the other kept for its turn and
    handed out (taken, not copied) when asked for, once: a part asked for again is rendered again (and a file
    rewritten since is read again)."""
    kept = _recent_pairs.take(value)
    if kept is not None:
        return kept
    degraded, target, rate = render()
    if value.part == first:
        mine, other, other_part = degraded, target, "clean" if first == "mixture" else "dry"
    else:
        mine, other, other_part = target, degraded, first
    _recent_pairs.put(dataclasses.replace(value, part=other_part), (other, rate))
    return mine, rate


@dataclass(frozen=True)
class Clip(AudioValue):
    """``source`` clipped at ``level`` times its peak (:func:`audio_flan.dsp.clip`)."""

    source: AudioValue
    level: float
    kind: ClassVar[str] = "clip"
    _inputs: ClassVar[tuple[str, ...]] = ("source",)

    def _check(self) -> None:
        _set_number(self, "level", "in (0, 1] (a fraction of the peak)")
        if not 0 < self.level <= 1:
            raise AudioValueError(f"clip: level must be in (0, 1] (a fraction of the peak), got {self.level!r}")

    def render_mono(self) -> tuple[np.ndarray, int]:
        source, rate = _input(self.source)
        return _simulate(self.kind, dsp.clip, source, self.level), rate


@dataclass(frozen=True)
class BandLimit(AudioValue):
    """``source`` resampled down to ``low_rate`` and back (:func:`audio_flan.dsp.band_limit`): no content above
    ``low_rate / 2`` Hz."""

    source: AudioValue
    low_rate: int
    kind: ClassVar[str] = "band_limit"
    _inputs: ClassVar[tuple[str, ...]] = ("source",)

    def _check(self) -> None:
        rate = self.low_rate
        if isinstance(rate, bool) or not isinstance(rate, numbers.Integral) or rate <= 0:
            raise AudioValueError(f"band_limit: low_rate must be a positive integer (Hz), got {rate!r}")
        object.__setattr__(self, "low_rate", int(rate))

    @property
    def cutoff_hz(self) -> float:
        return self.low_rate / 2

    def render_mono(self) -> tuple[np.ndarray, int]:
        source, rate = _input(self.source)
        return _simulate(self.kind, dsp.band_limit, source, rate, self.low_rate), rate


@dataclass(frozen=True)
class Gap(AudioValue):
    """``source`` with zeros from ``start`` for ``duration`` seconds (samples ``round(start * rate)`` to
    ``round((start + duration) * rate)``, excluded)."""

    source: AudioValue
    start: float
    duration: float
    kind: ClassVar[str] = "gap"
    _inputs: ClassVar[tuple[str, ...]] = ("source",)

    def _check(self) -> None:
        _set_seconds(self, "start")
        _set_seconds(self, "duration")

    def render_mono(self) -> tuple[np.ndarray, int]:
        source, rate = _input(self.source)
        return _simulate(self.kind, dsp.cut_gap, source, *_span(source, rate, self.start, self.duration)), rate


@dataclass(frozen=True)
class Pad(AudioValue):
    """``source`` with ``before`` seconds of silence in front and ``after`` seconds behind (speech placed in a
    longer stretch of noise)."""

    source: AudioValue
    before: float
    after: float
    kind: ClassVar[str] = "pad"
    _inputs: ClassVar[tuple[str, ...]] = ("source",)

    def _check(self) -> None:
        _set_seconds(self, "before")
        _set_seconds(self, "after")

    def render_mono(self) -> tuple[np.ndarray, int]:
        source, rate = _input(self.source)
        return _simulate(self.kind, dsp.pad, source, _at(self.before, rate), _at(self.after, rate)), rate


@dataclass(frozen=True)
class Crop(AudioValue):
    """``duration`` seconds of ``source`` from ``start`` (``duration`` None: to the end)."""

    source: AudioValue
    start: float
    duration: Optional[float] = None
    kind: ClassVar[str] = "crop"
    _inputs: ClassVar[tuple[str, ...]] = ("source",)

    def _check(self) -> None:
        _set_seconds(self, "start")
        _set_seconds(self, "duration", allow_none=True)

    def render_mono(self) -> tuple[np.ndarray, int]:
        source, rate = _input(self.source)
        return _simulate(self.kind, dsp.crop, source, *_span(source, rate, self.start, self.duration)), rate


@dataclass(frozen=True)
class Sum(AudioValue):
    """``sum(gains[i] * stems[i])`` (linear gains), stem i starting ``offsets[i]`` seconds in (default 0), as
    long as the latest-ending stem (:func:`audio_flan.dsp.sum_stems`); stems resampled to the first one's rate.
    With ``peak`` (a fraction of full scale), a sum that would peak above it is scaled down to it."""

    stems: Sequence[AudioValue]
    gains: Sequence[float]
    offsets: Optional[Sequence[float]] = None
    peak: Optional[float] = None
    kind: ClassVar[str] = "sum"
    _input_lists: ClassVar[tuple[str, ...]] = ("stems",)

    def to_dict(self) -> dict:
        return _without_defaults(super().to_dict(), peak=None)

    def _check(self) -> None:
        _check_peak(self)
        gains = tuple(_real(g) for g in self.gains)
        if len(gains) != len(self.stems) or None in gains:
            raise AudioValueError(f"sum: gains must be {len(self.stems)} finite numbers, got {list(self.gains)!r}")
        object.__setattr__(self, "gains", gains)
        if self.offsets is not None:
            offsets = tuple(_real(o) for o in self.offsets)
            if len(offsets) != len(self.stems) or any(o is None or o < 0 for o in offsets):
                raise AudioValueError(
                    f"sum: offsets must be {len(self.stems)} non-negative numbers of seconds, got {list(self.offsets)!r}"
                )
            object.__setattr__(self, "offsets", offsets)

    def render_mono(self) -> tuple[np.ndarray, int]:
        first, rate = _input(self.stems[0])
        arrays = [first] + [_input(s, rate)[0] for s in self.stems[1:]]
        offsets = None if self.offsets is None else [_at(o, rate) for o in self.offsets]
        total = _simulate(self.kind, dsp.sum_stems, arrays, self.gains, offsets)
        if self.peak is not None:
            k = _simulate("headroom", dsp.headroom, total, self.peak)
            if k != 1.0:
                total = total * total.dtype.type(k)
        return total, rate


KINDS: dict[str, type[AudioValue]] = {
    cls.kind: cls for cls in (File, Region, Mix, Reverb, Clip, BandLimit, Gap, Pad, Crop, Sum)
}


# -- storage ------------------------------------------------------------------------------------------------


def from_dict(data: Mapping) -> AudioValue:
    """The value a :meth:`AudioValue.to_dict` document describes; AudioValueError saying what is wrong."""
    if not isinstance(data, Mapping):
        raise AudioValueError(f"an audio value must be an object, got {data!r}")
    kind = data.get("type")
    cls = KINDS.get(kind)  # type: ignore[arg-type]
    if cls is None:
        raise AudioValueError(f"unknown audio value type {kind!r}; expected one of {sorted(KINDS)}")
    names = _field_names(cls)
    if len(data) > len(names) or not all(key in names or key == "type" for key in data):
        unknown = set(data) - set(names) - {"type"}
        if unknown:
            raise AudioValueError(f"{kind}: unknown fields {sorted(unknown)}; expected {sorted(names)}")
    kwargs: dict[str, Any] = {}
    for name in names:  # in field order, so the first error found does not depend on PYTHONHASHSEED
        if name not in data:
            continue
        value = data[name]
        if name in cls._inputs:
            value = from_dict(value)
        elif name in cls._input_lists:
            if not isinstance(value, list):
                raise AudioValueError(f"{kind}: {name} must be a list of audio values")
            value = [from_dict(v) for v in value]
        kwargs[name] = value
    try:
        return cls(**kwargs)
    except TypeError as err:  # a required field missing
        raise AudioValueError(f"{kind}: {err}") from None


#: the values this process stored last, by their stored bytes: a stream decodes what its generator stored a moment
#: before, and gets the value back without parsing its JSON. Bytes from anywhere else (the Arrow cache, a Parquet
#: file, another process) are parsed as usual; either way the value is the one the bytes describe (a stored value
#: parsed back equals it, tests/test_audio_values.py)
_encoded = _Bounded(64)


def is_encoded(data: Optional[bytes]) -> bool:
    """Whether stored ``bytes`` hold a region or recipe (rather than an audio file)."""
    return data is not None and bytes(data[: len(MAGIC)]) == MAGIC


def from_bytes(data: bytes) -> AudioValue:
    """The region or recipe stored in ``bytes`` (see :data:`MAGIC`)."""
    if type(data) is bytes:
        hit = _encoded.get(data)
        if hit is not None:
            return hit
    if not is_encoded(data):
        raise AudioValueError("these bytes do not hold an audio-flan region or recipe")
    try:
        document = json.loads(bytes(data[len(MAGIC) :]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise AudioValueError(f"a stored audio value is not valid JSON: {err}") from None
    return from_dict(document)


def from_storage(value: Any) -> Optional[AudioValue]:
    """The region or recipe in a stored ``{"path", "bytes"}`` value, or None for a plain file or bytes."""
    if isinstance(value, AudioValue):
        return value
    data = value.get("bytes") if isinstance(value, Mapping) else getattr(value, "bytes", None)
    return from_bytes(data) if data is not None and is_encoded(data) else None


Storable = Union[AudioValue, Mapping, str, bytes]


def to_storage(value: Union[AudioValue, str]) -> dict:
    """The ``{"path", "bytes"}`` dict to yield for an audio value (a path is a file).

    Generators must yield these dicts, not the value objects: ``datasets`` 3.6 streaming turns raw examples into
    Arrow before any feature encodes them. Yield every audio of a list this way, files too: ``datasets``
    encodes a list only when encoding its first element changes it.
    """
    if isinstance(value, str):
        return File(value).to_storage()
    if isinstance(value, AudioValue):
        return value.to_storage()
    raise AudioValueError(f"expected a path or an audio value, got {type(value).__name__}")


def decode(
    path: Optional[str], data: Optional[bytes], sampling_rate: Optional[int] = None, mono: bool = True
) -> tuple[np.ndarray, int]:
    """Samples of a stored value (a file path, encoded audio bytes, or a region or recipe): float32, 1-D when
    ``mono`` else (channels, samples), resampled with soxr to ``sampling_rate`` when given."""
    if is_encoded(data):
        value = from_bytes(data)  # type: ignore[arg-type]
        array, rate = value.render(mono)
    else:
        if data:
            array, rate = read_bytes(data, path or "<embedded bytes>")
        elif path:
            array, rate = read_file(path)
        else:
            raise AudioDecodeError("cannot decode audio: the value has neither a path nor bytes")
        if mono:
            array = _downmix32(array)
    if sampling_rate and sampling_rate != rate:
        array, rate = _resample(array, rate, sampling_rate), sampling_rate
    return _writable(np.ascontiguousarray(array, dtype=np.float32)), int(rate)


# -- export -------------------------------------------------------------------------------------------------


def to_flac(array: np.ndarray, rate: int, bits: int, where: str) -> bytes:
    """float samples (1-D or (channels, samples)) as FLAC bytes at 16 or 24 bits."""
    import soundfile as sf

    peak = float(np.max(np.abs(array))) if array.size else 0.0
    if peak > 1.0:
        warnings.warn(
            f"{where}: rendered audio peaks at {peak:.3f}, beyond full scale; clipped in the {bits}-bit FLAC",
            ClippedRenderWarning,
            stacklevel=3,
        )
    buffer = io.BytesIO()
    sf.write(buffer, array.T if array.ndim == 2 else array, rate, format="FLAC", subtype=f"PCM_{bits}")
    return buffer.getvalue()


def to_export_bytes(value: Storable) -> tuple[bytes, Optional[str]]:
    """(bytes, name) to embed for an audio value in an export. A file: its own bytes and file name (OSError
    when it cannot be read). Encoded bytes: as they are. A region or recipe: rendered to FLAC (see the module's
    docstring), named ``<file>_<start>-<end>.flac`` or ``<type>-<hash of the FLAC>.flac``, so the Parquet needs
    no audio-flan to read and the name does not depend on where the corpora sit."""
    if isinstance(value, str):
        value = {"path": value, "bytes": None}
    elif isinstance(value, (bytes, bytearray)):
        value = {"path": None, "bytes": bytes(value)}
    recipe = from_storage(value)
    if recipe is None:
        data, path = value.get("bytes"), value.get("path")  # type: ignore[union-attr]
        if data is None:
            if not path:
                raise AudioDecodeError("cannot export audio: the value has neither a path nor bytes")
            with open(path, "rb") as f:
                data = f.read()
        return bytes(data), (os.path.basename(path) if path else None)
    if isinstance(recipe, File):
        return to_export_bytes(recipe.to_storage())
    array, rate = recipe.render(mono=False)
    where = recipe.storage_path() or recipe.kind
    flac = to_flac(array, rate, recipe.export_bits(), where)
    if isinstance(recipe, Region):
        stem = os.path.splitext(os.path.basename(recipe.path))[0]
        return flac, f"{stem}_{recipe.offset:.3f}-{recipe.offset + array.shape[-1] / rate:.3f}.flac"
    return flac, f"{recipe.kind}-{hashlib.blake2b(flac, digest_size=8).hexdigest()}.flac"
