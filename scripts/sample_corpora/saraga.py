"""The bundled sample's Saraga copy: one Carnatic track, a 3.1 s phrase on fluidsynth's sitar and a drone, written
as a low-rate mono MP3 under the corpus's doubled ``<title>.mp3.mp3`` name with its ``<title>.json``, in
``saraga1.5_carnatic/<Concert> by <Artist>/<title>/`` (the layout ``tests/corpora/saraga.py`` writes). It is the
one clip of the sample longer than half a second: text-guided continuation needs a 2 s prompt and 1 s after it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import saraga as layout

FOLDERS = ("saraga1.5_carnatic",)
RATE = 8000
SECONDS = 3.1
CONCERT = "Sample Concert by Sample Artist"
TITLE = "Sample Kriti"
SITAR, DRONE = 104, 49  # General MIDI sitar; string ensemble for the tonic drone
PHRASE = [62, 64, 65, 67, 69, 67, 65, 64, 62]  # a raga-like run over the tonic D


def make(sample: Path, tools: ModuleType) -> None:
    step = SECONDS / len(PHRASE)
    notes = [(0, k * step, (k + 1) * step, p, 100) for k, p in enumerate(PHRASE)] + [(1, 0.0, SECONDS, 50, 60)]
    x = tools.synth(notes, {0: SITAR, 1: DRONE}, SECONDS, RATE)
    folder = sample / FOLDERS[0] / CONCERT / TITLE
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    sf.write(buffer, 0.85 * x / max(1e-9, float(abs(x).max())), RATE, format="MP3")
    (folder / f"{TITLE}.mp3.mp3").write_bytes(buffer.getvalue())
    meta = layout.carnatic(TITLE, "Kalyāṇi", "Ādi", "Kriti", "Sample Artist", "Sample Violinist")
    (folder / f"{TITLE}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=4), encoding="utf-8")
