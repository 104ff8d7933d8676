"""The bundled sample's ASVspoof copy: three 2019 LA training trials (a bona fide one read by espeak-ng, and two
"spoofs": the same voice coarsely requantised, standing in for attacks A01 and A04) as 16 kHz FLAC, with the
CM protocol, in the layout ``tests/corpora/asvspoof.py`` writes."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import asvspoof as layout

FOLDERS = ("ASVspoof",)
RATE = 16000
ROWS = [
    ("LA_0079", "LA_T_1138215", "-", "bonafide", "The kettle is on the stove."),
    ("LA_0079", "LA_T_1271820", "A01", "spoof", "Close the door behind you."),
    ("LA_0080", "LA_T_1272637", "A04", "spoof", "We walked along the river."),
]


def make(sample: Path, tools: ModuleType) -> None:
    clips = {}
    for k, (_, trial, system, _, text) in enumerate(ROWS):
        x = tools.speak(text, "en+f3" if k % 2 == 0 else "en+m2", RATE, speed=240)
        if system != "-":
            x = tools.vocoded(x, RATE, bits=4 + k)
        buffer = io.BytesIO()
        sf.write(buffer, x, RATE, format="FLAC")
        clips[trial] = buffer.getvalue()
    layout.write_2019(sample / FOLDERS[0], {"train": [row[:4] for row in ROWS]}, clips.__getitem__)


def check(sample: Path) -> list[str]:
    flacs = sorted(p.stem for p in (sample / FOLDERS[0] / "LA" / "ASVspoof2019_LA_train" / "flac").iterdir())
    return [] if flacs == sorted(r[1] for r in ROWS) else [f"ASVspoof sample: flac/ holds {flacs}"]
