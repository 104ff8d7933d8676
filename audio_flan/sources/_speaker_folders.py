"""Mandarin corpora distributed as one ``<utterance id> <word-segmented text>`` transcript beside WAVs unpacked from
per-speaker tarballs into ``<audio>/<split>/<speaker>/<utterance>.wav`` (AISHELL-1, aidatatang_200zh). The shared
reading: shards of speaker folders, the transcript joined with the WAVs present, one record a WAV. Each parser
keeps its corpus's facts (paths, id form, labels); used by those parsers, not a parser itself.

The join, as the corpora need it: a WAV without a transcript line is kept (``text`` None: the speaker tasks use
it); a line whose speaker folder is in the shard but whose WAV is not is skipped and counted; a line of a speaker
with no folder anywhere (a tarball left packed) is counted once, by the first shard. A transcript line with an id
not of the corpus's form, repeating an id, or without text is malformed: an error naming file and line, or under
``on_error="skip"`` counted once per split loaded (every shard reads the transcript and counts it; the load's
report holds it once), and the WAV of a skipped line is left out too, counted by its shard (kept, it would pass
for one the transcript does not list)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._kaldi import reject, table_lines
from .base import CorpusFormatError, Shard
from .readers import Skips, visible_names

SPLITS = {"train": "train", "dev": "validation", "test": "test"}


@dataclass(frozen=True)
class SpeakerFolders:
    """One corpus's facts: its error, the form of its utterance ids (the speaker as group ``spk``) and of its
    speaker folders, and the audio folder's name as messages give it. Both corpora split into the folders of
    ``SPLITS``."""

    error: type[CorpusFormatError]
    utterance: re.Pattern[str]
    id_form: str  # the utterance id as messages spell it, e.g. "BAC009S####W####"
    speaker: re.Pattern[str]
    audio_name: str  # "wav" or "corpus"


def unsegmented(text: str) -> str:
    """Word-segmentation spaces removed, full-width letters made ASCII, Latin upper-cased."""
    return unicodedata.normalize("NFKC", "".join(text.split())).upper()


def list_shards(layout: SpeakerFolders, audio: Path, per_shard: int) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to ``per_shard`` speaker folders of ``audio/<split>/``, dealt
    in turn; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for folder, split in SPLITS.items():
        wav = audio / folder
        speakers = [n for n in visible_names(wav) if layout.speaker.fullmatch(n) and (wav / n).is_dir()]
        if speakers:
            count = math.ceil(len(speakers) / per_shard)
            shards[split] = [[folder, speakers[i::count]] for i in range(count)]
    return shards


def shard_parts(layout: SpeakerFolders, shard: Shard) -> tuple[str, list[str]]:
    """(split folder, speakers) of a shard, or the corpus's error."""
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in SPLITS and isinstance(shard[1], list)):
        raise layout.error(f"shard {shard!r} is not [split folder, speakers]")
    return shard[0], shard[1]


def is_first(listing: dict[str, list[Shard]], shard: Shard) -> bool:
    """Whether ``shard`` is the listing's first, which counts the faults of the files every shard reads."""
    return next(iter(listing.values()), [None])[0] == shard


def speaker_wavs(audio: Path, folder: str, speakers: list[str]) -> dict[str, set[str]]:
    """The names in each speaker's folder of the split."""
    return {s: set(visible_names(audio / folder / s)) for s in speakers}


def read_transcript(
    layout: SpeakerFolders,
    path: Path,
    audio: Path,
    wavs: dict[str, set[str]],
    first: bool,
    lines: Skips,
    skips: Skips,
    clean: Callable[[str], str] = unsegmented,
) -> tuple[dict[str, str], set[str]]:
    """The cleaned text of each utterance of the shard's speakers whose WAV is there, and the ids of malformed
    lines (see the module for what is skipped and counted, and by which shard)."""
    everywhere: set[str] = set()
    if first:
        for f in SPLITS:
            everywhere.update(n for n in visible_names(audio / f) if layout.speaker.fullmatch(n))
    texts: dict[str, str] = {}
    lost: set[str] = set()
    seen: dict[str, int] = {}
    for line_no, utt, text in table_lines(path, layout.error, "'<utterance id> <text>'", None, lines, lost):
        match = layout.utterance.fullmatch(utt)
        if not match:
            reject(layout.error(f"{path}:{line_no}: utterance id {utt!r} is not {layout.id_form}"), lines)
            continue
        if utt in seen:
            err = layout.error(f"{path}:{line_no}: {utt} is listed twice (first at line {seen[utt]})")
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
            reason = f"transcript line(s) of speakers with no {layout.audio_name}/ folder (tarball not unpacked?)"
            skips.add(reason, utt)
    return texts, lost


def utterance_wavs(
    wavs: dict[str, set[str]],
    speakers: list[str],
    lost: set[str],
    skips: Skips,
    left_out: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str, str]]:
    """(speaker, utterance, WAV file name) of each WAV of the shard's speakers, in speaker then name order; other
    files (side files, tarball debris) are passed over. WAVs of malformed transcript lines (``lost``) and of the
    speakers in ``left_out`` (speaker -> the reason they are counted under) are counted, not given."""
    for speaker in speakers:
        for name in sorted(wavs[speaker]):
            if not name.endswith(".wav"):
                continue
            utt = name[:-4]
            if left_out and speaker in left_out:
                skips.add(left_out[speaker], utt, always=True, audio=False)
                continue
            if utt in lost:
                skips.add("WAV(s) whose transcript line was skipped as malformed", utt, always=True, audio=False)
                continue
            yield speaker, utt, name
