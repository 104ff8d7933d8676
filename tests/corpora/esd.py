"""ESD as its zip extracts: ``Emotion Speech Dataset/ReadMe.txt``, ``<spk>/<spk>.txt`` (``<id>\\t<text>\\t<emotion>``,
no header, in the speaker's own encoding: GB2312 for 0001, UTF-16 with a byte-order mark for 0003 and 0013,
UTF-8 for 0011, Latin-1 for 0016) and ``<spk>/<Emotion>/{train,evaluation,test}/<id>.wav`` (16 kHz), with the
corpus's quirks: a line separated by spaces instead of tabs, Chinese emotion words, a transcript line whose
audio is absent, and one speaker (0016) in a mirror's flattened ``<spk>/<Emotion>/<id>.wav`` layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
TOP = "Emotion Speech Dataset"
EMOTIONS = ("Neutral", "Angry", "Happy", "Sad", "Surprise")
CHINESE_WORDS = {"Neutral": "中立", "Angry": "生气", "Happy": "快乐", "Sad": "伤心", "Surprise": "惊喜"}
SENTENCES = (1, 2, 21, 22, 51, 52)  # two evaluation, two test, two train sentences of each block
TEXTS = {
    "zh": {1: "打远一看，它们的确很美。", 2: "我们去公园散步吧。", 21: "今天的天气非常好。", 22: "他在图书馆看书。",
           51: "妈妈做的饭很好吃。", 52: "明天早上八点出发。"},
    "en": {1: "Author of the danger trail.", 2: "They had the café to themselves.", 21: "The nine the eggs.",
           22: "I am going to the store.", 51: "Take a seat by the window.", 52: "She sells sea shells."},
}  # fmt: skip
# speaker -> (language, encoding of <spk>.txt, flattened layout)
SPEAKERS = {
    "0001": ("zh", "gb2312", False),
    "0003": ("zh", "utf-16", False),
    "0011": ("en", "utf-8", False),
    "0013": ("en", "utf-16", False),
    "0016": ("en", "latin-1", True),
}
README = "ESD: 0001: Chinese Female ... 0020: English Male. The ESD database only can be used for research purpose.\n"
SPACED = ("0011", 52)  # the line written with spaces instead of tabs
ABSENT = ("0016", 4 * 350 + 51)  # listed in the transcript, no audio


def number(block: int, sentence: int) -> int:
    return block * 350 + sentence


def transcript(speaker: str, rows: list[tuple[str, str, str]], encoding: str, spaced: set[str] = frozenset()) -> bytes:
    """``<spk>.txt``: (utterance id, text, emotion word) rows, tab-separated (spaces for ids in ``spaced``)."""
    lines = [(" " if utt in spaced else "\t").join((utt, text, word)) for utt, text, word in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def split_folder(sentence: int) -> str:
    return "evaluation" if sentence <= 20 else "test" if sentence <= 50 else "train"


def write_speaker(
    root: Path,
    speaker: str,
    rows: list[tuple[str, str, str]],
    encoding: str,
    audio: dict[str, bytes],
    flat: bool = False,
    spaced: set[str] = frozenset(),
) -> dict[str, Path]:
    """One speaker folder: its transcript and the WAV bytes of ``audio`` (by utterance id). Returns the paths."""
    folder = root / speaker
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{speaker}.txt").write_bytes(transcript(speaker, rows, encoding, spaced))
    paths = {}
    for utt, data in audio.items():
        n = int(utt.split("_")[1])
        emotion, sentence = EMOTIONS[(n - 1) // 350], (n - 1) % 350 + 1
        where = folder / emotion if flat else folder / emotion / split_folder(sentence)
        where.mkdir(parents=True, exist_ok=True)
        (where / f"{utt}.wav").write_bytes(data)
        paths[utt] = where / f"{utt}.wav"
    return paths


def tone(speaker: str, n: int) -> bytes:
    return wav_bytes(signal(RATE, 0.03, 150.0 + int(speaker) * 10 + n % 7), RATE)


def build(base: Path, speech: Callable[[str, str, str], bytes] | None = None) -> Corpus:
    """The fixture corpus; ``speech(text, language, speaker)`` gives each utterance's WAV bytes (tones if None)."""
    from audio_flan.sources.esd import split_of  # the split rule is the parser's documented one

    root = base / TOP
    root.mkdir(parents=True, exist_ok=True)
    (root / "ReadMe.txt").write_text(README, encoding="utf-8")
    expected = {}
    for speaker, (language, encoding, flat) in SPEAKERS.items():
        rows, audio = [], {}
        for block, emotion in enumerate(EMOTIONS):
            for sentence in SENTENCES:
                n = number(block, sentence)
                utt, text = f"{speaker}_{n:06d}", TEXTS[language][sentence]
                if speaker == "0013" and sentence == 1:
                    text = text.upper()  # the same sentence, spelled differently: still parallel
                rows.append((utt, text, CHINESE_WORDS[emotion] if language == "zh" else emotion))
                if (speaker, n) == ABSENT:
                    continue
                audio[utt] = speech(text, language, speaker) if speech else tone(speaker, n)
                expected[utt] = {"split": split_of(n), "text": text, "emotion": emotion.lower(), "speaker": speaker}
        spaced = {f"{SPACED[0]}_{SPACED[1]:06d}"} if speaker == SPACED[0] else set()
        paths = write_speaker(root, speaker, rows, encoding, audio, flat, spaced)
        for utt, path in paths.items():
            expected[utt]["audio"] = str(path)
    apple_double(root / "0001" / "Neutral" / "train" / "0001_000051.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "0011" / "0011.txt"
    replace_line(path, 3, "0011_000051")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    utt = "0003_000371"  # Angry, sentence 21: test
    Path(corpus.expected[utt]["audio"]).unlink()
    return corpus.expected[utt]["split"], utt
