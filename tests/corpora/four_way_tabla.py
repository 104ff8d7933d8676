"""Four-way Tabla (Zenodo 7110248) as ``4way-tabla-ismir21-dataset.zip`` extracts: ``{train,test}/audios/<id>.wav``
(44.1 kHz, 16 bit) and ``{train,test}/onsets/{b,d,rb,rt}/<id>.onsets``, one onset per line in numpy's ``%.18e``
(one file without a final newline, as mirdata's copy of ``d/AHK_solo-tintal-1.onsets``). The WAVs are percussive
decaying strokes at the annotated onsets, each sounding as its class (a short damped click, a ringing treble, a
gliding bass, both). A test solo has no ``rt`` file (as mirdata's ``binati_SRC``), and a train WAV has no onset
file at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .common import Corpus, replace_line, wav_bytes

RATE = 44100  # the corpus's rate (mirdata: 44.1 kHz, 16 bit)
ROOT = "4way-tabla-ismir21-dataset"
#: split -> solo id -> (seconds, {class: onset times}); a class without a key has no file
SOLOS: dict[str, dict[str, tuple[float, dict[str, list[float]]]]] = {
    "train": {
        "AHK_solo-tintal-1": (
            4.0,
            {
                "d": [0.1, 0.45, 0.8, 1.5, 2.2, 3.1],
                "rt": [0.3, 2.6],
                "rb": [1.2],
                "b": [3.6],
            },
        ),
        "SSB_solo-ektal-3": (3.5, {"rt": [0.2, 0.9, 1.6, 2.9], "rb": [0.5, 1.3, 3.3], "d": [2.1, 2.5], "b": []}),
    },
    "test": {"binati_SRC": (3.2, {"b": [0.15, 1.1, 2.4], "d": [0.6, 1.9, 3.0], "rb": [0.9, 2.7]})},
}
NO_FINAL_NEWLINE = ("train", "d", "AHK_solo-tintal-1")
UNANNOTATED = "AHK_practice-2.wav"  # a train WAV no onset file annotates
DESCRIPTIONS = {
    "AHK_solo-tintal-1": "A tabla solo of 4.0 s, 2.5 strokes per second, mostly damped strokes.",
    "SSB_solo-ektal-3": "A tabla solo of 3.5 s, 2.6 strokes per second, mostly resonant treble and resonant bass "
    "strokes.",
    "binati_SRC": "A tabla solo of 3.2 s, 2.5 strokes per second, mostly damped and resonant bass-and-treble strokes.",
}
MALFORMED = 3  # the line of train/onsets/d/AHK_solo-tintal-1.onsets that `malform` spoils


def stroke(kind: str, rate: int = RATE) -> np.ndarray:
    """One stroke of a class: damped (a 20 ms click), resonant treble (a ringing 520 Hz), resonant bass (a 90 Hz
    boom gliding up, as the bayan's pressed head does), resonant both (treble and bass together)."""
    t = np.arange(int(0.35 * rate)) / rate
    treble = np.sin(2 * np.pi * 520 * t) * np.exp(-t / 0.12)
    bass = np.sin(2 * np.pi * (90 * t + 40 * t**2)) * np.exp(-t / 0.15)
    if kind == "d":
        n = int(0.02 * rate)
        click = np.random.default_rng(7).standard_normal(n) * np.exp(-np.arange(n) / (0.004 * rate))
        return 0.5 * click
    return 0.4 * {"rt": treble, "rb": bass, "b": 0.6 * (treble + bass)}[kind]


def solo_audio(seconds: float, onsets: dict[str, list[float]], rate: int = RATE) -> np.ndarray:
    x = np.zeros(int(round(seconds * rate)))
    for kind, times in onsets.items():
        hit = stroke(kind, rate)
        for at in times:
            start = int(at * rate)
            end = min(len(x), start + len(hit))
            x[start:end] += hit[: end - start]
    return (0.9 * x / max(1.0, float(np.abs(x).max()))).astype(np.float32)


def write_solo(root: Path, split: str, solo: str, seconds: float, onsets: dict[str, list[float]]) -> Path:
    """The solo's WAV under ``<split>/audios/`` and its onset files, one per class it lists."""
    audios = root / split / "audios"
    audios.mkdir(parents=True, exist_ok=True)
    wav = audios / f"{solo}.wav"
    wav.write_bytes(wav_bytes(solo_audio(seconds, onsets), RATE))
    for kind, times in onsets.items():
        folder = root / split / "onsets" / kind
        folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join(f"{t:.18e}" for t in sorted(times))
        final = "" if (split, kind, solo) == NO_FINAL_NEWLINE or not times else "\n"
        (folder / f"{solo}.onsets").write_text(text + final, encoding="ascii")
    return wav


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for split, solos in SOLOS.items():
        for solo, (seconds, onsets) in solos.items():
            wav = write_solo(root, split, solo, seconds, onsets)
            counts = {kind: len(onsets.get(kind, [])) for kind in ("d", "rt", "rb", "b")}
            expected[solo] = {
                "audio": str(wav),
                "description": DESCRIPTIONS[solo],
                "seconds": seconds,
                "strokes": sum(counts.values()),
                "damped": counts["d"],
                "resonant_treble": counts["rt"],
                "resonant_bass": counts["rb"],
                "resonant_both": counts["b"],
                "split": split,
            }
    (root / "train" / "audios" / UNANNOTATED).write_bytes(wav_bytes(solo_audio(0.5, {"d": [0.1]}), RATE))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """An onset line of a damped-stroke file that is not a number."""
    path = corpus.root / "train" / "onsets" / "d" / "AHK_solo-tintal-1.onsets"
    replace_line(path, MALFORMED, "8.0e-01 onset")
    return path, MALFORMED


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["SSB_solo-ektal-3"]["audio"]).unlink()
    return "train", "SSB_solo-ektal-3"
