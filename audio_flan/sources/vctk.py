"""VCTK 0.92 (CSTR VCTK Corpus, Yamagishi et al. 2019): about 110 English speakers of various accents reading
about 400 sentences each, recorded with two microphones, 48 kHz FLAC, silence-trimmed.

Licence: CC BY 4.0 (the corpus README), so the audio may be redistributed with attribution.

Layout, as ``VCTK-Corpus-0.92.zip`` extracts::

    VCTK-Corpus-0.92/
      README.txt  license_text  speaker-info.txt  update.txt
      txt/<spk>/<spk>_<nnn>.txt                              one line of text
      wav48_silence_trimmed/<spk>/<spk>_<nnn>_mic1.flac      DPA 4035 (omni-directional)
      wav48_silence_trimmed/<spk>/<spk>_<nnn>_mic2.flac      Sennheiser MKH 800 (small diaphragm condenser)

``speaker-info.txt``: a header ``ID  AGE  GENDER  ACCENTS  REGION COMMENTS``, then space-aligned rows; the first
four tokens are ID, AGE, GENDER and ACCENTS, the rest is the region with an optional ``(comment)``. IDs carry the
``p`` prefix in 0.92.

What a record is: one transcribed utterance. ``audio`` is the mic2 file (torchaudio's and lhotse's default),
or mic1 where mic2 is missing (p280 and p315 have no mic2). ``device_audio`` is the file of one microphone
chosen per utterance by a stable hash, so device recognition sees both microphones about equally, each
utterance once; ``device`` names that microphone. ``prompt_audio`` is another utterance of the same speaker
(the next one in id order that the load keeps, cyclically: ``_speaker_prompts``), for zero-shot TTS; None for a
speaker with a single utterance, whom zero-shot TTS then leaves out (counted).

Labels: gender ``female``/``male``; ``age_group`` by decade (``twenties``, ``thirties``, ...), spelled as
Common Voice spells its age groups (its misspelled ``fourties`` is not copied); ``accent`` as a person writes
it (``NorthernIrish`` -> ``Northern Irish``).

Splits: VCTK has none, so speakers are split by a stable hash of their id (1 in 20 to test, 1 in 20 to
validation, the rest to train): no speaker is in two splits. Shards hold up to 8 speakers of a split.

Known gaps of 0.92, skipped and counted in the load's report under every ``on_error`` policy, never an error:
p315 has recordings but no txt/ folder (counted while listing); about 172 other recordings have no transcript
(the text files drive: counted per speaker); ``s5`` has text and audio but no row in speaker-info.txt (its
utterances counted). p280 has no mic2 at all and some utterances lack one: mic1 is used (not a skip). An
utterance with text but neither microphone's file is absent audio (counted, or an error under ``"raise"``), as
are the utterances of any other speaker without a row. macOS ``._*`` files are ignored.

Malformed metadata (a speaker-info.txt row, a transcript that is not UTF-8 or is empty, a .txt not named
``<speaker>_<3 digits>.txt``) is an error naming the file (and line) by default; under ``on_error="skip"`` it is
counted and skipped: the utterance, or every utterance of a speaker whose row is malformed (counted by the
shard holding the speaker; a malformed row of a speaker no split holds, one without a txt/ folder or whose id is
not one, by every shard, so each split loaded counts it once). speaker-info.txt without its header is an error under every policy.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._age_groups import DECADES, age_group
from ._speaker_prompts import with_next_prompt
from ._stable_hash import hash_split, stable_hash
from .base import CorpusFormatError, Record, Shard, SkippedItemsWarning, Source
from .readers import Skips, text_lines, visible_names

AUDIO_DIR = "wav48_silence_trimmed"
SPEAKER_INFO = "speaker-info.txt"
MICS = {"mic1": "DPA 4035 omni-directional microphone", "mic2": "Sennheiser MKH 800 condenser microphone"}
GENDERS = {"F": "female", "M": "male"}
ACCENTS = {
    "English": "English",
    "Scottish": "Scottish",
    "NorthernIrish": "Northern Irish",
    "Irish": "Irish",
    "Indian": "Indian",
    "Welsh": "Welsh",
    "American": "American",
    "Canadian": "Canadian",
    "SouthAfrican": "South African",
    "Australian": "Australian",
    "NewZealand": "New Zealand",
    "British": "British",
    "Unknown": "unknown",
}
SPEAKERS_PER_SHARD = 8
NO_INFO_ROW = frozenset({"s5"})  # speakers 0.92 ships without a speaker-info.txt row
UTTERANCE = re.compile(r"(?P<spk>[a-z]+\d+)_(?P<n>\d{3})")
FIELDS = (
    "id",
    "audio",
    "device_audio",
    "device_audio_id",
    "device",
    "prompt_audio",
    "prompt_audio_id",
    "text",
    "speaker",
    "gender",
    "age",
    "age_group",
    "accent",
    "region",
    "language",
    "language_name",
)


class VCTKFormatError(CorpusFormatError):
    """A VCTK file that is not what the corpus README says."""


def detect(root: Path) -> bool:
    return (root / SPEAKER_INFO).is_file() and (root / "txt").is_dir() and (root / AUDIO_DIR).is_dir()


def split_of(speaker: str) -> str:
    return hash_split(speaker, 20)


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, the speaker folders under txt/ in shards of at most 8; reads nothing. The recordings of
    speakers with no txt/ folder (p315) are counted here: no shard holds them."""
    speakers: dict[str, list[str]] = {}
    transcribed = set()
    for speaker in visible_names(root / "txt"):
        if (root / "txt" / speaker).is_dir():
            speakers.setdefault(split_of(speaker), []).append(speaker)
            transcribed.add(speaker)
    _count_untranscribed_speakers(root, transcribed)
    shards: dict[str, list[Shard]] = {}
    for split, names in speakers.items():
        count = math.ceil(len(names) / SPEAKERS_PER_SHARD)
        shards[split] = [names[i::count] for i in range(count)]
    return shards


def _recordings(folder: Path) -> list[str]:
    """The utterance ids of the .flac files in a speaker's audio folder (``p315_001_mic1.flac`` -> ``p315_001``)."""
    return sorted({n.rsplit("_", 1)[0] for n in visible_names(folder) if re.fullmatch(r".+_mic[12]\.flac", n)})


def _count_untranscribed_speakers(root: Path, transcribed: set[str]) -> None:
    audio = root / AUDIO_DIR
    skips = Skips(f"VCTK {audio}", SOURCE.missing_audio, SkippedItemsWarning)
    for speaker in visible_names(audio):
        if speaker not in transcribed and (audio / speaker).is_dir():
            for utt in _recordings(audio / speaker):
                skips.add("recording(s) of speakers with no txt/ folder (p315 has none)", utt, always=True, audio=False)
    skips.report()


def read_speaker_info(path: Path, malformed: Optional[dict[str, list[VCTKFormatError]]] = None) -> dict[str, dict]:
    """speaker id -> labels. A malformed row raises, or given ``malformed`` (a load that skips bad items), is put
    there under its speaker id (the first token) instead, every row of a speaker in file order."""
    info: dict[str, dict] = {}
    header_seen = False
    for line_no, line in text_lines(path, VCTKFormatError, errors="replace"):
        if not line.strip():
            continue
        tokens = line.split()
        if not header_seen:
            if tokens[:4] != ["ID", "AGE", "GENDER", "ACCENTS"]:
                raise VCTKFormatError(
                    f"{path}:{line_no}: expected the header 'ID  AGE  GENDER  ACCENTS  REGION COMMENTS'"
                )
            header_seen = True
            continue
        speaker = tokens[0] if tokens[0].startswith(("p", "s")) else f"p{tokens[0]}"
        try:
            _check_row(tokens, speaker, f"{path}:{line_no}", line)
        except VCTKFormatError as err:
            if malformed is None:
                raise
            malformed.setdefault(speaker, []).append(err)
            continue
        _, age, gender, accent = tokens[:4]
        region = re.sub(r"\(.*?\)", "", " ".join(tokens[4:])).strip()
        info[speaker] = {
            "gender": GENDERS[gender],
            "age": age,
            "age_group": age_group(int(age)),
            "accent": ACCENTS.get(accent, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", accent)),
            "region": region,
        }
    if not header_seen:
        raise VCTKFormatError(f"{path}: empty; expected the header 'ID  AGE  GENDER  ACCENTS  REGION COMMENTS'")
    return info


def _check_row(tokens: list[str], speaker: str, where: str, line: str) -> None:
    if len(tokens) < 4:
        raise VCTKFormatError(f"{where}: expected 'ID AGE GENDER ACCENTS [REGION] [(comment)]', got {line!r}")
    if not tokens[1].isdigit():
        raise VCTKFormatError(f"{where}: AGE of {speaker} is {tokens[1]!r}; expected a number of years")
    if tokens[2] not in GENDERS:
        raise VCTKFormatError(f"{where}: GENDER of {speaker} is {tokens[2]!r}; expected F or M")


def _text(path: Path) -> str:
    lines = [text.strip() for _, text in text_lines(path, VCTKFormatError)]
    return " ".join(t for t in lines if t)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and all(isinstance(s, str) for s in shard)):
        raise VCTKFormatError(f"shard {shard!r} is not a list of speaker ids")
    skips = Skips(f"VCTK shard [{', '.join(shard)}] in {root}", SOURCE.missing_audio)
    malformed: Optional[dict[str, list[VCTKFormatError]]] = {} if skips.skipping else None
    info = read_speaker_info(root / SPEAKER_INFO, malformed)
    if malformed:  # the rows of speakers no split holds (no txt/ folder, an id that is not one): every shard counts
        held = {name for name in visible_names(root / "txt") if (root / "txt" / name).is_dir()}
        for speaker in sorted(set(malformed) - held):
            for err in malformed[speaker]:
                skips.bad(err)
    for speaker in shard:
        txt_dir, audio_dir = root / "txt" / speaker, root / AUDIO_DIR / speaker
        names = [n for n in visible_names(txt_dir) if n.endswith(".txt")]
        transcripts = {n[:-4] for n in names}
        for utt in _recordings(audio_dir):
            if utt not in transcripts:
                skips.add("recording(s) with no transcript (0.92 ships about 172)", utt, always=True, audio=False)
        if malformed and speaker in malformed:
            for err in malformed[speaker]:
                skips.bad(err)  # its utterances go with it
            continue
        if speaker not in info:
            for name in names:
                reason = f"utterance(s) of speakers without a row in {SPEAKER_INFO}"
                skips.add(reason, name[:-4], always=speaker in NO_INFO_ROW)
            continue
        present = set(visible_names(audio_dir))
        found = []
        for name in names:
            utt = name[:-4]
            if not UTTERANCE.fullmatch(utt) or not utt.startswith(f"{speaker}_"):
                skips.bad(VCTKFormatError(f"{txt_dir / name}: not '<speaker>_<3 digits>.txt'"))
                continue
            mics = {mic: os.path.join(audio_dir, f"{utt}_{mic}.flac") for mic in MICS if f"{utt}_{mic}.flac" in present}
            if not mics:
                skips.add("utterance(s) with text but no mic1/mic2 .flac", utt)
                continue
            found.append((utt, mics, txt_dir / name))
        kept = []
        for utt, mics, text_path in found:
            try:
                text = _text(text_path)
                if not text:
                    raise VCTKFormatError(f"{text_path}:1: the transcript is empty; expected the sentence read")
            except VCTKFormatError as err:
                skips.bad(err)
                continue
            device_mic = sorted(MICS)[stable_hash(utt) % 2]
            if device_mic not in mics:
                device_mic = next(iter(mics))
            kept.append(
                {
                    "id": utt,
                    "audio": mics.get("mic2") or mics["mic1"],
                    "device_audio": mics[device_mic],
                    "device_audio_id": f"{utt}_{device_mic}",
                    "device": MICS[device_mic],
                    "text": text,
                    "speaker": speaker,
                    **info[speaker],
                    "language": "en",
                    "language_name": "English",
                }
            )
        yield from with_next_prompt({speaker: kept})
    skips.report()


SOURCE = Source(
    name="vctk",
    corpus="VCTK",
    license="CC BY 4.0",
    redistributable=True,
    homepage="https://datashare.ed.ac.uk/handle/10283/3443",
    layout="VCTK-Corpus-0.92/ with speaker-info.txt, txt/<spk>/<utt>.txt and wav48_silence_trimmed/<spk>/<utt>_mic{1,2}.flac",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="VCTK",
    languages=("en",),
    audio_fields=frozenset({"audio", "device_audio", "prompt_audio"}),
    labels={
        "gender": tuple(GENDERS.values()),
        "age_group": DECADES,
        "accent": tuple(dict.fromkeys(ACCENTS.values())),
        "device": tuple(MICS.values()),
        "language": ("en",),
        "language_name": ("English",),
    },
)
