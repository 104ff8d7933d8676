"""MLS as ``mls_<language>.tar.gz`` (FLAC) and ``mls_<language>_opus.tar.gz`` (Opus) extract: ``metainfo.txt``
(a ``|``-separated, space-padded header and rows; a ``secret`` partition; a title holding ``|``),
``{train,dev,test}/transcripts.txt`` and ``segments.txt``, ``<split>/audio/<spk>/<book>/<spk>_<book>_<seq>.flac``
(16 kHz) or ``.opus``, ``train/limited_supervision/``; with a listed file missing."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import soundfile as sf

from .common import Corpus, apple_double, replace_line, signal

RATE = 16000
HEADER = "SPEAKER   |   GENDER   | PARTITION  |  MINUTES   |  BOOK ID   |             TITLE              |            CHAPTER            "
# speaker, gender, partition, book, title
META = [
    ("1844", "F", "train", "931", "Die Leiden des jungen Werther", "Erster Brief"),
    ("2422", "M", "train", "2157", "Faust | Der Tragödie erster Teil", "Nacht"),
    ("3503", "F", "train", "3580", "Effi Briest", "Kapitel 1"),
    ("1844", "F", "train", "932", "Werther 2", "Zweiter Brief"),
    ("7001", "M", "dev", "4100", "Der Schimmelreiter", "Teil 1"),
    ("8002", "F", "test", "5200", "Die Verwandlung", "I"),
    ("9900", "M", "secret", "6600", "Geheim", "1"),
]
# split, utterance id, text
UTTERANCES = [
    ("train", "1844_931_000001", "es war ein schöner morgen"),
    ("train", "1844_931_000002", "sie ging zum fenster"),
    ("train", "1844_932_000003", "der brief kam spät"),
    ("train", "2422_2157_000010", "habe nun ach philosophie"),
    ("train", "2422_2157_000011", "juristerei und medizin"),
    ("train", "3503_3580_000001", "in front des schon seit kurfürst"),
    ("dev", "7001_4100_000001", "es war im dritten jahrzehnt"),
    ("dev", "7001_4100_000002", "an einem oktobernachmittag"),
    ("test", "8002_5200_000001", "als gregor samsa eines morgens"),
]
MISSING = ("train", "3503_3580_000002", "die audiodatei fehlt")
POLISH = [
    ("train", "6892_10350_000001", "litwo ojczyzno moja"),
    ("train", "6892_10350_000002", "ty jesteś jak zdrowie"),
    ("train", "7142_2700_000001", "ile cię trzeba cenić"),
]
POLISH_META = [("6892", "M", "train", "10350", "Pan Tadeusz", "Księga I"), ("7142", "F", "train", "2700", "Lalka", "I")]
SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def metainfo(rows) -> str:
    lines = [HEADER]
    for speaker, gender, part, book, title, chapter in rows:
        lines.append(
            f" {speaker:<9}|  {gender:<9} | {part:<10} | {'12.345':<10} | {book:<10} | {title:<30} | {chapter}"
        )
    return "\n".join(lines) + "\n"


def write(root: Path, meta, utterances, audio: Callable[[str, str], bytes], suffix=".flac", missing=()) -> None:
    """``root`` (``mls_<language>[_opus]``) for metainfo rows and (split, id, text) utterances; ``audio(id, text)``
    gives a file's bytes; ``missing`` utterances are listed without audio."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "metainfo.txt").write_text(metainfo(meta), encoding="utf-8")
    (root / "README").write_text("Multilingual LibriSpeech: placeholder\n", encoding="utf-8")
    (root / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    for split in SPLITS:
        rows = [(u, t) for s, u, t in (*utterances, *missing) if s == split]
        if not rows:
            continue
        (root / split).mkdir(exist_ok=True)
        (root / split / "transcripts.txt").write_text("".join(f"{u}\t{t}\n" for u, t in rows), encoding="utf-8")
        segments = "".join(f"{u}\thttp://www.archive.org/download/x/{u}.mp3\t1.0\t9.5\n" for u, _ in rows)
        (root / split / "segments.txt").write_text(segments, encoding="utf-8")
    handles = root / "train" / "limited_supervision" / "9hr" / "handles.txt"
    handles.parent.mkdir(parents=True, exist_ok=True)
    handles.write_text("".join(f"{u}\n" for s, u, _ in utterances if s == "train"), encoding="utf-8")
    for split, utt, text in utterances:
        speaker, book, _ = utt.split("_")
        path = root / split / "audio" / speaker / book / f"{utt}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(audio(utt, text))


def encoded(data, fmt: str, subtype: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, data, RATE, format=fmt, subtype=subtype)
    return buffer.getvalue()


def flac(utt: str, text: str) -> bytes:
    return encoded(signal(RATE, 0.04, 150.0 + int(utt[-2:]) * 20), "FLAC", "PCM_16")


def opus(utt: str, text: str) -> bytes:
    return encoded(signal(RATE, 0.1, 300.0 + int(utt[-2:]) * 20), "OGG", "OPUS")


def build(base: Path) -> Corpus:
    root = base / "mls_german"
    write(root, META, UTTERANCES, flac, missing=[MISSING])
    write(base / "mls_polish_opus", POLISH_META, POLISH, opus, suffix=".opus")
    apple_double(root / "train" / "audio" / "1844" / "931" / "1844_931_000001.flac")
    expected = {}
    for folder, utterances, suffix in (("mls_german", UTTERANCES, ".flac"), ("mls_polish_opus", POLISH, ".opus")):
        for split, utt, text in utterances:
            speaker, book, _ = utt.split("_")
            expected[utt] = {
                "split": SPLITS[split],
                "text": text,
                "audio": str(base / folder / split / "audio" / speaker / book / f"{utt}{suffix}"),
            }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train" / "transcripts.txt"
    replace_line(path, 2, "1844_931_000002 sie ging zum fenster")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["2422_2157_000010"]["audio"]).unlink()
    return "train", "2422_2157_000010"
