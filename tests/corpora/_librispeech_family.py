"""What the LibriSpeech and LibriTTS-R layouts share (not a fixture module itself): the readers' ``SPEAKERS`` file
(an 11-line ``;`` comment block, the ``;ID  |SEX| SUBSET |MINUTES| NAME`` header and ``|`` rows, padded as both
corpora ship it, or unpadded as some copies have it), the root's placeholder documents, and the split of each
subset."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPEAKERS_COMMENT = """\
; Some pipe(|) separated metadata about all LibriVox readers, whose work was used
; in the corpus.
;
; The meaning of the fields in left-to-right order is as follows:
;
; reader_id: the ID of the reader in the LibriVox's database
; gender: 'F' for female, 'M' for male
; subset: the corpus subset to which the reader's audio is assigned
; duration: total number of minutes of speech by the reader, included in the corpus
; name: the name under which the reader is registered in LibriVox
;
"""
SPLIT_OF_SUBSET = {"train": "train", "dev": "validation", "test": "test"}


def speakers_txt(rows: Iterable[tuple[str, str, str, str, str]], padded: bool = True) -> str:
    """The speakers file for (id, sex, subset, minutes, name) rows; ``padded`` as the corpora ship it."""
    if padded:
        lines = [";ID  |SEX| SUBSET           |MINUTES| NAME"]
        lines += [f"{s:<5}| {x} | {sub:<16} | {m:<5} | {n}" for s, x, sub, m, n in rows]
    else:
        lines = [";ID|SEX| SUBSET    |MINUTES| NAME"]
        lines += [f"{s}|{x}|{sub}|{m}|{n}" for s, x, sub, m, n in rows]
    return SPEAKERS_COMMENT + "\n".join(lines) + "\n"


def split_of(subset: str) -> str:
    """``train-clean-100`` -> ``train``, ``dev-other`` -> ``validation``."""
    return SPLIT_OF_SUBSET[subset.split("-")[0]]


def expected_labels(speaker: str, sex: str, chapter: str, subset: str) -> dict[str, str]:
    """What every record of a chapter's utterances should hold besides its id, audio and text, and its split."""
    return {
        "speaker": speaker,
        "chapter": chapter,
        "gender": {"F": "female", "M": "male"}[sex],
        "language": "en",
        "language_name": "English",
        "subset": subset,
        "split": split_of(subset),
    }


def write_root(
    root: Path,
    speakers_file: str,
    speakers: Iterable[tuple[str, str, str, str, str]],
    documents: Iterable[str],
    padded: bool = True,
) -> None:
    """The root's placeholder documents and its speakers file."""
    root.mkdir(parents=True, exist_ok=True)
    for name in documents:
        (root / name).write_text(f"{name}: placeholder\n", encoding="utf-8")
    (root / speakers_file).write_text(speakers_txt(speakers, padded), encoding="utf-8")
