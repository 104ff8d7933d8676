"""The bundled sample's AudioSet weak-label copy, as PANNs lays the download out: ``metadata/`` with the segments
CSVs (comment header, quoted label lists) and real rows of ``class_labels_indices.csv``, and clips named
``audios/<csv stem>/Y<ytid>.wav``: speech (espeak-ng), music (FluidSynth), noise and silence, one each."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import audioset_weak as layout

FOLDERS = ("AudioSet-weak-labels",)
SR = 16000
CLASSES = [
    (0, "/m/09x0r", "Speech"),
    (2, "/m/02zsn", "Female speech, woman speaking"),
    (137, "/m/04rlf", "Music"),
    (153, "/m/05r5c", "Piano"),
    (283, "/m/03m9d0z", "Wind"),
    (500, "/m/028v0c", "Silence"),
    (513, "/m/096m7z", "Noise"),
    (514, "/m/06_y0by", "Environmental noise"),
]
# (csv stem, YouTube id, start, label mids)
SEGMENTS = [
    ("balanced_train", "sPk3aWqE1mY", 30, ["/m/09x0r", "/m/02zsn"]),
    ("balanced_train", "-mUs1cPn0Qk", 0, ["/m/04rlf", "/m/05r5c"]),
    ("eval", "nZ_wInD7x0s", 10, ["/m/096m7z", "/m/06_y0by", "/m/03m9d0z"]),
    ("eval", "q5iL_enCe9A", 20, ["/m/028v0c"]),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    seconds = 0.5
    n = int(seconds * SR)
    speech = np.pad(tools.speak("turn left here", "en+f3", SR), (0, n))[:n]
    music = tools.synth(
        [(0, 0.12 * k, 0.12 * (k + 1) - 0.02, p, 90) for k, p in enumerate((60, 64, 67, 72))], {0: 0}, seconds, SR
    )
    noise = tools.wind(seconds, SR, 7) + 0.05 * tools.band(tools.rng(8).randn(n), SR, 200, 4000)
    audio = {"sPk3aWqE1mY": speech, "-mUs1cPn0Qk": music, "nZ_wInD7x0s": noise, "q5iL_enCe9A": np.zeros(n)}
    rows: dict[str, list] = {"balanced_train": [], "eval": []}
    for stem, ytid, start, mids in SEGMENTS:
        rows[stem].append((ytid, start, mids))
        peak = None if ytid == "q5iL_enCe9A" else 0.85
        tools.write_wav(layout.clip_path(root, stem, ytid, start, "panns"), audio[ytid], SR, peak=peak)
    layout.write_metadata(root / "metadata", CLASSES, rows)


def check(sample: Path) -> list[str]:
    root = sample / FOLDERS[0]
    missing = [y for s, y, st, _ in SEGMENTS if not layout.clip_path(root, s, y, st, "panns").is_file()]
    return [f"clips missing for {missing}"] if missing else []
