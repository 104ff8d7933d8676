"""VocalSet 1.2 as ``VocalSet1-2.zip`` extracts: ``FULL/<female1|male1...>/<context>/<technique>/*.wav`` (44.1 kHz
mono) with its quirks: a file without the singer prefix, a misnamed one, a ``(1)`` duplicate, an exercise folder
that is not one of the ten techniques, a stray WAV at the wrong depth, ``.DS_Store``, ``__MACOSX/``, and the
singer lists ``train_singers_technique.txt`` / ``test_singers_technique.txt``.

VocalSet lists no files, so ``drop_audio`` cannot make a listed file go missing: it empties one WAV instead (an
unreadable clip, which the parser must skip and count)."""

from __future__ import annotations

from pathlib import Path

from .common import APPLEDOUBLE, Corpus, replace_line, signal, wav_bytes

RATE = 44100
ROOT = "VocalSet"
#: (singer folder, context, technique, file name)
FILES = [
    ("female1", "arpeggios", "belt", "f1_arpeggios_belt_a.wav"),
    ("female1", "arpeggios", "breathy", "f1_arpeggios_breathy_e.wav"),
    ("female1", "scales", "vibrato", "f1_scales_vibrato_i.wav"),
    ("female1", "long_tones", "straight", "f1_long_straight_o.wav"),
    ("female1", "arpeggios", "lip_trill", "lip_trill_arps.wav"),  # no singer prefix
    ("female2", "scales", "vocal_fry", "f2_scales_vocal_fry_u.wav"),
    ("female2", "scales", "vibrato", "f2_scales_vibrato_a.wav"),
    ("female2", "arpeggios", "trill", "f2_arpeggios_trill_a.wav"),
    ("male1", "arpeggios", "straight", "arpeggios_straight_a.wav"),  # misnamed
    ("male1", "excerpts", "spoken", "m1_caro_spoken.wav"),
    ("male1", "scales", "trillo", "m1_scales_trillo_e.wav"),
    ("male1", "long_tones", "inhaled", "m1_long_inhaled_a.wav"),
    ("male3", "arpeggios", "belt", "m3_arpeggios_belt_o.wav"),
    ("male3", "scales", "breathy", "m3_scales_breathy_i.wav"),
]
DUPLICATE = ("female2", "scales", "vibrato", "f2_scales_vibrato_a(1).wav")
OTHER_EXERCISE = ("female1", "scales", "fast_forte", "f1_scales_fast_forte_a.wav")
TEST = ("female2", "male3")


def build(base: Path) -> Corpus:
    root = base / ROOT
    expected = {}
    for k, (singer, context, technique, name) in enumerate(FILES + [DUPLICATE, OTHER_EXERCISE]):
        folder = root / "FULL" / singer / context / technique
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(wav_bytes(signal(RATE, 0.05, 220.0 + 20 * k), RATE))
        if (singer, context, technique, name) in (DUPLICATE, OTHER_EXERCISE):
            continue
        short = ("f" if singer.startswith("female") else "m") + singer.lstrip("femal")
        expected[f"{singer}/{context}/{technique}/{name[:-4]}"] = {
            "audio": str(folder / name),
            "technique": technique,
            "singer": short,
            "gender": "female" if singer.startswith("female") else "male",
            "context": context,
            "split": "test" if singer in TEST else "train",
        }
    (root / "FULL" / "male1" / "stray_vibrato.wav").write_bytes(wav_bytes(signal(RATE, 0.05, 300.0), RATE))
    (root / "FULL" / "female1" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    macosx = root / "__MACOSX" / "FULL" / "female1" / "arpeggios" / "belt"
    macosx.mkdir(parents=True)
    (macosx / "._f1_arpeggios_belt_a.wav").write_bytes(APPLEDOUBLE)
    (root / "test_singers_technique.txt").write_text("female2\nmale3\n", encoding="utf-8")
    (root / "train_singers_technique.txt").write_text("female1\nmale1\n", encoding="utf-8")
    (root / "readme-anon.txt").write_text("VocalSet: a singing voice dataset.\n", encoding="utf-8")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "test_singers_technique.txt"
    replace_line(path, 2, "tenor3")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = sorted(corpus.ids("train"))[0]
    Path(corpus.expected[rid]["audio"]).write_bytes(b"")
    return "train", rid
