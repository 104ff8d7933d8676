"""KeSpeech as the release delivers it: ``Audio/<spk>/phase{1,2}/<utt>.wav`` (16 kHz), ``Metadata/`` Kaldi tables
(``phase{1,2}.{text,wav.scp}``, ``phase1.utt2subdialect``, ``utt2spk``, ``spk2{age,gender,city}``) and
``Tasks/ASR/<subset>/{wav.scp,text,utt2spk,utt2subdialect}``, with the known quirks: ``<SPOKEN_NOISE>`` in text,
a ``wav.scp`` command entry, tables in different orders, a speaker absent from ``Metadata/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
# speaker, Female/Male, age, city (a speaker listed in Tasks but absent from Metadata has no row here)
SPEAKERS = [
    ("1000001", "Female", "23", "Chengdu"),
    ("1000002", "Male", "35", "Beijing"),
    ("1000003", "Female", "41", "Jinan"),
    ("1000004", "Male", "19", "Shenyang"),
    ("1000005", "Female", "28", "Xian"),
    ("1000006", "Male", "52", "Nanjing"),
]
# subset, speaker, 8-hex suffix, phase, subdialect, text
UTTERANCES = [
    ("train_phase1", "1000001", "0a1b2c3d", "phase1", "Southwestern", "今天 天气 很 好"),
    ("train_phase1", "1000001", "0a1b2c3e", "phase1", "Southwestern", "我们 去 吃 火锅"),
    ("train_phase1", "1000002", "1b2c3d4e", "phase1", "Beijing", "<SPOKEN_NOISE> 请 关 门"),
    ("train_phase1", "1000002", "1b2c3d4f", "phase1", "Beijing", "明天 见"),
    ("train_phase1", "1000003", "2c3d4e5f", "phase1", "Ji-Lu", "<SPOKEN_NOISE>"),
    ("train_phase1", "1000003", "2c3d4e60", "phase1", "Ji-Lu", "打开 空调"),
    ("train_phase1", "1000007", "3d4e5f60", "phase1", "Zhongyuan", "你 好"),  # no Metadata rows
    ("train_phase1", "1000007", "3d4e5f61", "phase1", "Zhongyuan", "再见"),
    ("train_phase2", "1000001", "4e5f6071", "phase2", "Mandarin", "今天 天气 很 好"),
    ("train_phase2", "1000002", "4e5f6072", "phase2", "Mandarin", "请 关 门"),
    ("train_phase2", "1000003", "4e5f6073", "phase2", "Mandarin", "打开 空调"),
    ("dev_phase1", "1000004", "5f607182", "phase1", "Northeastern", "放 首 歌"),
    ("dev_phase1", "1000004", "5f607183", "phase1", "Northeastern", "几 点 了"),
    ("dev_phase2", "1000004", "60718293", "phase2", "Mandarin", "放 首 歌"),
    ("test", "1000005", "718293a4", "phase1", "Lan-Yin", "下雨 了"),
    ("test", "1000005", "718293a5", "phase2", "Mandarin", "下雨 了"),
    ("test", "1000006", "8293a4b5", "phase1", "Jiang-Huai", "吃 饭 了 吗"),
]
COMMAND = ("train_phase1", "1000002", "1b2c3d50")  # a wav.scp entry that is a command, not a file
SPLITS = {"train_phase1": "train", "train_phase2": "train", "dev_phase1": "validation", "dev_phase2": "validation"}


def utt_id(speaker: str, suffix: str) -> str:
    return f"{speaker}_{suffix}"


def audio_rel(speaker: str, phase: str, utt: str) -> str:
    return f"Audio/{speaker}/{phase}/{utt}.wav"


def _table(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k} {v}\n" for k, v in rows), encoding="utf-8")


def write(root: Path, speakers, utterances, audio: Callable[[int, str, str], bytes], command=None) -> None:
    """The release for (speaker, gender, age, city) rows and (subset, speaker, suffix, phase, subdialect, text)
    utterances; ``audio(k, utt, text)`` gives the k-th utterance's WAV bytes."""
    for k, (_part, spk, suffix, phase, _dialect, text) in enumerate(utterances):
        utt = utt_id(spk, suffix)
        path = root / audio_rel(spk, phase, utt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(audio(k, utt, text))
    meta = root / "Metadata"
    _table(meta / "spk2gender", [(s, g) for s, g, _, _ in speakers])
    _table(meta / "spk2age", [(s, a) for s, _, a, _ in speakers])
    _table(meta / "spk2city", [(s, c) for s, _, _, c in speakers])
    _table(meta / "utt2spk", sorted((utt_id(s, x), s) for _, s, x, _, _, _ in utterances))
    for phase in ("phase1", "phase2"):
        rows = sorted((utt_id(s, x), (ph, d, t)) for _, s, x, ph, d, t in utterances if ph == phase)
        _table(meta / f"{phase}.text", [(u, t) for u, (_, _, t) in rows])
        _table(meta / f"{phase}.wav.scp", [(u, audio_rel(u[:7], phase, u)) for u, _ in rows])
        if phase == "phase1":
            _table(meta / "phase1.utt2subdialect", [(u, d) for u, (_, d, _) in rows])
            _table(meta / "phase1.utt2style", [(u, "Dialect") for u, _ in rows])
    for part in (*SPLITS, "test"):
        rows = [(utt_id(s, x), s, ph, d, t) for p, s, x, ph, d, t in utterances if p == part]
        folder = root / "Tasks" / "ASR" / part
        scp = [(u, audio_rel(s, ph, u)) for u, s, ph, _, _ in rows]
        if command and command[0] == part:
            utt = utt_id(command[1], command[2])
            scp.append((utt, f"sox Audio/{command[1]}/phase1/{utt}.flac -t wav - |"))
        _table(folder / "wav.scp", scp)
        extra = [(utt_id(command[1], command[2]),)] if command and command[0] == part else []
        # the other tables sorted differently from wav.scp: joined by id, not zipped
        _table(
            folder / "text",
            sorted([(u, t) for u, _, _, _, t in rows] + [(e[0], "请 开 灯") for e in extra], reverse=True),
        )
        _table(folder / "utt2spk", sorted([(u, s) for u, s, _, _, _ in rows] + [(e[0], e[0][:7]) for e in extra]))
        _table(folder / "utt2subdialect", [(u, d) for u, _, _, d, _ in rows] + [(e[0], "Beijing") for e in extra])


def tone(k: int, utt: str, text: str) -> bytes:
    return wav_bytes(signal(RATE, 0.05, 200.0 + 15 * k), RATE)


def build(base: Path) -> Corpus:
    root = base / "KeSpeech"
    write(root, SPEAKERS, UTTERANCES, tone, command=COMMAND)
    apple_double(root / "Audio" / "1000001" / "phase1" / "1000001_0a1b2c3d.wav")
    expected = {}
    for part, spk, suffix, phase, dialect, text in UTTERANCES:
        clean = " ".join(text.replace("<SPOKEN_NOISE>", " ").split())
        if not clean:
            continue  # only noise: skipped
        utt = utt_id(spk, suffix)
        expected[utt] = {
            "split": SPLITS.get(part, "test"),
            "text": clean,
            "dialect": dialect,
            "speaker": spk,
            "audio": str(root / audio_rel(spk, phase, utt)),
        }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "Metadata" / "spk2age"
    replace_line(path, 2, "1000002 thirty-five")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    utt = "1000002_1b2c3d4f"
    Path(corpus.expected[utt]["audio"]).unlink()
    return "train", utt
