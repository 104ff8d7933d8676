"""AISHELL-2 (Du et al. 2018): 1000 h of Mandarin read by 1,991 speakers, recorded in parallel on iOS, Android and
a microphone; the iOS channel is distributed for training, 16 kHz WAV.

Licence: by application to AISHELL (https://www.aishelltech.com/aishell_2); the iOS data is "free for
non-commercial research and education use" (Kaldi's ``egs/aishell2/README.md``); no redistribution.

Layout (lhotse's ``recipes/aishell2.py`` reads ``AISHELL-2/iOS/data/{trans.txt,wav/<spk>/<utt>.wav}``; Kaldi's
``egs/aishell2/s5/local/prepare_data.sh`` takes a folder with ``wav.scp`` and ``trans.txt`` and is pointed at
``iOS/train``; the AISHELL2-2018A-EVAL package holds ``{Android,IOS,Mic}/{dev,test}/{wav,trans.txt,wav.scp}``)::

    AISHELL-2/
      iOS/data/{wav/C0001/IC0001W0001.wav, trans.txt, wav.scp, spk_info.txt}   (train; or train/)
      iOS/dev/{wav/..., trans.txt, wav.scp}   iOS/test/{...}         (the eval package: IOS/, Android/, Mic/)

``trans.txt`` and ``wav.scp`` are tab-separated ``<utt>\\t<value>``, no header, UTF-8; ``wav.scp`` paths are
relative to the folder that holds it (Kaldi prefixes them with that folder). The speaker is the WAV's parent
folder (``C0001``), as Kaldi and lhotse derive it. All of ``iOS``/``IOS``/``Android``/``Mic`` and of
``data``/``train``/``dev``/``test`` are probed; ``device`` names the channel.

Records: one ``wav.scp`` entry joined with its ``trans.txt`` line by id (Kaldi intersects the two lists: not
every id of one is in the other). An entry without a transcript and a transcript line without an entry are
skipped and counted; an entry whose WAV is absent is skipped and counted as missing audio. The id is
``<channel>_<utt>``, unique across channels. ``text`` is normalised as the wenet/lhotse recipes do: full-width
letters made ASCII, ``𫖯`` written ``頫``, apostrophes after a Chinese character removed, upper-cased.
``prompt_audio`` is the next utterance of the same speaker in the shard (id order, cyclically; never itself).
``language`` ``zh`` ("Mandarin Chinese").

Gender: ``spk_info.txt`` beside ``trans.txt`` (``iOS/data/spk_info.txt`` in the training release; the corpus
reports 845 male and 1,146 female speakers). Not in Kaldi's, lhotse's or WeNet's recipes; pinned down from two
third-party readers of the real file (a PaddleSpeech-style manifest script reading ``iOS/data/spk_info.txt``,
splitting on tabs, speaker in the first column, ``女`` (female) or else male in the third; an accent-split script
unpacking every line into four whitespace-separated fields, the fourth a region ``North``/``South``/
``Other_Areas``). So: no header, ``<speaker> <?> <女|男> <region>`` per line, split on whitespace; the gender is
mapped to female/male, anything else in that column is malformed (the readers disagree on what else could be
there). The second column's meaning is not pinned down and the region is not read. A speaker absent from the file
(or a folder without one, as the eval package may be) has ``gender`` None: gender recognition leaves it out,
counted.

Splits: ``data``/``train`` -> train, ``dev`` -> validation, ``test`` -> test (speaker-disjoint: dev 5 and test
10 speakers). Shards: per channel and split, entries are dealt by a stable hash of their speaker into up to 16
shards (the count judged by the size of ``wav.scp``; nothing is read while listing).

Bad lines: a ``wav.scp`` or ``trans.txt`` line that is not ``<id><TAB><value>``, repeats an id, or is not UTF-8,
a ``wav.scp`` path that is not ``wav/<speaker>/<utt>.wav`` inside the folder, and a ``spk_info.txt`` row without
four fields, with a gender other than 女/男 or repeating a speaker, are errors naming file and line;
under ``on_error="skip"`` each is skipped and counted once per channel and split loaded (every shard reads
both files and counts it; the load's report holds it once). An id listed twice is dropped altogether (which line holds is not known). The other half of
a skipped line's pair is left out too, counted under its own reason: the ``wav.scp`` entry of a skipped
``trans.txt`` line (by the entry's shard), the ``trans.txt`` line of a skipped entry (by the first shard), the
entries of a speaker whose ``spk_info.txt`` row was skipped (by their shard; kept, the gender would pass for
unknown).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ._kaldi import read_table, reject, shard_count
from ._speaker_prompts import with_next_prompt
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

CHANNELS = ("iOS", "IOS", "Android", "Mic")
MAX_SHARDS = 16
BYTES_PER_SHARD = 256 * 1024
SPLITS = {"data": "train", "train": "train", "dev": "validation", "test": "test"}
SPEAKER_INFO = "spk_info.txt"
GENDERS = {"女": "female", "男": "male"}
FIELDS = (
    "id",
    "audio",
    "text",
    "speaker",
    "gender",
    "device",
    "prompt_audio",
    "prompt_audio_id",
    "language",
    "language_name",
)


class Aishell2FormatError(CorpusFormatError):
    """An AISHELL-2 file that is not what the corpus's layout says."""


def _folders(root: Path) -> list[tuple[str, str]]:
    """(channel, split folder) pairs holding both ``trans.txt`` and ``wav.scp``."""
    return [
        (channel, folder)
        for channel in CHANNELS
        for folder in SPLITS
        if (root / channel / folder / "trans.txt").is_file() and (root / channel / folder / "wav.scp").is_file()
    ]


def detect(root: Path) -> bool:
    return bool(_folders(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[channel, split folder, index, count]`` per shard; nothing is read."""
    shards: dict[str, list[Shard]] = {}
    for channel, folder in _folders(root):
        count = shard_count(root / channel / folder / "wav.scp", BYTES_PER_SHARD, MAX_SHARDS)
        shards.setdefault(SPLITS[folder], []).extend([channel, folder, i, count] for i in range(count))
    return shards


def read_speaker_info(path: Path, lines: Skips | None = None, lost: set[str] | None = None) -> dict[str, str]:
    """Speaker -> gender from a folder's ``spk_info.txt`` (none without one); a malformed row is an error, or
    (given ``lines`` of a load that skips) counted, its speaker put in ``lost``."""
    if not path.is_file():
        return {}
    genders: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line_no, line in text_lines(path, Aishell2FormatError, skips=lines):
        fields = line.split()
        if not fields:
            continue
        where = f"{path}:{line_no}"
        speaker = fields[0]
        if len(fields) != 4:
            err = Aishell2FormatError(f"{where}: expected '<speaker> <?> <女|男> <region>', got {line!r}")
        elif fields[2] not in GENDERS:
            err = Aishell2FormatError(f"{where}: gender of {speaker} is {fields[2]!r}; expected 女 or 男")
        elif speaker in seen:
            err = Aishell2FormatError(f"{where}: {speaker} is listed twice (first at line {seen[speaker]})")
        else:
            seen[speaker] = line_no
            genders[speaker] = GENDERS[fields[2]]
            continue
        reject(err, lines, lost, speaker)
    return genders


def normalise(text: str) -> str:
    """Full-width letters ASCII, 𫖯 as 頫, apostrophes after a Chinese character removed, upper-cased."""
    text = unicodedata.normalize("NFKC", text).replace("𫖯", "頫")
    kept = [c for k, c in enumerate(text) if not (c == "'" and k and "\u4e00" <= text[k - 1] <= "\u9fff")]
    return "".join(kept).upper()


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 4 and shard[0] in CHANNELS and shard[1] in SPLITS):
        raise Aishell2FormatError(f"shard {shard!r} is not [channel, split folder, index, count]")
    channel, folder, index, count = shard
    base = root / channel / folder
    scp_path = base / "wav.scp"
    lines = Skips(f"AISHELL-2 {base}", SOURCE.missing_audio)  # every shard counts, the load's report once
    bad_entries: set[str] = set()  # ids whose wav.scp line is malformed
    bad_lines: set[str] = set()  # ids whose trans.txt line is malformed
    scp = read_table(scp_path, Aishell2FormatError, "'<utterance id><TAB><path>'", "\t", lines, bad_entries)
    trans_path = base / "trans.txt"
    trans = read_table(trans_path, Aishell2FormatError, "'<utterance id><TAB><text>'", "\t", lines, bad_lines)
    badly_described: set[str] = set()  # speakers whose spk_info.txt row is malformed
    genders = read_speaker_info(base / SPEAKER_INFO, lines, badly_described)
    skips = Skips(f"AISHELL-2 {channel}/{folder} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    by_speaker: dict[str, list[dict]] = {}
    for utt, entry in scp.items():
        rel = Path(entry.value)
        if rel.is_absolute() or ".." in rel.parts or len(rel.parts) < 2:
            err = Aishell2FormatError(
                f"{scp_path}:{entry.line}: {entry.value!r} is not a path like wav/<speaker>/<utt>.wav"
            )
            reject(err, lines, bad_entries, utt)
            continue
        speaker = rel.parts[-2]
        if stable_hash(speaker) % count != index:
            continue
        if speaker in badly_described:
            reason = "wav.scp entries of speakers whose spk_info.txt row was skipped as malformed"
            skips.add(reason, f"line {entry.line}: {utt}", always=True, audio=False)
            continue
        if utt in bad_lines:
            reason = "wav.scp entries whose trans.txt line was skipped as malformed"
            skips.add(reason, f"line {entry.line}: {utt}", always=True, audio=False)
            continue
        if utt not in trans:
            skips.add("wav.scp entries without a trans.txt line", f"line {entry.line}: {utt}", always=True, audio=False)
            continue
        audio = base / rel
        if not audio.is_file():
            skips.add("wav.scp entries whose WAV is missing", f"line {entry.line}: {utt}")
            continue
        by_speaker.setdefault(speaker, []).append(
            {
                "id": f"{channel}_{utt}",
                "audio": os.fspath(audio),
                "text": normalise(trans[utt].value),
                "speaker": speaker,
                "gender": genders.get(speaker),
                "device": channel,
                "language": "zh",
                "language_name": "Mandarin Chinese",
            }
        )
    if index == 0:  # counted once per channel and split
        for utt, entry in trans.items():
            if utt in bad_entries:
                reason = "trans.txt lines whose wav.scp entry was skipped as malformed"
                skips.add(reason, f"line {entry.line}: {utt}", always=True, audio=False)
            elif utt not in scp:
                skips.add(
                    "trans.txt lines without a wav.scp entry", f"line {entry.line}: {utt}", always=True, audio=False
                )
    yield from with_next_prompt(by_speaker)
    skips.report()
    lines.report()


SOURCE = Source(
    name="aishell2",
    corpus="AISHELL-2",
    license="AISHELL-2 licence agreement (non-commercial research and education; no redistribution)",
    redistributable=False,
    homepage="https://www.aishelltech.com/aishell_2",
    layout="AISHELL-2/ with iOS/{data,dev,test}/{trans.txt,wav.scp,wav/<spk>/*.wav} and iOS/data/spk_info.txt",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AISHELL2",
    languages=("zh",),
    audio_fields=frozenset({"audio", "prompt_audio"}),
    labels={"gender": tuple(GENDERS.values()), "language": ("zh",), "language_name": ("Mandarin Chinese",)},
)
