"""Tiny copies of LibriTTS-R, ESC-50 and NSynth in their published layouts, with real WAV audio, for tests.

Folder and file names, headers, separators, encodings and comment lines follow the corpora as their authors
distribute them (see the parser modules' docstrings); the audio is short tones or noise at each corpus's rate
(24 kHz, 44.1 kHz, 16 kHz). Texts, names and ids are invented. Each builder returns a :class:`Corpus` whose
``expected`` maps every record id to the values the parser must give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 40


@dataclass
class Corpus:
    root: Path  # the corpus root, what `detect` accepts
    data_dir: Path  # the folder handed to the builder (holds the root)
    expected: dict = field(default_factory=dict)  # record id -> expected record values

    def ids(self, split: str = "train") -> set[str]:
        return {k for k, v in self.expected.items() if v["split"] == split}


def write_wav(path: Path, rate: int, seconds: float = 0.05, freq: float = 0.0, seed: int = 0) -> Path:
    """A short mono PCM_16 WAV: a tone at ``freq`` Hz, or white noise when ``freq`` is 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = max(1, int(seconds * rate))
    if freq:
        data = 0.3 * np.sin(2 * np.pi * freq * np.arange(n) / rate)
    else:
        data = 0.1 * np.random.default_rng(seed).standard_normal(n)
    sf.write(path, data.astype(np.float32), rate, subtype="PCM_16")
    return path


def apple_double(path: Path) -> None:
    """The ``._name`` resource-fork file macOS tar puts beside ``name``."""
    (path.parent / f"._{path.name}").write_bytes(APPLEDOUBLE)


# ---------------------------------------------------------------------------------------------- LibriTTS-R

SPEAKERS_COMMENT = """\
; Some pipe(|) separated metadata about all LibriVox readers, whose work was used
; in the corpus.
;
; The meaning of the fields in left-to-right order is as follows:
;
; reader_id: the ID of the reader in the LibriVox's database
; gender: 'F' for female, 'M' for male
; subset: the corpus subset to which the reader's audio is assigned
; duration: total number of minutes of speech by the reader, included in the corpus
; name: the name under which the reader is registered in LibriVox
;
"""

# (id, sex, subset, minutes, name, chapters with audio); names are invented, one holds '|' as a real one does.
LIBRITTS_SPEAKERS = [
    ("14", "F", "train-clean-360", "25.03", "Ada Reader", ["212"]),
    ("16", "F", "train-clean-360", "25.11", "No Audio Here", []),
    ("17", "M", "train-clean-360", "25.04", "Bo Reader", ["362"]),
    ("19", "F", "train-clean-100", "25.19", "Cy Reader", ["198", "227"]),
    ("20", "F", "train-other-500", "30.07", "Di", ["205"]),
    ("25", "M", "train-other-500", "30.16", "Ed Reader", ["123"]),
    ("26", "M", "train-clean-100", "25.08", "Fy Reader", ["495"]),
    ("27", "M", "train-clean-100", "20.14", "Gus Reader", ["123349"]),
    ("32", "F", "train-clean-100", "24.01", "Hal Reader", ["4137"]),
    ("60", "M", "train-clean-100", "20.18", "|AB|Cee", ["121082"]),
    ("61", "M", "test-clean", "8.08", "Ian Reader", ["70968"]),
    ("84", "F", "dev-clean", "8.02", "Jo Reader", ["121123"]),
    ("121", "F", "test-clean", "8.01", "Kay Reader", ["121726"]),
    ("174", "M", "dev-clean", "8.04", "Lu Reader", ["50561"]),
]
ORIGINAL = [
    "It was 3 o'clock, Mr. Smith said",
    '"Well, he paid $5 for the café',
    "Chapter IV — the return",
    'She said: "Hello," and left',
]
NORMALIZED = [
    "It was three o'clock, Mister Smith said",
    '"Well, he paid five dollars for the café',
    "Chapter four — the return",
    'She said: "Hello," and left',
]
# (paragraph, sentence) of the kept utterances of a chapter; sentence 1 of paragraph 1 was excluded (book.tsv only)
LIBRITTS_UTTERANCES = [(0, 0), (0, 1), (1, 0), (1, 2)]
LIBRITTS_SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def speakers_txt(padded: bool = True) -> str:
    lines = [SPEAKERS_COMMENT.rstrip("\n")]
    if padded:
        lines.append(";ID  |SEX| SUBSET           |MINUTES| NAME")
        lines += [f"{s:<5}| {x} | {sub:<16} | {m:<5} | {n}" for s, x, sub, m, n, _ in LIBRITTS_SPEAKERS]
    else:
        lines.append(";ID|SEX| SUBSET    |MINUTES| NAME")
        lines += [f"{s}|{x}|{sub}|{m}|{n}" for s, x, sub, m, n, _ in LIBRITTS_SPEAKERS]
    return "\n".join(lines) + "\n"


def make_libritts_r(base: Path, *, folder: str = "LibriTTS_R", padded: bool = True, readme_r: bool = True) -> Corpus:
    """``base/LibriTTS_R/`` with the root documents and a few speakers in train-clean-100/360, train-other-500,
    dev-clean and test-clean; four kept utterances (two paragraphs) per chapter, 24 kHz WAV."""
    root = base / folder
    root.mkdir(parents=True)
    docs = ["README_librispeech.txt", "README_libritts.txt", "CHAPTERS.txt", "BOOKS.txt", "LICENSE.txt", "NOTE.txt"]
    if readme_r:
        docs.append("README_libritts_r.txt")
    for name in docs:
        (root / name).write_text(f"{name}: placeholder\n", encoding="utf-8")
    (root / "reader_book.tsv").write_text("READER\tBOOK\n19\t198\n", encoding="utf-8")
    (root / "speakers.tsv").write_text(
        "READER\tGENDER\tSUBSET\tNAME\n19\tF\ttrain-clean-100\tCy Reader\n", encoding="utf-8"
    )
    (root / "SPEAKERS.txt").write_text(speakers_txt(padded), encoding="utf-8")
    expected = {}
    n = 0
    for spk, sex, subset, _, _, chapters in LIBRITTS_SPEAKERS:
        for chapter in chapters:
            cdir = root / subset / spk / chapter
            cdir.mkdir(parents=True)
            trans, book = [], []
            for p, s in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)]:
                utt = f"{spk}_{chapter}_{p:06d}_{s:06d}"
                k = n % len(ORIGINAL)
                original, normalized = f"{ORIGINAL[k]} {n}.", f"{NORMALIZED[k]} {n}."
                kept = (p, s) in LIBRITTS_UTTERANCES
                book.append(
                    f"{utt}\t{original}\t{normalized}\t{'true' if kept else 'false'}\t{n}.5\t{n + 1}.25\t{20 + n % 7}.5"
                )
                if not kept:
                    continue
                n += 1
                trans.append(f"{utt}\t{original}\t{normalized}")
                (cdir / f"{utt}.original.txt").write_text(original, encoding="utf-8")
                (cdir / f"{utt}.normalized.txt").write_text(normalized, encoding="utf-8")
                wav = write_wav(cdir / f"{utt}.wav", 24000, freq=200.0 + 10 * n)
                expected[utt] = {
                    "audio": str(wav),
                    "text": normalized,
                    "text_original": original,
                    "speaker": spk,
                    "chapter": chapter,
                    "paragraph_id": f"{spk}_{chapter}_{p:06d}",
                    "gender": {"F": "female", "M": "male"}[sex],
                    "language": "en",
                    "language_name": "English",
                    "subset": subset,
                    "split": LIBRITTS_SPLITS[subset.split("-")[0]],
                }
            (cdir / f"{spk}_{chapter}.trans.tsv").write_text("\n".join(trans) + "\n", encoding="utf-8")
            (cdir / f"{spk}_{chapter}.book.tsv").write_text("\n".join(book) + "\n", encoding="utf-8")
    # macOS AppleDouble files, as in the distributed LibriTTS-R archives
    first = root / "train-clean-100" / "19" / "198"
    apple_double(first / "19_198_000000_000000.wav")
    apple_double(first / "19_198.trans.tsv")
    return Corpus(root, base, expected)


# ------------------------------------------------------------------------------------------------- ESC-50

ESC50_CATEGORIES = [
    "dog", "rooster", "pig", "cow", "frog", "cat", "hen", "insects", "sheep", "crow",
    "rain", "sea_waves", "crackling_fire", "crickets", "chirping_birds", "water_drops", "wind", "pouring_water",
    "toilet_flush", "thunderstorm", "crying_baby", "sneezing", "clapping", "breathing", "coughing", "footsteps",
    "laughing", "brushing_teeth", "snoring", "drinking_sipping", "door_wood_knock", "mouse_click", "keyboard_typing",
    "door_wood_creaks", "can_opening", "washing_machine", "vacuum_cleaner", "clock_alarm", "clock_tick",
    "glass_breaking", "helicopter", "chainsaw", "siren", "car_horn", "engine", "train", "church_bells", "airplane",
    "fireworks", "hand_saw",
]  # fmt: skip
ESC10 = {
    "dog",
    "rooster",
    "rain",
    "sea_waves",
    "crackling_fire",
    "crying_baby",
    "sneezing",
    "clock_tick",
    "helicopter",
    "chainsaw",
}
ESC50_HEADER = "filename,fold,target,category,esc10,src_file,take"
# (fold, Freesound clip id, take, category)
ESC50_CLIPS = [
    (1, "100032", "A", "dog"),
    (1, "100038", "A", "chirping_birds"),
    (1, "115545", "B", "door_wood_creaks"),
    (2, "102016", "A", "rain"),
    (2, "109505", "A", "crying_baby"),
    (2, "109505", "B", "crying_baby"),
    (3, "103298", "A", "hand_saw"),
    (3, "141584", "A", "keyboard_typing"),
    (3, "151079", "C", "rooster"),
    (4, "102844", "A", "siren"),
    (4, "110389", "A", "drinking_sipping"),
    (4, "120745", "A", "clock_tick"),
    (5, "103415", "A", "sea_waves"),
    (5, "117120", "A", "door_wood_knock"),
    (5, "200334", "B", "helicopter"),
]


def esc50_rows() -> list[str]:
    rows = []
    for fold, clip, take, category in ESC50_CLIPS:
        target = ESC50_CATEGORIES.index(category)
        rows.append(f"{fold}-{clip}-{take}-{target}.wav,{fold},{target},{category},{category in ESC10},{clip},{take}")
    return rows


def make_esc50(base: Path, *, folder: str = "ESC-50-master") -> Corpus:
    """``base/ESC-50-master/`` with meta/esc50.csv (LF line endings, no quoting) and 44.1 kHz clips."""
    root = base / folder
    (root / "meta").mkdir(parents=True)
    (root / "audio").mkdir()
    (root / "README.md").write_text("## ESC-50: Dataset for Environmental Sound Classification\n", encoding="utf-8")
    (root / "LICENSE").write_text("Attribution for each clip: placeholder\n", encoding="utf-8")
    (root / "meta" / "esc50-human.xlsx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    rows = esc50_rows()
    (root / "meta" / "esc50.csv").write_text("\n".join([ESC50_HEADER, *rows]) + "\n", encoding="utf-8")
    expected = {}
    for i, row in enumerate(rows):
        filename, fold, target, category, esc10, src_file, take = row.split(",")
        wav = write_wav(root / "audio" / filename, 44100, seed=i)
        expected[filename[:-4]] = {
            "audio": str(wav),
            "label": category.replace("_", " "),
            "category": category,
            "fold": int(fold),
            "target": int(target),
            "esc10": esc10 == "True",
            "src_file": src_file,
            "take": take,
            "split": "train",
        }
    apple_double(root / "audio" / rows[0].split(",")[0])
    return Corpus(root, base, expected)


# ------------------------------------------------------------------------------------------------- NSynth

NSYNTH_FAMILIES = [
    "bass",
    "brass",
    "flute",
    "guitar",
    "keyboard",
    "mallet",
    "organ",
    "reed",
    "string",
    "synth_lead",
    "vocal",
]
NSYNTH_SOURCES = ["acoustic", "electronic", "synthetic"]
NSYNTH_QUALITIES = [
    "bright",
    "dark",
    "distortion",
    "fast_decay",
    "long_release",
    "multiphonic",
    "nonlinear_env",
    "percussive",
    "reverb",
    "tempo-synced",
]
VELOCITIES = [25, 50, 75, 100, 127]
NSYNTH_SPLITS = {"nsynth-train": "train", "nsynth-valid": "validation", "nsynth-test": "test"}


def nsynth_notes(split_folder: str, count: int, offset: int) -> dict:
    """``count`` notes keyed by note_str, with every field examples.json has."""
    notes = {}
    for i in range(count):
        j = offset + i
        family = ["guitar", "keyboard", "synth_lead", "bass", "string", "vocal", "mallet", "brass"][j % 8]
        source = NSYNTH_SOURCES[j % 3]
        number = j % 5
        instrument_str = f"{family}_{source}_{number:03d}"
        pitch = 24 + (j * 7) % 80
        velocity = VELOCITIES[j % 5]
        note_str = f"{instrument_str}-{pitch:03d}-{velocity:03d}"
        if note_str in notes:
            continue
        flags = [int((j >> b) & 1 and b % 3 == 0) for b in range(10)]
        notes[note_str] = {
            "note": 200000 + 37 * j,  # a unique sample id, never the pitch
            "note_str": note_str,
            "instrument": 100 + NSYNTH_FAMILIES.index(family) * 10 + number,
            "instrument_str": instrument_str,
            "pitch": pitch,
            "velocity": velocity,
            "sample_rate": 16000,
            "qualities": flags,
            "qualities_str": [q for q, f in zip(NSYNTH_QUALITIES, flags) if f],
            "instrument_family": NSYNTH_FAMILIES.index(family),
            "instrument_family_str": family,
            "instrument_source": NSYNTH_SOURCES.index(source),
            "instrument_source_str": source,
        }
    return notes


def write_nsynth_split(folder: Path, notes: dict, split: str) -> dict:
    (folder / "audio").mkdir(parents=True)
    (folder / "examples.json").write_text(json.dumps(notes, indent=4), encoding="utf-8")
    expected = {}
    for note_str, note in notes.items():
        wav = write_wav(folder / "audio" / f"{note_str}.wav", 16000, freq=440.0 * 2 ** ((note["pitch"] - 69) / 12))
        expected[note_str] = {
            "audio": str(wav),
            "pitch": str(note["pitch"]),
            "note": note["note"],
            "velocity": note["velocity"],
            "instrument": note["instrument_str"],
            "instrument_family": note["instrument_family_str"],
            "instrument_source": note["instrument_source_str"],
            "qualities": ", ".join(note["qualities_str"]),
            "split": split,
        }
    apple_double(folder / "audio" / f"{next(iter(notes))}.wav")
    return expected


def make_nsynth(base: Path, *, splits=("nsynth-train", "nsynth-valid", "nsynth-test"), train_notes: int = 64) -> Corpus:
    """``base/nsynth-{train,valid,test}/`` each with examples.json (one object keyed by note_str) and 16 kHz audio/.

    ``root`` is the first split folder; ``data_dir`` is ``base``, which holds them all."""
    expected = {}
    for k, name in enumerate(splits):
        split = NSYNTH_SPLITS.get(name, "train")
        notes = nsynth_notes(
            name, train_notes if split == "train" else 12, offset=0 if k == 0 else 80 + 20 * k
        )  # no note in two splits
        expected.update(write_nsynth_split(base / name, notes, split))
    return Corpus(base / splits[0], base, expected)


# ------------------------------------------------------------------------------------------- test helpers

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus")


def record_opens(monkeypatch) -> list[str]:
    """Patch ``open``, ``io.open`` and ``soundfile.SoundFile`` so that every file opened from now on (for the
    rest of the test) is appended to the returned list."""
    import builtins
    import io

    opened: list[str] = []
    real_open, real_io_open, real_sf = builtins.open, io.open, sf.SoundFile.__init__

    def fake_open(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    def fake_io_open(file, *a, **k):
        opened.append(str(file))
        return real_io_open(file, *a, **k)

    def fake_sf(self, file, *a, **k):
        opened.append(str(file))
        return real_sf(self, file, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_io_open)
    monkeypatch.setattr(sf.SoundFile, "__init__", fake_sf)
    return opened


def audio_opened(opened: list[str]) -> list[str]:
    return [p for p in opened if p.lower().endswith(AUDIO_SUFFIXES)]


def stream(config: str, data_dir: Path, split: str = "train", **config_kwargs) -> list[dict]:
    """Every example of one split of one config, through the builder's streaming path."""
    from audio_flan.builder import AudioFlan

    builder = AudioFlan(config_name=config, data_dir=str(data_dir), **config_kwargs)
    return list(builder.as_streaming_dataset(split=split))


def record_id(example: dict) -> str:
    """The record id of a one-record instance: ids are ``<config>/<parser>/<record id>``."""
    return example["id"].split("/", 2)[2]


def metadata(example: dict) -> dict:
    return json.loads(example["metadata"])


def pairs(examples: list[dict]) -> list[tuple[str, str, bool]]:
    """(first id, second id, same) of compare instances."""
    out = []
    for e in examples:
        meta = json.loads(e["metadata"])
        out.append((meta["pair"][0], meta["pair"][1], meta["same"]))
    return out
