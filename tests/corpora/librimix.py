"""A generated Libri2Mix as ``create_librimix_from_metadata.py`` writes it: ``Libri2Mix/wav16k/max/`` with
``metadata/mixture_<subset>_mix_clean.csv`` (header ``mixture_ID,mixture_path,source_1_path,source_2_path,length``,
absolute paths of the generating machine, LF) and ``metrics_<subset>_mix_clean.csv``, and
``<subset>/{mix_clean,s1,s2}/<mixture_ID>.wav`` (16 kHz PCM_16; the mixture the sum of the scaled sources, here
exactly, in integers). Each speaker has two utterances in its subset, so every source has an enrollment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, replace_line
from .librispeech import voice

RATE = 16000
GENERATED_AT = "/home/jdoe/LibriMix/Libri2Mix/wav16k/max"
HEADER = "mixture_ID,mixture_path,source_1_path,source_2_path,length"

# subset -> mixtures (utterance 1, utterance 2)
MIXTURES = {
    "train-100": [("19-198-0001", "26-495-0004"), ("19-198-0002", "32-4137-0001"), ("26-495-0007", "32-4137-0003")],
    "dev": [
        ("84-121123-0000", "174-50561-0002"),
        ("84-121123-0005", "251-136532-0001"),
        ("174-50561-0009", "251-136532-0004"),
    ],
    "test": [
        ("61-70968-0000", "121-121726-0003"),
        ("61-70968-0011", "237-134493-0002"),
        ("121-121726-0004", "237-134493-0005"),
    ],
}
SPLITS = {"train-100": "train", "dev": "validation", "test": "test"}


def pcm(utt: str, seconds: float) -> np.ndarray:
    """A source as int16 samples, at a third of full scale so that two of them sum without clipping."""
    speaker = int(utt.split("-")[0])
    data = voice(speaker, seconds) * 0.9 * (1 + int(utt.rsplit("-", 1)[1]) % 3 / 10)
    return np.round(data * 32767 / 3).astype(np.int16)


def write_subset(root: Path, subset: str, mixtures: list[tuple[str, str, np.ndarray, np.ndarray]]) -> list[str]:
    """``<subset>/{mix_clean,s1,s2}/`` and the subset's metadata CSVs under ``root/wav16k/max/`` for (utterance 1,
    utterance 2, int16 source 1, int16 source 2) mixtures, padded to the longest (max mode); returns the ids."""
    variant = root / "wav16k" / "max"
    (variant / "metadata").mkdir(parents=True, exist_ok=True)
    rows, metrics, ids = [HEADER], ["mixture_ID,source_1_SNR,source_2_SNR"], []
    for u1, u2, s1, s2 in mixtures:
        mid = f"{u1}_{u2}"
        size = max(s1.size, s2.size)
        s1, s2 = np.pad(s1, (0, size - s1.size)), np.pad(s2, (0, size - s2.size))
        mix = (s1.astype(np.int32) + s2.astype(np.int32)).astype(np.int16)
        for name, data in (("mix_clean", mix), ("s1", s1), ("s2", s2)):
            path = variant / subset / name / f"{mid}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(path, data, RATE, subtype="PCM_16")
        paths = [f"{GENERATED_AT}/{subset}/{d}/{mid}.wav" for d in ("mix_clean", "s1", "s2")]
        rows.append(f"{mid},{','.join(paths)},{mix.size}")
        metrics.append(f"{mid},0.51,-0.51")
        ids.append(mid)
    (variant / "metadata" / f"mixture_{subset}_mix_clean.csv").write_text("\n".join(rows) + "\n")
    (variant / "metadata" / f"metrics_{subset}_mix_clean.csv").write_text("\n".join(metrics) + "\n")
    return ids


def build(base: Path, *, folder: str = "Libri2Mix", seconds: float = 0.4) -> Corpus:
    root = base / folder
    variant = root / "wav16k" / "max"
    expected = {}
    for subset, mixtures in MIXTURES.items():
        sources = [(u1, u2, pcm(u1, seconds), pcm(u2, seconds - 0.05 * i)) for i, (u1, u2) in enumerate(mixtures)]
        for mid, (u1, u2) in zip(write_subset(root, subset, sources), mixtures):
            for k, utt in ((1, u1), (2, u2)):
                expected[f"{mid}_s{k}"] = {
                    "audio": str(variant / subset / f"s{k}" / f"{mid}.wav"),
                    "mixture": str(variant / subset / "mix_clean" / f"{mid}.wav"),
                    "speaker": utt.split("-")[0],
                    "utterance": utt,
                    "mixture_id": mid,
                    "source": k,
                    "subset": subset,
                    "variant": "wav16k/max/mix_clean",
                    "split": SPLITS[subset],
                }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "wav16k" / "max" / "metadata" / "mixture_dev_mix_clean.csv"
    line = path.read_text().splitlines()[2].replace("/dev/s1/", "/dev/s2/")
    replace_line(path, 3, line)
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "19-198-0002_32-4137-0001_s1"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
