"""FLEURS as the Hub repository ``google/fleurs`` holds it, archives extracted in place: ``data/<lang>/{train,dev,
test}.tsv`` (7 tab-separated columns, no header) and ``data/<lang>/audio/<split>/<n>.wav`` (16 kHz) beside the
``audio/<split>.tar.gz`` they came from; with the known quirks: the same sentence id read twice in a split,
quotes in transcriptions, gender OTHER, a listed WAV missing, one split's archive left unextracted."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# language folder -> split -> rows (sentence id, file number, raw transcription, gender)
ROWS = {
    "en_us": {
        "train": [
            (1001, 11, 'The "quick" brown fox jumps.', "FEMALE"),
            (1001, 12, 'The "quick" brown fox jumps.', "MALE"),
            (1002, 13, "It rained all day in Paris.", "MALE"),
            (1003, 14, "Only English has this one.", "OTHER"),
        ],
        "dev": [(2001, 15, "See you tomorrow.", "FEMALE")],
        "test": [(3001, 16, "Good night.", "MALE")],
    },
    "fr_fr": {
        "train": [
            (1001, 21, "Le renard brun « rapide » saute.", "FEMALE"),
            (1002, 22, "Il a plu toute la journée à Paris.", "FEMALE"),
            (1004, 23, "Seul le français a celle-ci.", "MALE"),
        ],
        "dev": [(2001, 24, "À demain.", "MALE")],  # its archive is not extracted
        "test": [(3001, 25, "Bonne nuit.", "FEMALE")],
    },
    "cmn_hans_cn": {
        "train": [(1001, 31, "敏捷的棕色狐狸跳了起来。", "MALE"), (1002, 32, "巴黎下了一整天的雨。", "FEMALE")],
        "dev": [(2001, 33, "明天见。", "FEMALE")],
        "test": [(3001, 34, "晚安。", "MALE")],
    },
}
UNEXTRACTED = ("fr_fr", "dev")
SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def file_name(number: int) -> str:
    return f"{10000000000000000000 + number}.wav"


def normalise(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c.isspace() or ord(c) > 0x2E7F)


def tsv_line(sentence: int, name: str, raw: str, samples: int, gender: str) -> str:
    norm = normalise(raw)
    chars = " ".join("|" if c == " " else c for c in norm) + " |"
    return "\t".join((str(sentence), name, raw, norm, chars, str(samples), gender))


def write(base: Path, rows: dict, audio: Callable[[str, int, str], bytes], unextracted=(), archives=True) -> None:
    """``base/<lang>/<split>.tsv`` and the WAVs (``audio(lang, number, text)`` gives the bytes), with each split's
    ``audio/<split>.tar.gz`` archive beside its extracted folder (or instead of it, for ``unextracted``; none
    with ``archives=False``)."""
    for lang, splits in rows.items():
        for split, lines in splits.items():
            folder = base / lang / "audio"
            folder.mkdir(parents=True, exist_ok=True)
            tsv = []
            archive = io.BytesIO()
            with tarfile.open(fileobj=archive, mode="w:gz") as tar:
                for sentence, number, raw, gender in lines:
                    data = audio(lang, number, raw)
                    name = file_name(number)
                    samples = len(data) // 2 - 22  # 16-bit mono after a 44-byte header
                    tsv.append(tsv_line(sentence, name, raw, samples, gender))
                    info = tarfile.TarInfo(f"{split}/{name}")
                    info.size, info.mtime = len(data), 0
                    tar.addfile(info, io.BytesIO(data))
                    if (lang, split) not in unextracted:
                        (folder / split).mkdir(exist_ok=True)
                        (folder / split / name).write_bytes(data)
            if archives or (lang, split) in unextracted:
                (folder / f"{split}.tar.gz").write_bytes(archive.getvalue())
            (base / lang / f"{split}.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")


def tone(lang: str, number: int, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.04, 150.0 + 10 * number), RATE)


def build(base: Path) -> Corpus:
    root = base / "fleurs"
    write(root / "data", ROWS, tone, unextracted=(UNEXTRACTED,))
    apple_double(root / "data" / "en_us" / "audio" / "train" / file_name(11))
    expected = {}
    for lang, splits in ROWS.items():
        for split, lines in splits.items():
            if (lang, split) == UNEXTRACTED:
                continue
            for sentence, number, raw, gender in lines:
                name = file_name(number)
                expected[f"{lang}_{name[:-4]}"] = {
                    "split": SPLITS[split],
                    "text": raw,
                    "sentence_id": str(sentence),
                    "gender": {"FEMALE": "female", "MALE": "male"}.get(gender),
                    "audio": str(root / "data" / lang / "audio" / split / name),
                }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "data" / "en_us" / "train.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[2].split("\t")
    fields[5] = "many"
    replace_line(path, 3, "\t".join(fields))
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    name = file_name(13)
    (corpus.root / "data" / "en_us" / "audio" / "train" / name).unlink()
    return "train", f"en_us_{name[:-4]}"
