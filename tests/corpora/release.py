"""The released Audio-FLAN files in their layout: ``metadata/<domain>/<understanding|generation>/<train_dev|test>/
<NNN_Corpus>/jsonl/*.jsonl`` (one finished instance a line), ``scp_files/<domain>/<NNN_Corpus>.scp`` (``<audio id>
<relative path>``) and ``audio_files/<domain>/<NNN_Corpus>/...``. :class:`Release` builds any copy."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from .common import Corpus, replace_line, signal, wav_bytes


def write_wav(path: Path, seconds: float = 0.25, rate: int = 16000, freq: float = 440.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(signal(rate, seconds, freq), rate))
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


# ----------------------------------------------------------------------------------------- the test copy

LIB = "13_LibriTTS-R"
#: the config whose part of the release the conformance suite reads (the release is narrowed to one config)
CONFIG = "speech.asr"


def build(base: Path) -> Corpus:
    """``base/release/`` with ASR records (train, dev and test) of one corpus folder and a record of another
    task in the same file, which the narrowed reader leaves to its own config."""
    rel = Release(base / "release")
    expected = {}
    train = []
    for i in range(6):
        audio_id = rel.audio("speech", LIB, f"utt{i}", freq=300.0 + 20 * i)
        train.append(record(f"asr-{i}", "ASR", inp=f"audio: <|SOA|>{audio_id}<|EOA|>", out=f"words {i}"))
        expected[f"asr-{i}"] = {"split": "train", "output": f"words {i}"}
    dev_id = rel.audio("speech", LIB, "dev0")
    train.append(record("asr-dev", "ASR", inp=f"<|SOA|>{dev_id}<|EOA|>", split=["dev"]))
    expected["asr-dev"] = {"split": "validation", "output": "hello"}
    train.append(record("emo-0", "Emotion Recognition", inp=f"<|SOA|>{dev_id}<|EOA|>", out="happy"))
    rel.jsonl("speech", LIB, train)
    test_id = rel.audio("speech", LIB, "test0")
    rel.jsonl("speech", LIB, [record("asr-test", "ASR", inp=f"<|SOA|>{test_id}<|EOA|>", split=["test"])], part="test")
    expected["asr-test"] = {"split": "test", "output": "hello"}
    return Corpus(rel.root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "metadata/speech/understanding/train_dev" / LIB / "jsonl/data.jsonl"
    replace_line(path, 2, '{"instruction": "Do the task.", "input": ')
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "audio_files/speech" / LIB / "utt3.wav").unlink()
    return "train", "asr-3"
