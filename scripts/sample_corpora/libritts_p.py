"""The bundled sample's LibriTTS-P copy: a clone's ``data/`` files (in the layout ``tests/corpora/libritts_p.py``
writes) annotating the utterances of the sample's own ``LibriTTS_R/`` copy, which it sits beside; no audio of
its own. Each speaker gets one style key (by the gender LibriTTS-R gives); the candidate prompts are written
here, in LibriTTS-P's two kinds (descriptions and requests)."""

from __future__ import annotations

import warnings
from pathlib import Path
from types import ModuleType

from audio_flan.sources import libritts_p, libritts_r
from tests.corpora import libritts_p as layout

FOLDERS = ("LibriTTS-P",)
KEYS = {"female": "F_p-high_s-normal_e-normal", "male": "M_p-low_s-slow_e-low"}
CANDIDATES = {
    "F_p-high_s-normal_e-normal": [
        "A woman with a high-pitched voice speaks at a normal pace and volume",
        "Ask a woman with a high pitch to read at her usual speed",
    ],
    "M_p-low_s-slow_e-low": [
        "A man with a deep voice speaks slowly and softly",
        "Ask a man with a low pitch to speak slowly and quietly",
    ],
}


def _utterances(sample: Path) -> list[dict]:
    root = sample / "LibriTTS_R"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            r
            for shards in libritts_r.list_shards(root).values()
            for s in shards
            for r in libritts_r.read_shard(root, s)
        ]


def make(sample: Path, tools: ModuleType) -> None:
    rows = [
        layout.row(r["id"], KEYS[r["gender"]], r["text"]) for r in sorted(_utterances(sample), key=lambda r: r["id"])
    ]
    layout.write(sample / FOLDERS[0], rows, CANDIDATES)


def check(sample: Path) -> list[str]:
    if not libritts_p.detect(sample):
        return ["LibriTTS-P sample: the sample folder is not detected as LibriTTS-P beside LibriTTS_R/"]
    return []
