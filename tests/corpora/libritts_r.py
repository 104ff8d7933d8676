"""LibriTTS-R (OpenSLR 141) in its published layout: root documents, ``SPEAKERS.txt`` (an 11-line ``;`` comment
block, then ``;ID  |SEX| SUBSET           |MINUTES| NAME`` and padded ``|`` rows), and
``<subset>/<spk>/<chapter>/`` holding ``<spk>_<chapter>.trans.tsv`` (id, original, normalized; no header),
``<spk>_<chapter>.book.tsv`` (id, original, normalized, aligned, start, end, SNR) and, per kept utterance,
``<utt>.wav`` (24 kHz), ``<utt>.original.txt`` and ``<utt>.normalized.txt``. Sentences LibriTTS excluded are
listed in book.tsv only. The archives carry macOS ``._*`` files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import _librispeech_family as family
from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 24000
ROOT_DOCS = ("README_librispeech.txt", "README_libritts.txt", "CHAPTERS.txt", "BOOKS.txt", "LICENSE.txt", "NOTE.txt")
README_R = "README_libritts_r.txt"


@dataclass
class Utterance:
    """One sentence of a chapter; ``wav`` None means LibriTTS excluded it (listed in book.tsv only)."""

    id: str
    original: str
    normalized: str
    wav: Optional[bytes]
    start: float = 0.0
    end: float = 0.0
    snr: float = 20.0
    aligned: bool = True


def write_root(root: Path, speakers: Iterable[tuple[str, str, str, str, str]], *, padded=True, readme_r=True) -> None:
    """The root documents and SPEAKERS.txt."""
    family.write_root(root, "SPEAKERS.txt", speakers, ROOT_DOCS + ((README_R,) if readme_r else ()), padded)


def write_chapter(folder: Path, speaker: str, chapter: str, utterances: Iterable[Utterance]) -> None:
    """One chapter folder: trans.tsv and the per-utterance files for kept sentences, book.tsv for all."""
    folder.mkdir(parents=True, exist_ok=True)
    trans, book = [], []
    for u in utterances:
        aligned = "true" if u.aligned else "false"
        book.append(f"{u.id}\t{u.original}\t{u.normalized}\t{aligned}\t{u.start:.2f}\t{u.end:.2f}\t{u.snr:.2f}")
        if u.wav is None:
            continue
        trans.append(f"{u.id}\t{u.original}\t{u.normalized}")
        (folder / f"{u.id}.wav").write_bytes(u.wav)
        (folder / f"{u.id}.original.txt").write_text(u.original, encoding="utf-8")
        (folder / f"{u.id}.normalized.txt").write_text(u.normalized, encoding="utf-8")
    (folder / f"{speaker}_{chapter}.trans.tsv").write_text("\n".join(trans) + "\n", encoding="utf-8")
    (folder / f"{speaker}_{chapter}.book.tsv").write_text("\n".join(book) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------- the test copy

# (id, sex, subset, minutes, name, chapters with audio); names are invented, one holds '|' as a real one does.
SPEAKERS = [
    ("14", "F", "train-clean-360", "25.03", "Ada Reader", ["212"]),
    ("16", "F", "train-clean-360", "25.11", "No Audio Here", []),
    ("17", "M", "train-clean-360", "25.04", "Bo Reader", ["362"]),
    ("19", "F", "train-clean-100", "25.19", "Cy Reader", ["198", "227"]),
    ("20", "F", "train-other-500", "30.07", "Di", ["205"]),
    ("25", "M", "train-other-500", "30.16", "Ed Reader", ["123"]),
    ("26", "M", "train-clean-100", "25.08", "Fy Reader", ["495"]),
    ("27", "M", "train-clean-100", "20.14", "Gus Reader", ["123349"]),
    ("32", "F", "train-clean-100", "24.01", "Hal Reader", ["4137"]),
    ("60", "M", "train-clean-100", "20.18", "|AB|Cee", ["121082"]),
    ("61", "M", "test-clean", "8.08", "Ian Reader", ["70968"]),
    ("84", "F", "dev-clean", "8.02", "Jo Reader", ["121123"]),
    ("121", "F", "test-clean", "8.01", "Kay Reader", ["121726"]),
    ("174", "M", "dev-clean", "8.04", "Lu Reader", ["50561"]),
]
ORIGINAL = [
    "It was 3 o'clock, Mr. Smith said",
    '"Well, he paid $5 for the café',
    "Chapter IV — the return",
    'She said: "Hello," and left',
]
NORMALIZED = [
    "It was three o'clock, Mister Smith said",
    '"Well, he paid five dollars for the café',
    "Chapter four — the return",
    'She said: "Hello," and left',
]
# (paragraph, sentence) of a chapter's sentences; (1, 1) was excluded (book.tsv only)
SENTENCES = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)]
KEPT = [(0, 0), (0, 1), (1, 0), (1, 2)]


def build(base: Path, *, folder: str = "LibriTTS_R", padded: bool = True, readme_r: bool = True) -> Corpus:
    """``base/LibriTTS_R/`` with a few speakers in train-clean-100/360, train-other-500, dev-clean and
    test-clean; four kept utterances (two paragraphs) per chapter, 24 kHz WAV tones."""
    root = base / folder
    write_root(root, [s[:5] for s in SPEAKERS], padded=padded, readme_r=readme_r)
    (root / "reader_book.tsv").write_text("READER\tBOOK\n19\t198\n", encoding="utf-8")
    (root / "speakers.tsv").write_text("READER\tGENDER\tSUBSET\tNAME\n19\tF\ttrain-clean-100\tCy Reader\n")
    expected = {}
    n = 0
    for spk, sex, subset, _, _, chapters in SPEAKERS:
        for chapter in chapters:
            cdir = root / subset / spk / chapter
            utterances = []
            for p, s in SENTENCES:
                utt = f"{spk}_{chapter}_{p:06d}_{s:06d}"
                k = n % len(ORIGINAL)
                original, normalized = f"{ORIGINAL[k]} {n}.", f"{NORMALIZED[k]} {n}."
                kept = (p, s) in KEPT
                wav = wav_bytes(signal(RATE, freq=200.0 + 10 * (n + 1)), RATE) if kept else None
                utterances.append(Utterance(utt, original, normalized, wav, n + 0.5, n + 1.25, 20 + n % 7 + 0.5, kept))
                if not kept:
                    continue
                n += 1
                expected[utt] = {
                    "audio": str(cdir / f"{utt}.wav"),
                    "text": normalized,
                    "text_original": original,
                    "paragraph_id": f"{spk}_{chapter}_{p:06d}",
                    **family.expected_labels(spk, sex, chapter, subset),
                }
            write_chapter(cdir, spk, chapter, utterances)
    # macOS AppleDouble files, as in the distributed LibriTTS-R archives
    first = root / "train-clean-100" / "19" / "198"
    apple_double(first / "19_198_000000_000000.wav")
    apple_double(first / "19_198.trans.tsv")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train-clean-100" / "19" / "198" / "19_198.trans.tsv"
    replace_line(path, 2, "19_198_000000_000001\tonly two fields")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    utt = "19_198_000001_000000"
    Path(corpus.expected[utt]["audio"]).unlink()
    return "train", utt
