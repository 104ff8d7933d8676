"""MedleyVox as ``testset/testset_save.py`` writes it: ``{unison,duet,main_vs_rest}/<Song>/seg_N/mix/<Song> -
seg_N.wav`` and ``gt/<RAW name> - seg_N.wav`` (mono; the mix the sum of the gain-adjusted voices, each written as
16-bit PCM), with the repository's segment configs copied in as ``testset_config/<V1|V2 folder>/<Song>.json``
. One segment's backing voice is silent; one song's
mix is not the sum of its voices; a unison song; a song without its config. Audio at 16 kHz (the corpus: 44.1)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus

RATE = 16000


def voice(seconds: float, freq: float, amp: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


# (type, song, seg, start, end, main raw name, {raw name: signal}, gains dB, mix spoiled)
SONG = "LizNelson_Rainfall"
SEGMENTS = [
    (
        "duet",
        SONG,
        "seg_1",
        43,
        58.5,
        "LizNelson_Rainfall_RAW_01_01",
        {"LizNelson_Rainfall_RAW_01_01": 330.0, "LizNelson_Rainfall_RAW_03_01": 392.0},
        False,
    ),
    (
        "main_vs_rest",
        SONG,
        "seg_2",
        59,
        74.479,
        "LizNelson_Rainfall_RAW_01_01",
        {
            "LizNelson_Rainfall_RAW_01_01": 330.0,
            "LizNelson_Rainfall_RAW_02_01": 262.0,
            "LizNelson_Rainfall_RAW_03_01": 392.0,
        },
        False,
    ),
    (
        "main_vs_rest",
        SONG,
        "seg_3",
        74.479,
        90,
        "LizNelson_Rainfall_RAW_01_01",
        {"LizNelson_Rainfall_RAW_01_01": 330.0, "LizNelson_Rainfall_RAW_02_01": 0.0},
        False,
    ),
    (
        "duet",
        "CassandraJenkins_PerfectDay",
        "seg_1",
        10,
        25,
        "CassandraJenkins_PerfectDay_RAW_07_06",
        {"CassandraJenkins_PerfectDay_RAW_07_06": 440.0, "CassandraJenkins_PerfectDay_RAW_08_01": 523.0},
        True,
    ),
    (
        "unison",
        "TheTonTons_Lush",
        "seg_1",
        0,
        12,
        "TheTonTons_Lush_RAW_05_01",
        {"TheTonTons_Lush_RAW_05_01": 300.0, "TheTonTons_Lush_RAW_05_02": 300.0},
        False,
    ),
    (
        "duet",
        "Torres_NewSkin",
        "seg_1",
        5,
        20,
        "Torres_NewSkin_RAW_04_01",
        {"Torres_NewSkin_RAW_04_01": 280.0, "Torres_NewSkin_RAW_05_01": 350.0},
        False,
    ),
]
NO_CONFIG = "Torres_NewSkin"
SECONDS = 2.0
CONFIG_FOLDER = {
    SONG: "V1_rest_vocals_only_config",
    "CassandraJenkins_PerfectDay": "V2_vocals_only_config",
    "TheTonTons_Lush": "V2_vocals_only_config",
}


def config_text(entries: dict) -> str:
    """Close to the repository's hand-written style (4-space indent, no space after some colons)."""
    return json.dumps(entries, indent=4).replace('"start_sec": ', '"start_sec":').replace('"end_sec": ', '"end_sec":')


def write_segment(root: Path, kind: str, song: str, seg: str, voices: dict, spoiled: bool = False) -> None:
    """One segment: each voice (name -> mono signal at :data:`RATE`) under gt/, their 16-bit sum (or, spoiled, a
    saturated version of it) under mix/."""
    folder = root / kind / song / seg
    (folder / "gt").mkdir(parents=True)
    (folder / "mix").mkdir()
    total = 0.0
    for name, data in voices.items():
        sf.write(folder / "gt" / f"{name} - {seg}.wav", data, RATE, subtype="PCM_16")
        total = total + np.round(data * 32767) / 32767
    if spoiled:
        total = np.tanh(4 * total) * 0.5
    sf.write(folder / "mix" / f"{song} - {seg}.wav", total, RATE, subtype="PCM_16")


def segment_config(song: str, kind: str, start, end, main: str, names: list[str]) -> dict:
    return {
        "song_name": song,
        "type": kind,
        "num_of_singers": 1,
        "num_of_voices": len(names),
        "start_sec": start,
        "end_sec": end,
        "main_vocal": main,
        "other_vocals": [n for n in names if n != main],
        "gain_adjustment": {n: 0 for n in names},
    }


def write_config(root: Path, folder: str, song: str, entries: dict) -> None:
    path = root / "testset_config" / folder / f"{song}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(entries), encoding="utf-8")


def build(base: Path) -> Corpus:
    root = base / "MedleyVox"
    configs: dict[str, dict] = {}
    expected = {}
    for kind, song, seg, start, end, main, voices, spoiled in SEGMENTS:
        signals = {
            n: voice(SECONDS, f, 0.2) if f else np.zeros(round(SECONDS * RATE), np.float32) for n, f in voices.items()
        }
        write_segment(root, kind, song, seg, signals, spoiled)
        configs.setdefault(song, {})[seg] = segment_config(song, kind, start, end, main, list(voices))
        if kind == "unison" or song == NO_CONFIG:
            continue
        others = [n for n in voices if n != main]
        roles = ("lead vocal", "second vocal") if kind == "duet" else ("lead vocal", "backing vocals")
        for role, names in zip(roles, ([main], others)):
            if any(voices[n] for n in names):
                expected[f"{kind}/{song}/{seg}/{role.replace(' ', '_')}"] = {
                    "split": "test",
                    "voices": names,
                    "role": role,
                }
    for song, entries in configs.items():
        if song != NO_CONFIG:
            write_config(root, CONFIG_FOLDER[song], song, entries)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "testset_config" / CONFIG_FOLDER[SONG] / f"{SONG}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["seg_2"]["other_vocals"] = "LizNelson_Rainfall_RAW_02_01"
    text = config_text(data)
    path.write_text(text, encoding="utf-8")
    return path, next(k for k, line in enumerate(text.split("\n"), 1) if '"seg_2"' in line)


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "main_vs_rest" / SONG / "seg_3" / "gt" / "LizNelson_Rainfall_RAW_01_01 - seg_3.wav").unlink()
    return "test", f"main_vs_rest/{SONG}/seg_3/lead_vocal"
