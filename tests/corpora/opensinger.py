"""OpenSinger as its archive extracts: ``ManRaw/`` and ``WomanRaw/`` holding ``<SingerID>_<SongName>/`` folders of
``<SingerID>_<SongName>_<n>.wav/.txt/.lab`` takes, ``LICENSE`` and ``README.md``. The quirks: singer ids that restart
in each gender folder (``ManRaw/5_...`` and ``WomanRaw/5_...``), Chinese song names and one holding ``_``, unpadded
line numbers (``_10``), a take without its ``.lab``, one without its ``.txt``, a ``.txt``/``.lab`` whose ``.wav`` is
absent, and the two folders at different sample rates. The WAVs are short tones."""

from __future__ import annotations

from pathlib import Path

from .common import Corpus, signal, wav_bytes

ROOT = "OpenSinger"
RATES = {"ManRaw": 24000, "WomanRaw": 44100}
LINE_A = "光年之外的你"
LINE_B = "缘分让我们相遇"
LINE_LEFT = "我往左边走"
#: gender folder, singer id, song, line number, lyrics (None: no .txt), whether a .lab is written
TAKES = [
    ("ManRaw", "5", "光年之外", 0, LINE_A, True),
    ("ManRaw", "5", "光年之外", 1, LINE_B, True),
    ("ManRaw", "5", "鼓楼", 0, "从前的鼓楼", True),
    ("WomanRaw", "5", "光年之外", 0, LINE_A, True),
    ("WomanRaw", "5", "光年之外", 1, "遥远的星光", False),  # no .lab
    ("WomanRaw", "5", "光年之外", 2, None, True),  # no .txt
    ("WomanRaw", "12", "Almost_lover", 0, "almost lover", True),
    ("WomanRaw", "12", "Almost_lover", 10, "goodbye my almost lover", True),
    ("WomanRaw", "1", "左边", 0, LINE_LEFT, True),  # train: the test singers' line is no parallel for it
    ("WomanRaw", "17", "左边", 0, LINE_LEFT, True),  # test
    ("WomanRaw", "17", "左边", 1, "你往右边走", True),
    ("ManRaw", "22", "左边", 0, LINE_LEFT, True),  # test
    ("ManRaw", "24", "喜欢你", 0, "喜欢你", True),  # validation
]
ABSENT = ("WomanRaw", "5", "光年之外", 3, "再见", True)  # .txt and .lab shipped, the .wav not
SPLITS = {"Man_5": "train", "Woman_5": "train", "Woman_12": "train", "Woman_1": "train"}
SPLITS.update({"Woman_17": "test", "Man_22": "test", "Man_24": "validation"})


def take_id(gender: str, singer: str, song: str, number: int) -> str:
    return f"{gender[: -len('Raw')]}_{singer}_{song}_{number}"


def write_take(
    root: Path, gender: str, singer: str, song: str, number: int, lyrics: str | None, lab: bool, audio: bytes | None
) -> Path:
    """One take's files in the published names; ``audio`` None leaves the .wav out. Returns the .wav path."""
    folder = root / gender / f"{singer}_{song}"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{singer}_{song}_{number}"
    if lyrics is not None:
        stem.with_suffix(".txt").write_text(lyrics + "\n", encoding="utf-8")
    if lab:
        stem.with_suffix(".lab").write_text("guang nian zhi wai de ni\n", encoding="utf-8")
    wav = stem.with_suffix(".wav")
    if audio is not None:
        wav.write_bytes(audio)
    return wav


def build(base: Path) -> Corpus:
    root = base / ROOT
    root.mkdir(parents=True)
    (root / "LICENSE").write_text("CC BY-NC-SA 4.0\n", encoding="utf-8")
    (root / "README.md").write_text("# OpenSinger\n", encoding="utf-8")
    expected = {}
    for k, (gender, singer, song, number, lyrics, lab) in enumerate(TAKES):
        rate = RATES[gender]
        wav = write_take(
            root, gender, singer, song, number, lyrics, lab, wav_bytes(signal(rate, 0.1, 220 + 20 * k), rate)
        )
        key = f"{gender[: -len('Raw')]}_{singer}"
        expected[take_id(gender, singer, song, number)] = {
            "audio": str(wav),
            "singer": key,
            "gender": "male" if gender == "ManRaw" else "female",
            "song": song,
            "lyrics": lyrics,
            "split": SPLITS[key],
        }
    gender, singer, song, number, lyrics, lab = ABSENT
    write_take(root, gender, singer, song, number, lyrics, lab, None)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """A lyrics file whose first line is not UTF-8 (a GBK byte pair)."""
    path = corpus.root / "WomanRaw" / "5_光年之外" / "5_光年之外_1.txt"
    path.write_bytes("光年之外".encode("gbk") + b"\n")
    return path, 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = take_id("ManRaw", "5", "光年之外", 1)
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
