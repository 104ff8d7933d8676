"""aidatatang_200zh as ``aidatatang_200zh.tgz`` extracts, the per-speaker tarballs ``corpus/<split>/G####.tar.gz``
unpacked in place (and left there) into ``corpus/<split>/G####/T0055G####S####.wav`` (16 kHz) with their
``.txt`` and ``.metadata`` side files, and ``transcript/aidatatang_200_zh_transcript.txt`` (word-segmented,
full-width letters); with a WAV without transcript line and a speaker tarball left packed.

``.metadata``: ``KEY<TAB>value`` lines, UTF-8. What two third-party readers of the real files pin down is written
as they read it: ``SEX`` (``Female``/``Male``) on line 22, ``AGE`` (years) on 23, ``BIR`` (birthplace) on 26,
``ACC`` (accent) among them; the other lines are composed in the same key-tab-value shape (SAM-style header keys)
so that the labels are not the first lines, as in the real files."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# split, utterance id, word-segmented transcript (None: a WAV the transcript does not list)
UTTERANCES = [
    ("train", "T0055G0002S0001", "以后 你 是 男孩子"),
    ("train", "T0055G0002S0002", "兰州 哪有 买 Ａ 货"),
    ("train", "T0055G0013S0001", "看看 我 的 日程表"),
    ("train", "T0055G0013S0002", None),
    ("dev", "T0055G0101S0001", "明天 会 下雨 吗"),
    ("dev", "T0055G0101S0002", "放 一 首 歌"),
    ("test", "T0055G0201S0001", "几 点 了"),
    ("test", "T0055G0202S0001", "晚安"),
]
PACKED = [("train", "T0055G0020S0001", "你 好")]
# speaker: SEX, AGE (the .metadata values), birthplace
SPEAKERS = {
    "G0002": ("Female", "25", "北京"),
    "G0013": ("Male", "41", "四川"),
    "G0020": ("Male", "30", "河北"),
    "G0101": ("Female", "19", "山东"),
    "G0201": ("Male", "33", "广东"),
    "G0202": ("Female", "57", "湖南"),
}
LABELS = {  # what the parser should make of them
    "G0002": {"gender": "female", "age": 25, "age_group": "twenties"},
    "G0013": {"gender": "male", "age": 41, "age_group": "forties"},
    "G0020": {"gender": "male", "age": 30, "age_group": "thirties"},
    "G0101": {"gender": "female", "age": 19, "age_group": "teens"},
    "G0201": {"gender": "male", "age": 33, "age_group": "thirties"},
    "G0202": {"gender": "female", "age": 57, "age_group": "fifties"},
}


def metadata(utt: str, split: str, speakers=SPEAKERS) -> bytes:
    """An utterance's ``.metadata`` side file (see the module docstring for what is composed)."""
    speaker = utt[5:10]
    sex, age, birthplace = speakers[speaker]
    rows = [
        ("LHD", "SAM, 6.0"),
        ("DBN", "aidatatang_200zh"),
        ("SES", utt),
        ("CMT", "*** speech label information ***"),
        ("SRC", f"{utt}.wav"),
        ("DIR", f"corpus/{split}/{speaker}"),
        ("CCD", utt[-4:]),
        ("BEG", "0"),
        ("END", "-"),
        ("REP", "-"),
        ("RED", "-"),
        ("RET", "-"),
        ("CRP", "-"),
        ("SAM", "16000"),
        ("SNB", "2"),
        ("SBF", "01"),
        ("SSB", "16"),
        ("QNT", "PCM"),
        ("NCH", "1"),
        ("SCD", speaker),
        ("SPI", speaker),
        ("SEX", sex),
        ("AGE", age),
        ("ACC", "-"),
        ("ACT", "-"),
        ("BIR", birthplace),
    ]
    return "".join(f"{k}\t{v}\n" for k, v in rows).encode("utf-8")


SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def write(root: Path, utterances, audio: Callable[[str, str], bytes], packed=(), tarballs=True) -> None:
    """``root`` for (split, utterance, text or None) utterances; ``audio(utt, text)`` gives a WAV's bytes. Each
    speaker's tarball holds its WAVs and side files; it is unpacked in place except for ``packed`` utterances
    (``tarballs=False``: unpacked only)."""
    (root / "transcript").mkdir(parents=True, exist_ok=True)
    lines = sorted(f"{u} {t}" for _, u, t in (*utterances, *packed) if t is not None)
    (root / "transcript" / "aidatatang_200_zh_transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_speaker: dict[tuple[str, str], list] = {}
    for split, utt, text in (*utterances, *packed):
        by_speaker.setdefault((split, utt[5:10]), []).append((utt, text))
    unpacked = {u for _, u, _ in utterances}
    for (split, speaker), utts in sorted(by_speaker.items()):
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w:gz") as tar:
            for utt, text in utts:
                words = "".join((text or "你好").split())
                files = {
                    f"{utt}.wav": audio(utt, words),
                    f"{utt}.txt": (words + "\n").encode("utf-8"),
                    f"{utt}.metadata": metadata(utt, split),
                }
                for name, data in files.items():
                    info = tarfile.TarInfo(f"{speaker}/{name}")
                    info.size, info.mtime = len(data), 0
                    tar.addfile(info, io.BytesIO(data))
                    if utt in unpacked:
                        path = root / "corpus" / split / speaker / name
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(data)
        if tarballs:
            (root / "corpus" / split).mkdir(parents=True, exist_ok=True)
            (root / "corpus" / split / f"{speaker}.tar.gz").write_bytes(archive.getvalue())


def tone(utt: str, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.04, 150.0 + int(utt[6:10]) % 40 * 5 + int(utt[-2:])), RATE)


def build(base: Path) -> Corpus:
    root = base / "aidatatang_200zh"
    write(root, UTTERANCES, tone, packed=PACKED)
    apple_double(root / "corpus" / "train" / "G0002" / "T0055G0002S0001.wav")
    expected = {
        utt: {
            "split": SPLITS[split],
            "text": None if text is None else "".join(text.split()).replace("Ａ", "A"),
            "audio": str(root / "corpus" / split / utt[5:10] / f"{utt}.wav"),
            **LABELS[utt[5:10]],
        }
        for split, utt, text in UTTERANCES
    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "transcript" / "aidatatang_200_zh_transcript.txt"
    replace_line(path, 3, "T0055G0013S0001")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["T0055G0101S0002"]["audio"]).unlink()
    return "validation", "T0055G0101S0002"
