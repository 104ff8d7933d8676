"""LibriMix (Cosentino et al., 2020), as generated: mixtures of two or three LibriSpeech utterances (and WHAM! noise),
made on the user's machine by the LibriMix scripts from the committed metadata.

Licence: the LibriMix code and metadata are MIT; the audio is derived from LibriSpeech (CC BY 4.0) and, for the
noisy mixtures, WHAM! noise (CC BY-NC 4.0). Regenerate it locally; not redistributable by this package.

Layout, as ``generate_librimix.sh`` / ``scripts/create_librimix_from_metadata.py`` (GitHub ``JorisCos/LibriMix``)
write it (/work/shared/corpora/speech.md §18)::

    Libri2Mix/                                        (or Libri3Mix/)
      wav16k/max/metadata/mixture_<subset>_<type>.csv    mixture_ID,[original_mixture_ID,]mixture_path,
                                                         source_1_path,source_2_path,[noise_path,]length
      wav16k/max/metadata/metrics_<subset>_<type>.csv    (not read)
      wav16k/max/<subset>/{mix_clean,mix_both,mix_single,s1,s2,noise}/<mixture_ID>.wav
      wav8k/..., .../min/...

Subsets: ``train-100``, ``train-360`` (split ``train``), ``dev`` (``validation``), ``test`` (``test``). The CSVs
have a header (columns read by name) and hold **absolute paths of the generating machine**: each is re-rooted by
its last three parts (``<subset>/<folder>/<file>``), which must name the CSV's subset and the expected folder.
The mixture ID is the source utterance ids joined by ``_`` (``original_mixture_ID`` where the scripts hashed a long
one); source k is utterance k, its speaker the utterance id's first field.

One variant is read: the first of wav16k/max, wav16k/min, wav8k/max, wav8k/min that has metadata, and in it the
``mix_clean`` mixtures (two speakers, no noise), else ``mix_both`` (with noise); ``mix_single`` (one speaker) is
not a speaker extraction. A record is one source of one mixture: ``audio`` the source as scaled inside the
mixture (``s<k>/``), ``mixture`` the mixture. LibriMix has no enrollment utterance: the separate shape draws another
record of the same speaker with another utterance, within the subset (one shard per subset, so that every
speaker's utterances are together). A source whose file or mixture file is absent is skipped and counted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, csv_rows, visible_names

VARIANTS = ("wav16k/max", "wav16k/min", "wav8k/max", "wav8k/min")
TYPES = ("mix_clean", "mix_both")
SUBSETS = {"train-100": "train", "train-360": "train", "dev": "validation", "test": "test"}
CSV_NAME = re.compile(r"mixture_(?P<subset>[a-z0-9-]+)_(?P<type>mix_[a-z]+)\.csv")
UTTERANCE = re.compile(r"(?P<speaker>\d+)-\d+-\d+")
FIELDS = ("id", "audio", "mixture", "speaker", "utterance", "mixture_id", "source", "subset", "variant")


class LibriMixFormatError(CorpusFormatError):
    """A LibriMix metadata CSV that is not what the generation scripts write."""


def _metadata(root: Path) -> tuple[str, str, dict[str, str]] | None:
    """(variant, mixture type, subset -> CSV name) of the variant read, or None."""
    for variant in VARIANTS:
        names = visible_names(root.joinpath(*variant.split("/"), "metadata"))
        for kind in TYPES:
            found = {}
            for name in names:
                match = CSV_NAME.fullmatch(name)
                if match and match["type"] == kind and match["subset"] in SUBSETS:
                    found[match["subset"]] = name
            if found:
                return variant, kind, found
    return None


def detect(root: Path) -> bool:
    return _metadata(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per subset CSV (``[variant, type, subset]``); nothing is read."""
    found = _metadata(root)
    shards: dict[str, list[Shard]] = {}
    if found:
        variant, kind, csvs = found
        for subset in SUBSETS:
            if subset in csvs:
                shards.setdefault(SUBSETS[subset], []).append([variant, kind, subset])
    return shards


def _reroot(root: Path, variant: str, value: str, subset: str, folder: str, mixture_id: str, where: str) -> str:
    parts = [p for p in re.split(r"[\\/]", value.strip()) if p]
    if len(parts) < 3 or parts[-3] != subset or parts[-2] != folder or parts[-1] != f"{mixture_id}.wav":
        raise LibriMixFormatError(
            f"{where}: path {value!r} does not end in {subset}/{folder}/{mixture_id}.wav as the scripts write it"
        )
    return os.fspath(root.joinpath(*variant.split("/"), subset, folder, parts[-1]))


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in VARIANTS and shard[2] in SUBSETS):
        raise LibriMixFormatError(f"shard {shard!r} is not [variant, mixture type, subset]")
    variant, kind, subset = shard
    path = root.joinpath(*variant.split("/"), "metadata", f"mixture_{subset}_{kind}.csv")
    skips = Skips(f"LibriMix {variant} {subset} ({kind}) in {root}", SOURCE.missing_audio)
    required = ("mixture_ID", "mixture_path", "source_1_path", "source_2_path")
    records: list[Record] = []
    header: list[str] = []
    for line_no, row in csv_rows(path, LibriMixFormatError, required=required, skips=skips):
        where = f"{path}:{line_no}"
        if not header:
            header = list(row)
        count = sum(1 for c in header if re.fullmatch(r"source_\d+_path", c))
        mixture_id = row["mixture_ID"].strip()
        named = (row.get("original_mixture_ID") or mixture_id).strip()
        utterances = named.split("_")
        try:
            if len(utterances) != count or not all(UTTERANCE.fullmatch(u) for u in utterances):
                raise LibriMixFormatError(
                    f"{where}: mixture_ID {named!r} is not {count} LibriSpeech utterance ids joined by '_'"
                )
            mixture = _reroot(root, variant, row["mixture_path"], subset, kind, mixture_id, where)
            sources = [
                _reroot(root, variant, row[f"source_{k}_path"], subset, f"s{k}", mixture_id, where)
                for k in range(1, count + 1)
            ]
        except LibriMixFormatError as err:
            skips.bad(err)
            continue
        for k, (utt, source) in enumerate(zip(utterances, sources), 1):
            absent = [p for p in (mixture, source) if not os.path.isfile(p)]
            if absent:
                skips.add("source(s) whose mixture or source file is missing", f"line {line_no}: {absent[0]}")
                continue
            records.append(
                {
                    "id": f"{mixture_id}_s{k}",
                    "audio": source,
                    "mixture": mixture,
                    "speaker": utt.split("-")[0],
                    "utterance": utt,
                    "mixture_id": mixture_id,
                    "source": k,
                    "subset": subset,
                    "variant": f"{variant}/{kind}",
                }
            )
    yield from sorted(records, key=lambda r: r["id"])
    skips.report()


SOURCE = Source(
    name="librimix",
    corpus="LibriMix",
    license="metadata MIT; audio from LibriSpeech (CC BY 4.0) and WHAM! noise (CC BY-NC 4.0)",
    redistributable=False,
    homepage="https://github.com/JorisCos/LibriMix",
    layout="Libri2Mix/ with wav16k/max/metadata/mixture_<subset>_mix_clean.csv and <subset>/{mix_clean,s1,s2}/*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="LibriMix",
    audio_fields=frozenset({"audio", "mixture"}),
    languages=("en",),
)
