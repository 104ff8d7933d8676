"""The bundled sample's Arab-Andalusian copy: one recording with one annotated section (00:00:00 to 00:00:03), a
3.1 s phrase on fluidsynth's violin over a nylon-string guitar (the orchestra's violin and ʿūd, as General MIDI has
them), as a low-rate mono MP3 at ``documents/<mbid>/<mbid>.mp3`` beside the six one-line ``andalusian_*.json`` files
(the layout ``tests/corpora/andalusian.py`` writes). Text-guided continuation needs a 2 s prompt and 1 s after it,
so like Saraga's this is one of the sample's few long clips."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import soundfile as sf

from tests.corpora import andalusian as layout

FOLDERS = ("arab-andalusian",)
RATE = 8000
SECONDS = 3.1
VIOLIN, GUITAR = 40, 24  # General MIDI violin; nylon-string guitar for the ʿūd
PHRASE = [62, 63, 65, 67, 65, 63, 62, 60, 62]  # a run in a ṭāb‘ on D with a minor-ish third
RECORDING = layout.RECORDINGS[0][:3] + (
    [layout.section("00:00:00", "00:00:03", layout.RAML, layout.TAB_RAML, layout.BASIT, layout.MUSSI)],
    SECONDS,
    False,
)


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    step = SECONDS / len(PHRASE)
    notes = [(0, k * step, (k + 1) * step, p, 100) for k, p in enumerate(PHRASE)]
    notes += [(1, k * 2 * step, (k * 2 + 1) * step, 50, 80) for k in range(len(PHRASE) // 2 + 1)]
    x = tools.synth(notes, {0: VIOLIN, 1: GUITAR}, SECONDS, RATE)
    layout.write_metadata(root, [RECORDING])
    path = layout.audio_path(root, RECORDING[0], False)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    sf.write(buffer, 0.85 * x / max(1e-9, float(abs(x).max())), RATE, format="MP3")
    path.write_bytes(buffer.getvalue())
