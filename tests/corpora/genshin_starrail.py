"""A Genshin/StarRail voice set as the sets' sorting scripts write it: language folders (``英语 - English``,
``中文 - Chinese``) holding ``数据集 - Datasets/<character>/<clip>.wav`` with a same-stem ``.lab`` (UTF-8, one line,
no final newline), ``多人对话 - Conversation`` and ``带变量语音 - Placeholder`` folders, with the quirks: non-ASCII
character names, an empty ``.lab``, a ``{NICKNAME}`` placeholder left in the main set, a ``.lab`` whose WAV is
absent, the same line twice. Kaeya (test) and Klee (validation) fall outside train by the parser's hash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, signal, wav_bytes

RATE = 48000
TOP = "Genshin5.4_Datasets"
# language folder -> category -> character -> [(clip stem, text)]
LINES = {
    "英语 - English": {
        "数据集 - Datasets": {
            "Amber": [
                ("vo_amber_01", "Outrider Amber, reporting for duty!"),
                ("vo_amber_02", "Let's go!"),
                ("vo_amber_03", "Let's go!"),
            ],
            "Lisa": [
                ("vo_lisa_01", "Ah, a cute little thing."),
                ("vo_lisa_02", ""),
                ("vo_lisa_03", "Hello, {NICKNAME}."),
            ],
            "Kaeya": [("vo_kaeya_01", "The wind is pleasant today."), ("vo_kaeya_02", "Shall we?")],
            "Klee": [("vo_klee_01", "Klee is here!"), ("vo_klee_02", "Boom boom bakudan!")],
        },
        "多人对话 - Conversation": {"Amber": [("vo_fetter_amber_01", "Paimon, wait for me!")]},
        "带变量语音 - Placeholder": {"Amber": [("vo_amber_09", "Nice to meet you, {NICKNAME}.")]},
    },
    "中文 - Chinese": {
        "数据集 - Datasets": {
            "安柏": [("vo_amber_01", "侦察骑士安柏，前来报到！"), ("vo_amber_02", "出发吧！")],
            "丽莎": [("vo_lisa_01", "哎呀，可爱的小家伙。")],
        }
    },
}
ABSENT = ("英语 - English", "Amber", "vo_amber_02")  # the .lab is there, its WAV is not
LANGUAGE = {"英语 - English": "en", "中文 - Chinese": "zh"}


def write(root: Path, lines, audio: Callable[[str, str], bytes], absent=()) -> None:
    """The pack; ``audio(language folder, text)`` gives each WAV's bytes."""
    for lang, categories in lines.items():
        for category, characters in categories.items():
            for character, clips in characters.items():
                folder = root / lang / category / character
                folder.mkdir(parents=True, exist_ok=True)
                for stem, text in clips:
                    (folder / f"{stem}.lab").write_text(text, encoding="utf-8")
                    if (lang, character, stem) not in absent:
                        (folder / f"{stem}.wav").write_bytes(audio(lang, text or "silence"))


def build(base: Path, audio: Callable[[str, str], bytes] | None = None) -> Corpus:
    from audio_flan.sources.genshin_starrail import split_of  # the split rule is the parser's documented one

    root = base / TOP
    counter = iter(range(1000))
    write(root, LINES, audio or (lambda _l, _t: wav_bytes(signal(RATE, 0.03, 0.0, next(counter)), RATE)), {ABSENT})
    expected = {}
    for lang, categories in LINES.items():
        for category in ("数据集 - Datasets", "多人对话 - Conversation"):
            for character, clips in categories.get(category, {}).items():
                for stem, text in clips:
                    if not text or "{" in text or (lang, character, stem) == ABSENT:
                        continue
                    expected[f"{LANGUAGE[lang]}_{character}_{stem}"] = {
                        "split": split_of(character),
                        "text": text,
                        "speaker": character,
                        "language": LANGUAGE[lang],
                        "audio": str(root / lang / category / character / f"{stem}.wav"),
                    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "中文 - Chinese" / "数据集 - Datasets" / "丽莎" / "vo_lisa_01.lab"
    path.write_bytes("哎呀".encode("gb18030"))
    return path, 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "en_Amber_vo_amber_03"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
