"""ASVspoof as its archives extract into one folder: 2019 ``LA/`` (CM protocols ``SPEAKER FILE - SYSTEM KEY`` and
``ASVspoof2019_LA_{train,dev,eval}/flac/``), ``ASVspoof2021_LA_eval/`` and ``ASVspoof2021_DF_eval/`` (the
label-less trial lists and ``flac/``) and ``keys/{LA,DF}/CM/trial_metadata.txt`` (8 and 13 space-separated
columns), 16 kHz FLAC, with the quirks: bona fide LA keys carry ``bonafide`` twice, DF's ``-`` placeholders and
``unknown`` vocoder, the ``progress``/``hidden`` subsets, and a key row whose audio is absent."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import soundfile as sf

from .common import Corpus, replace_line, signal

RATE = 16000
# (speaker, trial, system, key)
PROTOCOL_2019 = {
    "train": [
        ("LA_0079", "LA_T_1138215", "-", "bonafide"),
        ("LA_0079", "LA_T_1271820", "A01", "spoof"),
        ("LA_0080", "LA_T_1272637", "A04", "spoof"),
        ("LA_0080", "LA_T_1276960", "A06", "spoof"),
        ("LA_0081", "LA_T_1341447", "-", "bonafide"),
    ],
    "dev": [
        ("LA_0069", "LA_D_1047731", "-", "bonafide"),
        ("LA_0069", "LA_D_1105538", "A02", "spoof"),
    ],
    "eval": [
        ("LA_0039", "LA_E_2834763", "A11", "spoof"),
        ("LA_0014", "LA_E_8877452", "-", "bonafide"),
        ("LA_0040", "LA_E_1666680", "A08", "spoof"),
        ("LA_0040", "LA_E_3934461", "A13", "spoof"),
    ],
}
KEY_LA = [
    "LA_0009 LA_E_9332881 alaw ita_tx A07 spoof notrim eval",
    "LA_0020 LA_E_2834763 g722 loc_tx bonafide bonafide notrim progress",
    "LA_0012 LA_E_5232880 ulaw loc_tx A13 spoof notrim hidden",
]
KEY_DF = [
    "LA_0031 DF_E_2000011 nocodec asvspoof A07 spoof notrim progress traditional_vocoder - - - -",
    "LA_0043 DF_E_2000013 low_m4a vcc2018 A10 spoof notrim eval neural_vocoder_autoregressive - - - -",
    "VCC2TF1 DF_E_2000024 mp3m4a vcc2020 - bonafide notrim eval bonafide - - - -",
    "LA_0023 DF_E_2000026 high_ogg asvspoof A16 spoof notrim hidden waveform_concatenation - - - -",
    "LA_0044 DF_E_2000027 low_mp3 vcc2020 Task1-team20 spoof notrim eval unknown - - - -",
    "LA_0045 DF_E_2000033 oggm4a vcc2018 A08 spoof notrim eval neural_vocoder_nonautoregressive - - - -",
]
ABSENT = "DF_E_2000033"  # listed in the DF key, its FLAC not extracted


def flac(seed: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, 0.03, 0.0, seed), RATE, format="FLAC")
    return buffer.getvalue()


def write_2019(
    root: Path, protocols: dict[str, list[tuple[str, str, str, str]]], audio: Callable[[str], bytes]
) -> None:
    names = {"train": "train.trn", "dev": "dev.trl", "eval": "eval.trl"}
    folder = root / "LA" / "ASVspoof2019_LA_cm_protocols"
    folder.mkdir(parents=True, exist_ok=True)
    for part, rows in protocols.items():
        lines = [f"{spk} {trial} - {system} {key}" for spk, trial, system, key in rows]
        (folder / f"ASVspoof2019.LA.cm.{names[part]}.txt").write_text("\n".join(lines) + "\n", encoding="ascii")
        flacs = root / "LA" / f"ASVspoof2019_LA_{part}" / "flac"
        flacs.mkdir(parents=True, exist_ok=True)
        for _, trial, _, _ in rows:
            (flacs / f"{trial}.flac").write_bytes(audio(trial))
    (root / "LA" / "README.LA.txt").write_text("ASVspoof 2019 LA. ODC-By 1.0.\n", encoding="ascii")


def write_2021(root: Path, track: str, key: list[str], audio: Callable[[str], bytes], absent=()) -> None:
    folder = root / f"ASVspoof2021_{track}_eval"
    (folder / "flac").mkdir(parents=True, exist_ok=True)
    trials = [line.split()[1] for line in key]
    (folder / f"ASVspoof2021.{track}.cm.eval.trl.txt").write_text("\n".join(trials) + "\n", encoding="ascii")
    (folder / f"README.{track}.txt").write_text(f"ASVspoof 2021 {track} evaluation data.\n", encoding="ascii")
    for trial in trials:
        if trial not in absent:
            (folder / "flac" / f"{trial}.flac").write_bytes(audio(trial))
    keys = root / "keys" / track / "CM"
    keys.mkdir(parents=True, exist_ok=True)
    (keys / "trial_metadata.txt").write_text("\n".join(key) + "\n", encoding="ascii")


def build(base: Path, audio: Callable[[str], bytes] | None = None) -> Corpus:
    root = base / "ASVspoof"
    make = audio or (lambda trial: flac(int(trial[-4:])))
    write_2019(root, PROTOCOL_2019, make)
    write_2021(root, "LA", KEY_LA, make)
    write_2021(root, "DF", KEY_DF, make, absent={ABSENT})
    expected = {}
    splits = {"train": "train", "dev": "validation", "eval": "test"}
    vocoders_2019 = {"A01": "neural autoregressive", "A04": "waveform concatenation", "A02": "traditional"}
    vocoders_2019.update(A11="traditional", A08="neural non-autoregressive")  # A06, A13 filter: none
    for part, rows in PROTOCOL_2019.items():
        for _, trial, system, key in rows:
            rid = f"2019_{trial}" if part == "eval" else trial
            path = root / "LA" / f"ASVspoof2019_LA_{part}" / "flac" / f"{trial}.flac"
            expected[rid] = {
                "split": splits[part],
                "label": key,
                "vocoder": vocoders_2019.get(system),
                "audio": str(path),
            }
    la_vocoders = {"LA_E_9332881": "traditional", "LA_E_2834763": None, "LA_E_5232880": None}
    for line in KEY_LA:
        trial, label = line.split()[1], line.split()[5]
        path = root / "ASVspoof2021_LA_eval" / "flac" / f"{trial}.flac"
        expected[trial] = {"split": "test", "label": label, "vocoder": la_vocoders[trial], "audio": str(path)}
    df_vocoders = {
        "traditional_vocoder": "traditional",
        "neural_vocoder_autoregressive": "neural autoregressive",
        "waveform_concatenation": "waveform concatenation",
    }
    for line in KEY_DF:
        tokens = line.split()
        if tokens[1] == ABSENT:
            continue
        path = root / "ASVspoof2021_DF_eval" / "flac" / f"{tokens[1]}.flac"
        vocoder = df_vocoders.get(tokens[8])
        expected[tokens[1]] = {"split": "test", "label": tokens[5], "vocoder": vocoder, "audio": str(path)}
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "keys" / "LA" / "CM" / "trial_metadata.txt"
    replace_line(path, 2, "LA_0020 LA_E_2834763 g722 loc_tx bonafide notrim progress")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["LA_T_1272637"]["audio"]).unlink()
    return "train", "LA_T_1272637"
