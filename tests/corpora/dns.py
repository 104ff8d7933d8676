"""DNS Challenge 4/5 fullband in its unpacked layout (``datasets_fullband/``): clean speech of several subsets,
noise clips, SLR26 simulated and SLR28 real impulse responses (with one of SLR28's isotropic noise recordings,
which is not a response), 48 kHz, plus macOS debris. The corpus has no metadata files: it is its folders.

Speech-like clean audio (harmonic tones under a syllable-rate envelope), white noise, and impulse responses that
are a delayed direct path followed by an exponentially decaying tail, so the physics tests can measure them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from audio_flan.prompts import stable_int

from .common import Corpus, apple_double

RATE = 48000
RIR_RATE = 16000  # SLR28's real responses are 16 kHz
#: does this corpus have metadata files? (the conformance suite checks folder-listed corpora differently)
METADATA = False
CLEAN_SECONDS = 0.6
NOISE_SECONDS = 1.5
RIR_DELAY_SECONDS = 0.004  # the direct path of the fixture's responses arrives 4 ms in
CLEAN = [
    "read_speech/book_00012_chp_0003_reader_01017_0.wav",
    "read_speech/book_00012_chp_0003_reader_01017_1.wav",
    "read_speech/book_00200_chp_0011_reader_04410_5.wav",
    "read_speech/book_00301_chp_0001_reader_08822_2.wav",
    "read_speech/book_00302_chp_0020_reader_00150_7.wav",
    "read_speech/book_00415_chp_0002_reader_02233_3.wav",
    "read_speech/book_00511_chp_0006_reader_07705_9.wav",
    "read_speech/book_00612_chp_0004_reader_03390_1.wav",
    "german_speech/german_speech_0012.wav",
    "vctk_wav48_silence_trimmed/p225/p225_001_mic1.wav",
    "vctk_wav48_silence_trimmed/p226/p226_004_mic1.wav",
    "VocalSet_48kHz_mono/female2/arpeggios/f2_arpeggios_belt_a.wav",
]
NOISE = ["door_Freesound_validated_380937_0.wav", "--2AYuFj9pg_AudioSet_Speech.wav", "rain_AudioSet_1.wav"]
RIRS = [
    ("SLR26/simulated_rirs_48k/smallroom/Room001/Room001-00001.wav", RATE, 0.15),
    ("SLR26/simulated_rirs_48k/largeroom/Room012/Room012-00004.wav", RATE, 0.5),
    ("SLR28/RIRS_NOISES/real_rirs_isotropic_noises/air_type1_air_binaural_lecture_1_1.wav", RIR_RATE, 0.4),
]
SLR28_NOISE = "SLR28/RIRS_NOISES/real_rirs_isotropic_noises/RVB2014_type1_noise_largeroom1_1.wav"
LANGUAGES = {"read_speech": "en", "german_speech": "de", "vctk_wav48_silence_trimmed": "en", "VocalSet_48kHz_mono": ""}


def speech_like(seconds: float, seed: int, rate: int = RATE) -> np.ndarray:
    """Harmonics of a drifting pitch under a 4 Hz syllable envelope, plus a little breath noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    f0 = 110 + 40 * seed % 90 + 20 * np.sin(2 * np.pi * 1.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 4 * t + seed), 0, None) ** 2
    x = 0.25 * voice * envelope + 0.02 * rng.standard_normal(t.size) * envelope
    return x.astype(np.float32)


def impulse_response(rate: int, seconds: float, seed: int) -> np.ndarray:
    """A direct path at RIR_DELAY_SECONDS (the largest sample), then a decaying diffuse tail."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    delay = int(RIR_DELAY_SECONDS * rate)
    h = np.zeros(n)
    tail = np.arange(n - delay - 1)
    h[delay + 1 :] = 0.03 * rng.standard_normal(tail.size) * np.exp(-tail / (0.04 * rate))  # DRR about 0 dB
    h[delay] = 1.0
    h[: delay - 1] = 0.001 * rng.standard_normal(delay - 1)  # a little noise before the direct sound
    return (0.8 * h / np.abs(h).max()).astype(np.float32)


def expected_split(subset: str, speaker: str) -> str:
    """The documented rule: BLAKE2 of (subset, speaker) mod 100 -> train < 90 <= validation < 95 <= test."""
    bucket = stable_int("dns split", subset, speaker) % 100
    return "train" if bucket < 90 else "validation" if bucket < 95 else "test"


def speaker(rel: str) -> str:
    parts = rel.split("/")
    name = parts[-1]
    if "_reader_" in name:
        return "reader_" + name.split("_reader_")[1].split("_")[0]
    return parts[1] if len(parts) > 2 else name[:-4]


def write(root: Path, clean=CLEAN, noise=NOISE, rirs=RIRS) -> dict:
    expected = {}
    for k, rel in enumerate(clean):
        path = root / "clean_fullband" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, speech_like(CLEAN_SECONDS, k), RATE, subtype="PCM_16")
        subset = rel.split("/")[0]
        expected[rel[:-4]] = {
            "split": expected_split(subset, speaker(rel)),
            "audio": str(path),
            "subset": subset,
            "speaker": speaker(rel),
            "language": LANGUAGES[subset],
        }
    for k, name in enumerate(noise):
        path = root / "noise_fullband" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = 0.05 * np.random.default_rng(100 + k).standard_normal(int(NOISE_SECONDS * RATE))
        sf.write(path, data.astype(np.float32), RATE, subtype="PCM_16")
    for k, (rel, rate, seconds) in enumerate(rirs):
        path = root / "impulse_responses" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, impulse_response(rate, seconds, k), rate, subtype="PCM_16")
    return expected


def build(base: Path) -> Corpus:
    root = base / "datasets_fullband"
    expected = write(root)
    isotropic = root / "impulse_responses" / SLR28_NOISE
    sf.write(isotropic, 0.05 * np.random.default_rng(7).standard_normal(RIR_RATE).astype(np.float32), RIR_RATE)
    apple_double(root / "clean_fullband" / CLEAN[0])
    apple_double(root / "noise_fullband" / NOISE[0])
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, None]:
    """DNS has no metadata to spoil: put debris where a copy collects it (a text note, a dot file, an
    AppleDouble, a folder named like audio); the listing must not change."""
    folder = corpus.root / "clean_fullband" / "read_speech"
    (folder / "README.txt").write_text("notes\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "empty.wav").mkdir()
    return folder, None


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = CLEAN[1][:-4]
    Path(corpus.expected[rid]["audio"]).unlink()
    return corpus.expected[rid]["split"], rid
