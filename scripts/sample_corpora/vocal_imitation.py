"""The bundled sample's Vocal Imitation Set copy: ``vocal_imitations.txt`` (TAB, pandas index column) and
``vocal_imitations/{included,excluded}/`` clips: espeak-ng voices imitating a cat, a dog and a car horn."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import vocal_imitation as layout

FOLDERS = ("VocalImitationSet",)
SR = 16000
# (imitation id, category id, participant (its hash picks the split), included, description, spoken imitation)
IMITATIONS = [
    (0, 0, "4000000000000000.0", True, "a big cat growling", "grrrrr"),
    (1, 4, "4000020000000000.0", True, "a dog barking", "woof woof"),
    (2, 4, "4000020000000000.0", False, "", "wuf"),
    (3, 52, "4000010000000000.0", True, "a car horn", "honk honk"),
    (4, 0, "4000210000000000.0", True, "growl", "grrr"),
]


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    lines = [layout.HEADER]
    for index, (imitation, category, participant, included, description, spoken) in enumerate(IMITATIONS):
        lines.append(layout.row(index, imitation, category, participant, included, description))
        name = f"{layout.file_stem(category)}-{4808870065078272 + imitation}.wav"
        folder = root / "vocal_imitations" / ("included" if included else "excluded")
        tools.write_wav(folder / name, tools.speak(spoken, "en+m3", SR, pitch=30), SR)
    (root / "vocal_imitations.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
