"""MagicData-RAMC as documented: ``DataPartition/{train,dev,test}.tsv`` (a path line, then ``<dialog>.wav`` lines),
``MDT2021S003/SPKINFO.txt`` (tab-separated, header ``CHANNEL SPEAKER_ID GENDER AGE REGION,CITY DEVICE``),
``UTTERANCEINFO.txt``, ``TXT/<dialog>.txt`` (``[start,end]<TAB>speaker<TAB>gender,dialect<TAB>text``) and
``WAV/<dialog>.wav`` (16 kHz, one per dialog), with the quirks: the recording system's ``G00000000`` prompt,
tag-only segments, fillers and in-line tags in the text, a segment whose end is before its start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .common import Corpus, replace_line, signal, wav_bytes

RATE = 16000
TOP = "MagicData-RAMC"
SPKINFO_HEADER = "CHANNEL\tSPEAKER_ID\tGENDER\tAGE\tREGION,CITY\tDEVICE"
SPEAKERS = {
    "G00000016": ("M", "Middle-aged and young people", "Sichuan", "Mobile phone"),
    "G00000015": ("F", "Middle-aged and young people", "Beijing", "Mobile phone"),
    "G00000140": ("F", "Middle-aged and young people", "Guangdong", "Mobile phone"),
    "G00000141": ("M", "Old people", "Shandong", "Mobile phone"),
    "G00000200": ("F", "Middle-aged and young people", "Hubei", "Mobile phone"),
    "G00000201": ("M", "Middle-aged and young people", "Hunan", "Mobile phone"),
}
# dialog -> (partition, [(start, end, speaker, text)])
DIALOGS = {
    "CTS-CN-F2F-2019-11-15-188": (
        "train",
        [
            (0.0, 0.4, "G00000000", "爱数智慧语音采集二零一九年十一月十五日"),
            (0.5, 1.2, "G00000016", "嗯，最近那个新海诚的啊，那个电影你看了吗"),
            (1.3, 1.5, "G00000015", "[LAUGHTER]"),
            (1.6, 2.4, "G00000015", "看了看了，呃[+]挺好看的"),
            (2.6, 2.5, "G00000016", "对"),
        ],
    ),
    "CTS-CN-F2F-2019-11-06-140": (
        "train",
        [(0.2, 0.9, "G00000140", "就是说嗯我觉得吧"), (1.0, 1.8, "G00000141", "啊对对对，就是这个意思")],
    ),
    "CTS-CN-F2F-2019-12-01-301": ("dev", [(0.1, 0.8, "G00000200", "那个那个你先说吧")]),
    "CTS-CN-F2F-2019-12-02-302": (
        "test",
        [(0.1, 0.7, "G00000201", "嗯行"), (0.8, 1.5, "G00000200", "哎呀[*]我也不知道")],
    ),
}
PARTITION_NAMES = {"train": "train", "dev": "validation", "test": "test"}


def segment_id(speaker: str, dialog: str, start: float, end: float) -> str:
    return f"{speaker}-{dialog}-{round(start * 1000):07d}-{round(end * 1000):07d}"


def write(
    root: Path,
    speakers: dict[str, tuple[str, str, str, str]],
    dialogs: dict[str, tuple[str, list[tuple[float, float, str, str]]]],
    audio: dict[str, bytes],
) -> None:
    """The corpus files for ``dialogs`` (partition, segments) and each dialog's WAV bytes in ``audio``."""
    data = root / "MDT2021S003"
    for folder in (root / "DataPartition", root / "KeywordList", data / "TXT", data / "WAV"):
        folder.mkdir(parents=True, exist_ok=True)
    (data / "README.txt").write_text("MagicData-RAMC (MDT2021S003)\n", encoding="utf-8")
    rows = [f"C0\t{s}\t{g}\t{a}\t{r}\t{d}" for s, (g, a, r, d) in speakers.items()]
    (data / "SPKINFO.txt").write_text("\n".join([SPKINFO_HEADER, *rows]) + "\n", encoding="utf-8")
    info = ["CHANNEL\tUTTRANS_ID\tSPEAKER_ID-1\tSPEAKER_ID-2\tTOPIC\tVALID(min)\tTOTAL(min)\tEnvironment"]
    for dialog, (_, segments) in dialogs.items():
        pair = sorted({s for _, _, s, _ in segments if s != "G00000000"})
        info.append(f"C0\t{dialog}.wav\t{pair[0]}\t{pair[-1]}\t职业发展\t0.03\t0.04\t室内")
        lines = [
            f"[{b:.3f},{e:.3f}]\t{s}\t{'女' if speakers.get(s, 'F')[0] == 'F' else '男'},普通话\t{t}"
            for b, e, s, t in segments
        ]
        (data / "TXT" / f"{dialog}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if dialog in audio:
            (data / "WAV" / f"{dialog}.wav").write_bytes(audio[dialog])
    (data / "UTTERANCEINFO.txt").write_text("\n".join(info) + "\n", encoding="utf-8")
    for partition in ("train", "dev", "test"):
        names = [d for d, (p, _) in dialogs.items() if p == partition]
        lines = [f"/path/of/MagicData-RAMC/MDT2021S003/WAV/ {partition}", *(f"{d}.wav\t{partition}" for d in names)]
        (root / "DataPartition" / f"{partition}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(base: Path, speech: Callable[[str, float], np.ndarray] | None = None) -> Corpus:
    """The fixture; ``speech(text, seconds)`` gives a segment's samples at 16 kHz (noise if None)."""
    root = base / TOP
    audio, expected = {}, {}
    for k, (dialog, (partition, segments)) in enumerate(DIALOGS.items()):
        length = max(max(b, e) for b, e, _, _ in segments) + 0.2
        samples = signal(RATE, length, 0.0, seed=k) * 0.1
        for b, e, speaker, text in segments:
            if speech is not None and e > b:
                x = speech(text, e - b)[: int((e - b) * RATE)]
                samples[int(b * RATE) : int(b * RATE) + len(x)] = x
            if speaker == "G00000000" or text.startswith("[LAUGHTER]") and text.endswith("]") or e <= b:
                continue
            expected[segment_id(speaker, dialog, b, e)] = {
                "split": PARTITION_NAMES[partition],
                "text": text,
                "speaker": speaker,
                "gender": {"F": "female", "M": "male"}[SPEAKERS[speaker][0]],
                "region": SPEAKERS[speaker][2],
            }
        audio[dialog] = wav_bytes(samples, RATE)
    write(root, SPEAKERS, DIALOGS, audio)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "MDT2021S003" / "TXT" / "CTS-CN-F2F-2019-11-06-140.txt"
    replace_line(path, 2, "[1.0,1.8] G00000141 啊对对对")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "MDT2021S003" / "WAV" / "CTS-CN-F2F-2019-12-01-301.wav").unlink()
    return "validation", segment_id("G00000200", "CTS-CN-F2F-2019-12-01-301", 0.1, 0.8)
