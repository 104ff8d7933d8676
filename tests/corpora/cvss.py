"""CVSS-C and CVSS-T as their archives extract (``{train,dev,test}.tsv``, two tab-separated columns without header,
and ``<split>/<clip>.mp3.wav`` targets at 24 kHz), beside the Common Voice 4 locale folder whose MP3 clips they
translate (``cv-corpus-4-2019-12-10/fr/clips/``); with a row whose source clip is not in the CV copy (as ESPnet
reports "possibly due to data mismatch") and a CVSS-T target missing; German with CVSS-C only."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import soundfile as sf

from .common import Corpus, replace_line, signal, wav_bytes

CV_RATE, CVSS_RATE = 48000, 24000
CV = "cv-corpus-4-2019-12-10"
# split, clip number, source sentence (CV), English translation
ROWS = [
    ("train", 19176154, "Le chat dort.", "the cat is sleeping"),
    ("train", 19176155, "Il pleut encore.", "it is raining again"),
    ("train", 19176156, "J'ai vingt ans.", "i am twenty years old"),
    ("dev", 19176200, "Bonne nuit.", "good night"),
    ("test", 19176300, "À demain.", "see you tomorrow"),
]
GERMAN = [("train", 30000001, "Guten Morgen.", "good morning"), ("dev", 30000002, "Danke.", "thank you")]
NOT_IN_CV = ("train", 19176157, "Absent.", "this clip is not in the copy")
NO_T_TARGET = 19176155
SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def clip(src: str, number: int) -> str:
    return f"common_voice_{src}_{number}.mp3"


def write(
    root: Path,
    src: str,
    rows,
    source: Callable[[str, str], bytes],
    target: Callable[[str, str, str], bytes],
    versions=("c", "t"),
    not_in_cv=(),
    no_target=(),
) -> None:
    """``root`` holding ``cvss_<v>_<src>_en_v1.0/`` per version and the CV4 locale folder, for (split, clip number,
    sentence, translation) rows; ``source(clip, sentence)`` gives an MP3, ``target(version, clip, text)`` a WAV.
    ``not_in_cv`` rows have no source clip; ``(version, number)`` pairs of ``no_target`` no target WAV."""
    locale = root / CV / src
    (locale / "clips").mkdir(parents=True, exist_ok=True)
    header = "client_id\tpath\tsentence\tup_votes\tdown_votes\tage\tgender\taccent\n"
    for name, wanted in (("validated.tsv", "train"), ("dev.tsv", "dev"), ("test.tsv", "test")):
        lines = [f"c{n}\t{clip(src, n)}\t{s}\t2\t0\t\t\t\n" for split, n, s, _ in rows if split == wanted]
        (locale / name).write_text(header + "".join(lines), encoding="utf-8")
    for _, number, sentence, _ in rows:
        (locale / "clips" / clip(src, number)).write_bytes(source(clip(src, number), sentence))
    for version in versions:
        folder = root / f"cvss_{version}_{src}_en_v1.0"
        for split in SPLITS:
            listed = [r for r in (*rows, *not_in_cv) if r[0] == split]
            (folder / split).mkdir(parents=True, exist_ok=True)
            tsv = "".join(f"{clip(src, n)}\t{t}\n" for _, n, _, t in listed)
            (folder / f"{split}.tsv").write_text(tsv, encoding="utf-8")
            for _, number, _, text in listed:
                if (version, number) not in no_target:
                    (folder / split / f"{clip(src, number)}.wav").write_bytes(target(version, clip(src, number), text))


def mp3(name: str, sentence: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(CV_RATE, 0.05, 200.0 + int(name[-7:-4]) % 100 * 3), CV_RATE, format="MP3")
    return buffer.getvalue()


def tone(version: str, name: str, text: str) -> bytes:
    return wav_bytes(signal(CVSS_RATE, 0.04, (300.0 if version == "c" else 500.0) + int(name[-7:-4]) % 100), CVSS_RATE)


def build(base: Path) -> Corpus:
    root = base / "cvss"
    write(root, "fr", ROWS, mp3, tone, not_in_cv=[NOT_IN_CV], no_target=[("t", NO_T_TARGET)])
    write(root, "de", GERMAN, mp3, tone, versions=("c",))  # only CVSS-C of German
    expected = {}
    for src, rows, versions in (("fr", ROWS, ("c", "t")), ("de", GERMAN, ("c",))):
        for version in versions:
            for split, number, _, text in rows:
                name = clip(src, number)
                expected[f"{version}_{name[:-4]}"] = {
                    "split": SPLITS[split],
                    "translation_text": text if version == "c" else None,
                    "audio": str(root / CV / src / "clips" / name),
                }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "cvss_t_fr_en_v1.0" / "train.tsv"
    replace_line(path, 2, "common_voice_fr_19176155.mp3 it is raining again")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / CV / "de" / "clips" / clip("de", 30000002)).unlink()
    return "validation", "c_common_voice_de_30000002"
