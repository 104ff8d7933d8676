"""Fluent Speech Commands as its archive extracts: ``data/{train,valid,test}_data.csv`` (a header whose first
column is unnamed, a pandas index: ``,path,speakerId,transcription,action,object,location``),
``data/speaker_demographics.csv`` (six columns, header starting ``speakerId``) and
``wavs/speakers/<speakerId>/<uuid>.wav`` (16 kHz), with a transcription holding a comma (quoted), a speaker
whose gender is blank, and a row whose WAV is absent."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from .common import Corpus, replace_line, signal, wav_bytes

RATE = 16000
TOP = "fluent_speech_commands_dataset"
DEMOGRAPHICS_HEADER = (
    "speakerId",
    "Self-reported fluency level ",
    "First Language spoken",
    "Current language used for work/school",
    "gender",
    "ageRange",
)
# speakerId -> (fluency, first language, current language, gender, age range)
SPEAKERS = {
    "2BqVo8kVB2Skwgyb": ("native", "English (Canada)", "English (Canada)", "female", "22-40"),
    "2ojo7YRL7Gck83Z3": ("native", "English (United States)", "English (United States)", "male", "41-65"),
    "35v28XaVEns4WXOv": ("advanced", "Telugu", "English (United States)", "male", "22-40"),
    "4BrX8aDqK2cLZRYl": ("native", "English (Canada)", "English (Canada)", "", "65+"),
    "52XVOeXMXYuaElyw": ("native", "French (Canada)", "English (Canada)", "female", "22-40"),
}
COMMANDS = [
    ("Turn on the lights", "activate", "lights", "none"),
    ("Turn the lights off in the kitchen", "deactivate", "lights", "kitchen"),
    ("Switch the language to Chinese", "change language", "Chinese", "none"),
    ("Heat up, please", "increase", "heat", "none"),
    ("Bring me my socks", "bring", "socks", "none"),
]
# split csv -> speakers (the corpus's splits have disjoint speakers)
SPLITS = {
    "train_data.csv": ["2BqVo8kVB2Skwgyb", "2ojo7YRL7Gck83Z3", "35v28XaVEns4WXOv"],
    "valid_data.csv": ["4BrX8aDqK2cLZRYl"],
    "test_data.csv": ["52XVOeXMXYuaElyw"],
}
CSV_HEADER = ("", "path", "speakerId", "transcription", "action", "object", "location")
SPLIT_NAMES = {"train_data.csv": "train", "valid_data.csv": "validation", "test_data.csv": "test"}
ABSENT = ("2ojo7YRL7Gck83Z3", 4)  # listed in train_data.csv, no WAV


def uuid(speaker: str, k: int) -> str:
    return f"{k:08x}-{speaker[:4].lower()}-11e9-{k:04d}-{sum(map(ord, speaker)):012x}"


def write_csv(path: Path, header, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def build(base: Path, speech: Callable[[str, str], bytes] | None = None) -> Corpus:
    """The fixture; ``speech(text, speaker)`` gives each command's WAV bytes (noise if None)."""
    root = base / TOP
    (root / "readme.md").parent.mkdir(parents=True, exist_ok=True)
    (root / "readme.md").write_text("# Fluent Speech Commands\n", encoding="utf-8")
    (root / "Fluent Speech Commands Public License.pdf").write_bytes(b"%PDF-1.4\n%placeholder\n")
    write_csv(root / "data" / "speaker_demographics.csv", DEMOGRAPHICS_HEADER, [(s, *v) for s, v in SPEAKERS.items()])
    expected = {}
    index = 0
    for name, speakers in SPLITS.items():
        rows = []
        for speaker in speakers:
            for k, (text, action, obj, location) in enumerate(COMMANDS):
                rel = f"wavs/speakers/{speaker}/{uuid(speaker, k)}.wav"
                rows.append((index, rel, speaker, text, action, obj, location))
                index += 1
                if (speaker, k) == ABSENT:
                    continue
                wav = root / rel
                wav.parent.mkdir(parents=True, exist_ok=True)
                wav.write_bytes(speech(text, speaker) if speech else wav_bytes(signal(RATE, 0.03, 0.0, index), RATE))
                expected[f"{speaker}_{uuid(speaker, k)}"] = {
                    "split": SPLIT_NAMES[name],
                    "text": text,
                    "intent": f"{action}_{obj}_{location}",
                    "gender": SPEAKERS[speaker][3] or None,
                    "audio": str(wav),
                }
        write_csv(
            root / "data" / name, ("", "path", "speakerId", "transcription", "action", "object", "location"), rows
        )
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "data" / "train_data.csv"
    replace_line(path, 3, "1,wavs/speakers/2BqVo8kVB2Skwgyb/x.wav,2BqVo8kVB2Skwgyb,Turn the lights off")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    gone = f"35v28XaVEns4WXOv_{uuid('35v28XaVEns4WXOv', 2)}"
    Path(corpus.expected[gone]["audio"]).unlink()
    return "train", gone
