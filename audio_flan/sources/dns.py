"""DNS Challenge 4/5 fullband (Microsoft Deep Noise Suppression Challenge, ICASSP 2022/2023): clean speech, noise
clips and room impulse responses, from which enhancement pairs are simulated.

Licence: each component keeps its own (the repo's ``datasets_fullband/README.md``): clean read speech from
LibriVox (public domain), VCTK (CC BY 4.0), VocalSet (CC BY 4.0), CREMA-D (ODbL); noise from AudioSet (CC BY
4.0) and Freesound (CC0); impulse responses from OpenSLR 26 and 28 (Apache 2.0); the repo's docs are CC BY 4.0.
Taken as a whole it is declared ``CC BY 4.0 (components: CC BY 4.0, CC0, ODbL, Apache 2.0, public domain)`` and
redistributable with attribution (ODbL's share-alike applies to the CREMA-D part).

Layout, as ``download-dns-challenge-4.sh`` / ``-5-noise-ir.sh`` of github.com/microsoft/DNS-Challenge unpack it
(each ``*.tar.bz2`` extracts under ``datasets_fullband/``)::

    datasets_fullband/
      clean_fullband/<subset>/.../*.wav      read_speech, german_speech, french_speech (DNS5: french_data),
                                             italian_speech, spanish_speech, russian_speech, emotional_speech,
                                             vctk_wav48_silence_trimmed, VocalSet_48kHz_mono; 48 kHz mono
      noise_fullband/*.wav                   AudioSet and Freesound clips, ~10 s, 48 kHz
      impulse_responses/SLR26/simulated_rirs_48k/{small,medium,large}room/RoomNNN/RoomNNN-NNNNN.wav
      impulse_responses/SLR28/RIRS_NOISES/real_rirs_isotropic_noises/*.wav   (real RIRs and isotropic noises)
      dev_testset/ ...                       (not read)

There are no transcripts, labels or file lists: the corpus is its folders, so it is listed by walking them
(names only; no audio is opened) and a file that is absent is simply not a record. Read speech files are named
``book_<n>_chp_<n>_reader_<n>_<n>.wav`` (LibriVox reader id); ``vctk_wav48_silence_trimmed/p225/...`` and
``VocalSet_48kHz_mono/<singer>/...`` keep a speaker folder.

Splits (DNS has none for its training data): a deterministic split by speaker, 90% train, 5% validation, 5%
test by a BLAKE2 hash of (subset, speaker), so no speaker is in two splits. The speaker is the LibriVox reader id
where the name holds one, else the first folder below the subset, else the file itself. Each split's files of
one folder are cut into shards of at most :data:`SHARD_FILES`.

Pools (``Source.pools``; tasks draw from them through roles, see builder_configs/README.md): ``noise`` is every
file of ``noise_fullband/``; ``rir`` is every file under ``impulse_responses/SLR26/`` and those of
``impulse_responses/SLR28/`` whose name does not say ``noise`` (SLR28's ``real_rirs_isotropic_noises`` folder
mixes impulse responses with recordings of isotropic noise, named ``..._noise_...``). Of a multichannel
response (SLR28's REVERB-challenge ``RVB2014_*_rir_*`` files are microphone-array recordings) an instance uses
one channel, drawn from its seed and recorded in its recipe (``channel``), never a mean of the channels.
``RIR_table_simple.csv`` (T60 per response) is not read.

Voice activity detection ("DNS for VAD", 562.72 h in the Audio-FLAN paper's source table, which says no more
about it) is an assumption, because DNS ships no VAD labels: the maintainers answer label requests with "the clean
speech is the ground truth" (github.com/microsoft/DNS-Challenge issues 16 and 87), and the repo's
``audiolib.activitydetector`` only returns the fraction of 50 ms frames above an energy threshold, which its
synthesiser uses to screen clean clips, not to write segments. So audio-flan makes VAD pairs by placement
(``audio.voice_activity_detection``, ``place: noise``; :func:`audio_flan.shapes.simulate.place_in_noise`): a clean
clip padded with noise-only stretches drawn in :data:`audio_flan.dsp.PLACE_SECONDS` before and after it, over
noise from the task's pool at a drawn SNR; the one speech segment is where the clip was placed, exact to the
sample. Pauses inside the clip count as speech (read speech is nearly continuous; an energy threshold would
make the answer depend on a tuning constant). This does not reproduce the release's 562.72 h, whose making is
not published; its instances come through the release reader unchanged.

Records: ``id`` (the path below ``clean_fullband/`` without ``.wav``, ``read_speech/book_00012_..._0``; for the
pools, the path below ``datasets_fullband/``, ``noise_fullband/rain_AudioSet_1``),
``audio``, ``subset``, ``speaker``, ``language`` (ISO 639-1 of the subset, "" for the singing and the pools),
``language_name``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..prompts import stable_int
from .base import CorpusFormatError, Record, Shard, Source
from .readers import is_hidden

CLEAN, NOISE, RIRS = "clean_fullband", "noise_fullband", "impulse_responses"
SHARD_FILES = 2000
#: the language of each clean subset (ISO 639-1 code, English name); others are "" (singing, unknown)
LANGUAGES = {
    "read_speech": ("en", "English"),
    "emotional_speech": ("en", "English"),
    "vctk_wav48_silence_trimmed": ("en", "English"),
    "german_speech": ("de", "German"),
    "french_speech": ("fr", "French"),
    "french_data": ("fr", "French"),
    "italian_speech": ("it", "Italian"),
    "spanish_speech": ("es", "Spanish"),
    "russian_speech": ("ru", "Russian"),
}
SPLIT_PERCENT = (("train", 90), ("validation", 5), ("test", 5))
READER = re.compile(r"reader_(\d+)")
FIELDS = ("id", "audio", "subset", "speaker", "language", "language_name")


class DNSFormatError(CorpusFormatError):
    """A DNS folder that is not laid out as the challenge's download scripts unpack it."""


def detect(root: Path) -> bool:
    return (root / CLEAN).is_dir() or ((root / NOISE).is_dir() and (root / RIRS).is_dir())


def _listing(folder: Path) -> tuple[list[str], list[str]]:
    """(sub-folder names, ``.wav`` file names) of ``folder``, sorted, dot and AppleDouble entries left out (one
    directory read; file types come from the listing itself)."""
    dirs, files = [], []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if is_hidden(entry.name):
                    continue
                if entry.is_dir():
                    dirs.append(entry.name)
                elif entry.name.lower().endswith(".wav") and entry.is_file():
                    files.append(entry.name)
    except OSError as err:
        raise DNSFormatError(f"{folder}: cannot be listed ({err.strerror})") from None
    return sorted(dirs), sorted(files)


def _walk(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """(folder relative to ``folder``, its ``.wav`` file names) for it and every folder below, in sorted order."""
    stack = [""]
    while stack:
        rel = stack.pop()
        dirs, files = _listing(folder / rel if rel else folder)
        yield rel, files
        stack.extend(reversed([f"{rel}/{n}" if rel else n for n in dirs]))


def speaker_of(subset: str, rel: str, name: str) -> str:
    match = READER.search(name)
    if match:
        return f"reader_{match.group(1)}"
    parts = [p for p in rel.split("/") if p]
    return parts[1] if len(parts) > 1 else name[: -len(".wav")]


@functools.lru_cache(maxsize=1 << 16)  # listing, split detection and reading each ask again for every file
def split_of(subset: str, speaker: str) -> str:
    bucket = stable_int("dns split", subset, speaker) % 100
    for split, percent in SPLIT_PERCENT:
        if bucket < percent:
            return split
        bucket -= percent
    return SPLIT_PERCENT[-1][0]


def _split_files(root: Path, rel: str, split: str) -> tuple[tuple[str, str], ...]:
    """(file name, speaker) of the ``split``'s audio files directly in ``clean_fullband/<rel>``.

    DNS puts ~200k files in one folder and a pass reads it in slices of ``SHARD_FILES``, so the listing is kept
    for the slices that follow, keyed by the folder's modification time (an added or removed file changes it).
    """
    folder = root / CLEAN / rel
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError as err:
        raise DNSFormatError(f"{folder}: cannot be listed ({err.strerror})") from None
    return _split_listing(os.fspath(folder), stamp, rel, split)


@functools.lru_cache(maxsize=4)
def _split_listing(folder: str, stamp: int, rel: str, split: str) -> tuple[tuple[str, str], ...]:
    subset = rel.split("/")[0]
    out = []
    for name in _listing(Path(folder))[1]:
        speaker = speaker_of(subset, rel, name)
        if split_of(subset, speaker) == split:
            out.append((name, speaker))
    return tuple(out)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, shards ``[split, folder below clean_fullband, k, n]``: the k-th of n slices of that split's
    files in that folder (folders and names are listed; nothing is opened)."""
    out: dict[str, list[Shard]] = {}
    if not (root / CLEAN).is_dir():
        return out
    for rel, names in _walk(root / CLEAN):
        if not rel or not names:
            continue
        counts: dict[str, int] = {}
        for name in names:
            subset = rel.split("/")[0]
            split = split_of(subset, speaker_of(subset, rel, name))
            counts[split] = counts.get(split, 0) + 1
        for split, _ in SPLIT_PERCENT:
            n = -(-counts.get(split, 0) // SHARD_FILES)
            out.setdefault(split, []).extend([split, rel, k, n] for k in range(n))
    return {split: shards for split, shards in out.items() if shards}


def _record(root: Path, rel_file: str, subset: str, speaker: str, language: tuple[str, str]) -> Record:
    rid = rel_file[: -len(".wav")]
    return {
        "id": rid[len(CLEAN) + 1 :] if rid.startswith(CLEAN + "/") else rid,
        "audio": os.path.join(os.fspath(root), *rel_file.split("/")),  # not root / rel_file: pathlib is slow
        "subset": subset,
        "speaker": speaker,
        "language": language[0],
        "language_name": language[1],
    }


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if isinstance(shard, list) and len(shard) == 1 and shard[0] in POOLS:
        yield from _read_pool(root, shard[0])
        return
    if not (
        isinstance(shard, list)
        and len(shard) == 4
        and shard[0] in dict(SPLIT_PERCENT)
        and isinstance(shard[1], str)
        and all(isinstance(v, int) for v in shard[2:])
    ):
        raise DNSFormatError(f"shard {shard!r} is not [split, folder below {CLEAN}, k, n] nor a pool of DNS")
    split, rel, k, n = shard
    if ".." in rel.split("/") or os.path.isabs(rel):
        raise DNSFormatError(f"shard folder {rel!r} leads out of {root / CLEAN}")
    subset = rel.split("/")[0]
    language = LANGUAGES.get(subset, ("", ""))
    for name, speaker in _split_files(root, rel, split)[k::n]:
        yield _record(root, f"{CLEAN}/{rel}/{name}", subset, speaker, language)


def _read_pool(root: Path, pool: str) -> Iterator[Record]:
    if pool == "noise":
        for name in _listing(root / NOISE)[1] if (root / NOISE).is_dir() else []:
            yield _record(root, f"{NOISE}/{name}", NOISE, "", ("", ""))
        return
    for collection in ("SLR26", "SLR28"):
        base = root / RIRS / collection
        if not base.is_dir():
            continue
        for rel, names in _walk(base):
            for name in names:
                if collection == "SLR28" and "noise" in name.lower():
                    continue  # SLR28's isotropic noise recordings, beside its impulse responses
                path = f"{RIRS}/{collection}/{rel}/{name}" if rel else f"{RIRS}/{collection}/{name}"
                yield _record(root, path, collection, "", ("", ""))


def _pool(name: str):
    def listing(root: Path) -> list[Shard]:
        return [[name]]

    return listing


POOLS = ("noise", "rir")

SOURCE = Source(
    name="dns",
    corpus="DNS Challenge",
    license="CC BY 4.0 (components: CC BY 4.0, CC0, ODbL, Apache 2.0, public domain)",
    redistributable=True,
    homepage="https://github.com/microsoft/DNS-Challenge",
    layout="datasets_fullband/ with clean_fullband/<subset>/*.wav, noise_fullband/*.wav, impulse_responses/SLR26|SLR28",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="DNS",
    languages=("en", "de", "fr", "it", "es", "ru"),
    pools={name: _pool(name) for name in POOLS},
)
