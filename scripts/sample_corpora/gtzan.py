"""The bundled sample's GTZAN copy: eight clips of 0.3 s rendered by fluidsynth (a drum groove and a bass note at
the clip's tempo), in ``genres/<genre>/<genre>.000NN.wav`` at 22,050 Hz, with GTZAN-Rhythm's ``stats.csv``
beside them and the fault-filtered split's three lists naming just these clips (so the sample loads without a
warning about the clips it does not copy), in the layout ``tests/corpora/gtzan.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from audio_flan.sources import gtzan as parser
from tests.corpora import gtzan as layout

FOLDERS = ("GTZAN",)
RATE = 22050
SECONDS = 0.3
#: (clip, tempo in BPM, General MIDI bass program): six train clips, one validation, one test
CLIPS = [
    ("blues.00029", 72.0, 33),
    ("country.00019", 96.0, 32),
    ("disco.00005", 120.0, 38),
    ("hiphop.00002", 88.0, 38),
    ("metal.00002", 168.0, 34),
    ("rock.00000", 140.0, 34),
    ("jazz.00002", 110.0, 32),
    ("pop.00000", 124.0, 38),
]


def groove(tempo: float, bass_program: int, tools: ModuleType):
    beat = 60.0 / tempo
    notes, t, k = [], 0.0, 0
    while t < SECONDS:
        notes.append((9, t, t + 0.1, tools.KICK if k % 2 == 0 else tools.SNARE, 110))
        notes.append((9, t + beat / 2, t + beat / 2 + 0.05, tools.HAT, 70))
        t += beat
        k += 1
    notes.append((0, 0.0, SECONDS, 40, 90))
    return tools.synth(notes, {0: bass_program}, SECONDS, RATE)


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    rows = []
    for k, (clip, tempo, program) in enumerate(CLIPS):
        genre = clip.split(".")[0]
        tools.write_wav(root / "genres" / genre / f"{clip}.wav", groove(tempo, program, tools), RATE)
        rows.append({"clip": clip, "artist": f"Sample Band {k + 1}", "title": f"Groove {k + 1}", "tempo": tempo})
    layout.write_stats(root / layout.RHYTHM_DIR / "stats.csv", rows)
    layout.write_split_files(root, {clip: parser.SPLIT_OF[clip] for clip, _, _ in CLIPS})


def check(sample: Path) -> list[str]:
    """Every clip is in the fault-filtered split, and a train shard holds two clips 10 BPM apart (tempo pairs)."""
    problems = [f"{c} is not in the fault-filtered split" for c, _, _ in CLIPS if c not in parser.SPLIT_OF]
    count = parser.SHARDS["train"]
    shards: dict[int, list[float]] = {}
    for clip, tempo, _ in CLIPS:
        if parser.SPLIT_OF.get(clip) == "train":
            shards.setdefault(parser.shard_of(clip, count), []).append(tempo)
    if not any(max(t) - min(t) >= 10 for t in shards.values()):
        problems.append(f"no train shard holds two clips 10 BPM apart: {shards}")
    return problems
