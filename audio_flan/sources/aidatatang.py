"""aidatatang_200zh (OpenSLR 62; Beijing DataTang): 200 h of Mandarin read by 600 speakers, mostly on mobile
phones, 16 kHz WAV.

Licence: CC BY-NC-ND 4.0 (OpenSLR 62 and the corpus README): non-commercial, no derivatives. Unmodified copies may
be shared non-commercially, but re-encoded or resampled audio is arguably a derivative, so the audio is marked not
redistributable and exports leave it out.

Layout, as ``aidatatang_200zh.tgz`` extracts, after the per-speaker tarballs ``corpus/<split>/G####.tar.gz`` are
unpacked in place (as lhotse's ``recipes/aidatatang_200zh.py``, the Kaldi/ESPnet recipes' ``data_prep.sh`` and
PaddleSpeech's manifest script read it: the WAVs are found under ``corpus/``, the speaker is the WAV's folder)::

    aidatatang_200zh/
      transcript/aidatatang_200_zh_transcript.txt
      corpus/{train,dev,test}/G0002/T0055G0002S0001.wav  (+ .txt and .metadata side files, not read)

The transcript is ``<utt id> <word-segmented text>`` per line, UTF-8; ids are ``T0055`` + speaker ``G####`` +
``S####``. The per-utterance ``.metadata`` files are said by the README to hold speaker information, but their
field layout could not be verified in any public loader, so no speaker labels are read (gender is not offered).

Records: one WAV (a WAV without a transcript line is kept with ``text`` None: ASR and TTS leave it out, counted;
speaker and language tasks use it). ``text`` is the transcript with the word-segmentation spaces removed,
full-width letters made ASCII and upper-cased (lhotse replaces the full-width ``Ａ`` it found). ``language``
``zh`` ("Mandarin Chinese").

Splits: the corpus's own ``train``, ``dev`` (validation), ``test`` folders (7:1:2, speaker-disjoint). Shards: up
to 8 speaker folders of a split (listing opens no file). A transcript line whose speaker folder is there but
whose WAV is not is skipped and counted once per shard; lines of speakers with no folder anywhere (a tarball
left packed) are counted once, in the first train shard.

Bad lines: a transcript line without text, with an id that is not ``T####G####S####``, repeating an id, or not
UTF-8 is an error naming file and line; under ``on_error="skip"`` it is skipped and counted once, by the first
shard (every shard reads the transcript). The WAV of a skipped line (when its id can be read) is left out too,
counted under its own reason by its shard: kept, it would pass for a WAV the transcript does not list.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _speaker_folders as folders
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips

TRANSCRIPT = "transcript/aidatatang_200_zh_transcript.txt"
AUDIO = "corpus"
SPEAKERS_PER_SHARD = 8
FIELDS = ("id", "audio", "text", "speaker", "language", "language_name")


class AidatatangFormatError(CorpusFormatError):
    """An aidatatang_200zh file that is not what the corpus's layout says."""


LAYOUT = folders.SpeakerFolders(
    error=AidatatangFormatError,
    utterance=re.compile(r"T\d{4}(?P<spk>G\d{4})S\d{4}"),
    id_form="T####G####S####",
    speaker=re.compile(r"G\d{4}"),
    audio_name=AUDIO,
)


def detect(root: Path) -> bool:
    return (root / TRANSCRIPT).is_file() and (root / AUDIO).is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to 8 speaker folders; nothing is read."""
    if not detect(root):
        return {}
    return folders.list_shards(LAYOUT, root / AUDIO, SPEAKERS_PER_SHARD)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    folder, speakers = folders.shard_parts(LAYOUT, shard)
    audio = root / AUDIO
    wavs = folders.speaker_wavs(audio, folder, speakers)
    first = folders.is_first(list_shards(root), shard)  # the first shard counts the transcript's own faults
    skips = Skips(f"aidatatang_200zh {folder} shard of {len(speakers)} speakers in {root}", SOURCE.missing_audio)
    path = root / TRANSCRIPT
    lines = Skips(f"aidatatang_200zh {path}", SOURCE.missing_audio, counting=first)
    texts, lost = folders.read_transcript(LAYOUT, path, audio, wavs, first, lines, skips)
    for speaker, utt, name in folders.utterance_wavs(wavs, speakers, lost, skips):
        yield {
            "id": utt,
            "audio": os.fspath(audio / folder / speaker / name),
            "text": texts.get(utt),
            "speaker": speaker,
            "language": "zh",
            "language_name": "Mandarin Chinese",
        }
    skips.report()
    lines.report()


SOURCE = Source(
    name="aidatatang",
    corpus="aidatatang_200zh",
    license="CC BY-NC-ND 4.0",
    redistributable=False,
    homepage="https://www.openslr.org/62/",
    layout="aidatatang_200zh/ with transcript/aidatatang_200_zh_transcript.txt and corpus/<split>/G####/*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="aidatatang",
    languages=("zh",),
    labels={"language": ("zh",), "language_name": ("Mandarin Chinese",)},
)
