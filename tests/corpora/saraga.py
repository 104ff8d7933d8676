"""Saraga 1.5 as ``saraga1.5_carnatic.zip`` and ``saraga1.5_hindustani.zip`` extract, side by side: concert folders
``<Concert> by <Artist>`` with spaces and diacritics, track folders holding the ``<title>.mp3.mp3`` mix (MP3, as
shipped; one track with a multitrack stem beside it), ``<title>.json`` in each collection's key names, and a few
annotation files (never read); one track whose mix is absent."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, replace_line

RATE = 16000
SECONDS = 3.5  # long enough for a 2 s prompt and its 1 s continuation
ROOTS = ("saraga1.5_carnatic", "saraga1.5_hindustani")


def mp3_bytes(freq: float, seconds: float = SECONDS, rate: int = RATE) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    sf.write(buffer, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate, format="MP3")
    return buffer.getvalue()


def carnatic(title: str, raaga: str, taala: str, form: str, lead: str, violin: str) -> dict:
    return {
        "mbid": "0a1b2c3d-0000-4000-8000-000000000001",
        "title": title,
        "length": 3500,
        "artists": [
            {"artist": {"mbid": "a1", "name": lead}, "instrument": {"mbid": "i1", "name": "Voice"}, "lead": True},
            {"artist": {"mbid": "a2", "name": violin}, "instrument": {"mbid": "i2", "name": "Violin"}, "lead": False},
        ],
        "raaga": [{"uuid": "r1", "name": raaga, "common_name": raaga.lower()}],
        "taala": [{"uuid": "t1", "name": taala, "common_name": taala.lower()}],
        "form": [{"name": form}],
        "work": [{"mbid": "w1", "title": title}],
        "concert": [{"mbid": "c1", "title": "Cleveland 2013"}],
    }


def hindustani(title: str) -> dict:
    return {
        "mbid": "0a1b2c3d-0000-4000-8000-000000000002",
        "title": title,
        "length": 3500,
        "artists": [{"artist": {"mbid": "a3", "name": "Ajoy Chakrabarty"}, "instrument": {"name": "Voice"}}],
        "raags": [{"uuid": "r2", "name": "Yaman", "common_name": "yaman"}],
        "taals": [{"uuid": "t2", "name": "Ektaal", "common_name": "ektaal"}],
        "layas": [{"uuid": "l2", "name": "Vilambit"}],
        "forms": [{"name": "Khyāl"}],
        "release": [{"mbid": "rel1", "title": "Live"}],
    }


#: (collection, concert folder, track folder / title, metadata, expected description)
TRACKS = [
    (
        "saraga1.5_carnatic",
        "Cleveland 2013 by Sanjay Subrahmanyan",
        "Ētāvunarā",
        carnatic("Ētāvunarā", "Kalyāṇi", "Ādi", "Kriti", "Sanjay Subrahmanyan", "S. Varadarajan"),
        "A Carnatic Kriti in raga kalyāṇi and tala ādi, by Sanjay Subrahmanyan (Voice) with S. Varadarajan (Violin).",
    ),
    (
        "saraga1.5_carnatic",
        "Cleveland 2013 by Sanjay Subrahmanyan",
        "Sāmajavaragamana",
        carnatic("Sāmajavaragamana", "Hindōḷaṁ", "Ādi", "Kriti", "Sanjay Subrahmanyan", "S. Varadarajan"),
        "A Carnatic Kriti in raga hindōḷaṁ and tala ādi, by Sanjay Subrahmanyan (Voice) with S. Varadarajan (Violin).",
    ),
    (
        "saraga1.5_hindustani",
        "Live by Ajoy Chakrabarty",
        "Raag Yaman",
        hindustani("Raag Yaman"),
        "A Hindustani Khyāl in raag yaman and taal ektaal at Vilambit tempo, by Ajoy Chakrabarty (Voice).",
    ),
]
ABSENT = ("saraga1.5_hindustani", "Live by Ajoy Chakrabarty", "Raag Bhairavi")


def write_track(folder: Path, title: str, meta: dict, freq: float, mix: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{title}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=4), encoding="utf-8")
    (folder / f"{title}.ctonic.txt").write_text("146.84\n", encoding="utf-8")
    (folder / f"{title}.tempo-manual.txt").write_text("330, 82, 5.827, 32, 4\n", encoding="utf-8")
    mixed = folder / f"{title}.mp3.mp3"
    if mix:
        mixed.write_bytes(mp3_bytes(freq))
    return mixed


def build(base: Path) -> Corpus:
    expected = {}
    for k, (collection, concert, track, meta, description) in enumerate(TRACKS):
        mix = write_track(base / collection / concert / track, track, meta, 220.0 + 40 * k)
        tradition = "carnatic" if "carnatic" in collection else "hindustani"
        expected[f"{tradition}/{concert}/{track}"] = {
            "audio": str(mix),
            "description": description,
            "tradition": tradition.capitalize(),
            "title": track,
            "split": "train",
        }
    first = base / TRACKS[0][0] / TRACKS[0][1] / TRACKS[0][2]
    (first / f"{TRACKS[0][2]}.multitrack-vocal.mp3").write_bytes(mp3_bytes(300.0, 0.5))
    collection, concert, track = ABSENT
    write_track(base / collection / concert / track, track, hindustani(track), 500.0, mix=False)
    return Corpus(base, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """The second Carnatic track's JSON: its title (line 3 of the indented file) a number."""
    collection, concert, track = TRACKS[1][:3]
    path = corpus.root / collection / concert / track / f"{track}.json"
    replace_line(path, 3, '    "title": 17,')
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
