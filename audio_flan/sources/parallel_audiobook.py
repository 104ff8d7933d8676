"""The Parallel Audiobook Corpus (Ribeiro, University of Edinburgh, 2018): about 121 hours of four LibriVox
audiobooks (emma, huck, sherlock, treasure), each read by several of 59 speakers, aligned to the Gutenberg text so
that the same utterance id is the same sentence for every reader of a book; 22,050 Hz 16-bit mono WAV.

Licence: CC BY 4.0 for the alignment and segmentation; the LibriVox audio and Gutenberg text are public domain
(``msamribeiro/parallel-corpus`` README), so the data may be redistributed with attribution.

Layout of the *segmented* data, which this parser reads (``doc/contents.md`` of the corpus's repository; the
chapter-level data, ``{book}/txt/*.txt`` and ``{book}/ctm/``, is not read)::

    <root>/{emma,huck,sherlock,treasure}/
      wav/<speaker>/chpXX_uttXXX.wav        speakers are 3-letter LibriVox user codes, the same across books
      txt.punc                              the book's text, sentence-tokenised, punctuation kept
      txt.clean                             the same, punctuation stripped, lightly normalised
      spk2gender  spk2utt  utt2spk  spk2dur Kaldi-style tables

Not pinned down by any source we could read (our corpus notes, speech.md §23 and §27): the line format of
``txt.*`` and of the tables, and whether the tables' utterance ids carry the speaker. Decided: every file is
Kaldi-style, ``<key> <value...>`` split at the first whitespace; ``txt.punc``/``txt.clean`` are keyed by the
book's utterance id ``chpXX_uttXXX``; in ``spk2utt`` an utterance may be written ``chpXX_uttXXX`` or with the
speaker before it (``<speaker>_chpXX_uttXXX`` or ``<speaker>-chpXX_uttXXX``), and the ``chpXX_uttXXX`` part is
what is looked up; ``spk2gender`` holds ``m``/``f`` (Kaldi's convention; ``male``/``female`` and capitals are
read too). ``spk2utt`` drives the reading (the repository: "if utterances are missing for a given speaker ...
the alignment failed, so the utterance was excluded"); a listed utterance whose WAV is absent is skipped and
counted once per shard; one without text in ``txt.punc`` is an error naming the line. ``various`` (a
multi-reader recording in the chapter data) is not a speaker and is skipped, counted.

Under ``on_error="skip"`` a malformed line is counted and skipped, once per split loaded. ``txt.punc``,
``txt.clean`` and ``spk2gender`` are read by every split's shard of a book: each counts their bad lines. A ``spk2utt`` line is read only by its speaker's split: a bad utterance token, a speaker listed
twice, or a speaker missing from a ``spk2gender`` without bad rows, skips the line; an utterance missing from a
``txt.punc`` without bad lines skips that utterance. Dependent items are left out and counted under their own reasons: the utterances
whose ``txt.punc`` line was skipped (they have no text) and the speakers' utterances whose ``spk2gender`` row was
skipped (no gender). A skipped ``txt.clean`` line leaves ``text_clean`` as ``text``, as for a line that file lacks.

What a record is: one utterance of one speaker. ``text`` is the ``txt.punc`` sentence, ``text_clean`` the
``txt.clean`` one (or ``text`` where that file lacks it). Pairs, drawn within the shard, never the record
itself: ``prompt_audio`` the same speaker's next utterance of the book (cyclically), for zero-shot TTS and as
the target voice of voice conversion; ``vc_source_audio`` the same utterance read by the next speaker of the
book (in speaker order) who has it, the record's own audio being that sentence in the record speaker's voice.

Splits: the corpus has none, so speakers are split by a stable hash of their code (1 in 20 test, 1 in 20
validation, the rest train); a speaker's utterances of every book go to the same split. Shards: one book of
one split (all of its speakers there, so pairs of different speakers are inside a shard).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._speaker_prompts import with_next_prompt
from ._stable_hash import hash_split
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

BOOKS = {
    "emma": "Emma, by Jane Austen",
    "huck": "The Adventures of Huckleberry Finn, by Mark Twain",
    "sherlock": "The Adventures of Sherlock Holmes, by Arthur Conan Doyle",
    "treasure": "Treasure Island, by Robert Louis Stevenson",
}
UTTERANCE = re.compile(r"(?:(?P<spk>[A-Za-z0-9]+)[_-])?(?P<utt>chp\d+_utt\d+)")
GENDERS = {"m": "male", "f": "female", "male": "male", "female": "female"}
NOT_A_SPEAKER = "various"
FIELDS = (
    "id",
    "audio",
    "text",
    "text_clean",
    "speaker",
    "gender",
    "book",
    "utterance",
    "prompt_audio",
    "prompt_audio_id",
    "vc_source_audio",
    "vc_source_audio_id",
    "language",
    "language_name",
)


class ParallelAudiobookFormatError(CorpusFormatError):
    """A Parallel Audiobook Corpus table that is not Kaldi-style as the parser expects."""


def _books(root: Path) -> list[str]:
    return [b for b in BOOKS if (root / b / "spk2utt").is_file() and (root / b / "wav").is_dir()]


def detect(root: Path) -> bool:
    return bool(_books(root))


def split_of(speaker: str) -> str:
    return hash_split(speaker, 20)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, book]`` for each book with a speaker folder of that split. Reads nothing."""
    shards: dict[str, list[Shard]] = {}
    for book in _books(root):
        splits = {split_of(s) for s in visible_names(root / book / "wav") if s != NOT_A_SPEAKER}
        for split in ("train", "validation", "test"):
            if split in splits:
                shards.setdefault(split, []).append([split, book])
    return shards


def _table(path: Path, required: bool = True, skips: Skips | None = None) -> list[tuple[int, str, str]]:
    """(line, key, rest) of a Kaldi-style file: the key, then the rest of the line after the first whitespace."""
    if not required and not path.is_file():
        return []
    rows = []
    for line_no, line in text_lines(path, ParallelAudiobookFormatError, skips=skips):
        if not line.strip():
            continue
        key, _, rest = line.strip().partition(" ")
        if "\t" in key:
            key, _, more = key.partition("\t")
            rest = f"{more} {rest}".strip()
        rows.append((line_no, key, rest.strip()))
    return rows


def _bad(skips: Skips | None, error: ParallelAudiobookFormatError) -> None:
    if skips is None:
        raise error
    skips.bad(error)


def read_texts(path: Path, required: bool = True, skips: Skips | None = None) -> dict[str, tuple[str, int]]:
    """utterance -> (text, line); a bad line raises, or given ``skips`` of a load that skips bad items, is counted
    there and left out."""
    texts: dict[str, tuple[str, int]] = {}
    for line_no, key, rest in _table(path, required, skips):
        match = UTTERANCE.fullmatch(key)
        if match is None or not rest:
            _bad(
                skips, ParallelAudiobookFormatError(f"{path}:{line_no}: expected '<chpXX_uttXXX> <text>', got {key!r}")
            )
            continue
        texts[match["utt"]] = (rest, line_no)
    return texts


def read_genders(path: Path, skips: Skips | None = None) -> dict[str, str]:
    genders = {}
    for line_no, speaker, value in _table(path, skips=skips):
        if value.lower() not in GENDERS:
            _bad(
                skips,
                ParallelAudiobookFormatError(f"{path}:{line_no}: gender of {speaker} is {value!r}; expected m or f"),
            )
            continue
        genders[speaker] = GENDERS[value.lower()]
    return genders


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 2 and shard[1] in BOOKS):
        raise ParallelAudiobookFormatError(f"shard {shard!r} is not [split, book]")
    split, book = str(shard[0]), str(shard[1])
    folder = root / book
    skips = Skips(f"Parallel Audiobook {book} ({split}) in {root}", SOURCE.missing_audio)
    shared = Skips(f"Parallel Audiobook {book} in {root}", SOURCE.missing_audio)  # read by each split's shard
    texts = read_texts(folder / "txt.punc", skips=shared)
    texts_malformed = shared.malformed
    clean = read_texts(folder / "txt.clean", required=False, skips=shared)
    before = shared.malformed
    genders = read_genders(folder / "spk2gender", shared)
    genders_malformed = shared.malformed - before
    spk2utt = folder / "spk2utt"
    # speaker -> [(utterance, path)] in utterance order
    found: dict[str, list[tuple[str, str]]] = {}
    lines: dict[str, int] = {}  # speaker -> its spk2utt line
    for line_no, speaker, rest in _table(spk2utt, skips=skips):
        if speaker == NOT_A_SPEAKER:
            skips.add("'various' (several readers) entries in spk2utt", f"spk2utt:{line_no}", always=True, audio=False)
            continue
        if split_of(speaker) != split:
            continue
        if speaker in lines:
            _bad(
                skips,
                ParallelAudiobookFormatError(
                    f"{spk2utt}:{line_no}: speaker {speaker} is also on line {lines[speaker]}"
                ),
            )
            continue
        lines[speaker] = line_no
        tokens = [(token, UTTERANCE.fullmatch(token)) for token in rest.split()]
        wrong = next((t for t, m in tokens if m is None or (m["spk"] and m["spk"] != speaker)), None)
        if wrong is not None:
            _bad(
                skips,
                ParallelAudiobookFormatError(
                    f"{spk2utt}:{line_no}: {wrong!r} is not an utterance of {speaker} ('chpXX_uttXXX')"
                ),
            )
            continue
        if speaker not in genders and genders_malformed:
            skips.add(
                "spk2utt line(s) whose speaker's spk2gender row was skipped as malformed",
                f"spk2utt:{line_no}",
                always=True,
                audio=False,
            )
            continue
        if speaker not in genders:
            _bad(
                skips,
                ParallelAudiobookFormatError(f"{spk2utt}:{line_no}: speaker {speaker!r} has no row in spk2gender"),
            )
            continue
        present = set(visible_names(folder / "wav" / speaker))
        mine = []
        for _, match in tokens:
            assert match is not None
            utt = match["utt"]
            if utt not in texts and texts_malformed:
                skips.add(
                    "utterance(s) whose txt.punc line was skipped as malformed",
                    f"{book}/{speaker}/{utt}",
                    always=True,
                    audio=False,
                )
                continue
            if utt not in texts:
                _bad(
                    skips,
                    ParallelAudiobookFormatError(
                        f"{spk2utt}:{line_no}: utterance {utt} of {speaker} has no line in {folder / 'txt.punc'}"
                    ),
                )
                continue
            if f"{utt}.wav" not in present:
                skips.add("listed utterance(s) whose .wav file is missing", f"{book}/{speaker}/{utt}")
                continue
            mine.append((utt, os.path.join(folder, "wav", speaker, f"{utt}.wav")))
        found[speaker] = sorted(mine)
    speakers = sorted(found)
    index = {s: {utt: path for utt, path in found[s]} for s in speakers}
    by_speaker: dict[str, list[dict]] = {}
    for k, speaker in enumerate(speakers):
        others = speakers[k + 1 :] + speakers[:k]
        for utt, path in found[speaker]:
            partner = next((o for o in others if utt in index[o]), None)
            by_speaker.setdefault(speaker, []).append(
                {
                    "id": f"{book}_{speaker}_{utt}",
                    "audio": path,
                    "text": texts[utt][0],
                    "text_clean": clean[utt][0] if utt in clean else texts[utt][0],
                    "speaker": speaker,
                    "gender": genders[speaker],
                    "book": book,
                    "utterance": utt,
                    "vc_source_audio": index[partner][utt] if partner else None,
                    "vc_source_audio_id": f"{book}_{partner}_{utt}" if partner else None,
                    "language": "en",
                    "language_name": "English",
                }
            )
    yield from with_next_prompt(by_speaker)
    skips.report()
    shared.report()


SOURCE = Source(
    name="parallel_audiobook",
    corpus="Parallel Audiobook Corpus",
    license="CC BY 4.0 (alignment and segmentation; LibriVox audio and Gutenberg text public domain)",
    redistributable=True,
    homepage="https://datashare.ed.ac.uk/handle/10283/3217",
    layout="a folder of book folders (emma, huck, sherlock, treasure) each with spk2utt, spk2gender, txt.punc and "
    "wav/<speaker>/chpXX_uttXXX.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="ParallelAudiobook",
    languages=("en",),
    audio_fields=frozenset({"audio", "prompt_audio", "vc_source_audio"}),
    labels={"gender": ("female", "male"), "language": ("en",), "language_name": ("English",)},
)
