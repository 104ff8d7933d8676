"""AISHELL-3 as ``data_aishell3.tgz`` extracts: ``spk-info.txt`` (``#`` header lines, tab-separated rows),
``{train,test}/content.txt`` (``<utt>.wav<TAB>`` then characters and pinyin in turn, a UTF-8 BOM on the first
line, an erhua token), ``train/label_train-set.txt`` and ``{train,test}/wav/<spk>/<utt>.wav`` (44.1 kHz), with a
listed WAV missing and a speaker without a spk-info.txt row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 44100
SPEAKER_HEADER = [
    "# AISHELL-3 speaker information",
    "# voice-file name; age group; gender; accent",
]
# speaker, age group, gender, accent
SPEAKERS = [
    ("SSB0005", "B", "female", "north"),
    ("SSB0009", "C", "female", "south"),
    ("SSB0011", "D", "male", "others"),
    ("SSB0012", "A", "male", "north"),
]
# split folder, utterance id, (character, pinyin) tokens
UTTERANCES = [
    ("train", "SSB00050001", [("广", "guang3"), ("州", "zhou1"), ("女", "nv3"), ("孩", "hai2")]),
    ("train", "SSB00050002", [("今", "jin1"), ("天", "tian1"), ("点儿", "dianr3")]),
    ("train", "SSB00090001", [("你", "ni3"), ("好", "hao3")]),
    ("train", "SSB00090002", [("再", "zai4"), ("见", "jian4")]),
    ("train", "SSB00110001", [("打", "da3"), ("开", "kai1"), ("灯", "deng1")]),
    ("train", "SSB00110002", [("关", "guan1"), ("门", "men2")]),
    ("train", "SSB00990001", [("谢", "xie4"), ("谢", "xie5")]),  # no spk-info.txt row
    ("test", "SSB00120001", [("下", "xia4"), ("雨", "yu3")]),
    ("test", "SSB00120002", [("晴", "qing2"), ("天", "tian1")]),
    ("test", "SSB00050003", [("早", "zao3"), ("安", "an1")]),
]
MISSING = ("train", "SSB00090003", [("晚", "wan3"), ("安", "an1")])  # listed, no WAV (as real copies have)
SPLITS = {"train": "train", "test": "test"}


def content_line(utt: str, tokens) -> str:
    return f"{utt}.wav\t" + " ".join(f"{c} {p}" for c, p in tokens)


def write(root: Path, speakers, utterances, audio: Callable[[str, str], bytes], missing=()) -> None:
    """The corpus for (speaker, age group, gender, accent) rows and (split, utterance, tokens) utterances;
    ``audio(utt, text)`` gives a WAV's bytes; ``missing`` utterances are listed without one."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ReadMe.txt").write_text("AISHELL-3 ReadMe: placeholder\n", encoding="utf-8")
    (root / "phone_set.txt").write_text("a\nai\nan\n", encoding="utf-8")
    rows = [f"{s}\t{a}\t{g}\t{acc}" for s, a, g, acc in speakers]
    (root / "spk-info.txt").write_text("\n".join(SPEAKER_HEADER + rows) + "\n", encoding="utf-8")
    for split in SPLITS:
        lines = [content_line(u, t) for s, u, t in (*utterances, *missing) if s == split]
        (root / split).mkdir(exist_ok=True)
        (root / split / "content.txt").write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
    labels = [f"{u}|{' '.join(p for _, p in t)}|{''.join(c for c, _ in t)}" for s, u, t in utterances if s == "train"]
    (root / "train" / "label_train-set.txt").write_text(
        "# Label format: utt|pinyin|text\n" + "\n".join(labels) + "\n", encoding="utf-8"
    )
    for split, utt, tokens in utterances:
        path = root / split / "wav" / utt[:7] / f"{utt}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(audio(utt, "".join(c for c, _ in tokens)))


def tone(utt: str, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.03, 180.0 + int(utt[-4:]) * 7 + int(utt[3:7])), RATE)


def build(base: Path) -> Corpus:
    root = base / "data_aishell3"
    write(root, SPEAKERS, UTTERANCES, tone, missing=[MISSING])
    apple_double(root / "train" / "wav" / "SSB0005" / "SSB00050001.wav")
    expected = {
        utt: {
            "split": SPLITS[split],
            "text": "".join(c for c, _ in tokens),
            "pinyin": " ".join(p for _, p in tokens),
            "audio": str(root / split / "wav" / utt[:7] / f"{utt}.wav"),
        }
        for split, utt, tokens in UTTERANCES
    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train" / "content.txt"
    replace_line(path, 3, "SSB00090001.wav\t你 ni3 好")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["SSB00110002"]["audio"]).unlink()
    return "train", "SSB00110002"
