"""Clotho 2.1 as Zenodo's files extract: ``clotho_captions_<split>.csv`` (header
``file_name,caption_1,...,caption_5``, only fields with a comma quoted, LF), ``clotho_metadata_<split>.csv``
(ISO-8859-1) and the ``development/``, ``validation/``, ``evaluation/`` WAV folders (44.1 kHz mono). File names with
spaces, one starting with a space; a caption with a double space; one listed clip absent."""

from __future__ import annotations

from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 44100
HEADER = "file_name,caption_1,caption_2,caption_3,caption_4,caption_5"
META_HEADER = "file_name,keywords,sound_id,sound_link,start_end_samples,manufacturer,license"
SPLITS = {"development": "train", "validation": "validation", "evaluation": "test"}
# (split folder, file name, five captions, present)
CLIPS = [
    (
        "development",
        " Ambience Birds.wav",
        [
            "Birds are chirping in the trees, and a car passes.",
            "Many birds sing while the wind blows.",
            "Birds call to each other  in a quiet park.",
            "Several birds chirp as traffic hums far away.",
            "A flock of birds tweets outdoors.",
        ],
        True,
    ),
    ("development", "Radio Garble.wav", [f"A radio crackles, then a voice speaks {n}." for n in range(1, 6)], True),
    ("development", "Gone Missing.wav", [f"Footsteps on gravel {n}" for n in range(1, 6)], False),
    ("validation", "Kitchen_Tap_01.wav", [f"Water runs from a tap {n}" for n in range(1, 6)], True),
    ("evaluation", "rain on roof.wav", [f"Rain falls steadily on a metal roof {n}" for n in range(1, 6)], True),
]


def quote(field: str) -> str:
    return f'"{field}"' if "," in field else field


def write(root: Path, clips) -> None:
    """The CSVs and WAV folders for (split folder, file name, captions, WAV bytes or None) clips."""
    root.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        rows = [c for c in clips if c[0] == split]
        (root / split).mkdir(exist_ok=True)
        lines = [HEADER] + [",".join(quote(f) for f in [name, *captions]) for _, name, captions, _ in rows]
        (root / f"clotho_captions_{split}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        meta = [META_HEADER] + [
            f"{quote(name)},birds;nature;caf\xe9,{100 + i},https://freesound.org/people/x/sounds/{100 + i}/,"
            f'"[0, 1323000]",Zoom H4n,http://creativecommons.org/licenses/by/3.0/'
            for i, (_, name, _, _) in enumerate(rows)
        ]
        (root / f"clotho_metadata_{split}.csv").write_text("\n".join(meta) + "\n", encoding="iso-8859-1")
        for _, name, _, wav in rows:
            if wav is not None:
                (root / split / name).write_bytes(wav)


def build(base: Path) -> Corpus:
    root = base / "clotho"
    clips = [
        (split, name, captions, wav_bytes(signal(RATE, 0.05, 400.0 + 30 * k), RATE) if present else None)
        for k, (split, name, captions, present) in enumerate(CLIPS)
    ]
    write(root, clips)
    expected = {}
    for split, name, captions, present in CLIPS:
        if not present:
            continue
        expected[name[:-4]] = {
            "split": SPLITS[split],
            "audio": str(root / split / name),
            "file_name": name,
            "caption": captions[0],
            "captions": captions,
            "language": "en",
        }
    apple_double(root / "development" / "Radio Garble.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "clotho_captions_development.csv"
    replace_line(path, 3, "Radio Garble.wav,A radio crackles,,a,b,c")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "validation" / "Kitchen_Tap_01.wav").unlink()
    return "validation", "Kitchen_Tap_01"
