"""Builds small copies of the released Audio-FLAN files, in the release's layout, for tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

import numpy as np
import soundfile as sf


def write_wav(path: Path, seconds: float = 0.25, rate: int = 16000, freq: float = 440.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate, subtype="PCM_16")
    return path


def record(
    uuid: str,
    minor: str,
    domain: str = "speech",
    inp: str = "audio: <|SOA|>13_LibriTTS-R_a<|EOA|>",
    out: str = "hello",
    split: Iterable[str] = ("train",),
    instruction: str = "Do the task.",
    ug: str = "U",
    other: Optional[dict] = None,
) -> dict:
    return {
        "instruction": instruction,
        "input": inp,
        "output": out,
        "uuid": uuid,
        "split": list(split),
        "task_type": {"major": ["Major"], "minor": [minor], "U/G": [ug], "unseen": False},
        "domain": domain,
        "source": ["audiobook"],
        "other": other,
    }


class Release:
    """A release root under construction: audio, scp lines and jsonl files."""

    def __init__(self, root: Path):
        self.root = root

    def audio(self, domain: str, folder: str, own_id: str, rel_to: str = "root", **kw) -> str:
        """Write an audio file and its scp line; returns the audio id."""
        rel = Path("audio_files") / domain / folder / f"{own_id}.wav"
        write_wav(self.root / rel, **kw)
        scp = self.root / "scp_files" / domain / f"{folder}.scp"
        scp.parent.mkdir(parents=True, exist_ok=True)
        written = rel.as_posix() if rel_to == "root" else rel.relative_to("audio_files").as_posix()
        audio_id = f"{folder}_{own_id}"
        with open(scp, "a", encoding="utf-8") as f:
            f.write(f"{audio_id} {written}\n")
        return audio_id

    def scp_line(self, domain: str, folder: str, line: str) -> None:
        scp = self.root / "scp_files" / domain / f"{folder}.scp"
        scp.parent.mkdir(parents=True, exist_ok=True)
        with open(scp, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def jsonl(
        self,
        domain: str,
        folder: str,
        records: list,
        kind: str = "understanding",
        part: str = "train_dev",
        name: str = "data.jsonl",
        raw_lines: Iterable[str] = (),
    ) -> Path:
        path = self.root / "metadata" / domain / kind / part / folder / "jsonl" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
            for line in raw_lines:
                f.write(line + "\n")
        return path
