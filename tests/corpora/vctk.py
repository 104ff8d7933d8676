"""VCTK 0.92 as ``VCTK-Corpus-0.92.zip`` extracts: ``speaker-info.txt`` (header ``ID  AGE  GENDER  ACCENTS  REGION
COMMENTS``, space-aligned rows, comments in parentheses), ``txt/<spk>/<utt>.txt`` and
``wav48_silence_trimmed/<spk>/<utt>_mic{1,2}.flac`` (48 kHz), with the corpus's known gaps: p280 has no mic2,
p315 has no text, s5 has no row in speaker-info.txt, some recordings have no transcript."""

from __future__ import annotations

import io
from pathlib import Path

import soundfile as sf

from .common import Corpus, apple_double, replace_line, signal

RATE = 48000
HEADER = "ID  AGE  GENDER  ACCENTS  REGION COMMENTS "
# (id, age, gender, accent, region with comment, utterance texts, mics)
SPEAKERS = [
    (
        "p225",
        "23",
        "F",
        "English",
        "Southern  England",
        ["Please call Stella.", "Ask her to bring these things."],
        ("mic1", "mic2"),
    ),
    (
        "p226",
        "22",
        "M",
        "English",
        "Surrey",
        ["Six spoons of fresh snow peas.", "Five thick slabs of blue cheese.", "We also need a small plastic snake."],
        ("mic1", "mic2"),
    ),
    ("p234", "22", "F", "Scottish", "West Dumfries", ["Maybe a snack for her brother Bob."], ("mic1", "mic2")),
    (
        "p245",
        "25",
        "M",
        "Irish",
        "Dublin",
        ["We will go meet her Wednesday.", "At the train station."],
        ("mic1", "mic2"),
    ),
    (
        "p280",
        "25",
        "F",
        "Unknown",
        "France (mic2 files unavailable)",
        ["When the sunlight strikes raindrops.", "They act as a prism."],
        ("mic1",),
    ),
    (
        "p294",
        "33",
        "F",
        "American",
        "San  Francisco",
        ["The rainbow is a division of white light.", "Into many beautiful colors."],
        ("mic1", "mic2"),
    ),
    (
        "p351",
        "21",
        "F",
        "NorthernIrish",
        "Derry",
        ["These take the shape of a long round arch.", "With its path high above."],
        ("mic1", "mic2"),
    ),
]
ROW = "{}  {}  {}    {}  {}"


def speaker_info(rows) -> str:
    return "\n".join([HEADER, *(ROW.format(*row) for row in rows)]) + "\n"


def write(root: Path, speakers, utterances) -> None:
    """speaker-info.txt for (id, age, gender, accent, region) rows, the documents, and each (speaker, number,
    text or None, {mic: FLAC bytes}) utterance."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("README.txt", "license_text", "update.txt"):
        (root / name).write_text(f"{name}: placeholder\n", encoding="utf-8")
    (root / "speaker-info.txt").write_text(speaker_info(speakers), encoding="utf-8")
    for speaker, n, text, audio in utterances:
        utt = f"{speaker}_{n:03d}"
        if text is not None:
            (root / "txt" / speaker).mkdir(parents=True, exist_ok=True)
            (root / "txt" / speaker / f"{utt}.txt").write_text(text + "\n", encoding="utf-8")
        for mic, flac in audio.items():
            folder = root / "wav48_silence_trimmed" / speaker
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{utt}_{mic}.flac").write_bytes(flac)


def flac(freq: float) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, signal(RATE, 0.03, freq), RATE, format="FLAC")
    return buffer.getvalue()


def tones(mics, freq: float) -> dict[str, bytes]:
    return {mic: flac(freq * (1.0 if mic == "mic1" else 1.5)) for mic in mics}


def build(base: Path) -> Corpus:
    from audio_flan.sources.vctk import split_of  # the split is the parser's documented rule

    root = base / "VCTK-Corpus-0.92"
    rows = [(s, a, g, acc, reg) for s, a, g, acc, reg, _, _ in SPEAKERS]
    rows.append(("p315", "18", "M", "American", "Connecticut  (Text missing)"))
    utterances, expected = [], {}
    for k, (speaker, _age, _gender, _accent, _region, texts, mics) in enumerate(SPEAKERS):
        for n, text in enumerate(texts, 1):
            utterances.append((speaker, n, text, tones(mics, 200.0 + 20 * k + n)))
            utt, mic = f"{speaker}_{n:03d}", "mic2" if "mic2" in mics else "mic1"
            audio = root / "wav48_silence_trimmed" / speaker / f"{utt}_{mic}.flac"
            expected[utt] = {"split": split_of(speaker), "text": text, "audio": str(audio)}
        utterances.append((speaker, 99, None, tones(mics, 900.0)))  # a recording with no transcript
    utterances.append(("p315", 1, None, tones(("mic1",), 500.0)))  # p315: audio, no text
    utterances.append(("s5", 1, "Hello from s5.", tones(("mic1", "mic2"), 510.0)))  # s5: no speaker-info row
    write(root, rows, utterances)
    apple_double(root / "txt" / "p225" / "p225_001.txt")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "speaker-info.txt"
    replace_line(path, 3, "p226  twenty-two  M    English    Surrey")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    for mic in ("mic1", "mic2"):
        (corpus.root / "wav48_silence_trimmed" / "p226" / f"p226_002_{mic}.flac").unlink()
    return corpus.expected["p226_002"]["split"], "p226_002"
