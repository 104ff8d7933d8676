"""M4Singer as its archive extracts: ``meta.json`` (a JSON list, one sentence object a line) and
``<Singer>#<Song>/<n>.wav`` folders with their ``.mid`` and ``.TextGrid`` beside (never read), Chinese song
names (one with a space), a song two singers sing (parallel lines for conversion), a test song of the official
split, and a listed sentence whose WAV is absent."""

from __future__ import annotations

import json
from pathlib import Path

from .common import Corpus, replace_line, signal, wav_bytes

RATE = 24000
ROOT = "m4singer"
#: item name, txt, phonemes, notes (MIDI per phoneme), is_slur
ENTRIES = [
    (
        "Alto-1#童话#0000",
        "忘了有多久",
        ["<AP>", "w", "ang", "l", "e", "y", "ou", "d", "uo", "j", "iu"],
        [0, 62, 62, 64, 64, 65, 65, 67, 67, 69, 69],
        [0] * 11,
    ),
    (
        "Alto-1#童话#0001",
        "再没听到你",
        ["z", "ai", "m", "ei", "ei", "t", "ing"],
        [60, 60, 62, 62, 64, 65, 65],
        [0, 0, 0, 0, 1, 0, 0],
    ),
    ("Alto-1#稻香 live#0000", "还记得你说家是唯一的城堡", ["h", "ai", "<SP>", "j", "i"], [57, 57, 0, 59, 59], [0] * 5),
    (
        "Tenor-3#童话#0000",
        "忘了有多久",
        ["w", "ang", "l", "e", "y", "ou", "d", "uo", "j", "iu"],
        [50, 50, 52, 52, 53, 53, 55, 55, 57, 57],
        [0] * 10,
    ),
    ("Tenor-3#童话#0001", "再没听到你", ["z", "ai", "m", "ei", "t", "ing"], [48, 48, 50, 50, 52, 52], [0] * 6),
    ("Tenor-3#夜曲#0000", "一群嗜血的蚂蚁", ["y", "i", "q", "vn"], [55, 55, 57, 57], [0] * 4),
    ("Tenor-1#童话#0000", "忘了有多久", ["w", "ang", "l", "e"], [52, 52, 54, 54], [0] * 4),
    ("Tenor-1#童话#0001", "再没听到你", ["z", "ai"], [50, 50], [0, 0]),
    ("Tenor-1#晴天#0000", "故事的小黄花", ["g", "u", "sh", "i"], [55, 55, 57, 57], [0] * 4),
]
ABSENT = "Tenor-3#夜曲#0001"  # listed, WAV not shipped
TEST = ("Tenor-1#童话",)  # an official test prefix


def entry(name: str, txt: str, phs: list[str], notes: list[int], slur: list[int]) -> dict:
    ph_dur = [0.1 + 0.01 * k for k in range(len(phs))]
    return {
        "item_name": name,
        "txt": txt,
        "phs": phs,
        "notes": notes,
        "notes_dur": [0.4] * len(phs),
        "ph_dur": ph_dur,
        "is_slur": slur,
    }


def build(base: Path) -> Corpus:
    root = base / ROOT
    root.mkdir(parents=True)
    rows = [entry(*e) for e in ENTRIES] + [entry(ABSENT, "从前从前", ["c", "ong"], [60, 60], [0, 0])]
    expected = {}
    for k, row in enumerate(rows):
        folder, sentence = row["item_name"].rsplit("#", 1)
        (root / folder).mkdir(exist_ok=True)
        if row["item_name"] == ABSENT:
            continue
        wav = root / folder / f"{sentence}.wav"
        wav.write_bytes(wav_bytes(signal(RATE, 0.05, 200.0 + 15 * k), RATE))
        (root / folder / f"{sentence}.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0")
        (root / folder / f"{sentence}.TextGrid").write_text('File type = "ooTextFile"\n', encoding="utf-8")
        expected[row["item_name"]] = {
            "audio": str(wav),
            "singer": folder.split("#")[0],
            "song": folder.split("#")[1],
            "lyrics": row["txt"],
            "split": "test" if folder in TEST else "train",
        }
    text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"
    (root / "meta.json").write_text(text, encoding="utf-8")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """Line 3 is the second entry: give it one note too few."""
    path = corpus.root / "meta.json"
    row = entry(*ENTRIES[1])
    row["notes"] = row["notes"][:-1]
    replace_line(path, 3, json.dumps(row, ensure_ascii=False) + ",")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "Alto-1#稻香 live#0000"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
