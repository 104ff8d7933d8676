"""AliMeeting as the OpenSLR 119 archives unpack: ``Train_Ali_far/{audio_dir,textgrid_dir}``,
``Eval_Ali/Eval_Ali_far/...`` (with its wrapper folder) and ``Test_Ali_far/...`` (without: both are seen), 8-channel
16 kHz far-field wavs named ``R####_M####_MS###.wav`` beside ``R####_M####.TextGrid`` files in Praat's long text
format with one ``N_SPK####`` tier per participant; a near-field folder the parser does not read, a wav without a
TextGrid and macOS debris. Speech is speech-like sound placed where the TextGrid says, each participant with
their own voice, heard by every microphone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, apple_double, signal

RATE = 16000
CHANNELS = 8

# split -> far folder, and the meetings: (wav stem, seconds, {tier: [(start, end, text)]})
FAR = {"train": "Train_Ali_far", "validation": "Eval_Ali/Eval_Ali_far", "test": "Test_Ali_far"}
MEETINGS = {
    "train": [
        (
            "R0015_M0151_MS002",
            62.0,
            {
                "N_SPK0151": [
                    (0.52, 4.1, "大家好，我们开始吧。"),
                    (28.5, 31.25, "这个问题很重要。"),
                    (45.0, 50.0, "好的。"),
                ],
                "N_SPK0152": [(3.5, 9.75, "我先说一下，“预算”的情况。"), (31.0, 33.0, "嗯。")],
                "N_SPK0153": [(12.0, 20.0, '他说"可以"。'), (60.5, 61.9, "谢谢。")],
            },
        ),
        (
            "R0016_M0153_MS002",
            8.0,
            {"N_SPK0160": [(1.0, 3.0, "你好。")], "N_SPK0161": [(2.5, 6.0, "你好，请坐。")]},
        ),
    ],
    "validation": [
        ("R8001_M8004_MS801", 12.0, {"N_SPK8013": [(0.0, 5.0, "开会。")], "N_SPK8014": [(6.0, 11.5, "同意。")]}),
    ],
    "test": [
        ("R8003_M8001_MS803", 10.0, {"N_SPK8023": [(2.0, 4.0, "是的。")], "N_SPK8024": [(4.0, 9.0, "明白。")]}),
    ],
}
ORPHAN = "R0099_M0999_MS002"  # a train wav whose TextGrid is not in the archive


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def textgrid_text(seconds: float, tiers: dict[str, list[tuple[float, float, str]]]) -> str:
    """Praat's long text format, as Praat writes it (trailing spaces, blank intervals filling the gaps)."""
    lines = [
        'File type = "ooTextFile"',
        'Object class = "TextGrid"',
        "",
        "xmin = 0 ",
        f"xmax = {seconds:g} ",
        "tiers? <exists> ",
        f"size = {len(tiers)} ",
        "item []: ",
    ]
    for k, (name, utterances) in enumerate(tiers.items(), 1):
        intervals, at = [], 0.0
        for start, end, text in sorted(utterances):
            if start > at:
                intervals.append((at, start, ""))
            intervals.append((start, end, text))
            at = end
        if at < seconds:
            intervals.append((at, seconds, ""))
        lines += [
            f"    item [{k}]:",
            '        class = "IntervalTier" ',
            f"        name = {_quoted(name)} ",
            "        xmin = 0 ",
            f"        xmax = {seconds:g} ",
            f"        intervals: size = {len(intervals)} ",
        ]
        for j, (start, end, text) in enumerate(intervals, 1):
            lines += [
                f"        intervals [{j}]:",
                f"            xmin = {start:g} ",
                f"            xmax = {end:g} ",
                f"            text = {_quoted(text)} ",
            ]
    return "\n".join(lines) + "\n"


def meeting_audio(seconds: float, tiers: dict[str, list[tuple[float, float, str]]], seed: int = 0) -> np.ndarray:
    """(samples, 8) float32: each participant's voice (a tone of their own under noise) where they speak, heard
    by every microphone at a slightly different gain."""
    n = round(seconds * RATE)
    mono = 0.002 * np.random.default_rng(seed).standard_normal(n)
    for k, utterances in enumerate(tiers.values()):
        for start, end, _ in utterances:
            a, b = round(start * RATE), round(end * RATE)
            mono[a:b] += signal(RATE, (b - a) / RATE, 180.0 + 70.0 * k)[: b - a] * 0.5
    gains = np.linspace(1.0, 0.8, CHANNELS)
    return (mono[:, None] * gains[None, :]).astype(np.float32)


def write_meeting(folder: Path, stem: str, seconds: float, tiers, seed: int = 0, audio=None) -> Path:
    """One far-field meeting: the wav (``audio``, (samples, channels) at :data:`RATE`, or tones where the tiers
    say) and its TextGrid."""
    (folder / "audio_dir").mkdir(parents=True, exist_ok=True)
    (folder / "textgrid_dir").mkdir(parents=True, exist_ok=True)
    wav = folder / "audio_dir" / f"{stem}.wav"
    sf.write(wav, meeting_audio(seconds, tiers, seed) if audio is None else audio, RATE, subtype="PCM_16")
    session = "_".join(stem.split("_")[:2])
    (folder / "textgrid_dir" / f"{session}.TextGrid").write_text(textgrid_text(seconds, tiers), encoding="utf-8")
    return wav


def build(base: Path) -> Corpus:
    root = base / "AliMeeting"
    expected = {}
    for split, meetings in MEETINGS.items():
        for k, (stem, seconds, tiers) in enumerate(meetings):
            wav = write_meeting(root / FAR[split], stem, seconds, tiers, seed=k)
            segments = sorted([s, e, name] for name, utts in tiers.items() for s, e, _ in utts)
            expected[stem] = {"split": split, "audio": str(wav), "segments": segments, "speakers": list(tiers)}
    apple_double(root / FAR["train"] / "audio_dir" / "R0015_M0151_MS002.wav")
    sf.write(root / FAR["train"] / "audio_dir" / f"{ORPHAN}.wav", np.zeros((800, CHANNELS)), RATE, subtype="PCM_16")
    near = root / "Eval_Ali" / "Eval_Ali_near"  # headset recordings: another task's data
    (near / "textgrid_dir").mkdir(parents=True)
    (near / "audio_dir").mkdir()
    sf.write(near / "audio_dir" / "R8001_M8004_N_SPK8013.wav", signal(RATE, 0.2, 200.0), RATE, subtype="PCM_16")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / FAR["train"] / "textgrid_dir" / "R0015_M0151.TextGrid"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines.index("            xmax = 4.1 ") + 1
    lines[line - 1] = "            xmax = later "
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, line


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["R0016_M0153_MS002"]["audio"]).unlink()
    return "train", "R0016_M0153_MS002"
