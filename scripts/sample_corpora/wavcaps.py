"""The bundled sample's WavCaps copy: FreeSound and SoundBible JSON files (each subset's keys, one line) over four
synthetic 16 kHz FLACs in the zips' nested folders: two with speech (espeak-ng), two without (a bell, an engine);
one clip is long enough (3.2 s) for a continuation; the release's three blacklist files (listing ids the sample
does not hold), in the layout ``tests/corpora/wavcaps.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import librispeech as flac
from tests.corpora import wavcaps as layout

FOLDERS = ("WavCaps",)
RATE = 16000  # the corpus is 32 kHz; the sample is kept small


def clip(x: np.ndarray) -> bytes:
    return flac.flac_bytes((0.7 * x / np.abs(x).max()).astype(np.float32), RATE)


def make(sample: Path, tools: ModuleType) -> None:
    speech = tools.speak(
        "a man reads the weather report for the coast, with rain expected tonight", "en+m2", RATE, speed=210
    )
    talk = tools.speak("hello there, how are you", "en+f4", RATE, speed=210)
    bell = tools.chimes(1.0, RATE)
    engine = tools.engine(1.2, RATE, seed=4)
    entries = [
        ("FreeSound", "412017", "A man is speaking about the weather.", speech),
        ("FreeSound", "180913", "An engine is idling.", engine),
        ("SoundBible", "2163", "A woman talks briefly.", talk),
        ("SoundBible", "2185", "A bell is ringing.", bell),
    ]
    layout.write(
        sample / FOLDERS[0],
        [(subset, cid, caption, round(len(x) / RATE, 2), clip(x)) for subset, cid, caption, x in entries],
    )


def check(sample: Path) -> list[str]:
    flacs = sorted(p.name for p in (sample / FOLDERS[0]).rglob("*.flac"))
    return [] if len(flacs) == 4 else [f"expected four FLACs, found {flacs}"]
