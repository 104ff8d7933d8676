"""LibriTTS-P (LINE, Interspeech 2024): speaking-style and speaker prompts annotated over LibriTTS-R, for speech
captioning and description-based TTS. It holds no audio: its utterance ids are LibriTTS-R's, whose audio and
transcripts are read through the ``libritts_r`` parser's own public functions.

Licence: CC BY 4.0 (the repository's README), as is LibriTTS-R, so both may be redistributed with attribution.

Layout: a clone (or the ``data/`` folder) of ``github.com/line/LibriTTS-P`` beside a LibriTTS-R copy, both
immediate sub-folders of the root::

    <root>/
      LibriTTS-P/data/metadata_w_style_prompt_tags_v230922.csv   a header, then one row per utterance
      LibriTTS-P/data/style_prompt_candidates_v230922.csv        <style key>|<prompt>;<prompt>;...  (no header)
      LibriTTS-P/data/excluded_spk_list.txt                      one speaker id a line
      LibriTTS-P/data/{df1,df2,df3}_en.csv  unannotated_spk_list.txt   (speaker prompts: not read)
      LibriTTS_R/ ...                                            as the libritts_r parser reads it

Looked up in the repository itself (its README's column table and the files' first lines). The metadata CSV's
columns are read by name: ``item_name`` (a LibriTTS-R utterance id), ``spk_id``, ``style_prompt_key`` and
``invalid`` (``1``: the authors' tagging failed, so the row is not used). A style key is
``<M|F>_p-<low|normal|high>_s-<slow|normal|fast>_e-<low|normal|high>`` (gender, pitch, speaking speed,
loudness). The candidate prompts of a key are of two kinds: descriptions ("A man with low pitch speaks slowly
with normal volume") and requests ("Ask a man to speak slowly ..."); some of the latter contradict their key
("Command a man with a high-pitched voice ..." under ``p-low``). Only descriptions are used: ``description``
is one of the key's descriptions, chosen by a stable hash of the utterance id (so the same utterance always
gets the same one, and a key's variety is spread over its utterances); a key with no description gets none.
The speakers of ``excluded_spk_list.txt`` (LibriTTS-R speaker ids whose clips show different genders) get no
description, as the authors recommend.

What a record is: a LibriTTS-R utterance (the ``libritts_r`` record, same id, same audio id prefix) plus
``description``, ``style_prompt_key`` and its ``pitch_level``, ``speed_level`` and ``energy_level``; None where
LibriTTS-P has no valid annotation for it, so speech captioning and descriptive TTS leave it out, counted.
Splits and shards are LibriTTS-R's (subsets; speaker folders).

Malformed lines: a metadata row without the header's fields, whose item_name is not a LibriTTS-R utterance id of
its spk_id, whose invalid is not 0/1 or whose (valid) style key is not one, or whose style key the candidates
file lacks; a candidates line that is not ``<key>|<prompts>``. Each is an error naming file and line; under
``on_error="skip"`` it is skipped and counted once per split loaded (every shard reads both files and counts
their lines; a missing key, found per utterance, by the utterance's shard, which leaves the utterance out).
The utterance of a malformed row (named by its item_name, or, for a line the CSV reader refuses, by the
utterance id that begins it, item_name being the first column) is left out too, even when another row
annotates it, as its annotation is in doubt; it is counted under its own reason by its shard, not passed off as
unannotated. A malformed candidates line
leaves its key without prompts, so the utterances annotated with a key the file lacks are left out, counted
under their own reason. A header without item_name, spk_id and style_prompt_key
stays an error under every policy; LibriTTS-R's own files are read (and skipped) by the ``libritts_r`` parser.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from . import libritts_r
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, text_lines, visible_names

METADATA = re.compile(r"metadata_w_style_prompt_tags_v(\d+)\.csv")
CANDIDATES = "style_prompt_candidates_v{version}.csv"
EXCLUDED = "excluded_spk_list.txt"
STYLE_KEY = re.compile(r"(?P<g>[MF])_p-(?P<p>low|normal|high)_s-(?P<s>slow|normal|fast)_e-(?P<e>low|normal|high)")
REQUIRED = ("item_name", "spk_id", "style_prompt_key")
# first words of the candidate prompts that ask for speech rather than describe it
REQUESTS = frozenset(
    {"ask", "command", "direct", "encourage", "instruct", "let", "request", "tell", "urge", "please", "can", "could",
     "would", "is", "speak", "say", "make", "have", "get", "may"}
)  # fmt: skip
LEVELS = {"pitch_level": ("low", "normal", "high"), "speed_level": ("slow", "normal", "fast")}
LEVELS["energy_level"] = ("low", "normal", "high")
EXTRA = ("description", "style_prompt_key", "pitch_level", "speed_level", "energy_level")
FIELDS = (*libritts_r.FIELDS, *EXTRA)


class LibriTTSPFormatError(CorpusFormatError):
    """A LibriTTS-P file that is not what the repository's README and files show."""


def _annotation_folder(folder: Path) -> tuple[Path, str] | None:
    """(the data/ folder, the version) of a LibriTTS-P clone or its data/ folder, or None."""
    for data in (folder / "data", folder):
        for name in reversed(visible_names(data)):
            match = METADATA.fullmatch(name)
            if match and (data / CANDIDATES.format(version=match[1])).is_file():
                return data, match[1]
    return None


def _parts(root: Path) -> tuple[tuple[Path, str], str] | None:
    """((annotation data folder, version), LibriTTS-R folder name) in the root's sub-folders, or None."""
    annotations, audio = None, None
    for name in visible_names(root):
        folder = root / name
        if not folder.is_dir():
            continue
        if annotations is None:
            annotations = _annotation_folder(folder)
        if audio is None and libritts_r.detect(folder):
            audio = name
    return (annotations, audio) if annotations and audio else None


def detect(root: Path) -> bool:
    return _parts(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """LibriTTS-R's shards, each led by the name of the LibriTTS-R folder. Reads nothing."""
    parts = _parts(root)
    if parts is None:
        raise LibriTTSPFormatError(
            f"{root}: expected a LibriTTS-P clone (data/metadata_w_style_prompt_tags_v*.csv) and a LibriTTS-R copy in its sub-folders"
        )
    audio = parts[1]
    return {
        split: [[audio, *shard] for shard in shards]  # type: ignore[misc]
        for split, shards in libritts_r.list_shards(root / audio).items()
    }


def is_description(prompt: str) -> bool:
    words = prompt.split()
    return bool(words) and words[0].lower().strip(",") not in REQUESTS and not prompt.rstrip().endswith("?")


def read_candidates(path: Path, skips: Skips | None = None) -> dict[str, list[str]]:
    """style key -> its descriptions (requests dropped), from ``<key>|<prompt>;<prompt>;...`` lines. A malformed
    line raises, or given ``skips`` of a load that skips bad items, is skipped and counted there."""
    found: dict[str, list[str]] = {}
    for line_no, line in text_lines(path, LibriTTSPFormatError, skips=skips):
        if not line.strip():
            continue
        key, sep, prompts = line.partition("|")
        if not sep or not STYLE_KEY.fullmatch(key.strip()):
            error = LibriTTSPFormatError(
                f"{path}:{line_no}: expected '<M|F>_p-<pitch>_s-<speed>_e-<energy>|<prompt>;<prompt>;...', got {line[:80]!r}"
            )
            if skips is None:
                raise error
            skips.bad(error)
            continue
        found[key.strip()] = [p.strip() for p in prompts.split(";") if p.strip() and is_description(p.strip())]
    return found


class _Gathered(Skips):
    """The malformed rows of the metadata CSV, gathered while it is read once for every shard (the read is
    cached); each shard then raises or counts them under its own load's policy."""

    def __init__(self, what: str):
        super().__init__(what)
        self.errors: list[CorpusFormatError] = []

    @property
    def skipping(self) -> bool:
        return True

    def bad(self, error: CorpusFormatError, reason: str = "malformed metadata line(s)") -> None:
        self.errors.append(error)


class Annotations(NamedTuple):
    """What the metadata CSV says: the valid rows, and what its malformed rows cost."""

    rows: dict[str, tuple[str, int]]  # utterance id -> (style key, line) of a valid row
    errors: tuple[CorpusFormatError, ...]  # one per malformed row, in file order
    lost: frozenset[str]  # the utterances of the malformed rows, where their line names one


@functools.lru_cache(maxsize=2)
def _annotations(path: str, _size: int, _mtime: int) -> Annotations:
    """The metadata CSV read once (cached per file version: every shard joins against the whole file)."""
    rows: dict[str, tuple[str, int]] = {}
    lost: set[str] = set()
    read: set[int] = set()  # the lines ending a row the CSV reader returned
    own = 0  # rows it returned that are malformed
    gathered = _Gathered(f"LibriTTS-P {path}")
    for line_no, row in csv_rows(Path(path), LibriTTSPFormatError, required=REQUIRED, skips=gathered):
        read.add(line_no)
        item, key = row["item_name"].strip(), row["style_prompt_key"].strip()
        invalid = row.get("invalid", "0").strip()
        problem = None
        if not libritts_r.UTTERANCE_ID.fullmatch(item) or item.split("_")[0] != row["spk_id"].strip():
            problem = f"item_name {item!r} is not a LibriTTS-R utterance id of speaker {row['spk_id']!r}"
        elif invalid not in ("0", "1"):
            problem = f"invalid is {invalid!r}; expected 0 or 1"
        elif invalid == "0" and not STYLE_KEY.fullmatch(key):
            problem = f"style_prompt_key {key!r} is not '<M|F>_p-<pitch>_s-<speed>_e-<energy>'"
        if problem:
            gathered.bad(LibriTTSPFormatError(f"{path}:{line_no}: {problem}"))
            own += 1
            lost.add(item)
        elif invalid == "0":
            rows[item] = (key, line_no)
    if len(gathered.errors) > own:  # rows the CSV reader refused: find their utterances by their lines
        lost.update(_leading_ids(Path(path), rows, read))
    return Annotations(rows, tuple(gathered.errors), frozenset(lost))


def _leading_ids(path: Path, rows: dict[str, tuple[str, int]], read: set[int]) -> set[str]:
    """The utterance ids that begin the lines of ``path`` that no row the CSV reader returned covers (item_name
    is the first column of the published file). ``read`` holds the last line of each returned row; a line
    beginning a valid row of several lines is known by that row's last line coming before any other's."""
    ends = sorted(read)
    found = set()
    for line_no, line in text_lines(path, LibriTTSPFormatError, errors="replace"):
        head = line.split(",", 1)[0].strip().strip('"')
        if line_no in read or not libritts_r.UTTERANCE_ID.fullmatch(head):
            continue
        after = bisect.bisect_right(ends, line_no)
        if head in rows and after < len(ends) and ends[after] == rows[head][1]:
            continue  # the first line of its own valid row
        found.add(head)
    return found


def read_annotations(path: Path) -> Annotations:
    stat = os.stat(path)
    return _annotations(os.fspath(path), stat.st_size, stat.st_mtime_ns)


def read_excluded(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    return frozenset(line.strip() for _, line in text_lines(path, LibriTTSPFormatError) if line.strip())


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) >= 2 and all(isinstance(s, str) for s in shard)):
        raise LibriTTSPFormatError(f"shard {shard!r} is not [LibriTTS-R folder, '<subset>/<speaker>', ...]")
    parts = _parts(root)
    if parts is None:
        raise LibriTTSPFormatError(f"{root}: the LibriTTS-P clone or the LibriTTS-R copy is gone")
    (data, version), _ = parts
    metadata = data / f"metadata_w_style_prompt_tags_v{version}.csv"
    candidates_path = data / CANDIDATES.format(version=version)
    skips = Skips(f"LibriTTS-P shard [{', '.join(shard)}] in {root}", SOURCE.missing_audio)
    candidate_lines = Skips(f"LibriTTS-P {candidates_path}", SOURCE.missing_audio)
    candidates = read_candidates(candidates_path, candidate_lines)
    annotations = read_annotations(metadata)
    metadata_rows = Skips(f"LibriTTS-P {metadata}", SOURCE.missing_audio)
    for error in annotations.errors:
        metadata_rows.bad(error)
    excluded = read_excluded(data / EXCLUDED)
    for record in libritts_r.read_shard(root / shard[0], shard[1:]):
        if record["id"] in annotations.lost:
            skips.add(f"utterance(s) whose row in {metadata.name} is malformed", record["id"], always=True, audio=False)
            continue
        found = annotations.rows.get(record["id"]) if record["speaker"] not in excluded else None
        extra = dict.fromkeys(EXTRA)
        if found is not None and found[0] not in candidates:
            key, line_no = found
            if candidate_lines.malformed:  # the key's own line may be the malformed one
                lost = f"utterance(s) whose style key has no valid line in {candidates_path.name}"
                skips.add(lost, f"{metadata.name}:{line_no}: {key}", always=True, audio=False)
            else:
                skips.bad(
                    LibriTTSPFormatError(f"{metadata}:{line_no}: style_prompt_key {key} is not in {candidates_path}")
                )
            continue
        if found is not None:
            key = found[0]
            match = STYLE_KEY.fullmatch(key)
            assert match is not None  # checked when read
            options = candidates[key]
            extra.update(
                description=options[stable_hash(record["id"]) % len(options)] if options else None,
                style_prompt_key=key,
                pitch_level=match["p"],
                speed_level=match["s"],
                energy_level=match["e"],
            )
        yield {**record, **extra}
    for shared in (candidate_lines, metadata_rows, skips):
        shared.report()


SOURCE = Source(
    name="libritts_p",
    corpus="LibriTTS-P",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://github.com/line/LibriTTS-P",
    layout="a folder holding a LibriTTS-P clone (data/metadata_w_style_prompt_tags_v*.csv, "
    "data/style_prompt_candidates_v*.csv) and a LibriTTS-R copy (LibriTTS_R/) as sub-folders",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix=libritts_r.SOURCE.audio_prefix,
    languages=("en",),
    labels={**libritts_r.SOURCE.labels, **LEVELS},
)
