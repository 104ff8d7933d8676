"""The Freesound Loop Dataset as ``FSL10K.zip`` extracts: ``audio/wav/<id>_<upload name>.wav`` (the upload's own
extension kept, spaces in names), ``fs_analysis/<id>.json``, ``ac_analysis/<id>_analysis.json`` and
``annotations/<annotator>/sound-<id>.json`` as the loop annotator writes them (``bpm`` a string, ``key``/``mode``
``"none"`` for atonal loops, ``genres`` a list), with two annotators that agree on some loops and not on others,
and one loop its annotator discarded. Each loop is its key's tonic triad pulsed at its tempo."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from audio_flan.sources import _music_labels as music

from .common import Corpus, apple_double, replace_line, wav_bytes

RATE = 22050
ROOT = "FSL10K"
#: (freesound id, upload name, key, mode, bpm, genres, description, second annotator's changes or None)
LOOPS = [
    (101, "drum loop 120bpm.wav", "none", "none", 120, ["house_techno"], "A four on the floor drum loop.", {}),
    (202, "Dark Pad Cm.aiff", "C", "minor", 90, ["cinematic"], "A dark, slow pad in C minor.", None),
    (303, "bass_line_Bb.wav", "Bb", "major", 128, ["bass_music", "house_techno"], "Rolling bass line.", {}),
    (404, "hiphop beat.mp3", "F#", "minor", 85, ["hip_hop"], "", {"bpm": "95"}),
    (505, "guitar riff.wav", "G", "major", 100, ["rock"], "An open guitar riff.", {"key": "D"}),
    (606, "ambient texture.flac", "A", "minor", 70, ["ambient"], "Slow ambient texture, no beat.", None),
    (707, "trance arp.wav", "E", "minor", 138, ["trance"], "Fast trance arpeggio in E minor.", {}),
    (808, "glitch.wav", "D", "dorian", 110, ["glitch"], "Glitchy loop.", None),
]
DISCARDED = 909


def annotation(key: str, mode: str, bpm: int, genres: list[str], changes: dict | None = None) -> dict:
    """An annotation as the annotator's form submits it (keys in its order)."""
    value = {
        "instrumentation": {
            "percussion": True,
            "bass": False,
            "chords": True,
            "melody": False,
            "fx": False,
            "vocal": False,
        },
        "defined_tempo": True,
        "bpm": str(bpm),
        "signature": "4/4",
        "well_cut": True,
        "key": key,
        "mode": mode,
        "genres": genres,
        "comments": "",
    }
    value.update(changes or {})
    return value


def loop(key: str, mode: str, bpm: int, seconds: float = 0.5) -> np.ndarray:
    """The key's tonic triad (or noise bursts for an atonal loop), pulsed on every beat of ``bpm``."""
    t = np.arange(int(seconds * RATE)) / RATE
    if key == "none" or mode not in music.MODES:
        tone = np.random.default_rng(bpm).standard_normal(t.size) * 0.2
    else:
        tonic, _ = music.key_parts(music.key(f"{key} {mode}"))
        third = 4 if mode == "major" else 3
        tone = sum(0.2 * np.sin(2 * np.pi * music.frequency(60 + tonic + n) * t) for n in (0, third, 7))
    pulse = np.exp(-((t % (60.0 / bpm)) / 0.08))
    return (tone * pulse).astype(np.float32)


def write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=4), encoding="utf-8")


def write_loop(root: Path, sound: int, upload: str, key: str, mode: str, bpm: int, description: str) -> Path:
    wav = root / "audio" / "wav" / f"{sound}_{upload}.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    wav.write_bytes(wav_bytes(loop(key, mode, bpm), RATE))
    info = {
        "id": sound,
        "name": upload,
        "description": description,
        "tags": ["loop", f"{bpm}bpm"],
        "username": "sampleuser",
        "license": "http://creativecommons.org/publicdomain/zero/1.0/",
        "duration": 0.5,
    }
    write_json(root / "fs_analysis" / f"{sound}.json", info)
    write_json(root / "ac_analysis" / f"{sound}_{upload}_analysis.json", {"tonality": f"{key} {mode}", "tempo": bpm})
    return wav


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for sound, upload, key, mode, bpm, genres, description, second in LOOPS:
        wav = write_loop(root, sound, upload, key, mode, bpm, description)
        write_json(root / "annotations" / "annotator_1" / f"sound-{sound}.json", annotation(key, mode, bpm, genres))
        if second is not None:
            write_json(
                root / "annotations" / "annotator_2" / f"sound-{sound}.json",
                annotation(key, mode, bpm, genres, second),
            )
        tonal = key != "none" and mode in music.MODES and "key" not in (second or {})
        expected[str(sound)] = {
            "audio": str(wav),
            "key": music.key(f"{key} {mode}") if tonal else None,
            "tempo": None if "bpm" in (second or {}) else float(bpm),
            "genre": music.genre(genres[0]) if len(genres) == 1 else None,
            "caption": description or None,
            "name": upload,
            "license": "http://creativecommons.org/publicdomain/zero/1.0/",
            "annotators": 1 if second is None else 2,
            "split": "train",
        }
    write_loop(root, DISCARDED, "broken loop.wav", "C", "major", 100, "Cut badly.")
    write_json(
        root / "annotations" / "annotator_2" / f"sound-{DISCARDED}.json",
        annotation("C", "major", 100, ["pop"], {"discard": True}),
    )
    for name in ("metadata.json", "parent_genres.json", "metadata_sound_ids_list.json"):
        write_json(root / name, {})
    apple_double(Path(next(iter(expected.values()))["audio"]))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "annotations" / "annotator_1" / "sound-202.json"
    lines = path.read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if '"bpm"' in text)
    replace_line(path, line, '    "bpm": "ninety",')
    return path, line


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["303"]["audio"]).unlink()
    return "train", "303"
