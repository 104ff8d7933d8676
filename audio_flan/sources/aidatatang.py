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

import math
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ._kaldi import reject, table_lines
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, visible_names

TRANSCRIPT = "transcript/aidatatang_200_zh_transcript.txt"
AUDIO = "corpus"
SPLITS = {"train": "train", "dev": "validation", "test": "test"}
SPEAKERS_PER_SHARD = 8
UTTERANCE = re.compile(r"T\d{4}(?P<spk>G\d{4})S\d{4}")
SPEAKER = re.compile(r"G\d{4}")
FIELDS = ("id", "audio", "text", "speaker", "language", "language_name")


class AidatatangFormatError(CorpusFormatError):
    """An aidatatang_200zh file that is not what the corpus's layout says."""


def detect(root: Path) -> bool:
    return (root / TRANSCRIPT).is_file() and (root / AUDIO).is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to 8 speaker folders; nothing is read."""
    if not detect(root):
        return {}
    shards: dict[str, list[Shard]] = {}
    for folder, split in SPLITS.items():
        wav = root / AUDIO / folder
        speakers = [n for n in visible_names(wav) if SPEAKER.fullmatch(n) and (wav / n).is_dir()]
        if speakers:
            count = math.ceil(len(speakers) / SPEAKERS_PER_SHARD)
            shards[split] = [[folder, speakers[i::count]] for i in range(count)]
    return shards


def clean(text: str) -> str:
    """Word-segmentation spaces removed, full-width letters made ASCII, Latin upper-cased."""
    return unicodedata.normalize("NFKC", "".join(text.split())).upper()


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in SPLITS and isinstance(shard[1], list)):
        raise AidatatangFormatError(f"shard {shard!r} is not [split folder, speakers]")
    folder, speakers = shard
    wavs = {s: set(visible_names(root / AUDIO / folder / s)) for s in speakers}
    listing = list_shards(root)
    first = next(iter(listing.values()), [None])[0] == shard  # the first shard counts the transcript's own faults
    everywhere: set[str] = set()
    if first:
        for f in SPLITS:
            everywhere.update(n for n in visible_names(root / AUDIO / f) if SPEAKER.fullmatch(n))
    what = f"aidatatang_200zh {folder} shard of {len(speakers)} speakers in {root}"
    skips = Skips(what, SOURCE.missing_audio)
    path = root / TRANSCRIPT
    lines = Skips(f"aidatatang_200zh {path}", SOURCE.missing_audio, counting=first)
    texts: dict[str, str] = {}
    lost: set[str] = set()  # utterances whose transcript line is malformed
    seen: dict[str, int] = {}
    for line_no, utt, text in table_lines(path, AidatatangFormatError, "'<utterance id> <text>'", None, lines, lost):
        match = UTTERANCE.fullmatch(utt)
        if not match:
            err = AidatatangFormatError(f"{path}:{line_no}: utterance id {utt!r} is not T####G####S####")
            reject(err, lines)
            continue
        if utt in seen:
            err = AidatatangFormatError(f"{path}:{line_no}: {utt} is listed twice (first at line {seen[utt]})")
            reject(err, lines, lost, utt)
            texts.pop(utt, None)
            continue
        seen[utt] = line_no
        speaker = match["spk"]
        if speaker in wavs:
            if f"{utt}.wav" not in wavs[speaker]:
                skips.add("transcript line(s) whose WAV is missing", f"line {line_no}: {utt}")
                continue
            texts[utt] = clean(text)
        elif first and speaker not in everywhere:
            skips.add("transcript line(s) of speakers with no corpus/ folder (tarball not unpacked?)", utt)
    for speaker in speakers:
        for name in sorted(wavs[speaker]):
            if not name.endswith(".wav"):
                continue  # the per-utterance .txt and .metadata side files
            utt = name[:-4]
            if utt in lost:
                skips.add("WAV(s) whose transcript line was skipped as malformed", utt, always=True, audio=False)
                continue
            yield {
                "id": utt,
                "audio": os.fspath(root / AUDIO / folder / speaker / name),
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
