"""The bundled sample's Opencpop copy: two utterances (one of a train song, one of the test song, about 0.4 s each)
sung by fluidsynth's voice patch at the notes and phoneme durations of their label lines, at the corpus's 44.1 kHz,
in ``segments/`` beside placeholder song-level ``midis/ textgrids/ wavs/``, in the layout ``tests/corpora/opencpop.py``
writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from audio_flan.sources import _music_labels as music
from tests.corpora import opencpop as layout

FOLDERS = ("Opencpop",)
RATE = 44100
VOICE = 53  # General MIDI "Voice Oohs"
#: utterance id, text, phonemes, notes, phoneme durations, slur flags
UTTERANCES = [
    ("2001000001", "感受", "g an sh ou", "D#4/Eb4 D#4/Eb4 D4 D4", "0.05 0.15 0.05 0.15", "0 0 0 0"),
    ("2002000001", "天空", "t ian k ong", "E4 E4 G#4/Ab4 G#4/Ab4", "0.05 0.15 0.05 0.15", "0 0 0 0"),
]
TEST_SONGS = ("2002",)


def make(sample: Path, tools: ModuleType) -> None:
    wavs = layout.write_corpus(sample / FOLDERS[0], UTTERANCES, TEST_SONGS)
    for utt, _text, _phs, notes, ph_durs, _slurs in UTTERANCES:
        events, t = [], 0.0
        names, seconds = notes.split(), [float(d) for d in ph_durs.split()]
        for k in range(0, len(names), 2):  # initial + final: one note
            d = seconds[k] + seconds[k + 1]
            events.append((0, t, t + d, music.midi_pitch(names[k].split("/")[0]), 100))
            t += d
        tools.write_wav(wavs[utt], tools.synth(events, {0: VOICE}, t, RATE), RATE)
