"""NSynth as the ``nsynth-{train,valid,test}.jsonwav.tar.gz`` archives extract: ``nsynth-<split>/examples.json``
(one JSON object keyed by note_str, indented by 4, every key the published file has) and
``nsynth-<split>/audio/<note_str>.wav`` (16 kHz mono PCM_16)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from audio_flan.sources.nsynth import FAMILIES, SOURCES

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
QUALITIES = [
    "bright",
    "dark",
    "distortion",
    "fast_decay",
    "long_release",
    "multiphonic",
    "nonlinear_env",
    "percussive",
    "reverb",
    "tempo-synced",
]
SPLIT_FOLDERS = {"nsynth-train": "train", "nsynth-valid": "validation", "nsynth-test": "test"}


def note_str(family: str, source: str, number: int, pitch: int, velocity: int) -> str:
    return f"{family}_{source}_{number:03d}-{pitch:03d}-{velocity:03d}"


def note(
    family: str, source: str, number: int, instrument: int, pitch: int, velocity: int, sample_id: int, qualities
) -> dict:
    """One examples.json value, keys in the published file's order."""
    return {
        "qualities": [int(q in qualities) for q in QUALITIES],
        "pitch": pitch,
        "note": sample_id,  # a unique sample id, never the pitch
        "instrument_source_str": source,
        "velocity": velocity,
        "instrument_str": f"{family}_{source}_{number:03d}",
        "instrument": instrument,
        "sample_rate": RATE,
        "qualities_str": [q for q in QUALITIES if q in qualities],
        "instrument_source": SOURCES.index(source),
        "note_str": note_str(family, source, number, pitch, velocity),
        "instrument_family": FAMILIES.index(family),
        "instrument_family_str": family,
    }


def write_split(folder: Path, notes: Mapping[str, dict], audio: Mapping[str, bytes]) -> None:
    """``folder/examples.json`` and ``folder/audio/<note_str>.wav`` for the notes that have audio."""
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    (folder / "examples.json").write_text(
        json.dumps(dict(notes), indent=4, separators=(", ", ": "), ensure_ascii=False), encoding="utf-8"
    )
    for key, wav in audio.items():
        (folder / "audio" / f"{key}.wav").write_bytes(wav)


def pitch_wav(pitch: int, seconds: float = 0.05) -> bytes:
    return wav_bytes(signal(RATE, seconds, 440.0 * 2 ** ((pitch - 69) / 12)), RATE)


# ----------------------------------------------------------------------------------------- the test copy

VELOCITIES = [25, 50, 75, 100, 127]
TEST_FAMILIES = ["guitar", "keyboard", "synth_lead", "bass", "string", "vocal", "mallet", "brass"]


def make_notes(count: int, offset: int) -> dict:
    """``count`` notes keyed by note_str, spread over families, sources, pitches and velocities."""
    notes = {}
    for i in range(count):
        j = offset + i
        family, source, number = TEST_FAMILIES[j % 8], SOURCES[j % 3], j % 5
        pitch, velocity = 24 + (j * 7) % 80, VELOCITIES[j % 5]
        qualities = [q for b, q in enumerate(QUALITIES) if (j >> b) & 1 and b % 3 == 0]
        instrument = 100 + FAMILIES.index(family) * 10 + number
        value = note(family, source, number, instrument, pitch, velocity, 200000 + 37 * j, qualities)
        notes.setdefault(value["note_str"], value)
    return notes


def expected_of(folder: Path, notes: Mapping[str, dict], split: str) -> dict:
    return {
        key: {
            "audio": str(folder / "audio" / f"{key}.wav"),
            "pitch": str(n["pitch"]),
            "note": n["note"],
            "velocity": n["velocity"],
            "instrument": n["instrument_str"],
            "instrument_family": n["instrument_family_str"],
            "instrument_source": n["instrument_source_str"],
            "qualities": ", ".join(n["qualities_str"]),
            "split": split,
        }
        for key, n in notes.items()
    }


def build(
    base: Path, *, splits: Iterable[str] = ("nsynth-train", "nsynth-valid", "nsynth-test"), train_notes: int = 64
) -> Corpus:
    """``base/nsynth-{train,valid,test}/``; ``root`` is the first split folder, ``data_dir`` is ``base``."""
    splits = list(splits)
    expected = {}
    for k, name in enumerate(splits):
        split = SPLIT_FOLDERS.get(name, "train")
        notes = make_notes(train_notes if split == "train" else 12, offset=0 if k == 0 else 80 + 20 * k)
        folder = base / name
        write_split(folder, notes, {key: pitch_wav(n["pitch"]) for key, n in notes.items()})
        apple_double(folder / "audio" / f"{next(iter(notes))}.wav")
        expected.update(expected_of(folder, notes, split))
    return Corpus(base / splits[0], base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "examples.json"
    replace_line(path, 3, '        "pitch": 60 60,')
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    key = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[key]["audio"]).unlink()
    return "train", key
