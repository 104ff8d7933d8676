"""MoisesDB as ``moisesdb.zip`` unpacks: ``moisesdb_v0.1/<track uuid>/data.json`` (artist, song, genre, stems with
their source tracks: id, trackType, extension, has_bleed) and ``<stemName>/<source uuid>.wav`` (stereo), no mixture.
Source files of one track differ in length, as in the corpus; one stem is silent over an excerpt, one track has a
stem that is silent throughout. Audio at 16 kHz (MoisesDB's is 44.1 kHz) to stay small."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus
from .medleydb import noise, tone

RATE = 16000
PROVIDER = "moisesdb_v0.1"


def tracks() -> list[dict]:
    """Each: uuid, artist, song, genre, stems {stemName: [(source uuid, trackType, has_bleed, stereo signal)]}."""
    return [
        {
            "id": "0a4f1d2e-6b7c-4d8e-9f00-112233445566",
            "artist": "Keane",
            "song": "Somewhere",
            "genre": "Pop",
            "stems": {
                "vocals": [
                    ("1b2c3d4e-0000-4000-8000-000000000001", "lead female singer", False, tone(12.0, 440.0, 0.2)),
                    ("1b2c3d4e-0000-4000-8000-000000000002", "background vocals", True, tone(12.0, 660.0, 0.05)),
                ],
                "bass": [("1b2c3d4e-0000-4000-8000-000000000003", "bass guitar", False, tone(12.0, 55.0, 0.3))],
                "drums": [
                    ("1b2c3d4e-0000-4000-8000-000000000004", "kick drum", False, noise(11.5, 0.05, 2)),
                    ("1b2c3d4e-0000-4000-8000-000000000005", "snare drum", False, noise(12.0, 0.03, 3)),
                ],
                "bowed_strings": [
                    ("1b2c3d4e-0000-4000-8000-000000000006", "violin section", False, tone(12.0, 880.0, 0.1, 0, 9.0))
                ],
            },
        },
        {
            "id": "5e6f7a8b-1111-4222-8333-444455556666",
            "artist": "Suede",
            "song": "Animal",
            "genre": "Rock",
            "stems": {
                "guitar": [
                    ("2c3d4e5f-0000-4000-8000-000000000001", "clean electric guitar", False, tone(4.0, 330.0, 0.2))
                ],
                "other_keys": [("2c3d4e5f-0000-4000-8000-000000000002", "synth pad", False, tone(4.0, 220.0, 0.2))],
            },
        },
        {
            "id": "9c8b7a6f-2222-4333-8444-555566667777",
            "artist": "Chicago",
            "song": "Saturday",
            "genre": "Jazz",
            "stems": {
                "vocals": [("3d4e5f6a-0000-4000-8000-000000000001", "lead male singer", False, tone(3.0, 220.0, 0.2))],
                "bass": [
                    (
                        "3d4e5f6a-0000-4000-8000-000000000002",
                        "contrabass/double bass (bass of instrings)",
                        False,
                        tone(3.0, 41.0, 0.0),
                    )
                ],
            },
        },
    ]


def data_json(track: dict) -> str:
    stems = [
        {
            "stemName": name,
            "tracks": [{"id": i, "trackType": t, "extension": "wav", "has_bleed": b} for i, t, b, _ in sources],
        }
        for name, sources in track["stems"].items()
    ]
    data = {"song": track["song"], "artist": track["artist"], "genre": track["genre"], "stems": stems}
    return json.dumps(data, indent=4)


def write_track(root: Path, track: dict) -> Path:
    folder = root / PROVIDER / track["id"]
    folder.mkdir(parents=True)
    (folder / "data.json").write_text(data_json(track), encoding="utf-8")
    for name, sources in track["stems"].items():
        (folder / name).mkdir()
        for ident, _, _, signal in sources:
            sf.write(folder / name / f"{ident}.wav", signal, RATE, subtype="PCM_16")
    return folder


def expected_records(track: dict) -> dict[str, dict]:
    """Record id -> values for the stems that sound over each 10-s excerpt of the shortest file."""
    from audio_flan.sources.moisesdb import display_name, split_of

    shortest = min(s[3].shape[0] for sources in track["stems"].values() for s in sources) / RATE
    out = {}
    for offset in np.arange(0.0, shortest, 10.0):
        end = min(offset + 10.0, shortest)
        for name, sources in track["stems"].items():
            mono = sum(s[3][round(offset * RATE) : round(end * RATE)].mean(axis=1) for s in sources)
            if np.sqrt(np.mean(mono**2)) < 10 ** (-40 / 20):
                continue
            out[f"{track['id']}/{offset:g}/{name}"] = {
                "split": split_of(track["artist"]),
                "stem": display_name(name),
                "excerpt": (float(offset), float(end - offset)),
            }
    return out


def build(base: Path) -> Corpus:
    root = base / "moisesdb"
    expected = {}
    for track in tracks():
        write_track(root, track)
        expected.update(expected_records(track))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """The extension of the second track's second source becomes a number."""
    path = corpus.root / PROVIDER / "5e6f7a8b-1111-4222-8333-444455556666" / "data.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stems"][1]["tracks"][0]["extension"] = 7
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    return path, next(k for k, text in enumerate(lines, 1) if "2c3d4e5f-0000-4000-8000-000000000002" in text)


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    track = "9c8b7a6f-2222-4333-8444-555566667777"
    (corpus.root / PROVIDER / track / "vocals" / "3d4e5f6a-0000-4000-8000-000000000001.wav").unlink()
    return "test", f"{track}/0/vocals"
