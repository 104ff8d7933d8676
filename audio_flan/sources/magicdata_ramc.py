"""MagicData-RAMC (Rich Annotated Mandarin Conversational speech, OpenSLR 123; Yang et al. 2022): 180 hours of
free two-party Mandarin conversations over mobile phones, 351 dialogs of about 30 minutes, 16 kHz WAV, manually
transcribed segment by segment *with* the fillers (嗯, 啊, 呃 ...), repetitions and event tags of spontaneous
speech.

Why this corpus: spontaneous TTS wants conversational speech whose transcripts keep fillers and disfluencies.
Audio-FLAN's source for it, HQ-Conversations (ISCSLP 2024 CoVoC), could not be verified: nothing about its files
is public (our corpus notes, speech.md §16 and §27). The CoVoC challenge itself was built from MagicData's
conversational data and used RAMC beside HQ-Conversations; RAMC is public, has the same kind of labels
(speaker gender, age group, region, recording device) and documents its layout.

Licence: CC BY-NC-ND 4.0 (as OpenSLR 123 states it; not re-read here): the audio may not be redistributed in
modified form, so it is not re-hosted.

Layout, as documented by the corpus's repositories (``MagicHub-io/MagicData-RAMC`` and
``HaoranMiao/MagicData-RAMC`` READMEs) and read by the Kaldi/WeNet preparation script
``local/extract_magicdata_ramc.py``::

    MagicData-RAMC/
      DataPartition/{train,dev,test}.tsv        a first line of path information, then one line per dialog
                                                whose first whitespace-separated token is <dialog>.wav
      KeywordList/...                           (not read)
      MDT2021S003/
        README.txt
        SPKINFO.txt                             CHANNEL SPEAKER_ID GENDER AGE REGION,CITY DEVICE (tab-separated)
        UTTERANCEINFO.txt                       (per dialog: speakers, topic, durations; not read)
        TXT/<dialog>.txt                        [<start>,<end>]\\t<speaker>\\t<gender>,<dialect>\\t<text>
        WAV/<dialog>.wav

A record is one transcribed segment: its ``audio`` is a region of the dialog's WAV (only those frames are read).
Segments of speaker ``G00000000`` (the recording system's prompts, which the preparation script drops) and
segments whose whole text is one event tag (``[+]``, ``[++]``, ``[*]``, ``[SONANT]``, ``[MUSIC]``,
``[LAUGHTER]``, ``[ENS]``, ``[SYSTEM]``) are not speech to synthesise and are passed over; a segment whose end
is not after its start (the script reports and drops these) is skipped and counted. The text is kept verbatim,
fillers and in-line tags included: they are what spontaneous TTS is asked to render.

Labels: ``gender`` ``female``/``male`` (SPKINFO's ``F``/``M``); ``age_group``, ``region`` and ``device`` as
SPKINFO writes them; ``language`` ``zh`` (``Mandarin Chinese``). Splits: the corpus's DataPartition (``dev`` ->
``validation``); a copy without DataPartition/ splits dialogs by a stable hash of their name (1 in 20 test,
1 in 20 validation; RAMC's speakers each take part in one dialog, so no speaker is in two splits). Shards: up
to 4 dialogs of a split. A TXT line that is not four tab fields with a ``[start,end]`` time pair, or a speaker
missing from SPKINFO, is an error naming file and line; a listed dialog whose WAV is absent has its segments
skipped and counted.

Under ``on_error="skip"`` a malformed line is counted (once per split loaded) and skipped: a TXT line (each
dialog is read by one shard), a DataPartition line (read when listing), a SPKINFO row (every shard reads and
counts SPKINFO). Segments of a speaker whose SPKINFO row was skipped have lost their
gender, age, region and device, so they are left out too, counted under their own reason (a segment whose speaker
is missing from a SPKINFO that had no malformed row is itself a malformed line). The header of SPKINFO stays an
error under every policy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..audio_values import Region
from ._stable_hash import hash_split
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

DATA = "MDT2021S003"
PARTITIONS = {"train.tsv": "train", "dev.tsv": "validation", "test.tsv": "test"}
SPKINFO = "SPKINFO.txt"
SYSTEM_SPEAKER = "G00000000"
TAGS = frozenset({"[+]", "[++]", "[*]", "[SONANT]", "[MUSIC]", "[LAUGHTER]", "[ENS]", "[SYSTEM]"})
GENDERS = {"F": "female", "M": "male", "女": "female", "男": "male"}
DIALOGS_PER_SHARD = 4
TIMES = re.compile(r"\[\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*\]")
SPEAKER = re.compile(r"G\d{8}")
FIELDS = (
    "id",
    "audio",
    "text",
    "speaker",
    "gender",
    "age_group",
    "region",
    "device",
    "dialog",
    "start",
    "end",
    "language",
    "language_name",
)


class MagicDataRAMCFormatError(CorpusFormatError):
    """A MagicData-RAMC file that is not what the corpus's README shows."""


def detect(root: Path) -> bool:
    return (root / DATA / SPKINFO).is_file() and (root / DATA / "TXT").is_dir()


def read_partition(path: Path, skips: Skips | None = None) -> list[str]:
    """The dialog names a DataPartition TSV lists (its first line is path information); a bad line raises, or given
    ``skips`` of a load that skips bad items, is counted there and left out."""
    names = []
    for line_no, line in text_lines(path, MagicDataRAMCFormatError, skips=skips):
        if line_no == 1 or not line.strip():
            continue
        first = line.split()[0]
        if not first.endswith(".wav"):
            bad = MagicDataRAMCFormatError(f"{path}:{line_no}: expected a line starting '<dialog>.wav', got {line!r}")
            if skips is None:
                raise bad
            skips.bad(bad)
            continue
        names.append(first[: -len(".wav")])
    return names


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, dialog, ...]`` of up to 4 dialogs. Reads only DataPartition/*.tsv."""
    skips = Skips(f"MagicData-RAMC {root / 'DataPartition'}", SOURCE.missing_audio)
    splits = _dialogs(root, skips)
    skips.report()
    return {
        split: [[split, *names[i : i + DIALOGS_PER_SHARD]] for i in range(0, len(names), DIALOGS_PER_SHARD)]
        for split, names in splits.items()
        if names
    }


def _dialogs(root: Path, skips: Skips) -> dict[str, list[str]]:
    """split -> the dialog names of that split, by DataPartition (or by hash without it)."""
    splits: dict[str, list[str]] = {}
    partition = root / "DataPartition"
    if any((partition / name).is_file() for name in PARTITIONS):
        for name, split in PARTITIONS.items():
            if (partition / name).is_file():
                splits[split] = read_partition(partition / name, skips)
    else:
        for name in visible_names(root / DATA / "TXT"):
            if name.endswith(".txt"):
                split = hash_split(name[:-4], 20)
                splits.setdefault(split, []).append(name[:-4])
    return splits


def read_speakers(path: Path, skips: Skips | None = None) -> tuple[dict[str, dict[str, str | None]], set[str]]:
    """SPEAKER_ID -> gender, age group, region and device, from SPKINFO.txt (header CHANNEL SPEAKER_ID ...), and
    the speaker ids of rows skipped as malformed (given ``skips`` of a load that skips bad items; otherwise a bad
    row raises)."""
    speakers: dict[str, dict[str, str | None]] = {}
    broken: set[str] = set()
    header_seen = False
    for line_no, line in text_lines(path, MagicDataRAMCFormatError, skips=skips):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        if not header_seen:
            if not fields or fields[0] != "CHANNEL" or len(fields) != 6:
                raise MagicDataRAMCFormatError(
                    f"{path}:{line_no}: expected the header 'CHANNEL SPEAKER_ID GENDER AGE REGION,CITY DEVICE'"
                )
            header_seen = True
            continue
        try:
            speakers.update(_speaker_row(path, line_no, fields))
        except MagicDataRAMCFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            if len(fields) > 1 and SPEAKER.fullmatch(fields[1]):
                broken.add(fields[1])
    if not header_seen:
        raise MagicDataRAMCFormatError(f"{path}: empty; expected the header 'CHANNEL SPEAKER_ID GENDER ...'")
    return speakers, broken


def _speaker_row(path: Path, line_no: int, fields: list[str]) -> dict[str, dict[str, str | None]]:
    if len(fields) != 6:
        raise MagicDataRAMCFormatError(
            f"{path}:{line_no}: expected 6 tab-separated fields (CHANNEL, SPEAKER_ID, GENDER, AGE, REGION, "
            f"DEVICE), got {len(fields)}"
        )
    _, speaker, gender, age, region, device = fields
    if not SPEAKER.fullmatch(speaker) or gender not in GENDERS:
        raise MagicDataRAMCFormatError(
            f"{path}:{line_no}: expected a speaker 'G<8 digits>' and gender F or M, got {speaker!r}, {gender!r}"
        )
    return {speaker: {"gender": GENDERS[gender], "age_group": age, "region": region, "device": device}}


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) >= 2 and all(isinstance(s, str) for s in shard)):
        raise MagicDataRAMCFormatError(f"shard {shard!r} is not [split, dialog, ...]")
    split, dialogs = shard[0], shard[1:]
    skips = Skips(f"MagicData-RAMC {split} shard [{', '.join(dialogs)}] in {root}", SOURCE.missing_audio)
    speakers_path = root / DATA / SPKINFO
    rows = Skips(f"MagicData-RAMC {speakers_path}", SOURCE.missing_audio)  # every shard reads (and counts) SPKINFO
    speakers, broken = read_speakers(speakers_path, rows)
    present = set(visible_names(root / DATA / "WAV"))
    for dialog in dialogs:
        txt = root / DATA / "TXT" / f"{dialog}.txt"
        if not txt.is_file():
            skips.add("listed dialog(s) without a TXT transcript", dialog, audio=False)
            continue
        wav = os.path.join(root, DATA, "WAV", f"{dialog}.wav")
        for line_no, line in text_lines(txt, MagicDataRAMCFormatError, skips=skips):
            if not line.strip():
                continue
            fields = line.split("\t")
            times = TIMES.fullmatch(fields[0].strip()) if fields else None
            if len(fields) != 4 or times is None:
                skips.bad(
                    MagicDataRAMCFormatError(
                        f"{txt}:{line_no}: expected '[<start>,<end>]<TAB><speaker><TAB><gender>,<dialect><TAB><text>', "
                        f"got {line[:80]!r}"
                    )
                )
                continue
            speaker, text = fields[1].strip(), fields[3].strip()
            if speaker == SYSTEM_SPEAKER or not text or text in TAGS:
                continue
            start, end = float(times[1]), float(times[2])
            if end <= start:
                skips.add(
                    "segment(s) whose end is not after its start", f"{txt.name}:{line_no}", always=True, audio=False
                )
                continue
            if speaker not in speakers and (speaker in broken or rows.malformed):
                skips.add(
                    f"segment(s) whose speaker's {SPKINFO} row was skipped as malformed",
                    f"{txt.name}:{line_no}",
                    always=True,
                    audio=False,
                )
                continue
            if speaker not in speakers:
                skips.bad(
                    MagicDataRAMCFormatError(f"{txt}:{line_no}: speaker {speaker!r} has no row in {speakers_path}")
                )
                continue
            if f"{dialog}.wav" not in present:
                skips.add("segment(s) of dialogs whose WAV is missing", f"{txt.name}:{line_no}")
                continue
            yield {
                "id": f"{speaker}-{dialog}-{round(start * 1000):07d}-{round(end * 1000):07d}",
                "audio": Region(wav, start, round(end - start, 6)),
                "text": text,
                "speaker": speaker,
                **speakers[speaker],
                "dialog": dialog,
                "start": start,
                "end": end,
                "language": "zh",
                "language_name": "Mandarin Chinese",
            }
    skips.report()
    rows.report()


SOURCE = Source(
    name="magicdata_ramc",
    corpus="MagicData-RAMC",
    license="CC BY-NC-ND 4.0",
    redistributable=False,
    homepage="https://www.openslr.org/123/",
    layout="MagicData-RAMC/ with MDT2021S003/{SPKINFO.txt,TXT/<dialog>.txt,WAV/<dialog>.wav} and "
    "DataPartition/{train,dev,test}.tsv",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="RAMC",
    languages=("zh",),
    listing_reads=("DataPartition/*.tsv",),
    labels={"gender": ("female", "male"), "language": ("zh",), "language_name": ("Mandarin Chinese",)},
)
