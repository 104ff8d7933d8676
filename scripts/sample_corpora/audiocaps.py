"""The bundled sample's AudioCaps copy: ``dataset/{train,val,test}.csv`` in the repository's format (val and test
with five captions per clip) and clips named ``<ytid>_<start>.wav``, synthetic sounds matching the captions."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import audiocaps as layout

FOLDERS = ("audiocaps",)
SR = 16000
# (split, YouTube id, start, first audiocap_id, captions)
CLIPS = [
    ("train", "d0gBk2x_1aQ", 30, 500, ["A dog barks twice while a car horn honks"]),
    ("train", "rAiN5x0w_Pq", 60, 501, ["Rain falls steadily"]),
    (
        "validation",
        "s1rEn-w4iL8",
        0,
        600,
        [
            "A siren wails",
            "An emergency siren rises and falls",
            "A siren sounds, loud and steady",
            "A warning siren",
            "Sirens wail continuously",
        ],
    ),
    (
        "test",
        "bIrdS_chrp1",
        10,
        700,
        [
            "Birds chirp",
            "Several birds tweet",
            "Birds call outdoors",
            "Small birds chirp and sing",
            "Birdsong in the open air",
        ],
    ),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    seconds = 0.5
    bark = np.zeros(int(seconds * SR))
    tools.place(bark, tools.dog_bark(91, 500, SR), 0.05, SR)
    tools.place(bark, tools.car_horn(0.22, SR), 0.26, SR, 0.7)
    audio = {
        "d0gBk2x_1aQ": bark,
        "rAiN5x0w_Pq": tools.rain(seconds, SR, 92),
        "s1rEn-w4iL8": tools.siren(seconds, SR, 93),
        "bIrdS_chrp1": tools.birds(seconds, SR, 94),
    }
    rows: dict[str, list] = {split: [] for split in layout.FILES}
    for split, ytid, start, first, captions in CLIPS:
        tools.write_wav(layout.clip_path(root, ytid, start, "seconds"), audio[ytid], SR)
        rows[split] += [(first + k, ytid, start, caption) for k, caption in enumerate(captions)]
    (root / "dataset").mkdir(parents=True, exist_ok=True)
    for split, name in layout.FILES.items():
        (root / "dataset" / name).write_text(layout.csv_text(rows[split]), encoding="utf-8")
