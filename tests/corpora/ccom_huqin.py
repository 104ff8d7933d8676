"""CCOM-HuQin v2.0.1 as ``CCOM-HuQin-v2.0.1-audios.zip`` extracts: ``SinglePT/<Instrument>[-<n>]/<PT>/<n>_..._<n>.wav``
(48 kHz mono, 32-bit integer PCM as the corpus ships it), ``metadata-v2.0.csv`` over the excerpts, one
``Excerpts/`` piece (never read), a stray WAV at the wrong depth, a folder that is not a technique, and macOS
debris.

The corpus lists no files (it is its folders): ``drop_audio`` deletes a clip, which must just be gone, and
``malform`` puts debris where a copy collects it, which must change nothing."""

from __future__ import annotations

from pathlib import Path

from .common import APPLEDOUBLE, Corpus, signal, wav_bytes

RATE = 48000
ROOT = "CCOM-HuQin-v2.0.1-audios"
METADATA = False
#: (instrument folder, technique folder, file name, label)
FILES = [
    ("Erhu-1", "Vibrato", "1_1_8_1_1_1_1_1_1.wav", "vibrato"),
    ("Erhu-1", "Vibrato", "1_1_8_1_2_1_1_1_1.wav", "vibrato"),
    ("Erhu-1", "Trill", "1_2_3_1_1_1_1_1_1.wav", "trill"),
    ("Erhu-1", "Trill", "1_2_3_2_1_1_1_1_1.wav", "trill"),
    ("Erhu-1", "Port", "1_3_1_1_1_1_1_1_1.wav", "portamento"),
    ("Erhu-1", "DunG", "1_4_1_1_1_1_1_1_1.wav", "dungong"),
    ("Erhu-1", "DunG", "1_4_2_1_1_1_1_1_1.wav", "dungong"),
    ("Erhu-2", "Pizz", "2_5_1_1_1_1_1_1_1.wav", "pizzicato"),
    ("Erhu-2", "Pizz", "2_5_2_1_1_1_1_1_1.wav", "pizzicato"),
    ("Erhu-2", "PaoG", "2_6_1_1_1_1_1_1_1.wav", "paogong"),
    ("Erhu-2", "Appoggiatura", "2_7_1_1_1_1_1_1_1.wav", "appoggiatura"),
    ("Banhu", "TiaoG", "3_8_1_1_1_1_1_1_1.wav", "tiaogong"),
    ("Banhu", "TiaoG", "3_8_2_1_1_1_1_1_1.wav", "tiaogong"),
    ("Banhu", "Tremolo", "3_9_1_1_1_1_1_1_1.wav", "tremolo"),
    ("Banhu", "DaJiG", "3_10_1_1_1_1_1_1_1.wav", "dajigong"),
]
NOT_A_TECHNIQUE = ("Erhu-1", "Warmup", "1_0_1_1_1_1_1_1_1.wav")
METADATA_CSV = (
    "Name(CH),Filename(Pinyin),Region,Date,Instrument,Duration,Performer,Composers,Description\n"
    "赛马,SaiMa,Inner Mongolia,1959,Erhu,00:02:10,Performer 1,Huang Haihuai,A horse race\n"
)


def clip(freq: float) -> bytes:
    return wav_bytes(signal(RATE, 0.05, freq), RATE, subtype="PCM_32")


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for k, (instrument, technique, name, label) in enumerate(FILES):
        folder = root / "SinglePT" / instrument / technique
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(clip(300.0 + 25 * k))
        expected[f"{instrument}/{technique}/{name[:-4]}"] = {
            "audio": str(folder / name),
            "technique": label,
            "instrument": instrument.split("-")[0].lower(),
            "performer": instrument.split("-")[1] if "-" in instrument else "",
            "split": "train",
        }
    instrument, technique, name = NOT_A_TECHNIQUE
    (root / "SinglePT" / instrument / technique).mkdir(parents=True)
    (root / "SinglePT" / instrument / technique / name).write_bytes(clip(200.0))
    (root / "SinglePT" / "Erhu-1" / "stray.wav").write_bytes(clip(210.0))
    (root / "SinglePT" / "Erhu-1" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    macosx = root / "__MACOSX" / "SinglePT" / "Erhu-1" / "Vibrato"
    macosx.mkdir(parents=True)
    (macosx / "._1_1_8_1_1_1_1_1_1.wav").write_bytes(APPLEDOUBLE)
    piece = root / "Excerpts" / "Erhu" / "SaiMa"
    piece.mkdir(parents=True)
    (piece / "SaiMa.wav").write_bytes(wav_bytes(signal(RATE, 0.05, 440.0), RATE, subtype="FLOAT"))
    (piece / "SaiMa-onset.csv").write_text("0.5,440.0,0.25\n", encoding="utf-8")
    (root / "metadata-v2.0.csv").write_text(METADATA_CSV, encoding="utf-8")
    (root / "PTNamingConvention.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, None]:
    """No metadata to spoil: debris where a copy collects it (a note, a dot file, a folder named like audio)."""
    folder = corpus.root / "SinglePT" / "Erhu-2" / "Pizz"
    (folder / "notes.txt").write_text("retake\n", encoding="utf-8")
    (folder / "._2_5_1_1_1_1_1_1_1.wav").write_bytes(APPLEDOUBLE)
    (folder / "empty.wav").mkdir()
    return folder, None


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "Erhu-1/Trill/1_2_3_1_1_1_1_1_1"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
