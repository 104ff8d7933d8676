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
(the next one in id order, cyclically), for zero-shot TTS; None for a speaker with a single utterance, whom
zero-shot TTS then leaves out (counted).

Labels: gender ``female``/``male``; ``age_group`` by decade (``twenties``, ``thirties``, ...), spelled as
Common Voice spells its age groups (its misspelled ``fourties`` is not copied); ``accent`` as a person writes
it (``NorthernIrish`` -> ``Northern Irish``).

Splits: VCTK has none, so speakers are split by a stable hash of their id (1 in 20 to test, 1 in 20 to
validation, the rest to train): no speaker is in two splits. Shards hold up to 8 speakers of a split.

Pitfalls handled: p315 has no text (nothing to read); ``s5`` has audio but no row in speaker-info.txt (its
utterances are skipped and counted); about 172 recordings have no transcript (not read: the text files drive);
an utterance with text but neither microphone's file is skipped and counted; macOS ``._*`` files are ignored.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

AUDIO_DIR = "wav48_silence_trimmed"
SPEAKER_INFO = "speaker-info.txt"
MICS = {"mic1": "DPA 4035 omni-directional microphone", "mic2": "Sennheiser MKH 800 condenser microphone"}
GENDERS = {"F": "female", "M": "male"}
DECADES = ("teens", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")
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


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def split_of(speaker: str) -> str:
    bucket = _stable(speaker) % 20
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, the speaker folders under txt/ in shards of at most 8; reads nothing."""
    speakers: dict[str, list[str]] = {}
    for speaker in visible_names(root / "txt"):
        if (root / "txt" / speaker).is_dir():
            speakers.setdefault(split_of(speaker), []).append(speaker)
    shards: dict[str, list[Shard]] = {}
    for split, names in speakers.items():
        count = math.ceil(len(names) / SPEAKERS_PER_SHARD)
        shards[split] = [names[i::count] for i in range(count)]
    return shards


def age_group(age: int) -> str:
    return DECADES[min(max(age // 10 - 1, 0), len(DECADES) - 1)]


def read_speaker_info(path: Path) -> dict[str, dict]:
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
        where = f"{path}:{line_no}"
        if len(tokens) < 4:
            raise VCTKFormatError(f"{where}: expected 'ID AGE GENDER ACCENTS [REGION] [(comment)]', got {line!r}")
        speaker, age, gender, accent = tokens[:4]
        speaker = speaker if speaker.startswith(("p", "s")) else f"p{speaker}"
        if not age.isdigit():
            raise VCTKFormatError(f"{where}: AGE of {speaker} is {age!r}; expected a number of years")
        if gender not in GENDERS:
            raise VCTKFormatError(f"{where}: GENDER of {speaker} is {gender!r}; expected F or M")
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


def _text(path: Path) -> str:
    lines = [text.strip() for _, text in text_lines(path, VCTKFormatError)]
    return " ".join(t for t in lines if t)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and all(isinstance(s, str) for s in shard)):
        raise VCTKFormatError(f"shard {shard!r} is not a list of speaker ids")
    info = read_speaker_info(root / SPEAKER_INFO)
    skips = Skips(f"VCTK shard [{', '.join(shard)}] in {root}", SOURCE.missing_audio)
    for speaker in shard:
        txt_dir, audio_dir = root / "txt" / speaker, root / AUDIO_DIR / speaker
        names = [n for n in visible_names(txt_dir) if n.endswith(".txt")]
        if speaker not in info:
            for name in names:
                skips.add(f"utterance(s) of speakers without a row in {SPEAKER_INFO}", name[:-4])
            continue
        present = set(visible_names(audio_dir))
        found = []
        for name in names:
            utt = name[:-4]
            if not UTTERANCE.fullmatch(utt) or not utt.startswith(f"{speaker}_"):
                raise VCTKFormatError(f"{txt_dir / name}: not '<speaker>_<3 digits>.txt'")
            mics = {mic: os.path.join(audio_dir, f"{utt}_{mic}.flac") for mic in MICS if f"{utt}_{mic}.flac" in present}
            if not mics:
                skips.add("utterance(s) with text but no mic1/mic2 .flac", utt)
                continue
            found.append((utt, mics, txt_dir / name))
        for k, (utt, mics, text_path) in enumerate(found):
            text = _text(text_path)
            if not text:
                raise VCTKFormatError(f"{text_path}:1: the transcript is empty")
            device_mic = sorted(MICS)[_stable(utt) % 2]
            if device_mic not in mics:
                device_mic = next(iter(mics))
            prompt_utt, prompt_mics, _ = found[(k + 1) % len(found)]
            alone = prompt_utt == utt  # a speaker with one utterance: no prompt (zero-shot TTS leaves it out)
            yield {
                "id": utt,
                "audio": mics.get("mic2") or mics["mic1"],
                "device_audio": mics[device_mic],
                "device_audio_id": f"{utt}_{device_mic}",
                "device": MICS[device_mic],
                "prompt_audio": None if alone else prompt_mics.get("mic2") or prompt_mics["mic1"],
                "prompt_audio_id": None if alone else prompt_utt,
                "text": text,
                "speaker": speaker,
                **info[speaker],
                "language": "en",
                "language_name": "English",
            }
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
