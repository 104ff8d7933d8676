"""VocalSet 1.2 (Wilkins et al., ISMIR 2018): 10.1 hours of 20 professional singers (9 female, 11 male) singing
arpeggios, scales, long tones and song excerpts in 17 techniques, WAV 44.1 kHz mono.

Licence: CC BY 4.0 (Zenodo 1442513), so the audio may be redistributed with attribution.

Layout, as ``VocalSet1-2.zip`` extracts (from the corpus notes: the unzip filter of public loaders, which keep
paths of exactly five parts, and their rename and delete lists)::

    FULL/<female1..female9|male1..male11>/<context>/<technique>/<f1..m11>_<context>_<technique>_<vowel>.wav
    train_singers_technique.txt  test_singers_technique.txt  readme-anon.txt  DataSetVocalises.pdf
    __MACOSX/ ... .DS_Store                                  (macOS debris, never read)

with the contexts ``arpeggios``, ``long_tones``, ``scales`` and ``excerpts``. **The technique is the folder**,
never the file name, and so is the singer: some files lack the singer prefix or are misnamed
(``lip_trill/lip_trill_arps.wav``, ``straight/arpeggios_straight_a.wav``). Duplicates that the zip carries with
a ``(1)`` before the extension (``f2_scales_vibrato_a(1).wav``) are skipped and counted; so are WAVs that are not
five path parts deep (``FULL/<singer>/<context>/<technique>/<file>``). No file lists the WAVs, so a missing one
cannot be told; a WAV shorter than a WAV header (empty or cut off by a failed copy) is skipped and counted.

Labels: the ten techniques of the paper's classification task, spelled as the folders are
(:data:`TECHNIQUES`: ``lip_trill``, ``vocal_fry``, whose words would otherwise say ``trill`` twice in an option
list); the other folders (``fast_forte``, ``slow_piano``, ``messa``, ...: tempo and dynamics of the exercises)
are counted and left out. ``singer`` is the file-name prefix form (``f2``, ``m10``), ``gender`` female or male.

Splits: the official singer split, read from ``test_singers_technique.txt`` (one singer a line, ``female2`` or
``f2``; the paper's test singers f2, f8, m3, m5 and m10 when the file is absent); every other singer is train.
One shard per singer: listing reads the singer folders only. A line of the singer list that does not name a
singer is an error naming file and line; under ``on_error="skip"`` it is counted by every shard (each reads the
list; once per split loaded) and skipped. The singer it meant is then unknown, so
every singer in neither ``test_singers_technique.txt`` nor ``train_singers_technique.txt`` (all singers not in
the test list when the train list is absent) is left out, counted under its own reason: a test singer must not
be read as train.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

FULL = "FULL"
TEST_LIST = "test_singers_technique.txt"
TRAIN_LIST = "train_singers_technique.txt"
TECHNIQUES = (
    "belt",
    "breathy",
    "inhaled",
    "lip_trill",
    "spoken",
    "straight",
    "trill",
    "trillo",
    "vibrato",
    "vocal_fry",
)
DEFAULT_TEST = ("f2", "f8", "m3", "m5", "m10")
_SINGER = re.compile(r"(female|male|f|m)(\d+)")
WAV_HEADER = 44  # bytes: a file shorter than a WAV header holds no audio
_DUPLICATE = re.compile(r".*\(\d+\)\.wav", re.IGNORECASE)
FIELDS = ("id", "audio", "technique", "singer", "gender", "context")


class VocalSetFormatError(CorpusFormatError):
    """A VocalSet singer list that is not what the corpus ships."""


def short(singer: str) -> str | None:
    """``female2`` -> ``f2``; None for a name that is not a singer."""
    match = _SINGER.fullmatch(singer.strip().lower())
    return f"{match[1][0]}{int(match[2])}" if match else None


def detect(root: Path) -> bool:
    return (root / FULL).is_dir() and ((root / TEST_LIST).is_file() or (root / FULL / "female1").is_dir())


def singers(root: Path) -> list[str]:
    return [n for n in visible_names(root / FULL, strict=True) if short(n) and (root / FULL / n).is_dir()]


def test_singers(root: Path) -> tuple[str, ...]:
    path = root / TEST_LIST
    if not path.is_file():
        return DEFAULT_TEST
    return read_singer_list(path)


def read_singer_list(path: Path, skips: Skips | None = None) -> tuple[str, ...]:
    """The singers of a singer list (``female2`` or ``f2``, one or more a line); raises on a line that names no
    singer (given ``skips`` of a load that skips bad items, the line is counted there and skipped)."""
    found = []
    for line_no, text in text_lines(path, VocalSetFormatError, skips=skips):
        tokens = [token for token in re.split(r"[\s,]+", text.strip()) if token]
        names = [short(token) for token in tokens]
        bad = next((t for t, n in zip(tokens, names) if n is None), None)
        if bad is not None:
            err = VocalSetFormatError(f"{path}:{line_no}: {bad!r} is not a singer (female1..9, male1..11)")
            if skips is None:
                raise err
            skips.bad(err)
            continue
        found += [n for n in names if n is not None]
    return tuple(found)


def split_of(root: Path, singer: str) -> str | None:
    """``train`` or ``test`` for a singer; None when a skipped line of the test list may have named them."""
    path = root / TEST_LIST
    if not path.is_file():
        return "test" if singer in DEFAULT_TEST else "train"
    lists = Skips(f"VocalSet {path}")
    if not lists.skipping:
        return "test" if singer in read_singer_list(path) else "train"
    test = read_singer_list(path, lists)
    if not lists.malformed:
        return "test" if singer in test else "train"
    train_path = root / TRAIN_LIST  # read by every shard alike, each counting its bad lines
    train = read_singer_list(train_path, Skips(f"VocalSet {train_path}")) if train_path.is_file() else ()
    if singer in test:
        return "test"
    return "train" if singer in train else None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per singer folder; the split of a singer is decided when its shard is read."""
    folders = singers(root)
    return {"train": [[f, "train"] for f in folders], "test": [[f, "test"] for f in folders]}


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[1] in ("train", "test")):
        raise VocalSetFormatError(f"shard {shard!r} is not [singer folder, split]")
    folder, split = shard
    singer = short(str(folder))
    if singer is None or "/" in folder or folder.startswith("."):
        raise VocalSetFormatError(f"shard {shard!r} does not name a singer folder")
    skips = Skips(f"VocalSet {folder} in {root}", SOURCE.missing_audio)
    belongs = split_of(root, singer)
    if belongs is None and split == "train":
        skips.add(
            f"singer(s) in neither singer list (a malformed line of {TEST_LIST} may name them)",
            folder,
            always=True,
            audio=False,
        )
        skips.report()
        return
    if belongs != split:
        return
    base = root / FULL / folder
    records = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = Path(dirpath).relative_to(base)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".wav"):
                continue
            where = f"{folder}/{rel / name}"
            if len(rel.parts) != 2:
                skips.add("WAV(s) not at <singer>/<context>/<technique>/<file>", where, always=True, audio=False)
                continue
            context, technique = rel.parts
            if _DUPLICATE.fullmatch(name):
                skips.add("duplicate WAV(s) the zip carries as '(1)' copies", where, always=True, audio=False)
                continue
            if technique not in TECHNIQUES:
                skips.add("WAV(s) of exercises that are not one of the ten techniques", where, always=True, audio=False)
                continue
            if os.stat(os.path.join(dirpath, name)).st_size < WAV_HEADER:
                skips.add("WAV(s) too short to hold a WAV header (empty or truncated)", where)
                continue
            records.append(
                {
                    "id": f"{folder}/{context}/{technique}/{name[: -len('.wav')]}",
                    "audio": os.fspath(Path(dirpath) / name),
                    "technique": technique,
                    "singer": singer,
                    "gender": "female" if singer.startswith("f") else "male",
                    "context": context,
                }
            )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()


SOURCE = Source(
    name="vocalset",
    corpus="VocalSet",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://zenodo.org/record/1442513",
    layout="VocalSet/ with FULL/<singer>/<context>/<technique>/*.wav and test_singers_technique.txt",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="VocalSet",
    labels={"technique": TECHNIQUES, "gender": ("female", "male")},
    languages=(),
)
