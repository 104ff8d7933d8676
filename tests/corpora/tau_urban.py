"""TAU Urban Acoustic Scenes 2022 Mobile development as its Zenodo zips extract:
``TAU-urban-acoustic-scenes-2022-mobile-development/`` with ``meta.csv`` (TAB, header
``filename scene_label identifier source_label``), ``evaluation_setup/fold1_{train,evaluate,test}.csv`` (TAB,
``audio/`` prefixes; test without labels) and ``audio/<scene>-<city>-<loc>-<seg>-<sub>-<device>.wav`` (44.1 kHz
24-bit mono). Parallel devices share a location; one file is in no fold; one listed file is absent."""

from __future__ import annotations

from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 44100
FOLDER = "TAU-urban-acoustic-scenes-2022-mobile-development"
# (file stem, scene, identifier, device, fold: train | evaluate | none, present)
FILES = [
    ("airport-barcelona-0-0-0-a", "airport", "barcelona-0", "a", "train", True),
    ("airport-barcelona-0-0-0-b", "airport", "barcelona-0", "b", "train", True),
    ("bus-helsinki-12-503-3-s1", "bus", "helsinki-12", "s1", "train", True),
    ("metro_station-paris-7-240-1-a", "metro_station", "paris-7", "a", "train", True),
    ("street_pedestrian-lyon-1-44-0-c", "street_pedestrian", "lyon-1", "c", "train", False),
    ("park-stockholm-3-90-2-a", "park", "stockholm-3", "a", "none", True),
    ("tram-vienna-5-7-0-a", "tram", "vienna-5", "a", "evaluate", True),
    ("public_square-london-2-18-4-s4", "public_square", "london-2", "s4", "evaluate", True),
]


def write(root: Path, files: list[tuple[str, str, str, str, str, bytes | None]]) -> None:
    """meta.csv, the fold1 lists and audio/ for (stem, scene, identifier, device, fold, WAV bytes or None)."""
    (root / "audio").mkdir(parents=True, exist_ok=True)
    (root / "evaluation_setup").mkdir(exist_ok=True)
    meta = ["filename\tscene_label\tidentifier\tsource_label"]
    train, evaluate, test = ["filename\tscene_label"], ["filename\tscene_label"], ["filename"]
    for stem, scene, identifier, device, fold, wav in files:
        meta.append(f"audio/{stem}.wav\t{scene}\t{identifier}\t{device}")
        if fold == "train":
            train.append(f"audio/{stem}.wav\t{scene}")
        elif fold == "evaluate":
            evaluate.append(f"audio/{stem}.wav\t{scene}")
            test.append(f"audio/{stem}.wav")
        if wav is not None:
            (root / "audio" / f"{stem}.wav").write_bytes(wav)
    for name, lines in (
        ("meta.csv", meta),
        ("evaluation_setup/fold1_train.csv", train),
        ("evaluation_setup/fold1_evaluate.csv", evaluate),
        ("evaluation_setup/fold1_test.csv", test),
    ):
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "LICENSE").write_text("Tampere University licence: placeholder\n", encoding="utf-8")
    (root / "README.md").write_text("# TAU Urban Acoustic Scenes 2022 Mobile, Development dataset\n", encoding="utf-8")


def build(base: Path) -> Corpus:
    root = base / FOLDER
    rows = []
    expected = {}
    for k, (stem, scene, identifier, device, fold, present) in enumerate(FILES):
        wav = wav_bytes(signal(RATE, 0.05, 200.0 + 60 * k), RATE, subtype="PCM_24") if present else None
        rows.append((stem, scene, identifier, device, fold, wav))
        if present and fold != "none":
            expected[stem] = {
                "split": "train" if fold == "train" else "test",
                "audio": str(root / "audio" / f"{stem}.wav"),
                "label": scene,
                "city": identifier.split("-")[0],
                "identifier": identifier,
                "device": device,
            }
    write(root, rows)
    apple_double(root / "audio" / "tram-vienna-5-7-0-a.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "meta.csv"
    replace_line(path, 3, "audio/airport-barcelona-0-0-0-b.wav\tairport\tbarcelona-0\tphone")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / "audio" / "bus-helsinki-12-503-3-s1.wav").unlink()
    return "train", "bus-helsinki-12-503-3-s1"
