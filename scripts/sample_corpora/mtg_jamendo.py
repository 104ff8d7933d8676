"""The bundled sample's MTG-Jamendo copy: the ``data/`` folder's ``autotagging.tsv`` and split-0 TSVs (CRLF, a
variable number of tag columns) for ten tracks, with ``audio/NN/<id>.mp3``: 0.5 s fluidsynth phrases (the
tagged instrument where there is one), in the layout ``tests/corpora/mtg_jamendo.py`` writes."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from audio_flan.sources import mtg_jamendo as parser
from tests.corpora import mtg_jamendo as layout

FOLDERS = ("mtg-jamendo-data",)
RATE = 44100
SECONDS = 0.5
#: General MIDI programs for the instruments tagged here
PROGRAMS = {"piano": 0, "guitar": 24, "acousticguitar": 25, "violin": 40, "synthesizer": 81, "voice": 52, "bass": 33}
#: (track number, split, tags)
TRACKS = [
    (1100, "train", ["genre---rock", "instrument---guitar", "mood/theme---energetic"]),
    (1201, "train", ["genre---hiphop", "instrument---synthesizer", "mood/theme---dark"]),
    (1302, "train", ["genre---classical", "instrument---piano", "mood/theme---calm", "mood/theme---sad"]),
    (1403, "train", ["genre---pop", "genre---rnb", "instrument---voice", "mood/theme---happy"]),
    (1504, "train", ["genre---folk", "instrument---acousticguitar", "instrument---violin", "mood/theme---happy"]),
    (1605, "train", ["genre---electronic", "instrument---synthesizer", "mood/theme---energetic", "mood/theme---film"]),
    (1706, "train", ["genre---jazz", "instrument---piano", "instrument---bass", "mood/theme---calm"]),
    (1807, "train", ["genre---ambient", "instrument---synthesizer", "mood/theme---calm", "mood/theme---dark"]),
    (1908, "validation", ["genre---rock", "instrument---guitar", "mood/theme---happy"]),
    (2009, "test", ["genre---classical", "instrument---violin", "mood/theme---sad"]),
]


def phrase(track: int, tags: list[str], tools: ModuleType) -> bytes:
    instruments = [t.split("---")[1] for t in tags if t.startswith("instrument---")]
    program = PROGRAMS.get(instruments[0], 0) if instruments else 0
    root = 48 + track % 12
    notes = [(0, 0.125 * i, 0.125 * (i + 1), root + step, 90) for i, step in enumerate((0, 4, 7, 12))]
    x = tools.synth(notes, {0: program}, SECONDS, RATE)
    buffer = io.BytesIO()
    sf.write(buffer, x.astype("float32") * 0.8, RATE, format="MP3")
    return buffer.getvalue()


def make(sample: Path, tools: ModuleType) -> None:
    data = sample / FOLDERS[0]
    rows: dict[str, list[str]] = {"train": [], "validation": [], "test": []}
    for k, (track, split, tags) in enumerate(TRACKS):
        rows[split].append(layout.row(track, 500 + k, 900 + k, 180.0 + 7 * k, tags))
        mp3 = data / "audio" / layout.path_of(track)
        mp3.parent.mkdir(parents=True, exist_ok=True)
        mp3.write_bytes(phrase(track, tags, tools))
    for split, split_rows in rows.items():
        layout.write_tsv(data / "splits" / "split-0" / f"autotagging-{split}.tsv", split_rows)
    layout.write_tsv(data / "autotagging.tsv", [r for split_rows in rows.values() for r in split_rows])


def check(sample: Path) -> list[str]:
    """The train split pairs a track tagged with an emotion and one probed with it but not tagged."""
    root = sample / FOLDERS[0]
    records = [r for s in parser.list_shards(root)["train"] for r in parser.read_shard(root, s)]
    tagged = {r["emotion"] for r in records if r["emotion_score"] == 1.0}
    untagged = {r["emotion"] for r in records if r["emotion_score"] == 0.0}
    return [] if tagged & untagged else [f"no emotion pair in train: tagged {tagged}, untagged {untagged}"]
