"""AISHELL-2 as the licensed release holds it: ``AISHELL-2/iOS/{data,dev,test}/`` each with ``trans.txt`` and
``wav.scp`` (tab-separated, paths relative to the folder) and ``wav/<spk>/<utt>.wav`` (16 kHz); with the known
quirks: full-width letters, 𫖯, apostrophes between Chinese characters, an id in one list and not the other; and
``iOS/data/spk_info.txt`` (``<speaker>\t<?>\t<女|男>\t<region>``, no header; it lists speakers whose audio is not
in the copy and lacks one that is). Its second column's meaning is not pinned down (no reader found reads it): the
fixture writes a composed placeholder there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# split folder, speaker, utterance id, transcript
UTTERANCES = [
    ("data", "C0001", "IC0001W0001", "帮我打开空调"),
    ("data", "C0001", "IC0001W0002", "我要去ＡＴＭ取钱"),
    ("data", "C0002", "IC0002W0001", "搬不走的要及时'关停并转'"),
    ("data", "C0002", "IC0002W0002", "帮我放一首歌Let's"),
    ("data", "C0003", "IC0003W0001", "赵孟𫖯的字"),
    ("dev", "D0011", "ID0011W0001", "今天天气很好"),
    ("dev", "D0011", "ID0011W0002", "明天见"),
    ("test", "T0021", "IT0021W0001", "几点了"),
    ("test", "T0022", "IT0022W0001", "晚安"),
]
NO_TEXT = ("data", "C0003", "IC0003W0002", None)  # in wav.scp, not in trans.txt
NO_WAV = ("data", "C0001", "IC0001W0003", "这句没有录音")  # in trans.txt, not in wav.scp
SPLITS = {"data": "train", "dev": "validation", "test": "test"}
# the training folder's spk_info.txt: speaker, second column (not pinned down), gender, region; C0003 is not listed
SPEAKER_INFO = [("C0001", "-", "女", "North"), ("C0002", "-", "男", "South"), ("C0009", "-", "女", "Other_Areas")]
GENDERS = {"C0001": "female", "C0002": "male"}


def write(
    root: Path, utterances, audio: Callable[[str, str], bytes], channel="iOS", no_text=(), no_wav=(), speaker_info=()
) -> None:
    """``root/<channel>/<split>/`` for (split folder, speaker, utterance, text) utterances; ``audio(utt, text)`` gives
    a WAV's bytes. ``no_text`` utterances get a WAV and a wav.scp entry only, ``no_wav`` a trans.txt line only;
    ``speaker_info`` rows go into the training folder's ``spk_info.txt``."""
    for folder in SPLITS:
        base = root / channel / folder
        rows = [u for u in (*utterances, *no_text, *no_wav) if u[0] == folder]
        if not rows:
            continue
        base.mkdir(parents=True, exist_ok=True)
        with_wav = [u for u in rows if u not in no_wav]
        with_text = [u for u in rows if u not in no_text]
        scp = "".join(f"{u}\twav/{s}/{u}.wav\n" for _, s, u, _ in with_wav)
        (base / "wav.scp").write_text(scp, encoding="utf-8")
        (base / "trans.txt").write_text("".join(f"{u}\t{t}\n" for _, _, u, t in with_text), encoding="utf-8")
        if folder == "data" and speaker_info:
            rows_text = "".join("\t".join(row) + "\n" for row in speaker_info)
            (base / "spk_info.txt").write_text(rows_text, encoding="utf-8")
        for _, speaker, utt, text in with_wav:
            path = base / "wav" / speaker / f"{utt}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(audio(utt, text or "你好"))


def tone(utt: str, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.04, 150.0 + int(utt[2:6]) * 9 + int(utt[-2:])), RATE)


def build(base: Path) -> Corpus:
    root = base / "AISHELL-2"
    write(root, UTTERANCES, tone, no_text=[NO_TEXT], no_wav=[NO_WAV], speaker_info=SPEAKER_INFO)
    apple_double(root / "iOS" / "data" / "wav" / "C0001" / "IC0001W0001.wav")
    expected = {
        f"iOS_{utt}": {
            "split": SPLITS[folder],
            "text": text,
            "speaker": speaker,
            "gender": GENDERS.get(speaker),
            "audio": str(root / "iOS" / folder / "wav" / speaker / f"{utt}.wav"),
        }
        for folder, speaker, utt, text in UTTERANCES
    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "iOS" / "dev" / "trans.txt"
    replace_line(path, 2, "ID0011W0002 明天见")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["iOS_IC0002W0001"]["audio"]).unlink()
    return "train", "iOS_IC0002W0001"
