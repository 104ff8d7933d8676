"""The reading LibriSpeech and LibriTTS-R (so LibriTTS-P too) share: the readers' ``SPEAKERS`` file, the subset
folders, shards of speaker folders and the walk over ``<subset>/<spk>/<chapter>/``. Each parser keeps its corpus's
facts in a :class:`Layout` (file names, transcript form, error class) and reads its own transcripts; used by those
parsers, not a parser itself.

``SPEAKERS`` (``SPEAKERS.TXT`` in LibriSpeech, ``SPEAKERS.txt`` in LibriTTS): ``;`` comment lines, then the header
``;ID  |SEX| SUBSET |MINUTES| NAME`` and one ``|``-separated row per reader, padded with spaces or not. Columns are
found by name in that header, and a row is split into as many fields as the header has, the rest going to NAME,
because a reader's name may hold ``|`` (``|CBW|Simon``). Only ID and SEX are used (F/M, any case, become
female/male); names may hold any bytes, so undecodable ones are replaced. A malformed row is an error naming file
and line, or under ``on_error="skip"`` counted (by every shard, as each reads the file; the load's report holds it
once), and the folders of its speaker are then skipped and counted by their shard. No header, or a row before it,
is an error under every policy.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import CorpusFormatError, Shard
from .readers import Skips, numbered_dirs, text_lines, visible_names

#: subset folder -> split: the corpora's own split, with no speaker in two subsets
SUBSETS = {
    "train-clean-100": "train",
    "train-clean-360": "train",
    "train-other-500": "train",
    "dev-clean": "validation",
    "dev-other": "validation",
    "test-clean": "test",
    "test-other": "test",
}
GENDERS = {"F": "female", "M": "male"}
HEADER = "';ID |SEX| SUBSET |MINUTES| NAME'"


@dataclass(frozen=True)
class Layout:
    """One corpus's facts: its name in messages, its error, its speakers file, its transcript's name (a format
    of ``speaker`` and ``chapter``) and whether its subset folders may be spelled otherwise (a LibriTTS-R copy's
    ``train_clean_100`` or ``Train-Clean-100``)."""

    corpus: str  # "LibriSpeech", "LibriTTS-R"
    error: type[CorpusFormatError]
    speakers_file: str  # "SPEAKERS.TXT"
    transcript: str  # "{speaker}-{chapter}.trans.txt"
    respelled: bool = False

    def subset(self, folder: str) -> str:
        """The subset a folder of this corpus holds (not checked)."""
        return folder.lower().replace("_", "-") if self.respelled else folder


@dataclass(frozen=True)
class Chapter:
    """A chapter folder of a shard, its transcript present."""

    subset: str  # "train-clean-100"
    speaker: str
    chapter: str
    folder: Path
    rel: str  # the folder under the root: "<subset folder>/<spk>/<chapter>"
    names: frozenset[str]  # the visible names in the folder
    transcript: Path


def labels(chapter: Chapter, genders: dict[str, str]) -> dict[str, str]:
    """The fields every record of a chapter holds: its speaker, chapter, gender, language and subset."""
    return {
        "speaker": chapter.speaker,
        "chapter": chapter.chapter,
        "gender": genders[chapter.speaker],
        "language": "en",
        "language_name": "English",
        "subset": chapter.subset,
    }


def subset_folders(layout: Layout, root: Path) -> dict[str, str]:
    """Subset -> the folder holding it, in the order of :data:`SUBSETS` (for a layout whose folders may be
    respelled, the first spelling found when several are present)."""
    found: dict[str, str] = {}
    for name in visible_names(root):
        subset = layout.subset(name)
        if subset in SUBSETS and subset not in found and (root / name).is_dir():
            found[subset] = name
    return {s: found[s] for s in SUBSETS if s in found}


def first_chapter_holds(root: Path, folders: list[str], suffix: str) -> bool:
    """Whether the first chapter folder of the first speaker of the first subset folder that has one holds a file
    ending in ``suffix`` (what tells the corpora's transcripts apart)."""
    for folder in folders:
        for speaker in numbered_dirs(root / folder)[:1]:
            for chapter in numbered_dirs(root / folder / speaker)[:1]:
                return any(n.endswith(suffix) for n in visible_names(root / folder / speaker / chapter))
    return False


def list_shards(layout: Layout, root: Path, per_shard: int) -> dict[str, list[Shard]]:
    """Per split, the speaker folders (``<subset folder>/<spk>``) in shards of at most ``per_shard``, dealt
    round-robin over the speakers sorted by id, so that each shard holds several speakers (what mixtures of two
    speakers draw on) of every subset of the split. Reads no file."""
    speakers: dict[str, list[tuple[int, str, str]]] = {}
    for subset, folder in subset_folders(layout, root).items():
        for speaker in numbered_dirs(root / folder, strict=True):
            speakers.setdefault(SUBSETS[subset], []).append((int(speaker), subset, f"{folder}/{speaker}"))
    shards: dict[str, list[Shard]] = {}
    for split, found in speakers.items():
        rels = [rel for _, _, rel in sorted(found)]
        count = math.ceil(len(rels) / per_shard)
        shards[split] = [rels[i::count] for i in range(count)]
    return shards


def read_speakers(layout: Layout, path: Path, skips: Skips) -> dict[str, str]:
    """Speaker id -> "female" / "male", from the speakers file (see the module for what is an error)."""
    header: list[str] = []
    genders: dict[str, str] = {}
    for line_no, line in text_lines(path, layout.error, errors="replace"):
        if not line.strip():
            continue
        if line.startswith(";"):
            columns = [c.strip().upper() for c in line[1:].split("|")]
            if "ID" in columns and "SEX" in columns:
                header = columns
            continue
        if not header:
            raise layout.error(f"{path}:{line_no}: a speaker row before the header line {HEADER}")
        parts = [p.strip() for p in line.split("|", len(header) - 1)]
        problem = None
        if len(parts) != len(header):
            problem = f"expected {len(header)} '|'-separated fields ({' | '.join(header)}), got {len(parts)}: {line!r}"
        else:
            speaker, sex = parts[header.index("ID")], parts[header.index("SEX")].upper()
            if not speaker.isdigit():
                problem = f"speaker ID {speaker!r} is not a number"
            elif sex not in GENDERS:
                problem = f"SEX of speaker {speaker} is {sex!r}; expected F or M"
        if problem:
            skips.bad(layout.error(f"{path}:{line_no}: {problem}"))
            continue
        genders[speaker] = GENDERS[sex]
    if not header:
        raise layout.error(f"{path}: no header line {HEADER} found")
    return genders


def open_shard(layout: Layout, root: Path, shard: Shard, missing_audio: str) -> tuple[list, Skips]:
    """The entries of a shard (a list of ``<subset folder>/<spk>``) and its skips, or the corpus's error for
    another shard."""
    if not isinstance(shard, list):
        raise layout.error(f"shard {shard!r} is not a list of '<subset>/<speaker id>'")
    return shard, Skips(f"{layout.corpus} shard [{', '.join(map(str, shard))}] in {root}", missing_audio)


def chapters(layout: Layout, root: Path, shard: list, genders: dict[str, str], skips: Skips) -> Iterator[Chapter]:
    """The chapter folders of a shard's speakers, in speaker then chapter order. The folders of a speaker with no
    valid row in ``genders`` are skipped as malformed (an error unless the load skips bad items), a chapter folder
    without its transcript counted as absent."""
    for rel in shard:
        folder_name, _, speaker = str(rel).partition("/")
        subset = layout.subset(folder_name)
        if subset not in SUBSETS or not speaker.isdigit():
            raise layout.error(f"shard entry {rel!r} is not '<subset>/<speaker id>'")
        if speaker not in genders:
            skips.bad(
                layout.error(
                    f"{root / layout.speakers_file}: speaker {speaker} (folder {root / rel}) has no row (or no valid "
                    f"one); expected '{speaker} | F or M | {subset} | ...'"
                ),
                reason=f"speaker folder(s) with no valid row in {layout.speakers_file}",
            )
            continue
        for chapter in numbered_dirs(root / rel, strict=True):
            folder = root / rel / chapter
            names = frozenset(visible_names(folder, strict=True))
            transcript = layout.transcript.format(speaker=speaker, chapter=chapter)
            if transcript not in names:
                absent = layout.transcript.format(speaker="<spk>", chapter="<chapter>")
                skips.add(f"chapter folder(s) with no {absent}", f"{rel}/{chapter}")
                continue
            yield Chapter(subset, speaker, chapter, folder, f"{rel}/{chapter}", names, folder / transcript)
