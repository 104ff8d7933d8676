"""Vocal Imitation Set v1.1 (Kim, Ghei, Pardo and Duan, ISMIR 2018): people imitating, with their voice, reference
sounds from 302 AudioSet ontology categories.

Licence: CC BY 4.0 for the imitations and metadata (Zenodo record 1340763; the record was not opened here, the
corpus notes give it as believed); the reference recordings keep their Freesound licences
(``Ref_audio_license.csv``). Only the imitations are read. Treated as redistributable.

Layout, as Zenodo (v1.1.3) and GitHub ``interactiveaudiolab/VocalImitationSet`` distribute it (the file list and
``vocal_imitations.txt`` seen through the code search)::

    VocalImitationSet/
      vocal_imitations.txt                   TAB-separated, pandas' unnamed index column first (header starts with TAB)
      vocal_imitations/included/<NNN><category path>-<imitation id>.wav
      vocal_imitations/excluded/...          imitations the authors left out (drafts, failed checks)
      original_recordings/reference/...  original_recordings/non_reference/...
      vocal_imitations_assessment.txt  reference_audio_categories.txt  Ref_audio_license.csv  duplicates.csv ...

``vocal_imitations.txt`` columns: (index), ``imitation_id, imitation_filename, category_id, category_d1`` ...
``category_d6, reference_filename, included, draft, training, participant_id, satisfaction,
participants_sound_recording_description, participants_sound_recording_description_confidence``. Category names
come from the ``category_d*`` columns (file names replace the ontology's commas with ``_``); ``participant_id`` is
float-mangled by pandas (``5734240000000000.0``) and kept as an opaque string; the description, the imitator's
own words for what they heard, is empty for drafts.

Decisions: a record is an imitation with ``included == True`` (the authors' set; those with ``False`` live in
``excluded/`` and are counted as left out). The question is what sound is being imitated; the answer is the
category path, ``Animal > Domestic animals, pets > Cat > Growling``. There is no official split: a participant's
imitations all go to one split, by a stable hash of ``participant_id`` (one in ten to test, one in ten to
validation, the rest to train). An included imitation whose file is absent is skipped and counted.

Every split reads every row (the split needs the participant), so every split checks every row: a malformed one
(a field count other than the header's, not UTF-8, an ``imitation_id`` that is not a number, a file name that is not
a ``.wav`` name, ``included`` neither True nor False, category columns with a gap, an empty ``participant_id``, an
``imitation_id`` listed twice) is an error naming file and line by default, and under ``on_error="skip"`` is skipped
and counted by every split (once per split loaded). A header that is not the corpus's stays an error under every policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import hash_split
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

METADATA = "vocal_imitations.txt"
AUDIO = ("vocal_imitations", "included")
DEPTHS = tuple(f"category_d{n}" for n in range(1, 7))
COLUMNS = ("imitation_id", "imitation_filename", "category_id", *DEPTHS, "included", "participant_id")
DESCRIPTION = "participants_sound_recording_description"
BOOLS = {"True": True, "False": False}
QUESTION = "What sound is the person imitating with their voice?"
FIELDS = ("id", "audio", "question", "answer", "category", "category_id", "description", "participant")


class VocalImitationFormatError(CorpusFormatError):
    """A vocal_imitations.txt that is not what the Vocal Imitation Set distributes."""


def detect(root: Path) -> bool:
    return (root / METADATA).is_file() and root.joinpath(*AUDIO).is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per split, all reading the one metadata file; nothing is read here."""
    return {"train": ["train"], "validation": ["validation"], "test": ["test"]}


def split_of(participant: str) -> str:
    return hash_split(participant)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if shard not in ("train", "validation", "test"):
        raise VocalImitationFormatError(f"shard {shard!r} is not a split (train, validation, test)")
    path = root / METADATA
    audio_dir = root.joinpath(*AUDIO)
    present = set(visible_names(audio_dir, strict=True))
    skips = Skips(f"Vocal Imitation Set {path} ({shard})", SOURCE.missing_audio)
    rows = Skips(f"Vocal Imitation Set {path}", SOURCE.missing_audio)
    records: dict[int, Record] = {}
    seen: dict[int, int] = {}
    for line_no, row in csv_rows(path, VocalImitationFormatError, delimiter="\t", required=COLUMNS, skips=rows):
        try:
            imitation, name, included, category, participant = _row(f"{path}:{line_no}", row, seen)
        except VocalImitationFormatError as err:
            rows.bad(err)
            continue
        seen[int(imitation)] = line_no
        if split_of(participant) != shard:
            continue
        if not included:
            skips.add("imitation(s) the authors excluded (included=False)", name, always=True, audio=False)
            continue
        if name not in present:
            skips.add(f"included imitation(s) absent from {'/'.join(AUDIO)}/", f"line {line_no}: {name}")
            continue
        records[int(imitation)] = {
            "id": imitation,
            "audio": os.fspath(audio_dir / name),
            "question": QUESTION,
            "answer": " > ".join(category),
            "category": category[-1],
            "category_id": row["category_id"].strip(),
            "description": row.get(DESCRIPTION, "").strip() or None,
            "participant": participant,
        }
    yield from (records[k] for k in sorted(records))
    skips.report()
    rows.report()


def _row(where: str, row: dict[str, str], seen: dict[int, int]) -> tuple[str, str, bool, list[str], str]:
    """(imitation id, file name, included, category path, participant) of one checked row."""
    imitation, name = row["imitation_id"].strip(), row["imitation_filename"]
    if not imitation.isdigit():
        raise VocalImitationFormatError(f"{where}: imitation_id {imitation!r} is not a number")
    if int(imitation) in seen:
        raise VocalImitationFormatError(f"{where}: imitation_id {imitation} is also on line {seen[int(imitation)]}")
    if not name.endswith(".wav") or "/" in name or name.startswith("."):
        raise VocalImitationFormatError(f"{where}: imitation_filename {name!r} is not a .wav file name")
    included = BOOLS.get(row["included"].strip())
    if included is None:
        raise VocalImitationFormatError(f"{where}: included is {row['included']!r}; expected True or False")
    path_names = [row[d].strip() for d in DEPTHS]
    category = path_names[: path_names.index("")] if "" in path_names else path_names
    if not category or any(path_names[len(category) :]):
        raise VocalImitationFormatError(f"{where}: category_d1..d6 are not a path from the top (no gaps)")
    participant = row["participant_id"].strip()
    if not participant:
        raise VocalImitationFormatError(f"{where}: participant_id is empty")
    return imitation, name, included, category, participant


SOURCE = Source(
    name="vocal_imitation",
    corpus="Vocal Imitation Set",
    license="CC BY 4.0 (reference recordings: their Freesound licences)",
    redistributable=True,
    homepage="https://zenodo.org/records/1340763",
    layout="VocalImitationSet/ with vocal_imitations.txt and vocal_imitations/included/*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="VocalImitation",
)
