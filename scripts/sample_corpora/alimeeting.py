"""The bundled sample's AliMeeting copy: one far-field meeting of about a second in ``Train_Ali_far/``, two
participants speaking Mandarin (espeak-ng) with a little overlap, heard by the 8 microphones of the array at
slightly different gains, and its TextGrid; in the layout ``tests/corpora/alimeeting.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import alimeeting as layout

FOLDERS = ("AliMeeting",)
STEM = "R0003_M0046_MS002"
TURNS = [
    ("N_SPK0093", "大家好", "cmn", 0.05),
    ("N_SPK0094", "好的", "cmn+f3", None),
]  # None: starts as A ends, less 0.1 s


def make(sample: Path, tools: ModuleType) -> None:
    rate = layout.RATE
    voices, tiers, at = [], {}, 0.0
    for tier, text, voice, start in TURNS:
        speech = tools.speak(text, voice, rate, speed=260)[: int(0.6 * rate)]
        begin = start if start is not None else max(0.0, at - 0.1)
        end = begin + len(speech) / rate
        voices.append((round(begin * rate), speech))
        tiers[tier] = [(round(begin, 3), round(end, 3), text + "。")]
        at = end
    seconds = round(at + 0.05, 3)
    mono = np.zeros(round(seconds * rate))
    for first, speech in voices:
        mono[first : first + len(speech)] += 0.45 * speech / max(1e-9, np.abs(speech).max())
    far = mono[:, None] * np.linspace(1.0, 0.8, layout.CHANNELS)[None, :]
    layout.write_meeting(sample / FOLDERS[0] / "Train_Ali_far", STEM, seconds, tiers, audio=far.astype(np.float32))


def check(sample: Path) -> list[str]:
    folder = sample / FOLDERS[0] / "Train_Ali_far"
    wavs = sorted(p.name for p in (folder / "audio_dir").iterdir())
    grids = sorted(p.name for p in (folder / "textgrid_dir").iterdir())
    return [] if wavs == [f"{STEM}.wav"] and grids == ["R0003_M0046.TextGrid"] else [f"unexpected files {wavs} {grids}"]
