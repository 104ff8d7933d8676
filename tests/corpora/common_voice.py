"""Common Voice as its per-locale archives extract: ``cv-corpus-<version>-<date>/<locale>/`` with ``clips/*.mp3``
(48 kHz) and tab-separated clip TSVs with a header whose columns depend on the release: v13-16
``client_id path sentence up_votes down_votes age gender accents variant locale segment``; v17+
``client_id path sentence_id sentence sentence_domain up_votes down_votes age gender accents variant locale segment``
(gender values ``male_masculine``, ``female_feminine``, ...). Sentences hold unbalanced quotes; some rows point
at clips that are not there; ``fourties`` is spelled so."""

from __future__ import annotations

import io
from pathlib import Path

import soundfile as sf

from .common import Corpus, replace_line, signal

RATE = 48000
V13 = (
    "client_id",
    "path",
    "sentence",
    "up_votes",
    "down_votes",
    "age",
    "gender",
    "accents",
    "variant",
    "locale",
    "segment",
)
V17 = (
    "client_id", "path", "sentence_id", "sentence", "sentence_domain", "up_votes", "down_votes", "age", "gender",
    "accents", "variant", "locale", "segment",
)  # fmt: skip


def mp3(freq: float) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, 0.05, freq), RATE, format="MP3")
    return buffer.getvalue()


def write_locale(folder: Path, columns, splits: dict[str, list[dict]], clips: dict[str, bytes]) -> None:
    """``splits`` file name -> rows (dicts by column); ``clips`` file name -> MP3 bytes."""
    (folder / "clips").mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        lines = ["\t".join(columns)] + ["\t".join(str(r.get(c, "")) for c in columns) for r in rows]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, data in clips.items():
        (folder / "clips" / name).write_bytes(data)


def _row(locale: str, n: int, sentence: str, speaker: str, age="", gender="", accents="") -> dict:
    return {
        "client_id": speaker,
        "path": f"common_voice_{locale}_{n}.mp3",
        "sentence_id": f"s{n:06x}",
        "sentence": sentence,
        "sentence_domain": "",
        "up_votes": 2,
        "down_votes": 0,
        "age": age,
        "gender": gender,
        "accents": accents,
        "locale": locale,
    }


FR = {
    "train.tsv": [
        _row("fr", 1001, "Bonjour à tous.", "3f9ae1", "twenties", "male"),
        _row("fr", 1002, "Il a dit \"oui et puis s'en alla.", "3f9ae1", "twenties", "male"),
        _row("fr", 1003, "Le café est chaud.", "77ab02", "fourties", "female", "Français de Belgique"),
        _row("fr", 1004, "Une phrase sans clip.", "77ab02", "fourties", "female"),
    ],
    "dev.tsv": [_row("fr", 2001, "Où est la gare ?", "c0ffee", "", "other")],
    "test.tsv": [_row("fr", 3001, "Merci beaucoup.", "d00d12", "sixties", "male")],
    "validated.tsv": [],
}
EN = {
    "train.tsv": [
        _row("en", 5001, "The quick brown fox.", "aa11", "thirties", "female_feminine", "United States English"),
        _row("en", 5002, "Jumps over the lazy dog.", "bb22", "teens", "male_masculine"),
        _row("en", 5003, "A third sentence here.", "cc33", "", "do_not_wish_to_say"),
    ],
    "dev.tsv": [_row("en", 6001, "Development data.", "dd44", "nineties", "female_feminine")],
    "test.tsv": [_row("en", 7001, "Testing one two.", "ee55", "fifties", "male_masculine", "England English")],
}
SPLITS = {"train.tsv": "train", "dev.tsv": "validation", "test.tsv": "test"}


def build(base: Path) -> Corpus:
    expected = {}
    for version, locale, columns, splits in (
        ("cv-corpus-15.0-2023-09-08", "fr", V13, FR),
        ("cv-corpus-17.0-2024-03-15", "en", V17, EN),
    ):
        folder = base / version / locale
        clips = {}
        for k, (name, rows) in enumerate(splits.items()):
            for j, row in enumerate(rows):
                if row["sentence"] == "Une phrase sans clip.":
                    continue
                clips[row["path"]] = mp3(200.0 + 30 * k + 7 * j)
                if name in SPLITS:
                    expected[row["path"][:-4]] = {
                        "split": SPLITS[name],
                        "text": row["sentence"],
                        "audio": str(folder / "clips" / row["path"]),
                    }
        write_locale(folder, columns, splits, clips)
    return Corpus(base / "cv-corpus-15.0-2023-09-08" / "fr", base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "train.tsv"
    replace_line(path, 3, "3f9ae1\tcommon_voice_fr_1002.mp3\ttoo few fields")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["common_voice_fr_1003"]["audio"]).unlink()
    return "train", "common_voice_fr_1003"
