"""The bundled sample's Freesound Loop Dataset copy: four 0.3 s loops rendered by fluidsynth (a chord in the loop's
key over a drum pulse at its tempo), with ``fs_analysis``, ``ac_analysis`` and one annotator's
``annotations/<annotator>/sound-<id>.json``, in the layout ``tests/corpora/fsld.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from audio_flan.sources import _music_labels as music
from tests.corpora import fsld as layout

FOLDERS = ("FSL10K",)
RATE = 22050
SECONDS = 0.3
#: (freesound id, upload name, key, mode, bpm, genres, description, General MIDI program)
LOOPS = [
    (310001, "warm keys Am 90.wav", "A", "minor", 90, ["hip_hop"], "Warm electric piano chords in A minor.", 4),
    (310002, "house stab C.wav", "C", "major", 124, ["house_techno"], "A bright house stab in C major.", 81),
    (310003, "dark pad Eb minor.aiff", "Eb", "minor", 70, ["cinematic"], "A dark, slow string pad.", 48),
    (310004, "pluck loop G 140.wav", "G", "major", 140, ["trance"], "A fast plucked synth loop in G major.", 84),
]


def render(key: str, mode: str, bpm: int, program: int, tools: ModuleType):
    tonic, _ = music.key_parts(music.key(f"{key} {mode}"))
    root = 60 + tonic
    notes = [(0, 0.0, SECONDS, p, 80) for p in (root, root + (4 if mode == "major" else 3), root + 7)]
    t = 0.0
    while t < SECONDS:
        notes.append((9, t, t + 0.05, tools.KICK, 110))
        t += 60.0 / bpm
    return tools.synth(notes, {0: program}, SECONDS, RATE)


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    for sound, upload, key, mode, bpm, genres, description, program in LOOPS:
        wav = layout.write_loop(root, sound, upload, key, mode, bpm, description)
        tools.write_wav(wav, render(key, mode, bpm, program, tools), RATE)  # the fluidsynth rendering over the tone
        layout.write_json(
            root / "annotations" / "annotator_1" / f"sound-{sound}.json", layout.annotation(key, mode, bpm, genres)
        )
