#!/usr/bin/env python3
"""Regenerate the bundled data sample under ``audio_flan/sample/``.

A maintainer's tool, not a build step: run it once after changing it and commit what it writes. It is
deterministic (fixed texts, fixed seeds, ``sox -R -D``, single-threaded fluidsynth), so running it again gives
byte-identical files on the same tool versions.

What it writes under ``audio_flan/sample/`` (the folders named below and by the sample writers, deleted first;
nothing else is touched):

``release/``
    a small copy of the released Audio-FLAN files in their layout: ``audio_files/<domain>/<NNN_Corpus>/...``,
    ``scp_files/<domain>/<NNN_Corpus>.scp`` and
    ``metadata/<domain>/<understanding|generation>/<train_dev|test>/<NNN_Corpus>/jsonl/*.jsonl``, with at least
    four ``train`` records for each of the 80 task configs and a few ``dev`` and ``test`` records.
``LibriTTS_R/``, ``ESC-50-master/``, ``nsynth-test/``, ``AudioSet/``, ``VCTK-Corpus-0.92/``, ``cv-corpus-17.0-*/``
    tiny copies of the first corpora, in their published layouts (the layout writers of ``tests/corpora/``).
every other corpus copy
    written by its module in ``scripts/sample_corpora/`` (one per corpus parser; see its README), so adding a
    corpus never edits this script. ``--only <parser>`` regenerates one of those and nothing else.

All audio is made here: speech with espeak-ng, instrument notes and songs with fluidsynth and the General MIDI
soundfont, other sounds with numpy. Nothing is copied from any corpus; the corpus layouts (file names, headers,
columns) follow the corpora's published formats.

Needs: espeak-ng, sox, fluidsynth, fluid-soundfont-gm (``apt-get install -y espeak-ng fluidsynth
fluid-soundfont-gm sox``), numpy and soundfile.

Usage: ``python scripts/make_sample.py`` (from anywhere). It ends with checks: the sample's files stay under the 8 MB
ceiling (over the 7.5 MB working target it warns; ``du -sb``, which adds 4 KB per directory, is printed too: keep
folders few; ``tests/sample_budget.py``), every ``<|SOA|>id<|EOA|>`` resolves through
an scp file to an existing file, and every config of TASKS.md has at least four ``train`` records.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the corpus layout writers shared with the tests and benchmarks

from tests.corpora import audioset_strong as audioset_layout  # noqa: E402
from tests.corpora import common_voice as cv_layout  # noqa: E402
from tests.corpora import esc50 as esc50_layout  # noqa: E402
from tests.corpora import libritts_r as libritts_layout  # noqa: E402
from tests.corpora import nsynth as nsynth_layout  # noqa: E402
from tests.corpora import vctk as vctk_layout  # noqa: E402
from tests.sample_budget import SIZE_LIMIT, SIZE_TARGET, file_bytes, tree_size  # noqa: E402

SAMPLE = REPO / "audio_flan" / "sample"
RELEASE = SAMPLE / "release"
CORPORA = Path(__file__).resolve().parent / "sample_corpora"  # one sample writer per corpus parser
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SR = 16000  # the release's audio
# Silence left around trimmed speech (the answers that quote speech times allow for it); short, for the size limit
TRIM_PAD = 0.02
UUID_NS = uuid.UUID("5b0c6a2e-8f1d-4c53-9a7e-a0f1a7e5d3c1")

# ----------------------------------------------------------------------------------------------------------
# The 80 configs of TASKS.md: config -> (paper's minor task, major task, U/G). The check at the end compares
# this table with ../shared/TASKS.md when that file is there.
# ----------------------------------------------------------------------------------------------------------
U, G = "understanding", "generation"
TASKS: dict[str, tuple[str, str, str]] = {
    "speech.asr": ("Automatic Speech Recognition", "Speech Recognition", U),
    "speech.dialect_asr": ("Dialect Automatic Speech Recognition", "Speech Recognition", U),
    "speech.phonetic_recognition": ("Phonetic Recognition", "Speech Recognition", U),
    "speech.intent_classification": ("Intent Classification", "Spoken Language Understanding", U),
    "speech.speech_translation": ("Speech to Text Translation", "Spoken Language Understanding", U),
    "speech.gender_recognition": ("Gender Recognition", "Paralinguistic Attribute Recognition", U),
    "speech.age_recognition": ("Age Recognition", "Paralinguistic Attribute Recognition", U),
    "speech.emotion_recognition": ("Emotion Recognition", "Paralinguistic Attribute Recognition", U),
    "speech.accent_recognition": ("Accent Recognition", "Paralinguistic Attribute Recognition", U),
    "speech.spoken_paragraph_recognition": ("Spoken Paragraph Recognition", "Paralinguistic Attribute Recognition", U),
    "speech.language_identification": ("Language Identification", "Paralinguistic Attribute Recognition", U),
    "speech.dialect_identification": ("Dialect Identification", "Paralinguistic Attribute Recognition", U),
    "speech.speaker_verification": ("Speaker Verification", "Speaker Recognition", U),
    "speech.speaker_diarization": ("Speaker Diarization", "Speaker Recognition", U),
    "speech.speaker_extraction": ("Speaker Extraction", "Speaker Recognition", U),
    "speech.speaker_identification": ("Speaker Identification", "Speaker Recognition", U),
    "speech.speech_caption": ("Speech Caption", "Speech Caption", U),
    "speech.deepfake_detection": ("Deepfake Detection", "Speech Detection", U),
    "speech.vocoder_classification": ("Vocoder Type Classification", "Speech Detection", U),
    "speech.device_recognition": ("Device Recognition", "Speech Detection", U),
    "speech.denoising": ("Denoising", "Speech Enhancement", G),
    "speech.dereverberation": ("Dereverberation", "Speech Enhancement", G),
    "speech.declipping": ("Declipping", "Speech Enhancement", G),
    "speech.bandwidth_extension": ("Speech Bandwidth Extension", "Speech Enhancement", G),
    "speech.snr_estimation": ("Signal-to-noise Ratio Estimation", "Speech Enhancement", G),
    "speech.tts": ("Text to Speech", "Speech Generation", G),
    "speech.zero_shot_tts": ("Zero-shot Text to Speech", "Speech Generation", G),
    "speech.emotional_tts": ("Emotional Text to Speech", "Speech Generation", G),
    "speech.zero_shot_emotional_tts": ("Zero-shot Emotional Text to Speech", "Speech Generation", G),
    "speech.descriptive_tts": ("Descriptive Speech Synthesis", "Speech Generation", G),
    "speech.spontaneous_tts": ("Spontaneous Text to Speech", "Speech Generation", G),
    "speech.voice_conversion": ("Voice Conversion", "Speech Generation", G),
    "speech.emotion_conversion": ("Emotion Conversion", "Speech Generation", G),
    "speech.speech_to_speech_translation": ("Speech to Speech Translation", "Speech Generation", G),
    "music.key_detection": ("Key Detection", "Global MIR", U),
    "music.scale_recognition": ("Scale Recognition", "Global MIR", U),
    "music.tagging": ("Music Tagging", "Global MIR", U),
    "music.genre_classification": ("Genre Classification", "Global MIR", U),
    "music.emotion_classification": ("Emotion Classification", "Global MIR", U),
    "music.pitch_classification": ("Pitch Classification", "Global MIR", U),
    "music.instrument_classification": ("Instrument Classification", "Global MIR", U),
    "music.vocal_technique_classification": ("Vocal Technique Classification", "Global MIR", U),
    "music.instrumental_technique_classification": ("Instrumental Technique Classification", "Global MIR", U),
    "music.artist_identification": ("Artist Identification", "Global MIR", U),
    "music.beat_tracking": ("Beat Tracking", "Sequential MIR", U),
    "music.chord_estimation": ("Chord Estimation", "Sequential MIR", U),
    "music.progression_extraction": ("Progression Extraction", "Sequential MIR", U),
    "music.beat_level_instrument_recognition": ("Beat-level Instrument(s) Recognition", "Single Music Reasoning", U),
    "music.beat_level_pitch_estimation": ("Beat-level Pitch Estimation", "Single Music Reasoning", U),
    "music.tempo_comparison": ("Tempo Comparison", "Multiple Music Reasoning", U),
    "music.instrument_comparison": ("Instrument(s) Comparison", "Multiple Music Reasoning", U),
    "music.key_comparison": ("Key Comparison", "Multiple Music Reasoning", U),
    "music.instrumental_technique_comparison": ("Instrumental Technique Comparison", "Multiple Music Reasoning", U),
    "music.emotion_comparison": ("Emotion Comparison", "Multiple Music Reasoning", U),
    "music.caption": ("Music Caption", "Music Caption", U),
    "music.melody_extraction": ("Melody Extraction", "Music Separation", G),
    "music.text_guided_source_separation": ("Text-guided Source Separation", "Music Separation", G),
    "music.text_to_music": ("Text-to-music Generation", "Music Generation", G),
    "music.text_guided_continuation": ("Text-guided Music Continuation", "Music Generation", G),
    "music.lyrics_to_song": ("Lyrics-to-song Generation", "Music Generation", G),
    "music.singing_voice_synthesis": ("Singing Voice Synthesis", "Music Generation", G),
    "music.singing_voice_conversion": ("Singing Voice Conversion", "Music Generation", G),
    "audio.sound_event_sequence_recognition": ("Sound Event Sequence Recognition", "Audio Event Recognition", U),
    "audio.sound_event_recognition": ("Sound Event Recognition", "Audio Event Recognition", U),
    "audio.sound_event_detection": ("Sound Event Detection", "Audio Event Recognition", U),
    "audio.acoustic_scene_classification": ("Acoustic Scene Classification", "Audio Event Recognition", U),
    "audio.caption": ("Audio Caption", "Audio Caption", U),
    "audio.sound_event_understanding": ("Sound Event Understanding", "Audio Advanced Understanding", U),
    "audio.deepfake_detection": ("Deepfake Audio Detection", "Audio Detection", U),
    "audio.voice_activity_detection": ("Voice Activity Detection", "Audio Detection", U),
    "audio.speech_music_noise_classification": (
        "Speech, Silence, Music and Noise Classification",
        "Audio Classification",
        U,
    ),
    "audio.speech_nonspeech_detection": ("Speech Nonspeech Detection", "Audio Classification", U),
    "audio.inpainting": ("Audio Inpainting", "Audio Enhancement", G),
    "audio.super_resolution": ("Audio Super-resolution", "Audio Enhancement", G),
    "audio.text_guided_source_separation": ("Text-guided Audio Source Separation", "Audio Separation", G),
    "audio.label_querying_sound_extraction": ("Label-querying Sound Extraction", "Audio Separation", G),
    "audio.audio_querying_sound_extraction": ("Audio-querying Sound Extraction", "Audio Separation", G),
    "audio.text_to_audio": ("Text-guided Audio Generation", "Audio Generation", G),
    "audio.time_grounded_text_to_audio": ("Time-grounded Text-to-audio Generation", "Audio Generation", G),
    "audio.continuation": ("Audio Continuation", "Audio Generation", G),
}

# Spellings the release uses for a few minor names (TASKS.md, "The released Audio-FLAN files").
VARIANT_SPELLINGS = {
    "speech.speech_translation": "Speech-to-text Translation",
    "audio.super_resolution": "Sound Super-resolution",
    "speech.asr": "automatic speech recognition",
    "speech.tts": "Text to speech",
}


# ----------------------------------------------------------------------------------------------------------
# Tools
# ----------------------------------------------------------------------------------------------------------
TMP = Path(tempfile.mkdtemp(prefix="audio_flan_sample_"))


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def check_tools() -> None:
    missing = [t for t in ("espeak-ng", "sox", "fluidsynth") if shutil.which(t) is None]
    if missing or not SOUNDFONT.is_file():
        sys.exit(
            f"missing: {', '.join(missing) or SOUNDFONT}; "
            "run: apt-get install -y espeak-ng fluidsynth fluid-soundfont-gm sox"
        )


def read(path: Path) -> tuple[np.ndarray, int]:
    x, sr = sf.read(path, dtype="float64", always_2d=True)
    return x.mean(axis=1), sr


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    if sr_in == sr_out:
        return x.copy()
    src, dst = TMP / "rs_in.wav", TMP / "rs_out.wav"
    sf.write(src, x, sr_in, subtype="FLOAT")
    # -R: repeatable, -D: no dither; so the output is the same on every run
    run(["sox", "-R", "-D", str(src), "-r", str(sr_out), "-e", "floating-point", str(dst)])
    return read(dst)[0]


def write_wav(path: Path, x: np.ndarray, sr: int, peak: float | None = 0.85) -> None:
    x = np.asarray(x, dtype="float64")
    if peak is not None and np.abs(x).max() > 0:
        x = x / np.abs(x).max() * peak
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.clip(x, -1.0, 1.0), sr, subtype="PCM_16")


def trim(x: np.ndarray, sr: int, pad: float = TRIM_PAD, rel: float = 0.02) -> np.ndarray:
    idx = np.flatnonzero(np.abs(x) > rel * np.abs(x).max())
    a, b = max(0, idx[0] - int(pad * sr)), min(len(x), idx[-1] + int(pad * sr))
    return x[a:b]


def fade(x: np.ndarray, sr: int, t_in: float = 0.005, t_out: float = 0.02) -> np.ndarray:
    x = x.copy()
    n_in, n_out = int(t_in * sr), int(t_out * sr)
    if n_in:
        x[:n_in] *= np.linspace(0, 1, n_in)
    if n_out:
        x[-n_out:] *= np.linspace(1, 0, n_out)
    return x


def speak(text: str, voice: str, sr: int = SR, speed: int = 440, pitch: int = 50, amp: int = 100) -> np.ndarray:
    """espeak-ng speech of ``text``, silence trimmed, at ``sr``."""
    out = TMP / "speak.wav"
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-a", str(amp), "-w", str(out), text])
    x, sr_in = read(out)
    return trim(resample(x, sr_in, sr), sr)


def ipa(text: str, voice: str) -> str:
    """The IPA string espeak-ng speaks for ``text`` (the phonemes really in the audio)."""
    out = subprocess.run(["espeak-ng", "-v", voice, "-q", "--ipa", text], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


# --- a minimal standard MIDI file writer, then fluidsynth --------------------------------------------------
def _vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def midi_file(notes, programs: dict[int, int], controls=()) -> bytes:
    """notes: (channel, start s, end s, pitch, velocity); controls: (channel, time s, cc, value).

    The MIDI tempo is fixed at 120 bpm (960 ticks a second); musical tempo lives in the note times."""
    ticks = lambda t: int(round(t * 960))  # noqa: E731
    events = [(0, 0, b"\xff\x51\x03" + (500000).to_bytes(3, "big"))]
    for ch, prog in programs.items():
        events.append((0, 1, bytes([0xC0 | ch, prog])))
    for ch, t, cc, val in controls:
        events.append((ticks(t), 2, bytes([0xB0 | ch, cc, val])))
    for ch, t0, t1, pitch, vel in notes:
        events.append((ticks(t0), 4, bytes([0x90 | ch, pitch, vel])))
        events.append((ticks(t1), 3, bytes([0x80 | ch, pitch, 0])))
    events.sort(key=lambda e: (e[0], e[1]))
    track, last = b"", 0
    for t, _, data in events:
        track += _vlq(t - last) + data
        last = t
    track += _vlq(0) + b"\xff\x2f\x00"
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(track)) + track


def synth(notes, programs: dict[int, int], seconds: float, sr: int = SR, controls=(), gain: float = 0.5) -> np.ndarray:
    """Render notes with fluidsynth (FluidR3 GM), mono, cut to ``seconds`` with a short fade."""
    mid, wav = TMP / "song.mid", TMP / "song.wav"
    mid.write_bytes(midi_file(notes, programs, controls))
    run(
        [
            "fluidsynth",
            "-ni",
            "-q",
            "-g",
            str(gain),
            "-r",
            "44100",
            "-o",
            "synth.cpu-cores=1",
            "-F",
            str(wav),
            str(SOUNDFONT),
            str(mid),
        ]
    )
    x, sr_in = read(wav)
    x = resample(x, sr_in, sr)
    n = int(round(seconds * sr))
    x = np.pad(x, (0, max(0, n - len(x))))[:n]
    return fade(x, sr, 0.0, 0.03)


DRUMS = 9
KICK, SNARE, HAT, OPEN_HAT, HI_BONGO, LO_BONGO = 36, 38, 42, 46, 60, 61


# --- numpy sound design --------------------------------------------------------------------------------
def rng(seed: int) -> np.random.RandomState:
    return np.random.RandomState(seed)  # the legacy generator: the same numbers on every numpy version


def t_axis(seconds: float, sr: int = SR) -> np.ndarray:
    return np.arange(int(round(seconds * sr))) / sr


def band(x: np.ndarray, sr: int, lo: float = 0.0, hi: float | None = None) -> np.ndarray:
    """Band-pass by FFT masking with 5% soft edges."""
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1 / sr)
    hi = hi if hi is not None else sr / 2
    mask = np.clip((f - lo * 0.95) / max(lo * 0.1, 1e-9), 0, 1) if lo > 0 else np.ones_like(f)
    mask *= np.clip((hi * 1.05 - f) / (hi * 0.1), 0, 1)
    return np.fft.irfft(spec * mask, len(x))


def env(n: int, sr: int, attack: float, decay: float) -> np.ndarray:
    t = np.arange(n) / sr
    return np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-np.maximum(0.0, t - attack) / decay)


def place(out: np.ndarray, x: np.ndarray, at: float, sr: int = SR, gain: float = 1.0) -> None:
    i = int(round(at * sr))
    n = min(len(x), len(out) - i)
    out[i : i + n] += gain * x[:n]


def tone(freqs, seconds: float, sr: int = SR, harmonics=(1.0,), phase_seed: int = 0) -> np.ndarray:
    """A harmonic tone following the frequency curve ``freqs`` (array or constant)."""
    n = int(round(seconds * sr))
    f = np.broadcast_to(np.asarray(freqs, dtype="float64"), (n,))
    ph = 2 * np.pi * np.cumsum(f) / sr
    out = np.zeros(n)
    for k, a in enumerate(harmonics, 1):
        out += a * np.sin(k * ph + rng(phase_seed + k).uniform(0, 2 * np.pi))
    return out


def dog_bark(seed: int, f0: float = 520.0, sr: int = SR) -> np.ndarray:
    dur = 0.17
    t = t_axis(dur, sr)
    curve = f0 * (1.25 - 0.45 * t / dur)
    x = tone(curve, dur, sr, (1, 0.8, 0.6, 0.45, 0.3, 0.2), seed) + 0.35 * rng(seed).randn(len(t))
    return band(x, sr, 250, 3500) * env(len(t), sr, 0.008, 0.05)


def car_horn(seconds: float, sr: int = SR) -> np.ndarray:
    x = tone(405, seconds, sr, (1, 0.5, 0.33, 0.25, 0.2), 7) + tone(510, seconds, sr, (1, 0.5, 0.33, 0.25), 8)
    return band(np.tanh(2.5 * x), sr, 200, 4000) * fade(np.ones(len(x)), sr, 0.01, 0.04)


def siren(seconds: float, sr: int = SR, seed: int = 3) -> np.ndarray:
    t = t_axis(seconds, sr)
    return tone(850 + 350 * np.sin(2 * np.pi * 0.9 * t - np.pi / 2), seconds, sr, (1, 0.35, 0.15), seed)


def rooster(sr: int = SR) -> np.ndarray:
    out = np.zeros(int(0.48 * sr))
    for at, dur, f0, glide in (
        (0.0, 0.07, 620, 1.1),
        (0.09, 0.06, 700, 1.0),
        (0.17, 0.08, 760, 1.05),
        (0.27, 0.21, 820, 0.8),
    ):
        t = t_axis(dur, sr)
        x = tone(
            f0 * (1 + (glide - 1) * t / dur) * (1 + 0.02 * np.sin(2 * np.pi * 30 * t)),
            dur,
            sr,
            (1, 0.7, 0.5, 0.3, 0.2),
            int(f0),
        )
        place(out, band(x, sr, 400, 5000) * fade(np.ones(len(t)), sr, 0.01, 0.03), at, sr)
    return out


def rain(seconds: float, sr: int, seed: int) -> np.ndarray:
    r = rng(seed)
    x = band(r.randn(int(seconds * sr)), sr, 400, 9000) * 0.35
    for at in np.sort(r.uniform(0, seconds - 0.02, 60)):
        drop = r.randn(int(0.006 * sr)) * env(int(0.006 * sr), sr, 0.0005, 0.0015)
        place(x, drop, at, sr, r.uniform(0.3, 1.0))
    return x


def crying_baby(sr: int = SR) -> np.ndarray:
    dur = 0.3
    t = t_axis(dur, sr)
    f0 = 440 * (1 + 0.12 * np.sin(np.pi * t / dur)) * (1 + 0.015 * np.sin(2 * np.pi * 6 * t))
    x = tone(f0, dur, sr, (1, 0.9, 0.7, 0.55, 0.4, 0.3, 0.2, 0.15), 11)
    return band(x, sr, 500, 4500) * np.sin(np.pi * t / dur) ** 0.5


def ticks(seconds: float, period: float, sr: int = SR, start: float = 0.05, seed: int = 5) -> np.ndarray:
    out = np.zeros(int(round(seconds * sr)))
    k, at = 0, start
    while at < seconds - 0.02:
        n = int(0.012 * sr)
        click = tone(2600 if k % 2 == 0 else 2100, 0.012, sr, (1, 0.4), seed + k) * env(n, sr, 0.0003, 0.0025)
        place(out, click + 0.2 * rng(seed + k).randn(n) * env(n, sr, 0.0002, 0.001), at, sr)
        k, at = k + 1, at + period
    return out


def birds(seconds: float, sr: int, seed: int) -> np.ndarray:
    r = rng(seed)
    out = np.zeros(int(round(seconds * sr)))
    at = 0.04
    while at < seconds - 0.1:
        dur = r.uniform(0.04, 0.08)
        t = t_axis(dur, sr)
        f = r.uniform(3200, 4200) + r.uniform(800, 1500) * np.sin(np.pi * t / dur)
        place(out, tone(f, dur, sr, (1, 0.15), int(at * 1000)) * np.sin(np.pi * t / dur), at, sr, r.uniform(0.5, 1.0))
        at += dur + r.uniform(0.03, 0.16)
    return out


def engine(seconds: float, sr: int, seed: int) -> np.ndarray:
    t = t_axis(seconds, sr)
    x = tone(38 * (1 + 0.01 * np.sin(2 * np.pi * 0.5 * t)), seconds, sr, tuple(0.9**k for k in range(14)), seed)
    x *= 1 + 0.3 * np.sin(2 * np.pi * 9.5 * t)
    return band(x + 0.3 * band(rng(seed).randn(len(t)), sr, 60, 700), sr, 30, 1500)


def wind(seconds: float, sr: int, seed: int) -> np.ndarray:
    t = t_axis(seconds, sr)
    x = band(rng(seed).randn(len(t)), sr, 80, 900)
    return x * (0.6 + 0.4 * np.sin(2 * np.pi * 0.7 * t + 1.0))


def chimes(seconds: float, sr: int = SR) -> np.ndarray:
    out = np.zeros(int(round(seconds * sr)))
    for k, (at, f) in enumerate(((0.02, 880.0), (0.3, 1174.7), (0.58, 987.8), (0.86, 1318.5))):
        n = int(0.6 * sr)
        bell = sum(
            a * np.sin(2 * np.pi * f * m * t_axis(0.6, sr) + k)
            for a, m in ((1, 1), (0.5, 2.76), (0.3, 5.4), (0.2, 8.93))
        )
        place(out, bell * env(n, sr, 0.002, 0.18), at, sr)
    return out


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    noise = np.resize(noise, len(clean))
    p_s, p_n = np.mean(clean**2), np.mean(noise**2)
    return clean + noise * np.sqrt(p_s / (p_n * 10 ** (snr_db / 10)))


def reverberate(x: np.ndarray, sr: int, rt60: float, seed: int) -> np.ndarray:
    n = int(0.45 * sr)
    rir = rng(seed).randn(n) * np.exp(-6.9 * np.arange(n) / (rt60 * sr))
    rir[0] = 4.0
    y = np.fft.irfft(np.fft.rfft(x, len(x) + n) * np.fft.rfft(rir, len(x) + n), len(x) + n)
    return y[: len(x) + int(0.25 * sr)]


def vocoded(x: np.ndarray, sr: int, bits: int = 5) -> np.ndarray:
    """A crude 'traditional vocoder' colouring: 4 kHz band limit, coarse quantisation, buzz."""
    y = band(x, sr, 80, 3800)
    y = y / np.abs(y).max()
    q = 2 ** (bits - 1)
    y = np.round(y * q) / q
    t = np.arange(len(y)) / sr
    return band(y * (1 + 0.25 * np.sign(np.sin(2 * np.pi * 110 * t))), sr, 60, 4000)


# ----------------------------------------------------------------------------------------------------------
# LibriTTS-R (24 kHz): the real layout, SPEAKERS.txt as LibriSpeech/LibriTTS ship it
# ----------------------------------------------------------------------------------------------------------
# (speaker, sex, subset, minutes, name, voice, chapter, [(paragraph, sentence, original, normalized)])
LIBRITTS_SPEAKERS = [
    (
        "19",
        "F",
        "train-clean-100",
        "25.19",
        "Kara Shallenberg",
        "en+f3",
        "198",
        [
            (10, 0, "The garden was quiet.", "The garden was quiet."),
            (10, 1, "Birds sang on the wall.", "Birds sang on the wall."),
            (12, 0, "Mrs. Hale wrote 3 letters.", "Missus Hale wrote three letters."),
        ],
    ),
    (
        "26",
        "M",
        "train-clean-100",
        "25.08",
        "Denny Sayers",
        "en+m3",
        "495",
        [
            (4, 0, "He closed the book.", "He closed the book."),
            (7, 2, "Dr. Grey left at 9.", "Doctor Grey left at nine."),
        ],
    ),
    (
        "103",
        "F",
        "train-clean-100",
        "23.72",
        "Karen Savage",
        "en+f4",
        "1240",
        [
            (3, 0, "She opened the window.", "She opened the window."),
        ],
    ),
    (
        "84",
        "F",
        "dev-clean",
        "8.02",
        "Christie Nowak",
        "en+f2",
        "121123",
        [
            (8, 0, "The ship sailed at dawn.", "The ship sailed at dawn."),
            (8, 1, "Every sailor was silent.", "Every sailor was silent."),
        ],
    ),
    (
        "61",
        "M",
        "test-clean",
        "8.08",
        "Paul-Gabriel Wiener",
        "en+m1",
        "70968",
        [
            (2, 0, "The path was narrow.", "The path was narrow."),
            (2, 1, "He walked on.", "He walked on."),
        ],
    ),
]
# book.tsv lists every sentence of the chapter, also those LibriTTS excluded (no wav, not in trans.tsv)
LIBRITTS_EXCLUDED = {("19", "198"): (11, 0, "Hush!", "Hush!", "9.87")}

LIBRITTS_AUDIO: dict[str, np.ndarray] = {}  # utterance id -> 16 kHz copy, reused by the release
LIBRITTS_TEXT: dict[str, tuple[str, str]] = {}  # utterance id -> (normalized text, voice)


def utt_id(spk: str, chapter: str, par: int, sen: int) -> str:
    return f"{spk}_{chapter}_{par:06d}_{sen:06d}"


def wav_file_bytes(x: np.ndarray, sr: int, peak: float | None = 0.85) -> bytes:
    """What write_wav writes, as bytes (for the layout writers)."""
    path = TMP / "layout.wav"
    write_wav(path, x, sr, peak)
    return path.read_bytes()


def build_libritts() -> None:
    root = SAMPLE / "LibriTTS_R"
    rows = sorted(LIBRITTS_SPEAKERS, key=lambda s: int(s[0]))
    libritts_layout.write_root(
        root, [(spk, sex, subset, minutes, name) for spk, sex, subset, minutes, name, *_ in rows]
    )
    for spk, _sex, subset, _min, _name, voice, chapter, utts in LIBRITTS_SPEAKERS:
        start = 3.1 + int(chapter) % 7
        entries = [(p, s, o, n, None) for p, s, o, n in utts]
        if (spk, chapter) in LIBRITTS_EXCLUDED:
            entries.append((*LIBRITTS_EXCLUDED[(spk, chapter)][:4], LIBRITTS_EXCLUDED[(spk, chapter)][4]))
        utterances = []
        for k, (par, sen, original, normalized, excluded_snr) in enumerate(sorted(entries)):
            uid = utt_id(spk, chapter, par, sen)
            length = 0.9 + 0.07 * len(normalized.split())
            wav = None
            if excluded_snr is None:
                x = speak(normalized, voice, 24000)
                wav = wav_file_bytes(x, 24000)
                LIBRITTS_AUDIO[uid] = resample(x, 24000, SR)
                LIBRITTS_TEXT[uid] = (normalized, voice)
                length = len(x) / 24000
                snr = 24.0 + (int(spk) * 7 + k * 3) % 90 / 10
            else:
                snr = float(excluded_snr)
            utterances.append(libritts_layout.Utterance(uid, original, normalized, wav, start, start + length, snr))
            start += length + 0.35
        libritts_layout.write_chapter(root / subset / spk / chapter, spk, chapter, utterances)


# ----------------------------------------------------------------------------------------------------------
# ESC-50 (44.1 kHz): meta/esc50.csv with the real header, audio/{FOLD}-{CLIP_ID}-{TAKE}-{TARGET}.wav
# ----------------------------------------------------------------------------------------------------------
# (fold, clip id, take, target, category, esc10); the 50-class list and the ESC-10 subset are the real ones
ESC50_CLIPS = [
    (1, "30226", "A", 0, "dog", True),
    (2, "118072", "A", 1, "rooster", True),
    (3, "157615", "A", 10, "rain", True),
    (4, "167063", "A", 20, "crying_baby", True),
    (5, "200334", "B", 38, "clock_tick", True),
    (2, "77945", "A", 42, "siren", False),
]
ESC50_SR = 44100


def esc50_sound(category: str, sr: int) -> np.ndarray:
    if category == "dog":
        out = np.zeros(int(0.45 * sr))
        place(out, dog_bark(21, 500, sr), 0.02, sr)
        place(out, dog_bark(22, 470, sr), 0.28, sr, 0.9)
        return out + 0.01 * band(rng(20).randn(len(out)), sr, 100, 2000)
    if category == "rooster":
        return rooster(sr)
    if category == "rain":
        return rain(0.3, sr, 31)
    if category == "crying_baby":
        return crying_baby(sr)
    if category == "clock_tick":
        return ticks(0.3, 0.2, sr, 0.03, 41) + 0.003 * rng(42).randn(int(0.3 * sr))
    if category == "siren":
        return siren(0.3, sr, 51)
    raise KeyError(category)


def build_esc50() -> None:
    clips = [
        (fold, clip, take, category, wav_file_bytes(fade(esc50_sound(category, ESC50_SR), ESC50_SR), ESC50_SR, 0.8))
        for fold, clip, take, _target, category, _esc10 in ESC50_CLIPS
    ]
    esc50_layout.write(SAMPLE / "ESC-50-master", clips)


# ----------------------------------------------------------------------------------------------------------
# NSynth: examples.json (one dict keyed by note_str, every real key) and audio/<note_str>.wav
# ----------------------------------------------------------------------------------------------------------
# (family, source, instrument number in the name, instrument index, GM program, pitch, velocity, note id, qualities)
NSYNTH_NOTES = [
    ("guitar", "acoustic", 10, 219, 25, 60, 100, 171203, ["fast_decay", "percussive"]),
    ("guitar", "acoustic", 10, 219, 25, 67, 75, 171251, ["fast_decay", "percussive"]),
    ("keyboard", "electronic", 2, 50, 4, 64, 50, 214598, []),
    ("keyboard", "electronic", 2, 50, 4, 71, 127, 214642, ["bright"]),
    ("brass", "acoustic", 46, 740, 57, 55, 100, 47411, ["long_release"]),
    ("brass", "acoustic", 46, 740, 57, 62, 25, 47469, ["dark"]),
    ("synth_lead", "synthetic", 2, 565, 81, 69, 75, 283317, ["bright", "distortion"]),
    ("synth_lead", "synthetic", 2, 565, 81, 76, 50, 283350, ["distortion", "long_release"]),
]
NSYNTH_AUDIO: dict[str, np.ndarray] = {}


def build_nsynth() -> None:
    examples, audio = {}, {}
    for fam, src, num, inst, prog, pitch, vel, note, quals in NSYNTH_NOTES:
        value = nsynth_layout.note(fam, src, num, inst, pitch, vel, note, quals)
        x = synth([(0, 0.0, 0.3, pitch, vel)], {0: prog}, 0.4)  # NSynth holds 3 s of 4; a short note will do
        # NSynth keeps the velocity audible: scale by velocity instead of normalising every note to one peak
        audio[value["note_str"]] = wav_file_bytes(x, 16000, 0.25 + 0.6 * vel / 127)
        NSYNTH_AUDIO[value["note_str"]] = x
        examples[value["note_str"]] = value
    nsynth_layout.write_split(SAMPLE / "nsynth-test", examples, audio)


# ----------------------------------------------------------------------------------------------------------
# VCTK 0.92 (48 kHz FLAC, two microphones; p280 has no mic2)
# ----------------------------------------------------------------------------------------------------------
VCTK_SPEAKERS = [
    (
        "p225",
        "23",
        "F",
        "English",
        "Southern  England",
        "en+f3",
        ["Please call Stella.", "Ask her to bring these things."],
    ),
    (
        "p226",
        "22",
        "M",
        "English",
        "Surrey",
        "en+m3",
        ["Six spoons of fresh snow peas.", "We also need a small snake."],
    ),
    (
        "p280",
        "25",
        "F",
        "Unknown",
        "France (mic2 files unavailable)",
        "en+f2",
        ["When the sunlight strikes raindrops."],
    ),
]


def flac_bytes(x: np.ndarray, sr: int) -> bytes:
    path = TMP / "layout.flac"
    sf.write(path, np.clip(x / max(1e-9, float(np.abs(x).max())) * 0.85, -1, 1), sr, format="FLAC")
    return path.read_bytes()


def build_vctk() -> None:
    rows = [(spk, age, sex, accent, region) for spk, age, sex, accent, region, _, _ in VCTK_SPEAKERS]
    utterances = []
    for spk, _age, _sex, _accent, _region, voice, texts in VCTK_SPEAKERS:
        for n, text in enumerate(texts, 1):
            x = speak(text, voice, 48000)
            mics = {"mic1": flac_bytes(x, 48000)}
            if spk != "p280":  # p280's mic2 files are unavailable in the real corpus
                mics["mic2"] = flac_bytes(band(x, 48000, 80, 12000), 48000)
            utterances.append((spk, n, text, mics))
    vctk_layout.write(SAMPLE / "VCTK-Corpus-0.92", rows, utterances)


# ----------------------------------------------------------------------------------------------------------
# Common Voice (v17 columns): cv-corpus-17.0-2024-03-15/fr/ with MP3 clips at 48 kHz
# ----------------------------------------------------------------------------------------------------------
CV_ROWS = {
    "train.tsv": [
        ("101", "Bonjour à tous.", "a1f3", "twenties", "male_masculine", ""),
        ("102", "Le café est chaud.", "b2e4", "fourties", "female_feminine", "Français de Belgique"),
        ("103", "Il fait beau aujourd'hui.", "a1f3", "twenties", "male_masculine", ""),
    ],
    "dev.tsv": [("201", "Où est la gare ?", "c3d5", "thirties", "female_feminine", "")],
    "test.tsv": [("301", "Merci beaucoup.", "d4c6", "sixties", "male_masculine", "")],
}


def mp3_bytes(x: np.ndarray, sr: int) -> bytes:
    path = TMP / "layout.mp3"
    sf.write(path, np.clip(x / max(1e-9, float(np.abs(x).max())) * 0.85, -1, 1), sr, format="MP3")
    return path.read_bytes()


def build_common_voice() -> None:
    splits, clips = {}, {}
    for name, rows in CV_ROWS.items():
        splits[name] = []
        for n, sentence, speaker, age, gender, accents in rows:
            clip = f"common_voice_fr_{n}.mp3"
            voice = "fr+m3" if gender.startswith("male") else "fr+f3"
            clips[clip] = mp3_bytes(speak(sentence, voice, 48000), 48000)
            splits[name].append(
                {
                    "client_id": speaker,
                    "path": clip,
                    "sentence_id": f"s{n}",
                    "sentence": sentence,
                    "up_votes": 2,
                    "down_votes": 0,
                    "age": age,
                    "gender": gender,
                    "accents": accents,
                    "locale": "fr",
                }
            )
    cv_layout.write_locale(SAMPLE / "cv-corpus-17.0-2024-03-15" / "fr", cv_layout.V17, splits, clips)


# ----------------------------------------------------------------------------------------------------------
# AudioSet strong labels: the three TSVs and two DCASE-named clips (the same sounds as the release's 170_AudioSet)
# ----------------------------------------------------------------------------------------------------------
def build_audioset_strong() -> None:
    root = SAMPLE / "AudioSet"
    x = np.zeros(int(1.3 * SR))
    place(x, dog_bark(81, 520), 0.05)
    place(x, dog_bark(82, 480), 0.4)
    place(x, car_horn(0.4), 0.85, SR, 0.8)
    x += 0.02 * band(rng(83).randn(len(x)), SR, 100, 3000)
    write_wav(root / "audio" / "Y0nGL8kMb5vQ_120.000_130.000.wav", x, SR)
    write_wav(root / "audio" / "YbX9Zr3tWq1E_0.000_10.000.wav", siren(1.2, SR, 84), SR)
    names = {"/m/05tny_": "Bark", "/m/0912c9": "Vehicle horn, car horn, honking", "/m/03kmc9": "Siren"}
    events = {
        "train": [
            ("0nGL8kMb5vQ_120000", 0.05, 0.22, "/m/05tny_"),
            ("0nGL8kMb5vQ_120000", 0.40, 0.57, "/m/05tny_"),
            ("0nGL8kMb5vQ_120000", 0.85, 1.25, "/m/0912c9"),
        ],
        "test": [("bX9Zr3tWq1E_0", 0.0, 1.2, "/m/03kmc9")],
    }
    audioset_layout.write(root, names, events)


# ----------------------------------------------------------------------------------------------------------
# The release: audio clips
# ----------------------------------------------------------------------------------------------------------
class Clip:
    def __init__(self, domain: str, folder: str, own_id: str, path: str, audio: np.ndarray, peak: float | None = 0.85):
        self.domain, self.folder, self.own_id, self.path = domain, folder, own_id, path
        self.audio, self.peak = audio, peak

    @property
    def id(self) -> str:
        return f"{self.folder}_{self.own_id}"


CLIPS: dict[str, Clip] = {}
# The one corpus folder whose scp paths are relative to audio_files/ instead of the dataset root.
SCP_RELATIVE_TO_AUDIO_FILES = "10_ESD"
# The one corpus folder whose audio keeps sub-folders (with CJK names); the others are flat.
NESTED_AUDIO_FOLDERS = {"12_Opensinger"}
FACTS: dict[str, object] = {}  # measured facts (segment times) the answers quote


def clip(domain: str, folder: str, own_id: str, path: str, audio: np.ndarray, peak: float | None = 0.85) -> str:
    if folder not in NESTED_AUDIO_FOLDERS:
        path = path.rsplit("/", 1)[-1]  # flat: every directory costs 4 KB of the sample's budget
    c = Clip(domain, folder, own_id, path, audio, peak)
    assert c.id not in CLIPS, c.id
    CLIPS[c.id] = c
    return c.id


def concat(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


def silence(seconds: float, sr: int = SR) -> np.ndarray:
    return np.zeros(int(round(seconds * sr)))


def build_speech_clips() -> None:
    # 13_LibriTTS-R: the sample LibriTTS-R utterances at 16 kHz, plus simulated variants for enhancement tasks
    f = "13_LibriTTS-R"
    for uid, subset in (
        ("19_198_000010_000000", "train-clean-100"),
        ("19_198_000010_000001", "train-clean-100"),
        ("26_495_000004_000000", "train-clean-100"),
        ("103_1240_000003_000000", "train-clean-100"),
        ("61_70968_000002_000000", "test-clean"),
    ):
        spk, chap = uid.split("_")[:2]
        clip("speech", f, uid, f"{subset}/{spk}/{chap}/{uid}.wav", LIBRITTS_AUDIO[uid])
    l1, l3, l4 = (LIBRITTS_AUDIO[u] for u in ("19_198_000010_000000", "26_495_000004_000000", "103_1240_000003_000000"))
    clip(
        "speech",
        f,
        "19_198_000010_000000_snr10",
        "simulated/noisy/19_198_000010_000000_snr10.wav",
        mix_at_snr(l1, band(rng(101).randn(len(l1)), SR, 100, 6000), 10.0),
    )
    clip(
        "speech",
        f,
        "19_198_000010_000000_rt60-0.7",
        "simulated/reverb/19_198_000010_000000_rt60-0.7.wav",
        reverberate(l1, SR, 0.7, 102),
    )
    clipped = np.clip(l3 / np.abs(l3).max(), -0.25, 0.25)
    clip(
        "speech",
        f,
        "26_495_000004_000000_clip0.25",
        "simulated/clipped/26_495_000004_000000_clip0.25.wav",
        clipped,
        0.85,
    )
    clip(
        "speech",
        f,
        "103_1240_000003_000000_8k",
        "simulated/narrowband/103_1240_000003_000000_8k.wav",
        resample(resample(l4, SR, 8000), 8000, SR),
    )
    n = max(len(l1), len(l3))
    mixture = np.pad(l1 / np.abs(l1).max(), (0, n - len(l1))) + 0.8 * np.pad(l3 / np.abs(l3).max(), (0, n - len(l3)))
    clip(
        "speech",
        f,
        "mix_19_198_000010_000000-26_495_000004_000000",
        "simulated/mixture/mix_19_198_000010_000000-26_495_000004_000000.wav",
        mixture,
    )

    # 10_ESD: English speakers 0011 (male) and 0019 (female), Mandarin speaker 0003; ids
    # 000001-000350 Neutral, 000351-000700 Angry, 000701-001050 Happy, 001051-001400 Sad
    f = "10_ESD"
    en, zh = "The bus was late again.", "jin1 tian1 tian1 qi4 hen3 hao3"
    for spk, uid, emotion, voice, text, kw in (
        ("0011", "0011_000021", "Neutral", "en+m3", en, {}),
        ("0011", "0011_000721", "Happy", "en+m3", en, {"pitch": 78, "speed": 440, "amp": 140}),
        ("0019", "0019_001071", "Sad", "en+f3", en, {"pitch": 22, "speed": 300, "amp": 70}),
        ("0019", "0019_000021", "Neutral", "en+f3", en, {}),
        ("0003", "0003_000021", "Neutral", "cmn-latn-pinyin+f2", zh, {"speed": 440}),
        ("0003", "0003_000371", "Angry", "cmn-latn-pinyin+f2", zh, {"speed": 450, "pitch": 62, "amp": 190}),
    ):
        clip("speech", f, uid, f"{spk}/{emotion}/{uid}.wav", speak(text, voice, **kw))

    # 18_KeSpeech: Mandarin with a dialect label
    f = "18_KeSpeech"
    clip(
        "speech",
        f,
        "1000123_4a7f2c91",
        "Audio/1000123/phase1/1000123_4a7f2c91.wav",
        speak("wo3 zai4 cheng2 du1 shang4 ban1", "cmn-latn-pinyin+m3", speed=440),
    )
    clip(
        "speech",
        f,
        "1001876_b03e9d2a",
        "Audio/1001876/phase1/1001876_b03e9d2a.wav",
        speak("zhe4 li3 zhen1 piao4 liang4", "cmn-latn-pinyin+f4", speed=440),
    )

    # 15_FLEURS: the same sentence in English and French (FLEURS is n-way parallel)
    f = "15_FLEURS"
    clip(
        "speech",
        f,
        "en_us-1906342175638812064",
        "en_us/audio/train/1906342175638812064.wav",
        speak("The museum opens at ten.", "en-us+m2"),
    )
    clip(
        "speech",
        f,
        "fr_fr-2270419818123376563",
        "fr_fr/audio/train/2270419818123376563.wav",
        speak("Le musée ouvre à dix heures.", "fr+f3"),
    )

    # 16_HQ-Conversations: spontaneous Mandarin with fillers
    f = "16_HQ-Conversations"
    clip(
        "speech",
        f,
        "G0032_S0105",
        "G0032/G0032_S0105.wav",
        speak("en4, wo3 jue2 de5 hai2 xing2 ba5", "cmn-latn-pinyin+f3", speed=430),
    )
    clip(
        "speech",
        f,
        "G0117_S0012",
        "G0117/G0117_S0012.wav",
        speak("e4, wo3 men5 xia4 zhou1 zai4 liao2", "cmn-latn-pinyin+m2", speed=440),
    )

    # 14_Fluent_Speech_Commands
    f = "14_Fluent_Speech_Commands"
    clip(
        "speech",
        f,
        "2BqVo8kVB2Skwgyb_0a3c7d40-45e0-11e9-8ec0-7bb21b5b9b5b",
        "wavs/speakers/2BqVo8kVB2Skwgyb/0a3c7d40-45e0-11e9-8ec0-7bb21b5b9b5b.wav",
        speak("Turn on the kitchen lights.", "en-us+m2"),
    )
    clip(
        "speech",
        f,
        "4BrX8aDqK2cLZRYl_1b9a1e70-452a-11e9-a843-8db76f4b5e29",
        "wavs/speakers/4BrX8aDqK2cLZRYl/1b9a1e70-452a-11e9-a843-8db76f4b5e29.wav",
        speak("Decrease the volume.", "en-us+f2"),
    )

    # 07_ASVspoof2021 (DF): one bona fide, one spoofed (vocoded) trial
    f = "07_ASVspoof2021"
    clip("speech", f, "DF_E_2000011", "DF/flac/DF_E_2000011.wav", speak("Please call Stella.", "en+m2"))
    clip(
        "speech", f, "DF_E_2000107", "DF/flac/DF_E_2000107.wav", vocoded(speak("Ask her to bring these.", "en+f2"), SR)
    )

    # 06_AliMeeting: two speakers, one after the other
    f = "06_AliMeeting"
    a = speak("da4 jia1 hao3", "cmn-latn-pinyin+m3", speed=440)
    b = speak("kai1 shi3 ba5", "cmn-latn-pinyin+f3", speed=440)
    gap = 0.2
    x = concat(a, silence(gap), b)
    x = x + 0.004 * band(rng(61).randn(len(x)), SR, 100, 3000)
    pad = TRIM_PAD
    FACTS["diarization"] = (pad, len(a) / SR - pad, (len(a) / SR) + gap + pad, len(x) / SR - pad)
    clip("speech", f, "R8009_M8019-0001", "Eval_Ali_far/audio_dir/R8009_M8019-0001.wav", x)


def build_music_clips() -> None:
    # 08_m4singer: two singers, two songs each (the output of a conversion is the other singer's take)
    f = "08_m4singer"
    song_a, song_b = [64, 67, 69, 67], [72, 71, 69, 64]
    for singer, prog, shift in (("Alto-1", 52, 0), ("Tenor-1", 53, -12)):
        for song, mel, sent in (("岁月神偷", song_a, "0000"), ("童话", song_b, "0003")):
            notes = [(0, 0.05 + 0.18 * k, 0.05 + 0.18 * (k + 1) - 0.02, p + shift, 96) for k, p in enumerate(mel)]
            clip("music", f, f"{singer}#{song}#{sent}", f"{singer}#{song}#{sent}.wav", synth(notes, {0: prog}, 0.8))

    # 12_Opensinger: a female and a male take
    f = "12_Opensinger"
    FACTS["opensinger"] = {
        "女声_12#3": (
            "春风吹柳梢",
            [72, 74, 76, 79, 76],
            [0.2, 0.2, 0.2, 0.2, 0.32],
            52,
            "WomanRaw/12_春风吹柳梢/12_春风吹柳梢_3.wav",
        ),
        "男声_5#0": (
            "星光照回家",
            [55, 57, 60, 57, 55],
            [0.2, 0.2, 0.2, 0.2, 0.32],
            53,
            "ManRaw/5_星光照回家/5_星光照回家_0.wav",
        ),
    }
    for own, (_lyr, mel, durs, prog, path) in FACTS["opensinger"].items():
        t, notes = 0.05, []
        for p, d in zip(mel, durs, strict=True):
            notes.append((0, t, t + d - 0.02, p, 100))
            t += d
        clip("music", f, own, path, synth(notes, {0: prog}, t + 0.1))

    # 01_AAM: two mixes (and two stems of the first); the answers quote these notes
    f = "01_AAM"
    beat = 60 / 200
    piano = [[48, 52, 55, 60], [43, 50, 55, 59], [45, 52, 57, 60], [41, 48, 53, 57]]
    flute, bass = [76, 74, 72, 69], [None, 43, 45, 41]
    n_piano = [(0, k * beat, (k + 1) * beat - 0.02, p, 80) for k, ch in enumerate(piano) for p in ch]
    n_flute = [(1, k * beat, (k + 1) * beat - 0.02, p, 100) for k, p in enumerate(flute)]
    n_bass = [(2, k * beat, (k + 1) * beat - 0.02, p, 105) for k, p in enumerate(bass) if p]
    n_drum = [
        (DRUMS, k * beat, k * beat + 0.1, d, 90) for k in range(4) for d in ((KICK if k % 2 == 0 else SNARE), HAT)
    ]
    progs = {0: 0, 1: 73, 2: 33}
    clip("music", f, "0178_mix", "0178/0178_mix.wav", synth(n_piano + n_flute + n_bass + n_drum, progs, 4 * beat))
    clip("music", f, "0178_Flute", "0178/0178_Flute.wav", synth(n_flute, progs, 4 * beat))
    clip("music", f, "0178_ElectricBass", "0178/0178_ElectricBass.wav", synth(n_bass, progs, 4 * beat))
    beat2 = 0.4
    strings = [[50, 53, 57], [55, 58, 62], [49, 52, 57]]
    n2 = [(0, k * beat2, (k + 1) * beat2 - 0.02, p, 80) for k, ch in enumerate(strings) for p in ch]
    n2 += [(1, k * beat2, (k + 1) * beat2 - 0.05, p, 95) for k in (0, 2) for p in strings[k]]
    n2 += [(2, k * beat2, (k + 1) * beat2 - 0.02, p, 100) for k, p in enumerate([69, 70, 73])]
    clip("music", f, "2935_mix", "2935/2935_mix.wav", synth(n2, {0: 48, 1: 24, 2: 71}, 3 * beat2))
    FACTS["aam"] = {"beat": beat, "flute": flute, "beat2": beat2, "melody2": [69, 70, 73]}

    # 29_JazzNet: a ii-V-I progression in F and a C# dorian scale, on piano
    f = "29_JazzNet"
    chords = [[55, 58, 62, 65], [48, 52, 55, 58], [53, 57, 60, 64]]
    clip(
        "music",
        f,
        "progressions_F_ii-V-I_0",
        "Progressions/F/F_ii-V-I_0.wav",
        synth([(0, 0.3 * k, 0.3 * (k + 1) - 0.03, p, 85) for k, ch in enumerate(chords) for p in ch], {0: 0}, 1.0),
    )
    scale = [61, 63, 64, 66, 68, 70, 71, 73]
    clip(
        "music",
        f,
        "scales_C#_dorian_0",
        "Scales/C#/C#_dorian_0.wav",
        synth([(0, 0.09 * k, 0.09 * (k + 1) - 0.01, p, 90) for k, p in enumerate(scale)], {0: 0}, 0.8),
    )

    # 25_MTG-Jamendo: an energetic rock excerpt and a calm piano excerpt
    f = "25_MTG-Jamendo"
    b = 60 / 140
    rock = [
        (0, k * b, (k + 1) * b - 0.03, p, 110)
        for k, ch in enumerate([[40, 47, 52], [40, 47, 52], [43, 50, 55]])
        for p in ch
    ]
    rock += [(1, k * b, (k + 1) * b - 0.03, p, 110) for k, p in enumerate([28, 28, 31])]
    rock += [
        (DRUMS, k * b / 2, k * b / 2 + 0.1, d, 100)
        for k in range(6)
        for d in ((KICK if k % 4 == 0 else SNARE) if k % 2 == 0 else HAT,)
    ]
    clip("music", f, "track_0014356", "56/14356.wav", synth(rock, {0: 29, 1: 33}, 3 * b))
    calm = [(0, 0.15 * k, 0.75, p, 60) for k, p in enumerate([60, 64, 67, 72])] + [
        (1, 0.0, 0.75, p, 50) for p in (48, 55, 64)
    ]
    clip("music", f, "track_1083412", "12/1083412.wav", synth(calm, {0: 0, 1: 49}, 0.8))

    # 26_FreeSound_Loop_Dataset: a techno loop at 128 bpm (A minor) and a hip hop loop at 90 bpm (C major)
    f = "26_FreeSound_Loop_Dataset"
    b = 60 / 128
    techno = [(DRUMS, k * b, k * b + 0.1, KICK, 115) for k in range(3)] + [
        (DRUMS, k * b + b / 2, k * b + b / 2 + 0.1, OPEN_HAT, 80) for k in range(3)
    ]
    techno += [(0, k * b + b / 2, k * b + b - 0.03, p, 105) for k, p in enumerate([33, 36, 40])]
    clip("music", f, "405372", "audio/wav/405372_5768185-hq.wav", synth(techno, {0: 38}, 3 * b))
    b = 60 / 90
    hiphop = [(0, 0.0, b - 0.05, p, 80) for p in (48, 52, 55, 59)] + [
        (0, b, 2 * b - 0.05, p, 80) for p in (45, 52, 55, 60)
    ]
    hiphop += [(DRUMS, 0.0, 0.1, KICK, 110), (DRUMS, b, b + 0.1, SNARE, 100)]
    hiphop += [(DRUMS, k * b / 2, k * b / 2 + 0.05, HAT, 70) for k in range(4)]
    clip("music", f, "247538", "audio/wav/247538_1234005-hq.wav", synth(hiphop, {0: 4}, 2 * b))

    # 22_CCOM-HuQin: bowed with vibrato, and plucked (pizzicato)
    f = "22_CCOM-HuQin"
    clip(
        "music",
        f,
        "Erhu_vibrato_D5_003",
        "Erhu/vibrato/Erhu_vibrato_D5_003.wav",
        synth([(0, 0.02, 0.55, 74, 100)], {0: 40}, 0.6, controls=[(0, 0.0, 1, 120)]),
    )
    clip(
        "music",
        f,
        "Erhu_pizzicato_D5_001",
        "Erhu/pizzicato/Erhu_pizzicato_D5_001.wav",
        synth([(0, 0.02, 0.25, 74, 110), (0, 0.3, 0.55, 69, 110)], {0: 45}, 0.6),
    )

    # 33_VocalSet: a sustained vowel with and without vibrato
    f = "33_VocalSet"
    clip(
        "music",
        f,
        "f3_long_vibrato_a",
        "FULL/female3/long_tones/vibrato/f3_long_vibrato_a.wav",
        synth([(0, 0.02, 0.55, 69, 100)], {0: 53}, 0.6, controls=[(0, 0.0, 1, 127)]),
    )
    clip(
        "music",
        f,
        "f3_long_straight_a",
        "FULL/female3/long_tones/straight/f3_long_straight_a.wav",
        synth([(0, 0.02, 0.55, 69, 100)], {0: 53}, 0.6),
    )

    # 20_CompMusic: a sitar phrase (the prompt) and what follows it
    f = "20_CompMusic"
    drum = [(DRUMS, t, t + 0.08, HI_BONGO if k % 2 else LO_BONGO, 90) for k, t in enumerate((0.0, 0.4, 0.6, 0.8))]
    clip(
        "music",
        f,
        "carnatic_Atana_0001_prompt",
        "carnatic/Atana/0001_prompt.wav",
        synth(
            [(0, 0.25 * k, 0.25 * (k + 1) - 0.02, p, 100) for k, p in enumerate([62, 64, 67, 69])] + drum, {0: 104}, 1.0
        ),
    )
    clip(
        "music",
        f,
        "carnatic_Atana_0001_continuation",
        "carnatic/Atana/0001_continuation.wav",
        synth(
            [(0, 0.25 * k, 0.25 * (k + 1) - 0.02, p, 100) for k, p in enumerate([73, 74, 73, 69])] + drum, {0: 104}, 1.0
        ),
    )

    # 34_NSynth: three of the sample's NSynth notes
    f = "34_NSynth"
    for note_str in ("guitar_acoustic_010-060-100", "guitar_acoustic_010-067-075", "brass_acoustic_046-055-100"):
        clip(
            "music",
            f,
            note_str,
            f"nsynth-train/audio/{note_str}.wav",
            fade(NSYNTH_AUDIO[note_str][: int(0.8 * SR)], SR),
        )


def build_audio_clips() -> None:
    # 177_TAU_Urban_Acoustic_Scenes_2022: the 2022 set has 1 s segments; half a second here, for the size limit
    f = "177_TAU_Urban_Acoustic_Scenes_2022"
    traffic = 0.6 * band(np.cumsum(rng(71).randn(SR // 2)) / 60, SR, 30, 1200) + 0.5 * engine(0.5, SR, 72)
    place(traffic, car_horn(0.2), 0.28, SR, 0.25)
    clip("audio", f, "street_traffic-helsinki-161-4901-3-a", "audio/street_traffic-helsinki-161-4901-3-a.wav", traffic)
    clip(
        "audio",
        f,
        "park-stockholm-112-3225-1-a",
        "audio/park-stockholm-112-3225-1-a.wav",
        birds(0.5, SR, 73) + 0.4 * wind(0.5, SR, 74),
    )

    # 170_AudioSet (strong labels): the answers quote the event times placed here
    f = "170_AudioSet"
    x = np.zeros(int(1.3 * SR))
    place(x, dog_bark(81, 520), 0.05)
    place(x, dog_bark(82, 480), 0.4)
    place(x, car_horn(0.4), 0.85, SR, 0.8)
    x += 0.02 * band(rng(83).randn(len(x)), SR, 100, 3000)
    FACTS["audioset_events"] = [
        ("Bark", 0.05, 0.22),
        ("Bark", 0.40, 0.57),
        ("Vehicle horn, car horn, honking", 0.85, 1.25),
    ]
    clip("audio", f, "Y0nGL8kMb5vQ_120.000_130.000", "audio/Y0nGL8kMb5vQ_120.000_130.000.wav", x)
    s = siren(1.2, SR, 84)
    clip("audio", f, "YbX9Zr3tWq1E_0.000_10.000", "audio/YbX9Zr3tWq1E_0.000_10.000.wav", s)
    clip(
        "audio",
        f,
        "YbX9Zr3tWq1E_0.000_10.000_lowres",
        "lowres/YbX9Zr3tWq1E_0.000_10.000_lowres.wav",
        resample(resample(s, SR, 4000), 4000, SR),
    )
    sp = speak("Let us begin.", "en+m1")
    clip(
        "audio",
        f,
        "Y3fKj2LpQx8s_40.000_50.000",
        "audio/Y3fKj2LpQx8s_40.000_50.000.wav",
        reverberate(sp, SR, 0.3, 85) + 0.01 * band(rng(86).randn(len(sp) + int(0.25 * SR)), SR, 100, 2000),
    )
    clip(
        "audio",
        f,
        "YqT7mN4cVb2k_20.000_30.000",
        "audio/YqT7mN4cVb2k_20.000_30.000.wav",
        synth(
            [(0, 0.12 * k, 0.12 * k + 0.4, p, 90) for k, p in enumerate([67, 71, 74, 79, 74])]
            + [(1, 0.0, 0.85, 43, 80)],
            {0: 0, 1: 32},
            0.9,
        ),
    )
    clip("audio", f, "Y-hW2uR9sE5d_60.000_70.000", "audio/Y-hW2uR9sE5d_60.000_70.000.wav", wind(0.5, SR, 87))

    # 172_ESC-50: 16 kHz copies of three of the sample's ESC-50 clips
    f = "172_ESC-50"
    for fold, cid, take, _target, category, _ in ESC50_CLIPS:
        if category in ("dog", "rooster", "siren"):
            name = esc50_layout.clip_name(fold, cid, take, category)[:-4]
            clip("audio", f, name, f"audio/{name}.wav", fade(esc50_sound(category, SR), SR))

    # 179_Audioset_for_Audio_Inpainting: a clip and the same clip with a gap
    f = "179_Audioset_for_Audio_Inpainting"
    c = chimes(1.1)
    gapped = c.copy()
    gapped[int(0.55 * SR) : int(0.75 * SR)] = 0.0
    clip("audio", f, "Y-7pQ4sTm2dI_30.000_40.000", "original/Y-7pQ4sTm2dI_30.000_40.000.wav", c)
    clip(
        "audio",
        f,
        "Y-7pQ4sTm2dI_30.000_40.000_gap0.55-0.75",
        "masked/Y-7pQ4sTm2dI_30.000_40.000_gap0.55-0.75.wav",
        gapped,
    )

    # 175_Vocal_Imitation: a person imitating a dog
    f = "175_Vocal_Imitation"
    clip(
        "audio",
        f,
        "Dog_bark_011_imitation",
        "vocal_imitations/Dog_bark_011_imitation.wav",
        speak("woof, woof!", "en+m3", pitch=80, speed=400),
    )

    # 173_ADD2023: genuine and fake Mandarin speech
    f = "173_ADD2023"
    clip(
        "audio",
        f,
        "ADD2023_T2_T_00000361",
        "wav/ADD2023_T2_T_00000361.wav",
        speak("qing3 guan1 men2", "cmn-latn-pinyin+f2", speed=440),
    )
    clip(
        "audio",
        f,
        "ADD2023_T2_T_00000492",
        "wav/ADD2023_T2_T_00000492.wav",
        vocoded(speak("ming2 tian1 jian4", "cmn-latn-pinyin+m3", speed=440), SR, 6),
    )

    # 176_DNS_VAD: speech in the middle of a noise recording
    f = "176_DNS_VAD"
    sp = speak("Hello there.", "en-us+f2")
    lead = 0.3
    x = np.zeros(int((lead + len(sp) / SR + 0.25) * SR))
    place(x, sp / np.abs(sp).max(), lead)
    x += 0.05 * band(rng(91).randn(len(x)), SR, 80, 5000)
    FACTS["vad"] = (lead + TRIM_PAD, lead + len(sp) / SR - TRIM_PAD, len(x) / SR)
    clip("audio", f, "synthetic_vad_fileid_7", "noisy/synthetic_vad_fileid_7.wav", x)

    # 178_WavCaps: birds, birds plus a voice, and a ticking clock cut into prompt and continuation
    f = "178_WavCaps"
    bird = birds(0.8, SR, 92)
    sp = speak("Look there.", "en+f4")
    voice_at = 0.25
    mixture = bird.copy()
    place(mixture, 0.8 * sp / np.abs(sp).max() * np.abs(bird).max(), voice_at)
    FACTS["wavcaps_speech"] = (voice_at + TRIM_PAD, voice_at + len(sp) / SR - TRIM_PAD, len(bird) / SR)
    clip("audio", f, "FreeSound_512384", "FreeSound_flac/512384.wav", mixture)
    clip("audio", f, "FreeSound_238901", "FreeSound_flac/238901.wav", bird)
    clock = ticks(0.9, 0.2, SR, 0.05, 93) + 0.003 * rng(94).randn(int(0.9 * SR))
    clip("audio", f, "SoundBible_1027_prompt", "SoundBible_flac/1027_prompt.wav", clock[: int(0.45 * SR)])
    clip("audio", f, "SoundBible_1027_continuation", "SoundBible_flac/1027_continuation.wav", clock[int(0.45 * SR) :])

    # 174_VGGSound: a dog, an engine, their mixture, and another dog as an audio query
    f = "174_VGGSound"
    dog = np.zeros(int(0.75 * SR))
    place(dog, dog_bark(95, 540), 0.1)
    place(dog, dog_bark(96, 500), 0.5)
    eng = engine(0.75, SR, 97)
    dog2 = np.zeros(int(0.7 * SR))
    place(dog2, dog_bark(98, 430), 0.1)
    place(dog2, dog_bark(99, 410), 0.4)
    clip("audio", f, "-2aBcD3eF4g_000030", "video/-2aBcD3eF4g_000030.wav", dog)
    clip("audio", f, "Kx9pL2mN5qR_000110", "video/Kx9pL2mN5qR_000110.wav", eng)
    clip("audio", f, "8uVw1Xy2Zab_000050", "video/8uVw1Xy2Zab_000050.wav", dog2)
    clip(
        "audio",
        f,
        "mix_-2aBcD3eF4g_000030_Kx9pL2mN5qR_000110",
        "mixtures/-2aBcD3eF4g_000030_Kx9pL2mN5qR_000110.wav",
        dog / np.abs(dog).max() + 0.6 * eng / np.abs(eng).max(),
    )


def write_clips() -> None:
    by_folder: dict[tuple[str, str], list[Clip]] = defaultdict(list)
    for c in CLIPS.values():
        by_folder[(c.domain, c.folder)].append(c)
        write_wav(RELEASE / "audio_files" / c.domain / c.folder / c.path, c.audio, SR, c.peak)
    for (domain, folder), clips in sorted(by_folder.items()):
        scp = RELEASE / "scp_files" / domain / f"{folder}.scp"
        scp.parent.mkdir(parents=True, exist_ok=True)
        prefix = f"{domain}/{folder}" if folder == SCP_RELATIVE_TO_AUDIO_FILES else f"audio_files/{domain}/{folder}"
        scp.write_text("".join(f"{c.id} {prefix}/{c.path}\n" for c in clips), encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------
# The release: records
# ----------------------------------------------------------------------------------------------------------
RECORDS: list[tuple[str, str, str, dict]] = []  # (config, corpus folder, jsonl file stem, record)


def a(clip_id: str) -> str:
    assert clip_id in CLIPS, clip_id
    return f"<|SOA|>{clip_id}<|EOA|>"


def r(split: str, inp: str, out: str, **kw) -> dict:
    return {"split": split, "input": inp, "output": out, **kw}


def series(cfg: str, folder: str, file: str, source: list[str], instructions: list[str], rows: list[dict]) -> None:
    """One record per row; row k takes instruction k (cycling) unless it names its own."""
    minor, major, ug = TASKS[cfg]
    for k, row in enumerate(rows):
        record = {
            "instruction": row["instruction"] if "instruction" in row else instructions[k % len(instructions)],
            "input": row["input"],
            "output": row["output"],
            "uuid": "",
            "split": [row["split"]],
            "task_type": {
                "major": [row.get("major", major)],
                "minor": [row.get("minor", minor)],
                "U/G": [ug],
                "unseen": False,
            },
            "domain": cfg.split(".")[0],
            "source": row.get("source", source),
            "other": row.get("other"),
        }
        key = json.dumps([cfg, folder, file, record], ensure_ascii=False, sort_keys=True)
        record["uuid"] = str(uuid.uuid5(UUID_NS, key))
        RECORDS.append((cfg, folder, file, record))


def speech_records() -> None:
    LT, ESD = "13_LibriTTS-R_", "10_ESD_"
    L1, L2, L3, L4, L5 = (
        LT + u
        for u in (
            "19_198_000010_000000",
            "19_198_000010_000001",
            "26_495_000004_000000",
            "103_1240_000003_000000",
            "61_70968_000002_000000",
        )
    )
    L1N, L1R = LT + "19_198_000010_000000_snr10", LT + "19_198_000010_000000_rt60-0.7"
    L3C, L4NB = LT + "26_495_000004_000000_clip0.25", LT + "103_1240_000003_000000_8k"
    MIX = LT + "mix_19_198_000010_000000-26_495_000004_000000"
    T = {u: LIBRITTS_TEXT[u][0] for u in LIBRITTS_TEXT}
    T1, T2, T3, T4, T5 = (T[x[len(LT) :]] for x in (L1, L2, L3, L4, L5))
    E1, E2, E3, E4, E5, E6 = (
        ESD + u for u in ("0011_000021", "0011_000721", "0019_001071", "0019_000021", "0003_000021", "0003_000371")
    )
    EN, ZH = "The bus was late again.", "今天天气很好。"
    K1, K2 = "18_KeSpeech_1000123_4a7f2c91", "18_KeSpeech_1001876_b03e9d2a"
    F1, F2 = "15_FLEURS_en_us-1906342175638812064", "15_FLEURS_fr_fr-2270419818123376563"
    H1, H2 = "16_HQ-Conversations_G0032_S0105", "16_HQ-Conversations_G0117_S0012"
    FS1 = "14_Fluent_Speech_Commands_2BqVo8kVB2Skwgyb_0a3c7d40-45e0-11e9-8ec0-7bb21b5b9b5b"
    FS2 = "14_Fluent_Speech_Commands_4BrX8aDqK2cLZRYl_1b9a1e70-452a-11e9-a843-8db76f4b5e29"
    V1, V2 = "07_ASVspoof2021_DF_E_2000011", "07_ASVspoof2021_DF_E_2000107"
    Z1 = "06_AliMeeting_R8009_M8019-0001"
    book, unk, studio = ["audiobook"], ["unknown"], ["studio"]
    lt = "13_LibriTTS-R"
    en, zh, fr = {"language": "en"}, {"language": "zh"}, {"language": "fr"}

    # --- Speech Recognition ---------------------------------------------------------------------------
    asr_instr = [
        "Transcribe the speech in this recording.",
        "Could you please write down what the speaker says?",
        "What is being said in this audio clip?",
        "It would be great if you could convert this speech into text.",
        "Please provide an accurate transcript of the given audio.",
    ]
    series(
        "speech.asr",
        lt,
        "LibriTTS-R_recognition",
        book,
        asr_instr,
        [
            r("train", f"audio: {a(L1)}", T1, other=en),
            r("train", f"speech clip: {a(L2)}", f"Transcription is: {T2}"),
            r("train", a(L3), T3),
            r(
                "train",
                f"Input audio: {a(L4)}",
                f"The text of the given speech is: {T4}",
                minor=VARIANT_SPELLINGS["speech.asr"],
            ),
        ],
    )
    series("speech.asr", lt, "LibriTTS-R_test", book, asr_instr[2:], [r("test", f"audio: {a(L5)}", T5, other=en)])
    series(
        "speech.asr",
        "10_ESD",
        "ESD_recognition",
        studio,
        asr_instr[3:],
        [
            r("train", f"audio: {a(E1)}", EN, other=en),
            r("train", f"recording: {a(E5)}", f"Transcription is: {ZH}", other=zh),
        ],
    )
    series(
        "speech.asr",
        "14_Fluent_Speech_Commands",
        "FSC_slu",
        unk,
        asr_instr[1:],
        [
            r("train", f"audio: {a(FS1)}", "Turn on the kitchen lights."),
            r("dev", f"spoken command: {a(FS2)}", "Decrease the volume."),
        ],
    )
    series(
        "speech.asr",
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        asr_instr,
        [
            r("train", f"audio: {a(H1)}", "嗯，我觉得还行吧。", minor=VARIANT_SPELLINGS["speech.asr"], other=zh),
        ],
    )

    series(
        "speech.dialect_asr",
        "18_KeSpeech",
        "KeSpeech_understanding",
        unk,
        [
            "Transcribe this dialectal Mandarin speech into Chinese characters.",
            "Please write down, in Chinese, the words spoken in this dialect recording.",
            "What does the speaker say? Give the transcript in Chinese.",
            "Kindly produce the Mandarin transcript of the following dialect speech.",
        ],
        [
            r("train", f"audio: {a(K1)}", "我在成都上班。", other={"subdialect": "Southwestern"}),
            r("train", f"audio: {a(K2)}", "这里真漂亮。", other={"subdialect": "Northeastern"}),
            r("train", f"dialect speech: {a(K1)}", "Transcription is: 我在成都上班。"),
            r("train", a(K2), "这里真漂亮。"),
        ],
    )

    phon = {u: ipa(*LIBRITTS_TEXT[u]) for u in LIBRITTS_TEXT}
    series(
        "speech.phonetic_recognition",
        lt,
        "LibriTTS-R_recognition",
        book,
        [
            "Transcribe the speech into IPA phonemes.",
            "Could you give the phonetic transcription of this utterance?",
            "What phonemes are spoken in this recording?",
            "Please convert the given speech into a sequence of IPA symbols.",
        ],
        [
            r("train", f"audio: {a(L1)}", phon[L1[len(LT) :]]),
            r("train", f"audio: {a(L2)}", f"IPA Phonemes is: {phon[L2[len(LT) :]]}"),
            r("train", f"speech: {a(L3)}", phon[L3[len(LT) :]]),
            r("train", f"audio: {a(L4)}", f"phonemes of the given speech is: {phon[L4[len(LT) :]]}"),
        ],
    )

    # --- Spoken Language Understanding ------------------------------------------------------------------
    series(
        "speech.intent_classification",
        "14_Fluent_Speech_Commands",
        "FSC_slu",
        unk,
        [
            "Identify the intent of the spoken command. Answer with its action, object and location.",
            "What does the speaker want the device to do?",
            "Please classify the intent of this voice command (action, object, location).",
            "Could you work out the action, object and location requested in this command?",
        ],
        [
            r("train", f"audio: {a(FS1)}", "action: activate, object: lights, location: kitchen"),
            r("train", f"audio: {a(FS2)}", "action: decrease, object: volume, location: none"),
            r(
                "train",
                f"voice command: {a(FS1)}",
                "The intent is action: activate, object: lights, location: kitchen.",
            ),
            r("train", a(FS2), "action: decrease, object: volume, location: none"),
        ],
    )

    st = "speech.speech_translation"
    series(
        st,
        "15_FLEURS",
        "FLEURS_understanding",
        unk,
        [],
        [
            r(
                "train",
                a(F1),
                "Le musée ouvre à dix heures.",
                instruction="Please translate the speech into the text in French.",
            ),
            r(
                "train",
                f"audio: {a(F1)}",
                "博物馆十点开门。",
                instruction="Translate this English speech into Chinese text.",
                minor=VARIANT_SPELLINGS[st],
            ),
            r(
                "train",
                a(F2),
                "The museum opens at ten.",
                instruction="Would you be able to convert the spoken words into English text?",
            ),
            r(
                "train",
                f"French speech: {a(F2)}",
                "博物馆十点开门。",
                instruction="How about translating this French speech into Chinese?",
                minor=VARIANT_SPELLINGS[st],
            ),
            r(
                "dev",
                f"audio: {a(F2)}",
                "The museum opens at ten.",
                instruction="Please provide the English translation of the audio speech.",
            ),
        ],
    )

    # --- Paralinguistic Attribute Recognition ---------------------------------------------------------------
    g_instr = [
        "Identify the gender of the speaker.",
        "Is the speaker male or female?",
        "Could you tell me the gender of the person speaking?",
        "Please determine whether this voice belongs to a man or a woman.",
        "Listen to the clip and classify the speaker's gender.",
    ]
    g = "speech.gender_recognition"
    series(
        g,
        lt,
        "LibriTTS-R_paralinguistic",
        book,
        g_instr,
        [
            r("train", f"audio: {a(L1)}", "female"),
            r("train", f"speech: {a(L3)}", "The gender is male."),
            r("dev", f"audio: {a(L4)}", "female"),
        ],
    )
    series(g, lt, "LibriTTS-R_test", book, g_instr[1:], [r("test", f"audio: {a(L5)}", "male")])
    series(
        g,
        "10_ESD",
        "ESD_paralinguistic",
        studio,
        g_instr[2:],
        [
            r("train", f"audio: {a(E1)}", "Gender: male"),
            r("train", f"audio: {a(E4)}", "female"),
        ],
    )
    series(g, "18_KeSpeech", "KeSpeech_understanding", unk, g_instr[1:], [r("train", f"audio: {a(K1)}", "male")])
    series(
        g, "14_Fluent_Speech_Commands", "FSC_slu", unk, g_instr[3:], [r("train", f"Input audio: {a(FS2)}", "female")]
    )
    series(
        g,
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        g_instr,
        [r("train", f"audio: {a(H2)}", "The gender is male.")],
    )

    age_instr = [
        "Estimate the age group of the speaker.",
        "How old does the speaker sound? Answer with an age range.",
        "Please classify the speaker's age into a range.",
        "Could you guess which age bracket this speaker belongs to?",
    ]
    series(
        "speech.age_recognition",
        "18_KeSpeech",
        "KeSpeech_understanding",
        unk,
        age_instr,
        [
            r("train", f"audio: {a(K1)}", "31-40"),
            r("train", f"audio: {a(K2)}", "The speaker is 21-30 years old."),
        ],
    )
    series(
        "speech.age_recognition",
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        age_instr[2:],
        [
            r("train", f"audio: {a(H1)}", "21-30"),
            r("train", f"speech: {a(H2)}", "41-50"),
        ],
    )

    series(
        "speech.emotion_recognition",
        "10_ESD",
        "ESD_paralinguistic",
        studio,
        [
            "Recognize the emotion expressed in this speech.",
            "What emotion does the speaker convey? Choose from neutral, happy, angry, sad and surprise.",
            "Please identify the speaker's emotional state.",
            "Could you tell which emotion this utterance carries?",
            "Classify the emotion of the given speech.",
        ],
        [
            r("train", f"audio: {a(E1)}", "neutral"),
            r("train", f"audio: {a(E2)}", "happy"),
            r("train", f"speech clip: {a(E3)}", "The emotion is sad."),
            r("train", f"audio: {a(E6)}", "angry", other=zh),
            r("dev", f"audio: {a(E4)}", "neutral"),
        ],
    )

    series(
        "speech.accent_recognition",
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        [
            "Identify the accent of the speaker.",
            "Which regional accent do you hear in this Mandarin speech?",
            "Please tell me where the speaker's accent comes from.",
            "What accent does this person speak with?",
        ],
        [
            r("train", f"audio: {a(H1)}", "Beijing accent"),
            r("train", f"audio: {a(H2)}", "Sichuan accent"),
            r("train", f"conversation audio: {a(H1)}", "The speaker has a Beijing accent."),
            r("train", a(H2), "Sichuan accent"),
        ],
    )

    para_instr = [
        "Do these two utterances come from the same paragraph? Answer yes or no.",
        "Please tell me whether the two recordings were read from the same paragraph of the book.",
        "Are the sentences in the first and second audio part of one paragraph?",
        "Check whether both speech clips belong to the same paragraph.",
    ]
    series(
        "speech.spoken_paragraph_recognition",
        lt,
        "LibriTTS-R_paralinguistic",
        book,
        para_instr,
        [
            r("train", f"audio_sample1: {a(L1)}\naudio_sample2: {a(L2)}", "yes"),
            r("train", f"audio_sample1: {a(L1)}\naudio_sample2: {a(L3)}", "no"),
            r(
                "train",
                f"first recording: {a(L2)}\nsecond recording: {a(L1)}",
                "Yes, they are from the same paragraph.",
            ),
            r("train", f"audio_sample1: {a(L2)}\naudio_sample2: {a(L4)}", "No."),
        ],
    )
    series(
        "speech.spoken_paragraph_recognition",
        lt,
        "LibriTTS-R_test",
        book,
        para_instr[1:],
        [
            r("test", f"audio_sample1: {a(L1)}\naudio_sample2: {a(L5)}", "no"),
        ],
    )

    lid_instr = [
        "Identify the language spoken in this audio.",
        "Which language is the speaker using?",
        "Please determine the language of the given speech.",
        "Could you tell me what language this recording is in?",
        "Detect the spoken language.",
    ]
    lid = "speech.language_identification"
    series(lid, lt, "LibriTTS-R_paralinguistic", book, lid_instr, [r("train", f"audio: {a(L1)}", "English")])
    series(
        lid,
        "10_ESD",
        "ESD_paralinguistic",
        studio,
        lid_instr[1:],
        [r("train", f"audio: {a(E5)}", "The language is Chinese.")],
    )
    series(
        lid,
        "15_FLEURS",
        "FLEURS_understanding",
        unk,
        lid_instr[2:],
        [
            r("train", f"speech: {a(F2)}", "Language in the given speech is French.", other=fr),
            r("train", f"audio: {a(F1)}", "English"),
        ],
    )
    series(
        lid,
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        lid_instr[4:],
        [r("train", f"audio: {a(H2)}", "Chinese")],
    )

    series(
        "speech.dialect_identification",
        "18_KeSpeech",
        "KeSpeech_understanding",
        unk,
        [
            "Which Chinese dialect is spoken in this recording?",
            "Identify the subdialect of the Mandarin speaker.",
            "Please classify the dialect region of this speech.",
            "Could you tell me which dialect group this speaker belongs to?",
        ],
        [
            r("train", f"audio: {a(K1)}", "Southwestern"),
            r("train", f"audio: {a(K2)}", "Northeastern"),
            r("train", f"dialect speech: {a(K1)}", "The dialect is Southwestern Mandarin."),
            r("train", a(K2), "Northeastern Mandarin"),
        ],
    )

    # --- Speaker Recognition ------------------------------------------------------------------------
    sv_instr = [
        "Are these two recordings spoken by the same person? Answer yes or no.",
        "Please verify whether the two utterances come from the same speaker.",
        "Do the voices in both audios belong to one speaker?",
        "Could you check if the same speaker produced these two clips?",
    ]
    sv = "speech.speaker_verification"
    series(
        sv,
        lt,
        "LibriTTS-R_paralinguistic",
        book,
        sv_instr,
        [
            r("train", f"audio_sample1: {a(L1)}\naudio_sample2: {a(L2)}", "yes"),
            r(
                "train",
                f"audio_sample1: {a(L1)}\naudio_sample2: {a(L4)}",
                "The speakers in the given two speechs are different.",
            ),
        ],
    )
    series(
        sv,
        lt,
        "LibriTTS-R_test",
        book,
        sv_instr[2:],
        [r("test", f"audio_sample1: {a(L3)}\naudio_sample2: {a(L5)}", "no")],
    )
    series(
        sv,
        "10_ESD",
        "ESD_paralinguistic",
        studio,
        sv_instr[1:],
        [
            r("train", f"reference speech: {a(E1)}\ntest speech: {a(E2)}", "yes"),
            r("train", f"audio_sample1: {a(E1)}\naudio_sample2: {a(E4)}", "no"),
        ],
    )

    d0, d1, d2, d3 = FACTS["diarization"]
    series(
        "speech.speaker_diarization",
        "06_AliMeeting",
        "AliMeeting_diarization",
        ["meeting"],
        [
            "Who spoke when? Segment the recording by speaker.",
            "Please perform speaker diarization on this meeting audio.",
            "Could you mark the time spans of each speaker in the clip?",
            "Label every speech segment with its speaker.",
        ],
        [
            r("train", f"audio: {a(Z1)}", f"SPK1: {d0:.2f}-{d1:.2f}; SPK2: {d2:.2f}-{d3:.2f}"),
            r(
                "train",
                f"meeting audio: {a(Z1)}",
                f"Speaker A talks from {d0:.2f} s to {d1:.2f} s, then speaker B from {d2:.2f} s to {d3:.2f} s.",
            ),
            r("train", a(Z1), f"[{d0:.2f}, {d1:.2f}] speaker_1\n[{d2:.2f}, {d3:.2f}] speaker_2"),
            r("train", f"audio: {a(Z1)}", f"2 speakers. SPK1: {d0:.2f}-{d1:.2f}; SPK2: {d2:.2f}-{d3:.2f}"),
        ],
    )

    series(
        "speech.speaker_extraction",
        lt,
        "LibriTTS-R_paralinguistic",
        book,
        [
            "Extract the voice of the reference speaker from the mixture.",
            "Please isolate the target speaker's speech, using the reference recording.",
            "Can you pull out only the speech of the person in the reference clip?",
            "Separate the target speaker from this two-speaker mixture.",
        ],
        [
            r("train", f"audio: {a(MIX)}\nspeaker_audio: {a(L2)}", a(L1)),
            r("train", f"mixture: {a(MIX)}\nreference voice: {a(L2)}", f"Extracted speech: {a(L1)}"),
            r("train", f"mixed speech: {a(MIX)}\nspeaker_audio: {a(L2)}", a(L1)),
            r("train", f"audio: {a(MIX)}\nvoice sample: {a(L2)}", f"The target speaker's audio is: {a(L1)}"),
        ],
    )

    series(
        "speech.speaker_identification",
        "18_KeSpeech",
        "KeSpeech_understanding",
        unk,
        [
            "Identify the speaker of this utterance.",
            "Which of the candidate speakers is talking?",
            "Please tell me the speaker ID for this recording.",
            "Could you recognise who is speaking? Give the speaker ID.",
        ],
        [
            r("train", f"audio: {a(K1)}\ncandidates: 1000123, 1001876, 1002231", "1000123"),
            r("train", f"audio: {a(K2)}\ncandidates: 1000123, 1001876, 1002231", "1001876"),
            r("train", f"speech: {a(K2)}\nspeaker list: 1002231, 1001876, 1000123", "The speaker is 1001876."),
            r("train", f"audio: {a(K1)}\ncandidates: 1001876, 1000123", "1000123"),
        ],
    )

    captions = {
        L1: "A woman speaks in a fairly high-pitched, monotone voice at a quick pace; the recording is very clean and close-sounding.",
        L2: "A female speaker reads quickly with flat intonation in a quiet, clear recording.",
        L3: "A man with a low-pitched voice speaks fast and rather monotonously; the audio is clean and close-up.",
        L4: "A woman's moderately high voice delivers the sentence quickly and evenly in a clean environment.",
    }
    series(
        "speech.speech_caption",
        lt,
        "LibriTTS-R_paralinguistic",
        book,
        [
            "Describe the speaking style of this recording.",
            "Please write a caption for the voice in this clip: gender, pitch, pace and recording quality.",
            "How would you describe the way this person speaks?",
            "Generate a short description of the speaker and the speech.",
        ],
        [
            r("train", f"audio: {a(L1)}", captions[L1]),
            r("train", f"audio: {a(L2)}", f"Speech caption is: {captions[L2]}"),
            r("train", f"speech: {a(L3)}", captions[L3]),
            r("train", a(L4), f"The speaking style is: {captions[L4]}"),
        ],
    )

    # --- Speech Detection ---------------------------------------------------------------------------
    series(
        "speech.deepfake_detection",
        "07_ASVspoof2021",
        "ASVspoof2021_detection",
        unk,
        [
            "Is this speech bona fide or spoofed?",
            "Please determine whether the recording is genuine human speech or a spoof.",
            "Detect whether this audio is a deepfake.",
            "Could you tell if this utterance was produced by a machine?",
        ],
        [
            r("train", f"audio: {a(V1)}", "bonafide"),
            r("train", f"audio: {a(V2)}", "spoof"),
            r("train", f"speech: {a(V1)}", "The speech is bona fide."),
            r("train", a(V2), "spoof"),
        ],
    )
    series(
        "speech.vocoder_classification",
        "07_ASVspoof2021",
        "ASVspoof2021_detection",
        unk,
        [
            "Which type of vocoder generated this speech?",
            "Classify the vocoder used for this utterance, or say bonafide if it is real speech.",
            "Please identify the vocoder type of the given audio.",
            "What kind of vocoder, if any, produced this recording?",
        ],
        [
            r("train", f"audio: {a(V2)}", "traditional_vocoder"),
            r("train", f"audio: {a(V1)}", "bonafide"),
            r("train", f"speech: {a(V2)}", "The vocoder type is traditional_vocoder."),
            r("train", a(V1), "bonafide"),
        ],
    )
    series(
        "speech.device_recognition",
        "16_HQ-Conversations",
        "HQ-Conversations_understanding",
        unk,
        [
            "Which recording device was used for this audio?",
            "Please identify the device that captured this speech.",
            "What kind of device recorded this conversation?",
            "Could you recognise the recording device from the sound?",
        ],
        [
            r("train", f"audio: {a(H1)}", "iPhone"),
            r("train", f"audio: {a(H2)}", "Android phone"),
            r("train", f"recording: {a(H1)}", "The recording device is iPhone."),
            r("train", a(H2), "Android phone"),
        ],
    )

    # --- Speech Enhancement ---------------------------------------------------------------------------
    enh = "LibriTTS-R_enhancement"
    series(
        "speech.denoising",
        lt,
        enh,
        book,
        [
            "Remove the background noise from this speech.",
            "Please denoise the given recording.",
            "Could you clean up the noisy speech?",
            "It would help if you could suppress the noise and keep the voice.",
        ],
        [
            r("train", f"audio: {a(L1N)}", a(L1)),
            r("train", f"noisy speech: {a(L1N)}", f"Denoised speech: {a(L1)}"),
            r("train", a(L1N), a(L1)),
            r("train", f"audio: {a(L1N)}", f"audio: {a(L1)}"),
        ],
    )
    series(
        "speech.denoising",
        lt,
        "LibriTTS-R_test",
        book,
        ["Please denoise the given recording."],
        [
            r("test", f"audio: {a(L1N)}", a(L1)),
        ],
    )
    series(
        "speech.dereverberation",
        lt,
        enh,
        book,
        [
            "Remove the reverberation from this speech.",
            "Please make this echoey recording sound dry and close.",
            "Can you dereverberate the given audio?",
            "Suppress the room reverb in the speech.",
        ],
        [
            r("train", f"audio: {a(L1R)}", a(L1)),
            r("train", f"reverberant speech: {a(L1R)}", a(L1)),
            r("train", a(L1R), f"The dereverberated speech is: {a(L1)}"),
            r("train", f"audio: {a(L1R)}", a(L1)),
        ],
    )
    series(
        "speech.declipping",
        lt,
        enh,
        book,
        [
            "Restore this clipped speech.",
            "Please repair the clipping distortion in the recording.",
            "Could you recover the undistorted speech from this clipped audio?",
            "Fix the saturated peaks of the given speech.",
        ],
        [
            r("train", f"audio: {a(L3C)}", a(L3)),
            r("train", f"clipped audio: {a(L3C)}", a(L3)),
            r("train", a(L3C), f"Restored speech: {a(L3)}"),
            r("train", f"audio: {a(L3C)}", a(L3)),
        ],
    )
    series(
        "speech.bandwidth_extension",
        lt,
        enh,
        book,
        [
            "Extend the bandwidth of this narrow-band speech to 16 kHz.",
            "Please recover the high frequencies of this 8 kHz recording.",
            "Can you upsample this telephone-quality speech to full band?",
            "Increase the bandwidth of the given speech signal.",
        ],
        [
            r("train", f"audio: {a(L4NB)}", a(L4)),
            r("train", f"narrow-band speech: {a(L4NB)}", a(L4)),
            r("train", a(L4NB), f"Full-band speech: {a(L4)}"),
            r("train", f"audio: {a(L4NB)}", a(L4)),
        ],
    )
    series(
        "speech.snr_estimation",
        lt,
        enh,
        book,
        [
            "Estimate the signal-to-noise ratio of this recording in dB.",
            "What is the SNR of the given noisy speech?",
            "Please measure how loud the speech is relative to the noise (SNR, dB).",
            "Could you estimate the SNR of this audio?",
        ],
        [
            r("train", f"audio: {a(L1N)}", "10 dB"),
            r("train", f"noisy speech: {a(L1N)}", "The SNR is 10 dB."),
            r("train", a(L1N), "10"),
            r("train", f"audio: {a(L1N)}", "SNR: 10 dB"),
        ],
    )

    # --- Speech Generation ----------------------------------------------------------------------------
    syn = "LibriTTS-R_synthesis"
    tts_instr = [
        "Convert the text into speech.",
        "Please read the following sentence aloud.",
        "Could you synthesize speech for this text?",
        "Turn the text into the matching speech audio, please.",
        "Generate natural speech that says the given text.",
    ]
    series(
        "speech.tts",
        lt,
        syn,
        book,
        tts_instr,
        [
            r("train", f"text: {T1}", a(L1)),
            r("train", f"text: {T2}", f"Generated speech is: {a(L2)}", minor=VARIANT_SPELLINGS["speech.tts"]),
            r("train", f"spoken text: {T3}", a(L3)),
            r("train", f"text: {T4}", f"audio: {a(L4)}", minor=VARIANT_SPELLINGS["speech.tts"]),
        ],
    )
    series("speech.tts", lt, "LibriTTS-R_test", book, tts_instr[1:], [r("test", f"text: {T5}", a(L5))])
    series(
        "speech.tts",
        "10_ESD",
        "ESD_generation",
        studio,
        tts_instr[2:],
        [
            r("train", f"text: {ZH}", a(E5), other=zh),
            r("dev", f"text: {EN}", a(E4)),
        ],
    )

    series(
        "speech.zero_shot_tts",
        lt,
        syn,
        book,
        [
            "Synthesize the text in the voice of the speaker prompt.",
            "Please read this sentence aloud, imitating the reference speaker.",
            "Could you generate speech for the text with the same voice as the prompt?",
            "Clone the voice in the speaker audio and say the given text.",
        ],
        [
            r("train", f"text: {T2}\nspeaker_audio: {a(L1)}", a(L2)),
            r("train", f"text: {T1}\nspeaker_audio: {a(L2)}", a(L1)),
            r("train", f"text excerpt: {T2}\nspeaker prompt: {a(L1)}", f"Generated speech: {a(L2)}"),
            r("train", f"text: {T1}\nvoice sample: {a(L2)}", a(L1)),
        ],
    )
    series(
        "speech.emotional_tts",
        "10_ESD",
        "ESD_generation",
        studio,
        [
            "Synthesize the text with the given emotion.",
            "Please read the sentence aloud in the requested emotional tone.",
            "Could you generate speech that says this text with the stated emotion?",
            "Say the text, expressing the emotion given.",
        ],
        [
            r("train", f"text: {EN}\nemotion: happy", a(E2)),
            r("train", f"text: {EN}\nemotion: sad", a(E3)),
            r("train", f"text: {EN}\nemotion: neutral", a(E1)),
            r("train", f"text: {ZH}\nemotion: angry", a(E6), other=zh),
        ],
    )
    series(
        "speech.zero_shot_emotional_tts",
        "10_ESD",
        "ESD_generation",
        studio,
        [
            "Synthesize the text in the prompt speaker's voice with the given emotion.",
            "Please say the sentence like the reference speaker, in the requested emotion.",
            "Could you clone the voice in the speaker prompt and read the text with this emotion?",
            "Generate emotional speech for the text, using the voice of the reference clip.",
        ],
        [
            r("train", f"text: {EN}\nemotion: happy\nspeaker_audio: {a(E1)}", a(E2)),
            r("train", f"text: {EN}\nemotion: sad\nspeaker_audio: {a(E4)}", a(E3)),
            r("train", f"text: {ZH}\nemotion: angry\nreference voice: {a(E5)}", a(E6), other=zh),
            r("train", f"text: {EN}\nemotion: neutral\nspeaker_audio: {a(E2)}", a(E1)),
        ],
    )
    descs = {
        L1: "A woman speaks quickly in a fairly high, flat voice; very clean, close-sounding recording.",
        L2: "A female voice reading fast and evenly, recorded in a quiet room.",
        L3: "A man with a low-pitched voice speaks fast and monotonously; clean audio.",
        L4: "A woman with a moderately high voice speaks quickly and clearly.",
    }
    series(
        "speech.descriptive_tts",
        lt,
        syn,
        book,
        [
            "Synthesize the text in a voice that matches the description.",
            "Please read the sentence aloud in the speaking style described.",
            "Could you generate speech for this text that fits the given voice description?",
            "Produce speech of the text following the style description.",
        ],
        [
            r("train", f"text: {T1}\ntext_description: {descs[L1]}", a(L1)),
            r("train", f"text: {T3}\nvoice style: {descs[L3]}", a(L3)),
            r("train", f"text: {T4}\ntext_description: {descs[L4]}", a(L4)),
            r("train", f"text: {T2}\ndescriptive text: {descs[L2]}", f"Generated speech: {a(L2)}"),
        ],
    )
    series(
        "speech.spontaneous_tts",
        "16_HQ-Conversations",
        "HQ-Conversations_generation",
        unk,
        [
            "Synthesize this conversational text with natural fillers and pauses.",
            "Please read the text aloud in a spontaneous, casual way.",
            "Could you say this like in a real conversation, hesitations included?",
            "Generate spontaneous-sounding speech for the given text.",
        ],
        [
            r("train", "text: 嗯，我觉得还行吧。", a(H1), other=zh),
            r("train", "text: 呃，我们下周再聊。", a(H2), other=zh),
            r("train", "spoken text: 嗯，我觉得还行吧。", a(H1)),
            r("train", "text: 呃，我们下周再聊。", f"audio: {a(H2)}"),
        ],
    )
    series(
        "speech.voice_conversion",
        "10_ESD",
        "ESD_generation",
        studio,
        [
            "Convert the source speech into the voice of the target speaker.",
            "Please make the source utterance sound as if the reference speaker said it.",
            "Could you change the speaker of this speech to match the target voice?",
            "Transform the voice of the first audio into the voice of the second.",
        ],
        [
            r("train", f"audio: {a(E1)}\nspeaker_audio: {a(E3)}", a(E4)),
            r("train", f"audio: {a(E4)}\nspeaker_audio: {a(E2)}", a(E1)),
            r("train", f"source audio: {a(E1)}\ntarget voice: {a(E3)}", f"Converted speech: {a(E4)}"),
            r("train", f"audio: {a(E4)}\nreference voice: {a(E2)}", a(E1)),
        ],
    )
    series(
        "speech.emotion_conversion",
        "10_ESD",
        "ESD_generation",
        studio,
        [
            "Convert the emotion of this speech to the target emotion.",
            "Please re-express the utterance with the requested emotion, keeping speaker and words.",
            "Could you make this speech sound like the given emotion?",
            "Change the emotional tone of the recording as specified.",
        ],
        [
            r("train", f"audio: {a(E1)}\nemotion: happy", a(E2)),
            r("train", f"audio: {a(E4)}\nemotion: sad", a(E3)),
            r("train", f"audio: {a(E5)}\ntarget emotion: angry", a(E6), other=zh),
            r("train", f"source speech: {a(E2)}\nemotion: neutral", f"The converted speech is: {a(E1)}"),
        ],
    )
    series(
        "speech.speech_to_speech_translation",
        "15_FLEURS",
        "FLEURS_generation",
        unk,
        [],
        [
            r("train", f"audio: {a(F1)}", a(F2), instruction="Translate this English speech into French speech."),
            r("train", f"audio: {a(F2)}", a(F1), instruction="Please translate the French speech into spoken English."),
            r(
                "train",
                f"source speech: {a(F1)}",
                f"French speech: {a(F2)}",
                instruction="Could you render this recording as French speech?",
            ),
            r("train", a(F2), a(F1), instruction="Say the same thing in English."),
        ],
    )


NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def note_name(p: int) -> str:
    return f"{NOTE_NAMES[p % 12]}{p // 12 - 1}"


def hz(p: int) -> float:
    return 440.0 * 2 ** ((p - 69) / 12)


def music_records() -> None:
    M = lambda folder, own: f"{folder}_{own}"  # noqa: E731
    X1, X1F, X1B, X2 = (M("01_AAM", o) for o in ("0178_mix", "0178_Flute", "0178_ElectricBass", "2935_mix"))
    J1, J2 = M("29_JazzNet", "progressions_F_ii-V-I_0"), M("29_JazzNet", "scales_C#_dorian_0")
    G1, G2 = M("25_MTG-Jamendo", "track_0014356"), M("25_MTG-Jamendo", "track_1083412")
    FL1, FL2 = M("26_FreeSound_Loop_Dataset", "405372"), M("26_FreeSound_Loop_Dataset", "247538")
    Q1, Q2 = M("22_CCOM-HuQin", "Erhu_vibrato_D5_003"), M("22_CCOM-HuQin", "Erhu_pizzicato_D5_001")
    S1, S2 = M("33_VocalSet", "f3_long_vibrato_a"), M("33_VocalSet", "f3_long_straight_a")
    CM1, CM2 = M("20_CompMusic", "carnatic_Atana_0001_prompt"), M("20_CompMusic", "carnatic_Atana_0001_continuation")
    N1, N2, N3 = (
        M("34_NSynth", n)
        for n in ("guitar_acoustic_010-060-100", "guitar_acoustic_010-067-075", "brass_acoustic_046-055-100")
    )
    MA, MB = M("08_m4singer", "Alto-1#岁月神偷#0000"), M("08_m4singer", "Tenor-1#童话#0003")
    MC, MD = M("08_m4singer", "Tenor-1#岁月神偷#0000"), M("08_m4singer", "Alto-1#童话#0003")
    O1, O2 = M("12_Opensinger", "女声_12#3"), M("12_Opensinger", "男声_5#0")
    unk, fsd, studio, jam = ["unknown"], ["freesound"], ["studio"], ["jamendo"]
    aam, fsl, mtg, ns = "01_AAM", "26_FreeSound_Loop_Dataset", "25_MTG-Jamendo", "34_NSynth"
    fx = FACTS["aam"]
    beat, beat2 = fx["beat"], fx["beat2"]

    # --- Global MIR -----------------------------------------------------------------------------------
    key_instr = [
        "Detect the key of this music.",
        "What key is this piece in?",
        "Please identify the musical key of the given audio.",
        "Could you tell me the key and mode of this excerpt?",
        "Determine the tonal centre and mode of the music.",
    ]
    series(
        "music.key_detection",
        aam,
        "AAM_global",
        unk,
        key_instr,
        [
            r("train", f"audio: {a(X1)}", "C major"),
            r("train", f"music: {a(X2)}", "The key is D minor."),
            r("dev", f"audio: {a(X2)}", "D minor"),
        ],
    )
    series(
        "music.key_detection",
        fsl,
        "FSL_understanding",
        fsd,
        key_instr[2:],
        [
            r("train", f"audio: {a(FL1)}", "A minor"),
            r("train", f"loop: {a(FL2)}", "C major"),
        ],
    )
    series(
        "music.scale_recognition",
        "29_JazzNet",
        "JazzNet_understanding",
        unk,
        [
            "Which scale is being played?",
            "Identify the scale in this piano recording.",
            "Please name the scale played here, including its root.",
            "Could you recognise the mode of this scale?",
        ],
        [
            r("train", f"audio: {a(J2)}", "C# dorian"),
            r("train", f"audio: {a(J2)}", "dorian"),
            r("train", f"piano audio: {a(J2)}", "The scale is C# Dorian."),
            r("train", a(J2), "dorian"),
        ],
    )
    tags = {G1: "rock, energetic, electricguitar, bass, drums", G2: "classical, piano, strings, calm, relaxing"}
    series(
        "music.tagging",
        mtg,
        "MTG-Jamendo_global",
        jam,
        [
            "Give the tags that describe this track (genre, instruments, mood).",
            "Please tag this music clip.",
            "Which tags best fit this audio?",
            "Could you list suitable tags for this song excerpt?",
        ],
        [
            r("train", f"audio: {a(G1)}", tags[G1]),
            r("train", f"audio: {a(G2)}", tags[G2]),
            r("train", f"music: {a(G1)}", f"Tags: {tags[G1]}"),
            r("train", a(G2), tags[G2]),
        ],
    )
    genre_instr = [
        "What genre is this music?",
        "Classify the genre of the given track.",
        "Please identify the musical genre of this clip.",
        "Could you tell me which genre this audio belongs to?",
    ]
    series(
        "music.genre_classification",
        mtg,
        "MTG-Jamendo_global",
        jam,
        genre_instr,
        [
            r("train", f"audio: {a(G1)}", "rock"),
            r("train", f"audio: {a(G2)}", "The genre is classical."),
        ],
    )
    series(
        "music.genre_classification",
        fsl,
        "FSL_understanding",
        fsd,
        genre_instr[2:],
        [
            r("train", f"audio: {a(FL1)}", "techno"),
            r("train", f"loop: {a(FL2)}", "hip hop"),
            r("dev", f"audio: {a(FL1)}", "techno"),
        ],
    )
    series(
        "music.emotion_classification",
        mtg,
        "MTG-Jamendo_global",
        jam,
        [
            "Which moods or themes does this music express?",
            "Classify the emotion of the track.",
            "Please describe the mood of this audio with tags.",
            "Could you identify the emotional character of the music?",
        ],
        [
            r("train", f"audio: {a(G1)}", "energetic, powerful"),
            r("train", f"audio: {a(G2)}", "calm, relaxing"),
            r("train", f"music: {a(G1)}", "The mood is energetic and powerful."),
            r("train", a(G2), "calm, relaxing"),
        ],
    )
    pitch_instr = [
        "What is the MIDI pitch of this note?",
        "Please classify the pitch of the note played.",
        "Identify the pitch of this instrument note as a MIDI number.",
        "Could you tell me which note is being played?",
    ]
    series(
        "music.pitch_classification",
        ns,
        "NSynth_understanding",
        studio,
        pitch_instr,
        [
            r("train", f"audio: {a(N1)}", "60"),
            r("train", f"audio: {a(N2)}", "67"),
            r("train", f"note: {a(N3)}", "The pitch is 55."),
            r("train", a(N1), "60 (C4)"),
            r("dev", f"audio: {a(N2)}", "67"),
        ],
    )
    series(
        "music.pitch_classification", ns, "NSynth_test", studio, pitch_instr[1:], [r("test", f"audio: {a(N3)}", "55")]
    )
    inst_instr = [
        "Which instruments are playing?",
        "Identify the instrument in this recording.",
        "Please list the instruments you hear.",
        "Could you classify the instrumentation of this clip?",
    ]
    series(
        "music.instrument_classification",
        ns,
        "NSynth_understanding",
        studio,
        inst_instr,
        [
            r("train", f"audio: {a(N1)}", "guitar"),
            r("train", f"audio: {a(N3)}", "brass"),
        ],
    )
    series(
        "music.instrument_classification",
        mtg,
        "MTG-Jamendo_global",
        jam,
        inst_instr[2:],
        [
            r("train", f"audio: {a(G1)}", "electric guitar, bass, drums"),
            r("train", f"music: {a(G2)}", "piano, strings"),
        ],
    )
    series(
        "music.instrument_classification",
        aam,
        "AAM_global",
        unk,
        inst_instr[1:],
        [
            r("train", f"audio: {a(X1)}", "The instruments are piano, flute, electric bass and drums."),
        ],
    )
    series(
        "music.vocal_technique_classification",
        "33_VocalSet",
        "VocalSet_understanding",
        studio,
        [
            "Which singing technique is used here?",
            "Identify the vocal technique in this recording.",
            "Please classify the singer's technique.",
            "Could you tell me how this note is sung (technique)?",
        ],
        [
            r("train", f"audio: {a(S1)}", "vibrato"),
            r("train", f"audio: {a(S2)}", "straight"),
            r("train", f"singing: {a(S1)}", "The technique is vibrato."),
            r("train", a(S2), "straight"),
        ],
    )
    series(
        "music.instrumental_technique_classification",
        "22_CCOM-HuQin",
        "CCOM-HuQin_understanding",
        studio,
        [
            "Which playing technique is used on the erhu here?",
            "Identify the instrumental technique in this clip.",
            "Please classify how the instrument is played.",
            "Could you recognise the playing technique?",
        ],
        [
            r("train", f"audio: {a(Q1)}", "vibrato"),
            r("train", f"audio: {a(Q2)}", "pizzicato"),
            r("train", f"erhu audio: {a(Q1)}", "The playing technique is vibrato."),
            r("train", a(Q2), "pizzicato"),
        ],
    )
    series(
        "music.artist_identification",
        mtg,
        "MTG-Jamendo_global",
        jam,
        [
            "Which of the candidate artists performed this track?",
            "Identify the artist of the music from the list.",
            "Please pick the artist who made this song.",
            "Could you tell which candidate artist this excerpt belongs to?",
        ],
        [
            r("train", f"audio: {a(G1)}\ncandidates: artist_000436, artist_007718, artist_002134", "artist_000436"),
            r("train", f"audio: {a(G2)}\ncandidates: artist_000436, artist_007718, artist_002134", "artist_007718"),
            r(
                "train",
                f"music: {a(G1)}\ncandidate artists: artist_002134, artist_000436",
                "The artist is artist_000436.",
            ),
            r("train", f"audio: {a(G2)}\ncandidates: artist_007718, artist_005501", "artist_007718"),
        ],
    )

    # --- Sequential MIR ---------------------------------------------------------------------------------
    beats1 = ", ".join(f"{k * beat:.3f}" for k in range(4))
    beats2 = ", ".join(f"{k * beat2:.3f}" for k in range(3))
    bt_instr = [
        "Track the beats in this music and give their times in seconds.",
        "Please list the beat positions of the audio.",
        "Where do the beats fall in this clip?",
        "Could you annotate the beat times of the excerpt?",
    ]
    series(
        "music.beat_tracking",
        aam,
        "AAM_sequential",
        unk,
        bt_instr,
        [
            r("train", f"audio: {a(X1)}", beats1),
            r("train", f"audio: {a(X2)}", beats2),
            r("train", f"music: {a(X1)}", f"Beat times (s): {beats1}"),
            r("train", a(X2), beats2),
        ],
    )
    ch1 = ["C:maj", "G:maj", "A:min", "F:maj"]
    ch2 = ["D:min", "G:min", "A:maj"]
    chords1 = "; ".join(f"{k * beat:.3f}-{(k + 1) * beat:.3f}: {c}" for k, c in enumerate(ch1))
    chords2 = "; ".join(f"{k * beat2:.3f}-{(k + 1) * beat2:.3f}: {c}" for k, c in enumerate(ch2))
    series(
        "music.chord_estimation",
        aam,
        "AAM_sequential",
        unk,
        [
            "Estimate the chords of this music with their start and end times.",
            "Please transcribe the chord sequence with timestamps.",
            "Which chords are played, and when?",
            "Could you label the chord changes in this clip?",
        ],
        [
            r("train", f"audio: {a(X1)}", chords1),
            r("train", f"audio: {a(X2)}", chords2),
            r("train", f"music: {a(X1)}", f"Chords: {chords1}"),
            r("train", a(X2), chords2),
        ],
    )
    series(
        "music.progression_extraction",
        "29_JazzNet",
        "JazzNet_understanding",
        unk,
        [
            "Extract the chord progression of this piece in Roman numerals.",
            "What chord progression is played here?",
            "Please identify the harmonic progression in this jazz clip.",
            "Could you name the progression, as scale degrees?",
        ],
        [
            r("train", f"audio: {a(J1)}", "ii-V-I"),
            r("train", f"audio: {a(J1)}", "The progression is ii-V-I in F major (Gm7 - C7 - Fmaj7)."),
            r("train", f"piano audio: {a(J1)}", "ii-V-I"),
            r("train", a(J1), "ii - V - I"),
        ],
    )

    # --- Single Music Reasoning -------------------------------------------------------------------------
    series(
        "music.beat_level_instrument_recognition",
        aam,
        "AAM_reasoning",
        unk,
        [
            "Which instruments are playing on the given beat?",
            "Please list the instruments sounding at the indicated beat.",
            "Identify the instruments present during the specified beat of the music.",
            "Could you tell me what is playing at that beat?",
        ],
        [
            r("train", f"audio: {a(X1)}\nbeat: 1", "piano, flute, drums"),
            r("train", f"audio: {a(X1)}\nbeat: 3", "piano, electric bass, flute, drums"),
            r("train", f"music: {a(X2)}\nbeat index: 2", "strings, clarinet"),
            r("train", f"audio: {a(X2)}\nbeat: 3", "The instruments are strings, acoustic guitar and clarinet."),
        ],
    )
    m2 = fx["melody2"]
    series(
        "music.beat_level_pitch_estimation",
        aam,
        "AAM_reasoning",
        unk,
        [
            "What is the pitch of the melody on the given beat? Answer with a MIDI number.",
            "Please estimate the melody pitch at the indicated beat.",
            "Which note does the lead instrument play on this beat?",
            "Could you give the MIDI pitch of the main melody at the specified beat?",
        ],
        [
            r("train", f"audio: {a(X1)}\nbeat: 2", f"{fx['flute'][1]}"),
            r("train", f"audio: {a(X1)}\nbeat: 4", f"{fx['flute'][3]} ({note_name(fx['flute'][3])})"),
            r("train", f"music: {a(X2)}\nbeat: 1", f"{m2[0]}"),
            r("train", f"audio: {a(X2)}\nbeat index: 3", f"The pitch is {m2[2]} ({note_name(m2[2])})."),
        ],
    )

    # --- Multiple Music Reasoning -----------------------------------------------------------------------
    series(
        "music.tempo_comparison",
        fsl,
        "FSL_understanding",
        fsd,
        [],
        [
            r(
                "train",
                f"audio_sample1: {a(FL1)}\naudio_sample2: {a(FL2)}",
                "The first one.",
                instruction="Which of the two clips has the faster tempo?",
            ),
            r(
                "train",
                f"audio_sample1: {a(FL2)}\naudio_sample2: {a(FL1)}",
                "The second clip is faster (128 BPM against 90 BPM).",
                instruction="Please compare the tempo of these two loops and say which is faster.",
            ),
            r(
                "train",
                f"first loop: {a(FL1)}\nsecond loop: {a(FL2)}",
                "The second one.",
                instruction="Which clip is slower?",
            ),
            r(
                "train",
                f"audio_sample1: {a(FL2)}\naudio_sample2: {a(FL1)}",
                "No, the first is slower.",
                instruction="Is the first clip faster than the second?",
            ),
        ],
    )
    ic_instr = [
        "Are the same instruments playing in both clips? Answer yes or no.",
        "Do these two notes come from the same instrument?",
        "Please compare the instruments of the two recordings.",
        "Could you check whether both audios use the same instrument?",
    ]
    series(
        "music.instrument_comparison",
        ns,
        "NSynth_understanding",
        studio,
        ic_instr,
        [
            r("train", f"audio_sample1: {a(N1)}\naudio_sample2: {a(N2)}", "yes"),
            r("train", f"audio_sample1: {a(N1)}\naudio_sample2: {a(N3)}", "no"),
            r("train", f"first note: {a(N3)}\nsecond note: {a(N2)}", "No: the first is brass, the second is guitar."),
            r("train", f"audio_sample1: {a(N2)}\naudio_sample2: {a(N1)}", "Yes, both are acoustic guitar."),
        ],
    )
    series(
        "music.instrument_comparison",
        ns,
        "NSynth_test",
        studio,
        ic_instr[1:],
        [
            r("test", f"audio_sample1: {a(N3)}\naudio_sample2: {a(N1)}", "no"),
        ],
    )
    series(
        "music.key_comparison",
        fsl,
        "FSL_understanding",
        fsd,
        [],
        [
            r(
                "train",
                f"audio_sample1: {a(FL1)}\naudio_sample2: {a(FL2)}",
                "No.",
                instruction="Are these two pieces in the same key?",
            ),
            r(
                "train",
                f"audio_sample1: {a(FL1)}\naudio_sample2: {a(FL2)}",
                "They are relative keys: A minor and C major.",
                instruction="How are the keys of these two clips related?",
            ),
            r(
                "train",
                f"first clip: {a(FL2)}\nsecond clip: {a(FL1)}",
                "No, the first is in C major and the second in A minor.",
                instruction="Please check whether both clips share a key.",
            ),
            r(
                "train",
                f"audio_sample1: {a(FL2)}\naudio_sample2: {a(FL1)}",
                "relative major and minor",
                instruction="Could you describe the relationship between the two keys?",
            ),
        ],
    )
    series(
        "music.instrumental_technique_comparison",
        "22_CCOM-HuQin",
        "CCOM-HuQin_understanding",
        studio,
        [],
        [
            r(
                "train",
                f"audio_sample1: {a(Q1)}\naudio_sample2: {a(Q2)}",
                "No, the first uses vibrato and the second pizzicato.",
                instruction="Do both clips use the same playing technique?",
            ),
            r(
                "train",
                f"audio_sample1: {a(Q2)}\naudio_sample2: {a(Q1)}",
                "The first clip.",
                instruction="Which clip is played pizzicato?",
            ),
            r(
                "train",
                f"first clip: {a(Q1)}\nsecond clip: {a(Q2)}",
                "The first one.",
                instruction="Which of the two recordings uses vibrato?",
            ),
            r(
                "train",
                f"audio_sample1: {a(Q2)}\naudio_sample2: {a(Q1)}",
                "no",
                instruction="Please tell me whether the two erhu clips share a technique.",
            ),
        ],
    )
    series(
        "music.emotion_comparison",
        mtg,
        "MTG-Jamendo_global",
        jam,
        [],
        [
            r(
                "train",
                f"audio_sample1: {a(G1)}\naudio_sample2: {a(G2)}",
                "The first one.",
                instruction="Which of the two tracks is more energetic?",
            ),
            r(
                "train",
                f"audio_sample1: {a(G2)}\naudio_sample2: {a(G1)}",
                "The first clip is calmer.",
                instruction="Which clip sounds calmer?",
            ),
            r(
                "train",
                f"first track: {a(G1)}\nsecond track: {a(G2)}",
                "the second",
                instruction="Please say which track is more relaxing.",
            ),
            r(
                "train",
                f"audio_sample1: {a(G2)}\naudio_sample2: {a(G1)}",
                "The second track is more powerful.",
                instruction="Could you compare the two and tell which feels more powerful?",
            ),
        ],
    )

    # --- Music Caption ---------------------------------------------------------------------------------
    cap = {
        FL1: "A driving techno loop at 128 BPM: four-on-the-floor kick, off-beat open hi-hats and a pulsing synth bass in A minor.",
        FL2: "A laid-back hip hop loop at 90 BPM with warm electric piano chords (Cmaj7 to Am7) over a simple kick, snare and hi-hat groove.",
    }
    series(
        "music.caption",
        fsl,
        "FSL_understanding",
        fsd,
        [
            "Describe this music in one or two sentences.",
            "Please write a caption for the audio clip.",
            "How would you describe this piece of music?",
            "Could you give a short description of the loop (style, tempo, instruments)?",
        ],
        [
            r("train", f"audio: {a(FL1)}", cap[FL1]),
            r("train", f"audio: {a(FL2)}", cap[FL2]),
            r("train", f"music: {a(FL1)}", f"Caption: {cap[FL1]}"),
            r("train", a(FL2), cap[FL2]),
        ],
    )

    # --- Music Separation -------------------------------------------------------------------------------
    def track(melody, beat_len, hop, n):
        return "\n".join(
            f"{k * hop:.3f} {hz(melody[min(int(k * hop / beat_len + 1e-9), len(melody) - 1)]):.2f}" for k in range(n)
        )

    trk1 = track(fx["flute"], beat, 0.1, int(round(4 * beat / 0.1)))
    trk2 = track(m2, beat2, 0.2, int(round(3 * beat2 / 0.2)))
    series(
        "music.melody_extraction",
        aam,
        "AAM_separation",
        unk,
        [
            "Extract the main melody as a pitch track (time in seconds, frequency in Hz).",
            "Please give the melody's fundamental frequency at each time step.",
            "Could you transcribe the lead melody of the mixture as a pitch contour?",
            "Estimate the melody pitch over time for this music.",
        ],
        [
            r("train", f"audio: {a(X1)}", trk1),
            r("train", f"audio: {a(X2)}", trk2),
            r("train", f"mixture: {a(X1)}", f"Melody (s, Hz):\n{trk1}"),
            r("train", a(X2), trk2),
        ],
    )
    series(
        "music.text_guided_source_separation",
        aam,
        "AAM_separation",
        unk,
        [
            "Separate the named instrument from the mixture.",
            "Please extract the requested stem from this song.",
            "Could you isolate the instrument described in the text?",
            "Pull out only the given source from the music.",
        ],
        [
            r("train", f"audio: {a(X1)}\ntext: flute", a(X1F)),
            r("train", f"audio: {a(X1)}\ntext: electric bass", a(X1B)),
            r("train", f"mixture: {a(X1)}\ninstrument: flute", f"Separated flute: {a(X1F)}"),
            r("train", f"audio: {a(X1)}\ntarget source: bass", a(X1B)),
        ],
    )

    # --- Music Generation ------------------------------------------------------------------------------
    carnatic = (
        "This is a Carnatic music piece set in the atana raga. It follows the 5/8 meter and is composed in the "
        "khandaChapu taala. The lead instrument featured in this performance is sitar, accompanied by percussion."
    )
    series(
        "music.text_to_music",
        fsl,
        "FSL_generation",
        fsd,
        [
            "Generate music that matches the description.",
            "Please compose a clip following this text.",
            "Could you create music based on the given description?",
            "Write a piece of music for this prompt.",
        ],
        [
            r("train", f"text: {cap[FL1]}", a(FL1)),
            r("train", f"text: {cap[FL2]}", a(FL2)),
            r("train", f"description: {cap[FL1]}", f"audio: {a(FL1)}"),
            r("dev", "text: hip hop loop, 90 BPM, electric piano chords, kick and snare", a(FL2)),
        ],
    )
    series(
        "music.text_to_music",
        "20_CompMusic",
        "CompMusic_generation",
        unk,
        ["Generate music that matches the description."],
        [
            r("train", carnatic, a(CM1)),
        ],
    )
    tgc_instr = [
        "Please continue the audio music prompt based on the given text description.",
        "Continue this music, following the description.",
        "Could you extend the musical excerpt in the style described?",
        "Write a continuation of the music prompt that fits the text.",
    ]
    series(
        "music.text_guided_continuation",
        "20_CompMusic",
        "CompMusic_generation",
        unk,
        tgc_instr,
        [
            r("train", f"{carnatic}\naudio prompt: {a(CM1)}", f"audio: {a(CM2)}"),
            r("train", f"text: {carnatic}\naudio prompt: {a(CM1)}", a(CM2)),
            r(
                "train",
                f"description: Carnatic, raga atana, khandaChapu taala, sitar lead.\nmusic prompt: {a(CM1)}",
                a(CM2),
            ),
            r("train", f"text: sitar melody in raga atana, 5/8 meter\naudio: {a(CM1)}", f"Continuation: {a(CM2)}"),
        ],
    )
    series(
        "music.text_guided_continuation",
        "20_CompMusic",
        "CompMusic_test",
        unk,
        tgc_instr,
        [
            r("test", f"{carnatic}\naudio prompt: {a(CM1)}", f"audio: {a(CM2)}"),
        ],
    )
    os_ = FACTS["opensinger"]
    lyr1, mel1, dur1 = os_["女声_12#3"][:3]
    lyr2, mel2, dur2 = os_["男声_5#0"][:3]
    series(
        "music.lyrics_to_song",
        "12_Opensinger",
        "Opensinger_generation",
        unk,
        [
            "Sing these lyrics.",
            "Please generate a song from the given lyrics.",
            "Could you turn the lyrics into a sung melody?",
            "Compose and sing a short song with these words.",
        ],
        [
            r("train", f"lyrics: {lyr1}", a(O1), other={"language": "zh"}),
            r("train", f"lyrics: {lyr2}", a(O2), other={"language": "zh"}),
            r("train", f"text: {lyr1}", f"Generated song: {a(O1)}"),
            r("train", f"lyrics: {lyr2}", a(O2)),
        ],
    )
    notes1, notes2 = " ".join(note_name(p) for p in mel1), " ".join(note_name(p) for p in mel2)
    durs1, durs2 = " ".join(f"{d:.2f}" for d in dur1), " ".join(f"{d:.2f}" for d in dur2)
    series(
        "music.singing_voice_synthesis",
        "12_Opensinger",
        "Opensinger_generation",
        unk,
        [
            "Synthesize the singing voice for these lyrics and notes.",
            "Please sing the lyrics on the given notes and durations.",
            "Could you generate singing that follows this score?",
            "Produce a sung rendition of the lyrics with the specified melody.",
        ],
        [
            r("train", f"lyrics: {lyr1}\nnotes: {notes1}\ndurations: {durs1}", a(O1)),
            r("train", f"lyrics: {lyr2}\nnotes: {notes2}\ndurations: {durs2}", a(O2)),
            r("train", f"text: {lyr1}\nmelody: {notes1}\nnote durations (s): {durs1}", a(O1)),
            r("train", f"lyrics: {lyr2}\nnotes: {notes2}\ndurations: {durs2}", f"Singing voice: {a(O2)}"),
        ],
    )
    series(
        "music.singing_voice_conversion",
        "08_m4singer",
        "m4singer_generation",
        studio,
        [
            "Convert the singing into the voice of the target singer.",
            "Please make the source song sound like it was sung by the reference singer.",
            "Could you change the singer of this recording to match the reference voice?",
            "Transfer the source singing to the target singer's timbre.",
        ],
        [
            r("train", f"audio: {a(MA)}\nspeaker_audio: {a(MB)}", a(MC)),
            r("train", f"audio: {a(MB)}\nspeaker_audio: {a(MA)}", a(MD)),
            r("train", f"source singing: {a(MC)}\ntarget singer: {a(MD)}", a(MA)),
            r("train", f"audio: {a(MD)}\nreference singer: {a(MC)}", f"Converted singing: {a(MB)}"),
        ],
    )


def audio_records() -> None:
    S = lambda folder, own: f"{folder}_{own}"  # noqa: E731
    tau = "177_TAU_Urban_Acoustic_Scenes_2022"
    T1, T2 = S(tau, "street_traffic-helsinki-161-4901-3-a"), S(tau, "park-stockholm-112-3225-1-a")
    AS = "170_AudioSet"
    AS1, AS2, AS2L = (
        S(AS, "Y0nGL8kMb5vQ_120.000_130.000"),
        S(AS, "YbX9Zr3tWq1E_0.000_10.000"),
        S(AS, "YbX9Zr3tWq1E_0.000_10.000_lowres"),
    )
    AS3, AS4, AS5 = (
        S(AS, "Y3fKj2LpQx8s_40.000_50.000"),
        S(AS, "YqT7mN4cVb2k_20.000_30.000"),
        S(AS, "Y-hW2uR9sE5d_60.000_70.000"),
    )
    esc = "172_ESC-50"
    EDOG, EROO, ESIR = S(esc, "1-30226-A-0"), S(esc, "2-118072-A-1"), S(esc, "2-77945-A-42")
    inp = "179_Audioset_for_Audio_Inpainting"
    P1, P1G = S(inp, "Y-7pQ4sTm2dI_30.000_40.000"), S(inp, "Y-7pQ4sTm2dI_30.000_40.000_gap0.55-0.75")
    VI = S("175_Vocal_Imitation", "Dog_bark_011_imitation")
    AD1, AD2 = S("173_ADD2023", "ADD2023_T2_T_00000361"), S("173_ADD2023", "ADD2023_T2_T_00000492")
    VD = S("176_DNS_VAD", "synthetic_vad_fileid_7")
    wc = "178_WavCaps"
    WC1, WC2, WC3, WC4 = (
        S(wc, o)
        for o in ("FreeSound_512384", "FreeSound_238901", "SoundBible_1027_prompt", "SoundBible_1027_continuation")
    )
    vg = "174_VGGSound"
    VDOG, VENG, VDOG2, VMIX = (
        S(vg, o)
        for o in (
            "-2aBcD3eF4g_000030",
            "Kx9pL2mN5qR_000110",
            "8uVw1Xy2Zab_000050",
            "mix_-2aBcD3eF4g_000030_Kx9pL2mN5qR_000110",
        )
    )
    yt, unk, fsd = ["youtube"], ["unknown"], ["freesound"]
    ev = FACTS["audioset_events"]

    # --- Audio Event Recognition ------------------------------------------------------------------------
    seq = " -> ".join(e[0] for e in ev)
    series(
        "audio.sound_event_sequence_recognition",
        AS,
        "AudioSet_events",
        yt,
        [
            "List the sound events in the order they occur.",
            "Please recognise the sequence of sounds in this clip.",
            "What sounds happen here, one after another?",
            "Could you give the ordered list of audio events?",
        ],
        [
            r("train", f"audio: {a(AS1)}", seq),
            r("train", f"audio: {a(AS1)}", "Bark, Bark, Vehicle horn, car horn, honking"),
            r("train", f"sound clip: {a(AS1)}", "A dog barks twice, then a car horn honks."),
            r("train", a(AS1), f"The event sequence is: {seq}"),
        ],
    )
    ser_instr = [
        "What sound event is this?",
        "Classify the sound in this recording.",
        "Please identify the sound source of the clip.",
        "Could you tell me what is making this sound?",
    ]
    series(
        "audio.sound_event_recognition",
        esc,
        "ESC-50_understanding",
        fsd,
        ser_instr,
        [
            r("train", f"audio: {a(EDOG)}", "dog"),
            r("train", f"audio: {a(EROO)}", "rooster"),
            r("train", f"sound: {a(ESIR)}", "The sound event is siren."),
            r("train", a(EDOG), "dog"),
            r("dev", f"audio: {a(EROO)}", "rooster"),
        ],
    )
    series(
        "audio.sound_event_detection",
        AS,
        "AudioSet_events",
        yt,
        [],
        [
            r(
                "train",
                f"audio: {a(AS1)}\ntext: Bark",
                f"{ev[0][1]:.2f}-{ev[0][2]:.2f}, {ev[1][1]:.2f}-{ev[1][2]:.2f}",
                instruction="Find when the given sound event occurs. Give start and end times in seconds.",
            ),
            r(
                "train",
                f"audio: {a(AS1)}\ntext: Vehicle horn, car horn, honking",
                f"{ev[2][1]:.2f}-{ev[2][2]:.2f}",
                instruction="Please detect the onset and offset of the named event.",
            ),
            r(
                "train",
                f"audio: {a(AS2)}\nevent: Siren",
                "0.00-1.20",
                instruction="When does the siren sound in this clip?",
            ),
            r(
                "train",
                f"sound clip: {a(AS1)}\nevent: Bark",
                f"The dog barks from {ev[0][1]:.2f} s to {ev[0][2]:.2f} s and from {ev[1][1]:.2f} s to {ev[1][2]:.2f} s.",
                instruction="Could you give the time spans of the requested sound?",
            ),
        ],
    )
    asc_instr = [
        "Classify the acoustic scene of this recording.",
        "Where was this audio recorded?",
        "Please identify the acoustic environment.",
        "Could you tell me which scene this clip comes from?",
    ]
    series(
        "audio.acoustic_scene_classification",
        tau,
        "TAU2022_scenes",
        unk,
        asc_instr,
        [
            r("train", f"audio: {a(T1)}", "street_traffic"),
            r("train", f"audio: {a(T2)}", "park"),
            r("train", f"recording: {a(T1)}", "The acoustic scene is street traffic."),
            r("train", a(T2), "park"),
            r("dev", f"audio: {a(T1)}", "street_traffic"),
        ],
    )
    series(
        "audio.acoustic_scene_classification",
        tau,
        "TAU2022_scenes_test",
        unk,
        asc_instr[2:],
        [r("test", f"audio: {a(T2)}", "park")],
    )

    # --- Audio Caption ---------------------------------------------------------------------------------
    caps = {
        AS1: "A dog barks twice and then a car horn honks.",
        AS2: "A siren wails, rising and falling in pitch.",
        AS3: "A man speaks briefly in a small room.",
        AS4: "A short, bright piano melody plays over a low bass note.",
        AS5: "Wind blows with a low, steady rumble.",
    }
    series(
        "audio.caption",
        AS,
        "AudioSet_caption",
        yt,
        [
            "Describe the audio in one sentence.",
            "Please write a caption for this sound clip.",
            "What can be heard in this recording?",
            "Could you give a short description of the audio?",
        ],
        [
            r("train", f"audio: {a(AS1)}", caps[AS1]),
            r("train", f"audio: {a(AS2)}", caps[AS2]),
            r("train", f"sound: {a(AS3)}", f"Caption: {caps[AS3]}"),
            r("train", a(AS5), caps[AS5]),
            r("dev", f"audio: {a(AS4)}", caps[AS4]),
        ],
    )

    # --- Audio Advanced Understanding -------------------------------------------------------------------
    series(
        "audio.sound_event_understanding",
        "175_Vocal_Imitation",
        "VocalImitation_understanding",
        unk,
        [],
        [
            r("train", f"audio: {a(VI)}", "A dog barking.", instruction="What sound is the person imitating?"),
            r("train", f"audio: {a(VI)}", "Twice.", instruction="How many times does the imitated sound repeat?"),
            r(
                "train",
                f"audio: {a(VI)}",
                "An animal: it imitates a dog.",
                instruction="Is this a vocal imitation of an animal or a machine?",
            ),
            r(
                "train",
                f"imitation: {a(VI)}\nquestion: Does this imitate a siren?",
                "No, it imitates a dog barking.",
                instruction="Answer the question about the vocal imitation.",
            ),
        ],
    )

    # --- Audio Detection ---------------------------------------------------------------------------------
    series(
        "audio.deepfake_detection",
        "173_ADD2023",
        "ADD2023_detection",
        unk,
        [
            "Is this audio real or fake?",
            "Please detect whether the speech was generated by a machine.",
            "Could you tell if this recording is genuine?",
            "Classify the audio as real or fake.",
        ],
        [
            r("train", f"audio: {a(AD1)}", "real"),
            r("train", f"audio: {a(AD2)}", "fake"),
            r("train", f"recording: {a(AD1)}", "The audio is genuine (real)."),
            r("train", a(AD2), "fake"),
        ],
    )
    v0, v1, vlen = FACTS["vad"]
    vad_instr = [
        "Detect the speech segments in this audio.",
        "Please mark where someone is speaking (start-end in seconds).",
        "When is there voice activity in this recording?",
        "Could you give the time spans that contain speech?",
    ]
    series(
        "audio.voice_activity_detection",
        "176_DNS_VAD",
        "DNS_VAD_understanding",
        unk,
        vad_instr,
        [
            r("train", f"audio: {a(VD)}", f"{v0:.2f}-{v1:.2f}"),
            r("train", f"noisy audio: {a(VD)}", f"Speech from {v0:.2f} s to {v1:.2f} s."),
            r("train", a(VD), f"[{v0:.2f}, {v1:.2f}]"),
            r("train", f"audio: {a(VD)}", f"speech: {v0:.2f}-{v1:.2f}"),
        ],
    )

    # --- Audio Classification ---------------------------------------------------------------------------
    series(
        "audio.speech_music_noise_classification",
        AS,
        "AudioSet_classification",
        yt,
        [
            "Is this clip speech, silence, music or noise?",
            "Please classify the audio as speech, silence, music or noise.",
            "Which category fits this recording best: speech, silence, music or noise?",
            "Could you tell whether this is speech, music, noise or silence?",
        ],
        [
            r("train", f"audio: {a(AS3)}", "speech"),
            r("train", f"audio: {a(AS4)}", "music"),
            r("train", f"audio: {a(AS5)}", "noise"),
            r("train", a(AS1), "The category is noise."),
        ],
    )
    w0, w1, wlen = FACTS["wavcaps_speech"]
    series(
        "audio.speech_nonspeech_detection",
        wc,
        "WavCaps_understanding",
        fsd,
        [
            "Mark the speech and non-speech segments in this audio.",
            "Please detect which parts of the clip contain speech.",
            "Where is speech, and where is there no speech, in this recording?",
            "Could you segment the audio into speech and non-speech?",
        ],
        [
            r(
                "train",
                f"audio: {a(WC1)}",
                f"non-speech: 0.00-{w0:.2f}; speech: {w0:.2f}-{w1:.2f}; non-speech: {w1:.2f}-{wlen:.2f}",
            ),
            r("train", f"audio: {a(WC2)}", f"non-speech: 0.00-{wlen:.2f}"),
            r("train", f"sound clip: {a(WC1)}", f"Speech from {w0:.2f} s to {w1:.2f} s; the rest is non-speech."),
            r("train", a(WC2), "There is no speech in this clip."),
        ],
    )

    # --- Audio Enhancement --------------------------------------------------------------------------------
    inpaint_instr = [
        "Fill in the missing part of this audio.",
        "Please inpaint the gap in the recording.",
        "Could you restore the silent gap so the audio sounds continuous?",
        "Reconstruct the missing segment between 0.55 s and 0.75 s.",
    ]
    series(
        "audio.inpainting",
        inp,
        "AudioSet_inpainting",
        yt,
        inpaint_instr,
        [
            r("train", f"audio: {a(P1G)}", a(P1)),
            r("train", f"audio with gap: {a(P1G)}", a(P1)),
            r("train", a(P1G), f"Inpainted audio: {a(P1)}"),
            r("train", f"audio: {a(P1G)}", a(P1)),
        ],
    )
    series(
        "audio.inpainting",
        inp,
        "AudioSet_inpainting_test",
        yt,
        inpaint_instr[1:],
        [r("test", f"audio: {a(P1G)}", a(P1))],
    )
    sr_ = VARIANT_SPELLINGS["audio.super_resolution"]
    sr_instr = [
        "Please increase the resolution of the given audio signal to 16k Hz.",
        "Upsample this low-resolution audio and restore its high frequencies.",
        "Could you enhance this band-limited clip to full bandwidth?",
        "Recover the high-resolution version of this sound.",
    ]
    series(
        "audio.super_resolution",
        AS,
        "AudioSet_enhancement",
        yt,
        sr_instr,
        [
            r("train", f"audio: {a(AS2L)}.", a(AS2), minor=sr_, major="Sound Generation"),
            r("train", f"audio: {a(AS2L)}", a(AS2)),
            r("train", f"low-resolution audio: {a(AS2L)}", f"audio: {a(AS2)}", minor=sr_, major="Sound Generation"),
            r("train", a(AS2L), a(AS2)),
        ],
    )

    # --- Audio Separation ------------------------------------------------------------------------------
    series(
        "audio.text_guided_source_separation",
        wc,
        "WavCaps_generation",
        fsd,
        [
            "Separate the sound described by the text from the mixture.",
            "Please extract the described source from this audio.",
            "Could you isolate the sound that matches the description?",
            "Keep only the sound mentioned in the text.",
        ],
        [
            r("train", f"audio: {a(WC1)}\ntext: birds chirping", a(WC2)),
            r("train", f"mixture: {a(WC1)}\ndescription: birds singing in the background", a(WC2)),
            r("train", f"audio: {a(WC1)}\ntext_description: the chirping of small birds", f"Separated audio: {a(WC2)}"),
            r("train", a(WC1) + "\ntext: bird calls", a(WC2)),
        ],
    )
    series(
        "audio.label_querying_sound_extraction",
        vg,
        "VGGSound_extraction",
        yt,
        [
            "Extract the sound of the given class from the mixture.",
            "Please pull out the labelled sound from this audio.",
            "Could you isolate the sound event named by the label?",
            "Separate the requested sound class from the mix.",
        ],
        [
            r("train", f"audio: {a(VMIX)}\nlabel: dog barking", a(VDOG)),
            r("train", f"audio: {a(VMIX)}\nlabel: car engine idling", a(VENG)),
            r("train", f"mixture: {a(VMIX)}\nclass: dog barking", f"Extracted sound: {a(VDOG)}"),
            r("train", f"audio: {a(VMIX)}\nlabel: car engine idling", a(VENG)),
        ],
    )
    series(
        "audio.audio_querying_sound_extraction",
        vg,
        "VGGSound_extraction",
        yt,
        [
            "Extract the sound in the mixture that resembles the query audio.",
            "Please isolate the source that sounds like the reference clip.",
            "Could you separate the sound matching the example recording?",
            "Use the query clip to pull the similar sound out of the mixture.",
        ],
        [
            r("train", f"audio: {a(VMIX)}\nquery audio: {a(VDOG2)}", a(VDOG)),
            r("train", f"mixture: {a(VMIX)}\nreference: {a(VDOG2)}", a(VDOG)),
            r("train", f"audio: {a(VMIX)}\nquery audio: {a(VDOG2)}", f"Extracted sound: {a(VDOG)}"),
            r("train", f"audio: {a(VMIX)}\nreference clip: {a(VDOG2)}", a(VDOG)),
        ],
    )

    # --- Audio Generation -----------------------------------------------------------------------------
    series(
        "audio.text_to_audio",
        AS,
        "AudioSet_generation",
        yt,
        [
            "Generate audio that matches the description.",
            "Please create a sound clip from this text.",
            "Could you produce the sound described?",
            "Synthesize audio for the following caption.",
        ],
        [
            r("train", f"text: {caps[AS1]}", a(AS1)),
            r("train", f"text: {caps[AS2]}", a(AS2)),
            r("train", f"description: {caps[AS5]}", f"audio: {a(AS5)}"),
            r("train", f"text: {caps[AS3]}", a(AS3)),
            r("dev", f"text: {caps[AS4]}", a(AS4)),
        ],
    )
    grounded = "; ".join(f"{name} at {t0:.2f}-{t1:.2f} s" for name, t0, t1 in ev)
    series(
        "audio.time_grounded_text_to_audio",
        AS,
        "AudioSet_generation",
        yt,
        [
            "Generate audio with the events at the given times.",
            "Please create a clip where each sound happens in its time span.",
            "Could you synthesize this timed sound scene?",
            "Produce audio following the event timeline.",
        ],
        [
            r("train", f"text: {grounded}", a(AS1)),
            r("train", "text: Siren at 0.00-1.20 s", a(AS2)),
            r(
                "train",
                f"timeline: dog barks at {ev[0][1]:.2f} s and {ev[1][1]:.2f} s, car horn at {ev[2][1]:.2f}-{ev[2][2]:.2f} s",
                a(AS1),
            ),
            r("train", "text: Siren from 0.00 s to 1.20 s", f"audio: {a(AS2)}"),
        ],
    )
    series(
        "audio.continuation",
        wc,
        "WavCaps_generation",
        fsd,
        [
            "Continue this audio.",
            "Please generate what comes next in the recording.",
            "Could you extend the audio prompt naturally?",
            "Write a continuation of the given sound.",
        ],
        [
            r("train", f"audio: {a(WC3)}", a(WC4)),
            r("train", f"audio prompt: {a(WC3)}", a(WC4)),
            r("train", a(WC3), f"Continuation: {a(WC4)}"),
            r("train", f"audio: {a(WC3)}", a(WC4)),
        ],
    )


# ----------------------------------------------------------------------------------------------------------
# Writing the metadata
# ----------------------------------------------------------------------------------------------------------
# One folder writes its JSON with \u escapes (json.dumps' default), the others as UTF-8: both occur in the wild.
ASCII_JSON_FOLDERS = {"16_HQ-Conversations"}


def write_metadata() -> None:
    files: dict[Path, list[dict]] = defaultdict(list)
    for cfg, folder, stem, record in RECORDS:
        domain, ug = cfg.split(".")[0], TASKS[cfg][2]
        split_folder = "test" if record["split"] == ["test"] else "train_dev"
        path = RELEASE / "metadata" / domain / ug / split_folder / folder / "jsonl" / f"{stem}.jsonl"
        files[path].append(record)
    for path, records in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        ascii_only = path.parts[-3] in ASCII_JSON_FOLDERS
        path.write_text("".join(json.dumps(rec, ensure_ascii=ascii_only) + "\n" for rec in records), encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------
# Checks (run at the end of every generation)
# ----------------------------------------------------------------------------------------------------------
def normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def check_size(problems: list[str]) -> int:
    """The bytes of the sample's files (tests/sample_budget.py): a problem at the ceiling, a warning over the
    working target; ``du -sb``'s figure, which adds 4 KB per directory, is printed beside it."""
    size = file_bytes(SAMPLE)
    if size >= SIZE_LIMIT:
        problems.append(f"sample files hold {size:,} bytes (ceiling {SIZE_LIMIT:,}, target {SIZE_TARGET:,})")
    elif size >= SIZE_TARGET:
        print(f"warning: sample files hold {size:,} bytes, over the {SIZE_TARGET:,} working target", file=sys.stderr)
    print(f"sample size: {size:,} bytes in files ({tree_size(SAMPLE):,} by du -sb, directories included)")
    return size


def check_tasks_md() -> None:
    tasks_md = REPO.parent / "shared" / "TASKS.md"
    if not tasks_md.is_file():
        print(f"note: {tasks_md} not found; task table not cross-checked")
        return
    found = {}
    for line in tasks_md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"(speech|music|audio)\.[a-z0-9_]+", cells[0]):
            found[cells[0]] = (cells[1], cells[2], U if cells[3].startswith("U") else G)
    assert found == TASKS, f"TASKS table differs from {tasks_md}: {set(found.items()) ^ set(TASKS.items())}"


def check(problems: list[str]) -> None:
    check_tasks_md()
    assert len(TASKS) == 80

    # scp files: every line resolves to an existing file inside the release root
    scp_map: dict[str, Path] = {}
    for scp in sorted((RELEASE / "scp_files").glob("*/*.scp")):
        for line_no, line in enumerate(scp.read_text(encoding="utf-8").splitlines(), 1):
            audio_id, rel = line.split(" ", 1)
            hits = [base / rel for base in (RELEASE, RELEASE / "audio_files") if (base / rel).is_file()]
            if not hits or ".." in Path(rel).parts or Path(rel).is_absolute():
                problems.append(f"{scp.name}:{line_no}: {rel} does not resolve")
                continue
            if audio_id in scp_map:
                problems.append(f"{scp.name}:{line_no}: duplicate audio id {audio_id}")
            scp_map[audio_id] = hits[0]
    styles = {
        scp.stem: scp.read_text(encoding="utf-8").split(" ", 1)[1].startswith("audio_files/")
        for scp in (RELEASE / "scp_files").glob("*/*.scp")
    }
    if sorted(k for k, v in styles.items() if not v) != [SCP_RELATIVE_TO_AUDIO_FILES]:
        problems.append(f"scp path styles: {styles}")

    # every wav under audio_files is listed in an scp, and is 16 kHz mono 16-bit
    listed = {p.resolve() for p in scp_map.values()}
    for wav in (RELEASE / "audio_files").rglob("*.wav"):
        info = sf.info(wav)
        if (info.samplerate, info.channels, info.subtype) != (SR, 1, "PCM_16"):
            problems.append(f"{wav}: {info.samplerate} Hz, {info.channels} ch, {info.subtype}")
        if wav.resolve() not in listed:
            problems.append(f"{wav}: in no scp file")

    # records: fields, references, uuids, coverage
    keys = ["instruction", "input", "output", "uuid", "split", "task_type", "domain", "source", "other"]
    names = {
        cfg: {normalise(minor)} | ({normalise(VARIANT_SPELLINGS[cfg])} if cfg in VARIANT_SPELLINGS else set())
        for cfg, (minor, _, _) in TASKS.items()
    }
    counts: Counter = Counter()
    split_domains: dict[str, set] = defaultdict(set)
    split_tasks: dict[str, set] = defaultdict(set)
    uuids: Counter = Counter()
    audio_ref = re.compile(r"<\|SOA\|>(.*?)<\|EOA\|>")
    n_records = 0
    for path in sorted((RELEASE / "metadata").rglob("*.jsonl")):
        domain, ug, split_folder, folder = path.relative_to(RELEASE / "metadata").parts[:4]
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(RELEASE)}:{line_no}"
            rec = json.loads(line)
            n_records += 1
            if list(rec) != keys:
                problems.append(f"{where}: fields {list(rec)}")
            tt = rec["task_type"]
            if list(tt) != ["major", "minor", "U/G", "unseen"] or tt["U/G"] != [ug] or tt["unseen"] is not False:
                problems.append(f"{where}: task_type {tt}")
            if (
                rec["domain"] != domain
                or not isinstance(rec["source"], list)
                or not (rec["other"] is None or isinstance(rec["other"], dict))
            ):
                problems.append(f"{where}: domain/source/other")
            (split,) = rec["split"]
            if (split == "test") != (split_folder == "test"):
                problems.append(f"{where}: split {split} in {split_folder}")
            uuids[rec["uuid"]] += 1
            for ref in audio_ref.findall(rec["input"]) + audio_ref.findall(rec["output"]):
                if ref not in scp_map:
                    problems.append(f"{where}: audio id {ref} not in any scp")
            matches = [cfg for cfg in TASKS if cfg.startswith(domain + ".") and normalise(tt["minor"][0]) in names[cfg]]
            if len(matches) != 1:
                problems.append(f"{where}: minor {tt['minor']} matches {matches}")
                continue
            cfg = matches[0]
            if TASKS[cfg][2] != ug:
                problems.append(f"{where}: {cfg} filed under {ug}")
            out_refs = audio_ref.findall(rec["output"])
            audio_out = cfg in ("speech.speaker_extraction",) or (
                ug == G and cfg not in ("speech.snr_estimation", "music.melody_extraction")
            )
            if bool(out_refs) != audio_out:
                problems.append(f"{where}: {cfg} output {'lacks' if audio_out else 'has'} an audio reference")
            counts[(cfg, split)] += 1
            split_domains[split].add(domain)
            split_tasks[split].add(cfg)
    problems += [f"uuid {u} used {n} times" for u, n in uuids.items() if n > 1]
    problems += [f"{cfg}: {counts[(cfg, 'train')]} train records" for cfg in TASKS if counts[(cfg, "train")] < 4]
    for split in ("dev", "test"):
        n = sum(v for (c, s), v in counts.items() if s == split)
        if n < 10 or split_domains[split] != {"speech", "music", "audio"} or len(split_tasks[split]) < 5:
            problems.append(f"{split}: {n} records over {sorted(split_domains[split])}")

    # the corpus copies
    libri = SAMPLE / "LibriTTS_R"
    speakers = [l for l in (libri / "SPEAKERS.txt").read_text(encoding="utf-8").splitlines() if not l.startswith(";")]
    spk_dirs = {p.name for sub in ("train-clean-100", "dev-clean", "test-clean") for p in (libri / sub).iterdir()}
    if {l.split("|")[0].strip() for l in speakers} != spk_dirs:
        problems.append("LibriTTS_R: SPEAKERS.txt rows differ from the speaker folders")
    for trans in libri.rglob("*.trans.tsv"):
        for line in trans.read_text(encoding="utf-8").splitlines():
            uid, original, normalized = line.split("\t")
            wav = trans.parent / f"{uid}.wav"
            info = sf.info(wav)
            if (info.samplerate, info.channels, info.subtype) != (24000, 1, "PCM_16"):
                problems.append(f"{wav}: not 24 kHz mono 16-bit")
            if (trans.parent / f"{uid}.normalized.txt").read_text(encoding="utf-8") != normalized:
                problems.append(f"{uid}: normalized text differs")
        for line in trans.with_name(trans.name.replace(".trans.", ".book.")).read_text(encoding="utf-8").splitlines():
            if len(line.split("\t")) != 7:
                problems.append(f"{trans}: book.tsv line with {len(line.split(chr(9)))} fields")
    esc = SAMPLE / "ESC-50-master"
    rows = (esc / "meta" / "esc50.csv").read_text(encoding="utf-8").splitlines()
    if rows[0] != "filename,fold,target,category,esc10,src_file,take" or {r.split(",")[0] for r in rows[1:]} != {
        p.name for p in (esc / "audio").iterdir()
    }:
        problems.append("ESC-50: esc50.csv and audio/ differ")
    ns = SAMPLE / "nsynth-test"
    examples = json.loads((ns / "examples.json").read_text(encoding="utf-8"))
    if set(examples) != {p.stem for p in (ns / "audio").iterdir()}:
        problems.append("NSynth: examples.json and audio/ differ")
    fams = Counter(v["instrument_family_str"] for v in examples.values())
    if sum(1 for n in fams.values() if n >= 2) < 3:
        problems.append(f"NSynth families: {fams}")

    size = check_size(problems)
    if problems:
        sys.exit("make_sample: checks failed:\n  " + "\n  ".join(problems))
    per_split = Counter(s for (_, s), v in counts.items() for _ in range(v))
    print(
        f"ok: {n_records} records ({dict(per_split)}), {len(CLIPS)} release clips, "
        f"{len(TASKS)} configs with >= 4 train records, sample {size:,} bytes"
    )


def corpus_modules(names: list[str] | None = None) -> list[ModuleType]:
    """The sample writers of ``scripts/sample_corpora/`` (one module per corpus parser), in name order."""
    found = {p.stem: p for p in sorted(CORPORA.glob("[!_]*.py"))}
    unknown = sorted(set(names or ()) - set(found))
    if unknown:
        sys.exit(f"no sample writer {', '.join(unknown)} in {CORPORA}; there are: {', '.join(found)}")
    modules = []
    for name in names or sorted(found):
        spec = importlib.util.spec_from_file_location(f"sample_corpora.{name}", found[name])
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        missing = [a for a in ("FOLDERS", "make") if not hasattr(module, a)]
        if missing:
            sys.exit(f"{found[name]}: a sample writer defines FOLDERS and make(sample, tools); missing {missing}")
        modules.append(module)
    return modules


def build_corpora(modules: list[ModuleType]) -> list[str]:
    """Run each writer into its own folders (deleted first), then its checks; returns the problems found."""
    problems: list[str] = []
    tools = sys.modules[__name__]
    for module in modules:
        for folder in module.FOLDERS:
            if not folder or "/" in folder or folder in BUILTIN_FOLDERS:
                sys.exit(f"{module.__file__}: FOLDERS entry {folder!r} is not a new top-level sample folder")
            shutil.rmtree(SAMPLE / folder, ignore_errors=True)
        module.make(SAMPLE, tools)
        if hasattr(module, "check"):
            problems += [f"{module.__name__}: {p}" for p in module.check(SAMPLE)]
    return problems


BUILTIN_FOLDERS = (
    "release",
    "LibriTTS_R",
    "ESC-50-master",
    "nsynth-test",
    "AudioSet",
    "VCTK-Corpus-0.92",
    "cv-corpus-17.0-2024-03-15",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        action="append",
        metavar="PARSER",
        help="regenerate only this corpus copy (a module of scripts/sample_corpora/; repeatable), nothing else",
    )
    args = parser.parse_args()
    check_tools()
    SAMPLE.mkdir(parents=True, exist_ok=True)
    if args.only:
        try:
            problems = build_corpora(corpus_modules(args.only))
        finally:
            shutil.rmtree(TMP, ignore_errors=True)
        size = check_size(problems)
        if problems:
            sys.exit("make_sample: checks failed:\n  " + "\n  ".join(problems))
        print(f"ok: {', '.join(args.only)} written; sample {size:,} bytes")
        return
    for sub in BUILTIN_FOLDERS:
        shutil.rmtree(SAMPLE / sub, ignore_errors=True)
    try:
        build_libritts()
        build_esc50()
        build_nsynth()
        build_audioset_strong()
        build_vctk()
        build_common_voice()
        build_speech_clips()
        build_music_clips()
        build_audio_clips()
        write_clips()
        speech_records()
        music_records()
        audio_records()
        write_metadata()
        problems = build_corpora(corpus_modules())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    check(problems)


if __name__ == "__main__":
    main()
