"""The Vocal Imitation Set v1.1 as Zenodo and GitHub distribute it: ``vocal_imitations.txt`` (TAB-separated, pandas'
unnamed index column first, ``True``/``False`` flags, float-mangled participant ids, empty descriptions for drafts)
and ``vocal_imitations/{included,excluded}/<NNN><category path, commas as _>-<id>.wav``, with macOS debris. One
included imitation's file is absent."""

from __future__ import annotations

from pathlib import Path

from .common import Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 16000
HEADER = (
    "\timitation_id\timitation_filename\tcategory_id\tcategory_d1\tcategory_d2\tcategory_d3\tcategory_d4\t"
    "category_d5\tcategory_d6\treference_filename\tincluded\tdraft\ttraining\tparticipant_id\tsatisfaction\t"
    "participants_sound_recording_description\tparticipants_sound_recording_description_confidence"
)
CATEGORIES = {
    0: ["Animal", "Domestic animals, pets", "Cat", "Growling"],
    4: ["Animal", "Domestic animals, pets", "Dog", "Bark"],
    52: ["Sounds of things", "Vehicle", "Motor vehicle (road)", "Car", "Vehicle horn, car horn, honking"],
}
#: participants (as pandas wrote them) whose stable hash falls in each split
PARTICIPANTS = {
    "train": ("4000000000000000.0", "4000020000000000.0"),
    "validation": ("4000010000000000.0",),
    "test": ("4000210000000000.0",),
}
# (imitation id, category id, participant, split, included, description, present)
IMITATIONS = [
    (0, 0, "4000000000000000.0", "train", True, "a lion growling", True),
    (1, 0, "4000020000000000.0", "train", False, "", True),  # a draft, excluded
    (2, 4, "4000020000000000.0", "train", True, "dog barking", True),
    (3, 4, "4000000000000000.0", "train", True, "", False),  # listed, file absent
    (4, 52, "4000010000000000.0", "validation", True, "a car horn", True),
    (5, 52, "4000210000000000.0", "test", True, "honking", True),
]


def file_stem(category_id: int) -> str:
    return f"{category_id:03d}" + "_".join(CATEGORIES[category_id]).replace(",", "_")


def row(index: int, imitation: int, category_id: int, participant: str, included: bool, description: str) -> str:
    path = CATEGORIES[category_id] + [""] * (6 - len(CATEGORIES[category_id]))
    stem = file_stem(category_id)
    draft = not included
    return "\t".join(
        [
            str(index),
            str(imitation),
            f"{stem}-{4808870065078272 + imitation}.wav",
            str(category_id),
            *path,
            f"{stem}_reference.wav",
            str(included),
            str(draft),
            "False",
            participant,
            "" if draft else "Mostly satisfied",
            description,
            "" if draft else "Confident",
        ]
    )


def build(base: Path) -> Corpus:
    root = base / "VocalImitationSet"
    for folder in ("included", "excluded"):
        (root / "vocal_imitations" / folder).mkdir(parents=True, exist_ok=True)
    lines = [HEADER]
    expected = {}
    for index, (imitation, category_id, participant, split, included, description, present) in enumerate(IMITATIONS):
        lines.append(row(index, imitation, category_id, participant, included, description))
        name = f"{file_stem(category_id)}-{4808870065078272 + imitation}.wav"
        path = root / "vocal_imitations" / ("included" if included else "excluded") / name
        if present:
            path.write_bytes(wav_bytes(signal(RATE, 0.05, 250.0 + 35 * imitation), RATE))
        if included and present:
            expected[str(imitation)] = {
                "split": split,
                "audio": str(path),
                "question": "What sound is the person imitating with their voice?",
                "answer": " > ".join(CATEGORIES[category_id]),
                "category": CATEGORIES[category_id][-1],
                "category_id": str(category_id),
                "description": description or None,
                "participant": participant,
            }
    (root / "vocal_imitations.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "original_recordings" / "reference").mkdir(parents=True)
    (root / "README.md").write_text("# Vocal Imitation Set\n", encoding="utf-8")
    apple_double(root / "vocal_imitations" / "included" / f"{file_stem(0)}-4808870065078272.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "vocal_imitations.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    # imitation 2, an included one that is a record: under on_error="skip" the record is lost with its line
    replace_line(path, 4, lines[3].replace("\tTrue\tFalse\tFalse\t", "\tyes\tFalse\tFalse\t", 1))
    return path, 4


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["4"]["audio"]).unlink()
    return "validation", "4"
