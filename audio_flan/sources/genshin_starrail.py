"""Genshin Impact and Honkai: Star Rail voice sets (AI-Hobbyist's ``Genshin_Datasets`` / ``StarRail_Datasets``):
in-game character voice lines in Chinese, English, Japanese and Korean, one WAV per line with its transcript.

Licence: the voices are © miHoYo/HoYoverse; the sets' README allows derivative creation and model training
only, with no commercial use and no re-distribution (不得二次配布). The audio is never re-hosted.

Layout, as the sets' own sorting scripts write it (``Index & Script/AI Hobbyist Version/2_Get_DiffSinger_Label.py``,
``3_Sorting.py`` and ``6_Second_Sorting.py`` of ``AI-Hobbyist/Genshin_Datasets``; the full packs are
assumed to keep it, as our corpus notes, speech.md §14, say nothing else is known)::

    <pack>/                                        e.g. Genshin5.4_EN/ or StarRail3.0_CN/
      中文 - Chinese/  英语 - English/  日语 - Japanese/  韩语 - Korean/
        数据集 - Datasets/<character>/<clip>.wav   <clip>.lab   the curated single-speaker lines
        多人对话 - Conversation/<character>/...    lines from dialogues with other characters
        带变量语音 - Placeholder/<character>/...   lines with {NICKNAME}-style placeholders (not read)
        战斗语音 - Battle/  怪物语音 - Monster/      combat shouts, monsters (not read)
        其它语音 - Others/<character>/...          lines without speakable text (not read)

A ``.lab`` file holds the line's text (``voiceContent`` of the game's index), UTF-8, one line, often without a
final newline. The character is the folder name (any script); the player character's lines are filed under
the traveller's name of that language. The game is told from the pack folder's name (``Genshin``/``StarRail``),
None when the name says neither.

What a record is: a ``.lab`` of ``数据集 - Datasets`` or ``多人对话 - Conversation`` and its WAV. A ``.lab`` whose
WAV is absent is skipped and counted; one that is empty, or that holds a ``{...}`` or ``<...>`` placeholder
(a pack not yet sorted by ``6_Second_Sorting.py``), is skipped and counted as not speakable; a ``.lab`` that is
not UTF-8 is an error naming file and line (under ``on_error="skip"`` it is counted as a malformed line and its
clip is left out; each ``.lab`` is one record, read by one shard, so nothing else depends on it).
``prompt_audio`` is another line of the same character in the same
language and split with a different text (the next one in name order, cyclically), for zero-shot TTS; None
when the character has no other. Labels: ``language`` ``zh``/``en``/``ja``/``ko`` with their English names.

Splits: the sets have none, so characters are split by a stable hash of their folder name (1 in 20 test, 1 in
20 validation, the rest train): no character is in two splits within a language. Shards: up to 8 characters
of one language and split.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import hash_split
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines, visible_names

LANGUAGES = {
    "中文 - Chinese": ("zh", "Mandarin Chinese"),
    "英语 - English": ("en", "English"),
    "日语 - Japanese": ("ja", "Japanese"),
    "韩语 - Korean": ("ko", "Korean"),
}
READ = ("数据集 - Datasets", "多人对话 - Conversation")
NOT_READ = ("带变量语音 - Placeholder", "战斗语音 - Battle", "怪物语音 - Monster", "其它语音 - Others")
PLACEHOLDER = re.compile(r"[{}<>]")
CHARACTERS_PER_SHARD = 8
FIELDS = (
    "id",
    "audio",
    "text",
    "speaker",
    "game",
    "category",
    "prompt_audio",
    "prompt_audio_id",
    "language",
    "language_name",
)


class GenshinStarRailFormatError(CorpusFormatError):
    """A voice set's ``.lab`` file that is not what the sets' scripts write."""


def detect(root: Path) -> bool:
    return any(
        (root / lang / category).is_dir()
        for lang in LANGUAGES
        if (root / lang).is_dir()
        for category in (*READ, *NOT_READ)
    )


def split_of(character: str) -> str:
    return hash_split(character, 20)


def game_of(root: Path) -> str | None:
    name = root.name.lower().replace(" ", "").replace("_", "")
    return "StarRail" if "starrail" in name else "Genshin" if "genshin" in name else None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, language folder, character, ...]``: up to 8 characters. Reads nothing."""
    shards: dict[str, list[Shard]] = {}
    for lang in LANGUAGES:
        characters: dict[str, set[str]] = {}
        for category in READ:
            for name in visible_names(root / lang / category):
                if (root / lang / category / name).is_dir():
                    characters.setdefault(split_of(name), set()).add(name)
        for split in ("train", "validation", "test"):
            names = sorted(characters.get(split, ()))
            for i in range(0, len(names), CHARACTERS_PER_SHARD):
                shards.setdefault(split, []).append([split, lang, *names[i : i + CHARACTERS_PER_SHARD]])
    return shards


def read_lab(path: Path, skips: Skips | None = None) -> str | None:
    """The text of one ``.lab``; None when a line of it was malformed and counted in ``skips`` (a load that skips
    bad items), since the rest of the file is then not the clip's whole text."""
    malformed = skips.malformed if skips is not None else 0
    lines = [text.strip() for _, text in text_lines(path, GenshinStarRailFormatError, skips=skips)]
    if skips is not None and skips.malformed != malformed:
        return None
    return " ".join(t for t in lines if t)


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) >= 3 and shard[1] in LANGUAGES):
        raise GenshinStarRailFormatError(f"shard {shard!r} is not [split, language folder, character, ...]")
    split, lang, characters = str(shard[0]), str(shard[1]), [str(c) for c in shard[2:]]
    code, name = LANGUAGES[lang]
    game = game_of(root)
    skips = Skips(f"Genshin/StarRail {lang} {split} shard [{', '.join(characters)}] in {root}", SOURCE.missing_audio)
    for character in characters:
        lines: list[dict] = []
        for category in READ:
            folder = root / lang / category / character
            present = set(visible_names(folder))
            for lab in sorted(n for n in present if n.endswith(".lab")):
                stem = lab[: -len(".lab")]
                text = read_lab(folder / lab, skips)
                if text is None:
                    continue
                if not text or PLACEHOLDER.search(text):
                    skips.add(
                        "line(s) with no speakable text (empty or a placeholder)",
                        f"{character}/{lab}",
                        always=True,
                        audio=False,
                    )
                    continue
                if f"{stem}.wav" not in present:
                    skips.add(".lab file(s) whose .wav file is missing", f"{category}/{character}/{lab}")
                    continue
                lines.append({"id": f"{code}_{character}_{stem}", "audio": os.path.join(folder, f"{stem}.wav"),
                              "text": text, "category": category.split(" - ")[1]})  # fmt: skip
        for k, line in enumerate(lines):
            prompt = next((o for o in lines[k + 1 :] + lines[:k] if o["text"] != line["text"]), None)
            yield {
                **line,
                "speaker": character,
                "game": game,
                "prompt_audio": prompt["audio"] if prompt else None,
                "prompt_audio_id": prompt["id"] if prompt else None,
                "language": code,
                "language_name": name,
            }
    skips.report()


SOURCE = Source(
    name="genshin_starrail",
    corpus="Genshin/StarRail voice sets",
    license="voices © miHoYo/HoYoverse; training use only, no commercial use, no re-distribution",
    redistributable=False,
    homepage="https://github.com/AI-Hobbyist/Genshin_Datasets",
    layout="a pack folder with language folders ('中文 - Chinese', '英语 - English', ...) holding "
    "'数据集 - Datasets/<character>/<clip>.wav' and '<clip>.lab'",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="Genshin-StarRail",
    languages=tuple(code for code, _ in LANGUAGES.values()),
    audio_fields=frozenset({"audio", "prompt_audio"}),
    labels={
        "language": tuple(code for code, _ in LANGUAGES.values()),
        "language_name": tuple(name for _, name in LANGUAGES.values()),
    },
)
