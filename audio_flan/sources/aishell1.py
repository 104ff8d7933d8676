"""AISHELL-1 (OpenSLR 33; Bu et al. 2017): 178 h of Mandarin read by 400 speakers, 16 kHz 16-bit mono WAV.

Licence: Apache 2.0 (the OpenSLR 33 page), so the audio may be redistributed with attribution.

Layout, as ``data_aishell.tgz`` and ``resource_aishell.tgz`` extract side by side (lhotse's ``download_aishell``
and ``prepare_aishell`` read it so; the Kaldi recipe ``egs/aishell/s5/local/aishell_data_prep.sh`` too), after the
per-speaker tarballs ``data_aishell/wav/S0002.tar.gz ...`` are unpacked in place (each re-creates
``wav/<split>/S####/``; lhotse leaves the tarballs there, so only ``*.wav`` is looked at)::

    <root>/
      data_aishell/transcript/aishell_transcript_v0.8.txt
      data_aishell/wav/{train,dev,test}/S0002/BAC009S0002W0122.wav
      resource_aishell/lexicon.txt  resource_aishell/speaker.info

A root may also be ``data_aishell/`` itself; then there is no ``speaker.info`` and genders are unset.

``aishell_transcript_v0.8.txt``: ``<utt id> <word-segmented text>`` per line, UTF-8, no header; ids are
``BAC009S####W####`` (the speaker is ``S####``, also the WAV's folder). ``speaker.info``: whitespace-separated
``<speaker number without S> <F|M>`` rows (some copies carry more columns: only the first two are read).

Records: one WAV (the transcript has 141,600 lines for 141,925 WAVs; Kaldi and lhotse drop the 325 WAVs without
a line, but their speaker and gender are known, so they are kept with ``text`` None: ASR and TTS leave them out,
counted, while gender, language and speaker tasks use them). ``text`` is the transcript with the
word-segmentation spaces removed, full-width Latin letters made ASCII and upper-cased (as lhotse does).
``gender`` female/male; ``language`` ``zh`` ("Mandarin Chinese").

Splits: the corpus's own folders ``train``, ``dev`` (validation), ``test``: speaker-disjoint (train S0002-S0723,
dev S0724-S0763, test S0764-S0916). Shards: up to 8 speaker folders of a split (listing opens no file), so a
speaker's pairs stay in one shard. A transcript line whose speaker folder is there but whose WAV is not is
skipped and counted once per shard; lines of speakers with no folder anywhere (a tarball left packed) are
counted once, in the first train shard.

Bad lines: a transcript line without text, with an id that is not ``BAC009S####W####`` or repeating one, a
``speaker.info`` row without an ``F``/``M`` gender after a speaker number or repeating a speaker, and a line that
is not UTF-8 are errors naming file and line; under ``on_error="skip"`` each is skipped and counted once per split
loaded (every shard reads both files and counts it; the load's report holds it once). What depends on a skipped line is left out too, counted under its
own reason by its shard: the WAV of a skipped transcript line (kept, it would pass for an untranscribed one) and
every WAV of a speaker whose ``speaker.info`` row was skipped (its gender would pass for unknown).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _speaker_folders as folders
from ._kaldi import reject
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

DATA = "data_aishell"
TRANSCRIPT = "transcript/aishell_transcript_v0.8.txt"
SPEAKER_INFO = "resource_aishell/speaker.info"
GENDERS = {"F": "female", "M": "male"}
SPEAKERS_PER_SHARD = 8
FIELDS = ("id", "audio", "text", "speaker", "gender", "language", "language_name")


class Aishell1FormatError(CorpusFormatError):
    """An AISHELL-1 file that is not what the corpus's layout says."""


LAYOUT = folders.SpeakerFolders(
    error=Aishell1FormatError,
    utterance=re.compile(r"BAC009(?P<spk>S\d{4})W\d{4}"),
    id_form="BAC009S####W####",
    speaker=re.compile(r"S\d{4}"),
    audio_name="wav",
)


def _data(root: Path) -> Path | None:
    """The ``data_aishell`` folder of a root (the root itself or its child), or None."""
    for data in (root / DATA, root):
        if (data / TRANSCRIPT).is_file() and (data / "wav").is_dir():
            return data
    return None


def detect(root: Path) -> bool:
    return _data(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to 8 speaker folders; nothing is read."""
    data = _data(root)
    if data is None:
        return {}
    return folders.list_shards(LAYOUT, data / "wav", SPEAKERS_PER_SHARD)


def read_speaker_info(root: Path, lines: Skips | None = None, lost: set[str] | None = None) -> dict[str, str]:
    """Speaker -> gender; a malformed row is an error, or (given ``lines`` of a load that skips) counted, its
    speaker (when its number can be read) put in ``lost``."""
    path = root / SPEAKER_INFO
    if not path.is_file():
        return {}
    genders: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line_no, line in text_lines(path, Aishell1FormatError, skips=lines):
        fields = line.split()
        if not fields:
            continue
        where = f"{path}:{line_no}"
        speaker = f"S{fields[0]}" if fields[0].isdigit() else None
        if len(fields) < 2 or speaker is None:
            reject(
                Aishell1FormatError(f"{where}: expected '<speaker number> <F|M>', got {line!r}"), lines, lost, speaker
            )
        elif fields[1] not in GENDERS:
            err = Aishell1FormatError(f"{where}: gender of {speaker} is {fields[1]!r}; expected F or M")
            reject(err, lines, lost, speaker)
        elif speaker in seen:
            err = Aishell1FormatError(f"{where}: {speaker} is listed twice (first at line {seen[speaker]})")
            reject(err, lines, lost, speaker)
        else:
            seen[speaker] = line_no
            genders[speaker] = GENDERS[fields[1]]
    return genders


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    folder, speakers = folders.shard_parts(LAYOUT, shard)
    data = _data(root)
    if data is None:
        raise Aishell1FormatError(f"{root}: no {DATA}/{TRANSCRIPT}")
    audio = data / "wav"
    wavs = folders.speaker_wavs(audio, folder, speakers)
    first = folders.is_first(list_shards(root), shard)  # counts the lines of speakers with no folder anywhere
    skips = Skips(f"AISHELL-1 {folder} shard of {len(speakers)} speakers in {root}", SOURCE.missing_audio)
    lines = Skips(f"AISHELL-1 {root}", SOURCE.missing_audio)
    badly_described: set[str] = set()  # speakers whose speaker.info row is malformed
    genders = read_speaker_info(root, lines, badly_described) if data != root else {}
    texts, lost = folders.read_transcript(LAYOUT, data / TRANSCRIPT, audio, wavs, first, lines, skips)
    reason = "WAV(s) of speakers whose speaker.info row was skipped as malformed"
    left_out = {speaker: reason for speaker in badly_described}
    for speaker, utt, name in folders.utterance_wavs(wavs, speakers, lost, skips, left_out):
        yield {
            "id": utt,
            "audio": os.fspath(audio / folder / speaker / name),
            "text": texts.get(utt),
            "speaker": speaker,
            "gender": genders.get(speaker),
            "language": "zh",
            "language_name": "Mandarin Chinese",
        }
    skips.report()
    lines.report()


SOURCE = Source(
    name="aishell1",
    corpus="AISHELL-1",
    license="Apache 2.0",
    redistributable=True,
    homepage="https://www.openslr.org/33/",
    layout="data_aishell/ (with resource_aishell/ beside it) holding transcript/aishell_transcript_v0.8.txt and wav/<split>/S####/*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AISHELL1",
    languages=("zh",),
    labels={"gender": tuple(GENDERS.values()), "language": ("zh",), "language_name": ("Mandarin Chinese",)},
)
