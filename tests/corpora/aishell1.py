"""AISHELL-1 as ``data_aishell.tgz`` and ``resource_aishell.tgz`` extract side by side, per-speaker tarballs
``data_aishell/wav/S####.tar.gz`` unpacked in place (and left there, as lhotse leaves them) into
``wav/<split>/S####/BAC009S####W####.wav`` (16 kHz), ``transcript/aishell_transcript_v0.8.txt`` (word-segmented,
full-width letters) and ``resource_aishell/speaker.info``; with the known quirks: WAVs without a transcript line,
a speaker tarball left packed, extra columns in speaker.info."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# speaker number, gender, extra column (some copies have one)
SPEAKERS = [("0002", "F", "train"), ("0003", "M", ""), ("0004", "F", ""), ("0005", "M", ""), ("0724", "M", "dev")]
SPEAKERS += [("0764", "F", "test"), ("0765", "M", "test")]
# split, utterance id, word-segmented transcript (None: a WAV the transcript does not list)
UTTERANCES = [
    ("train", "BAC009S0002W0122", "今天 的 天气 很 好"),
    ("train", "BAC009S0002W0123", "我 要 去 ＡＴＭ 取 钱"),
    ("train", "BAC009S0003W0201", "打开 空调"),
    ("train", "BAC009S0003W0202", None),
    ("train", "BAC009S0004W0301", "明天 见"),
    ("train", "BAC009S0004W0302", "放 一 首 歌"),
    ("dev", "BAC009S0724W0121", "几 点 了"),
    ("dev", "BAC009S0724W0122", "下雨 了"),
    ("test", "BAC009S0764W0121", "吃 饭 了 吗"),
    ("test", "BAC009S0765W0121", "晚安"),
]
PACKED = [("train", "BAC009S0005W0101", "你 好")]  # its speaker's tarball is not unpacked
SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def write(root: Path, speakers, utterances, audio: Callable[[str, str], bytes], packed=(), tarballs=True) -> None:
    """``root/data_aishell`` and ``root/resource_aishell`` for (number, F|M, extra column) speakers and (split,
    utterance, text or None) utterances; ``audio(utt, text)`` gives a WAV's bytes. Each speaker's tarball is
    written and unpacked, except those of ``packed`` utterances (``tarballs=False``: unpacked only)."""
    data = root / "data_aishell"
    (data / "transcript").mkdir(parents=True, exist_ok=True)
    lines = sorted(f"{u} {t}" for _, u, t in (*utterances, *packed) if t is not None)
    (data / "transcript" / "aishell_transcript_v0.8.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    resource = root / "resource_aishell"
    resource.mkdir(parents=True, exist_ok=True)
    rows = [f"{n} {g} {x}".rstrip() for n, g, x in speakers]
    (resource / "speaker.info").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (resource / "lexicon.txt").write_text("今天 j in1 t ian1\n", encoding="utf-8")
    by_speaker: dict[str, list] = {}
    for split, utt, text in (*utterances, *packed):
        by_speaker.setdefault(utt[6:11], []).append((split, utt, text))
    unpacked = {u for _, u, _ in utterances}
    for speaker, utts in sorted(by_speaker.items()):
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w:gz") as tar:
            for split, utt, text in utts:
                wav = audio(utt, "".join((text or "你好").split()))
                info = tarfile.TarInfo(f"{split}/{speaker}/{utt}.wav")
                info.size, info.mtime = len(wav), 0
                tar.addfile(info, io.BytesIO(wav))
                if utt in unpacked:
                    path = data / "wav" / split / speaker / f"{utt}.wav"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(wav)
        if tarballs:
            (data / "wav" / f"{speaker}.tar.gz").write_bytes(archive.getvalue())


def tone(utt: str, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.04, 150.0 + int(utt[7:11]) % 50 * 5 + int(utt[-2:])), RATE)


def build(base: Path) -> Corpus:
    root = base / "aishell"
    write(root, SPEAKERS, UTTERANCES, tone, packed=PACKED)
    apple_double(root / "data_aishell" / "wav" / "train" / "S0002" / "BAC009S0002W0122.wav")
    expected = {
        utt: {
            "split": SPLITS[split],
            "text": None if text is None else "".join(text.split()).replace("ＡＴＭ", "ATM"),
            "speaker": utt[6:11],
            "audio": str(root / "data_aishell" / "wav" / split / utt[6:11] / f"{utt}.wav"),
        }
        for split, utt, text in UTTERANCES
    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "resource_aishell" / "speaker.info"
    replace_line(path, 3, "0004 female")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["BAC009S0004W0301"]["audio"]).unlink()
    return "train", "BAC009S0004W0301"
