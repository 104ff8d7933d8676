"""The bundled sample's ESD copy: two English speakers (0011 with a UTF-8 transcript, 0013 with a UTF-16 one, as
the corpus mixes them) reading two train sentences in the Neutral and Angry blocks, espeak-ng at 16 kHz, in the
layout ``tests/corpora/esd.py`` writes (``<spk>/<spk>.txt``, ``<spk>/<Emotion>/train/<id>.wav``)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import esd as layout

FOLDERS = ("ESD",)  # as some copies rename the zip's top folder (no spaces in the package)
RATE = 16000
SENTENCES = {51: "Take a seat.", 52: "She sells shells."}
# speaker -> (encoding, espeak-ng voice)
SPEAKERS = {"0011": ("utf-8", "en+m3"), "0013": ("utf-16", "en+m7")}
EMOTIONS = {"Neutral": (0, 190, 45, 90), "Angry": (1, 240, 70, 160)}  # block, speed, pitch, amplitude


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    root.mkdir(parents=True, exist_ok=True)
    (root / "ReadMe.txt").write_text(layout.README, encoding="utf-8")
    for speaker, (encoding, voice) in SPEAKERS.items():
        rows, audio = [], {}
        for emotion, (block, speed, pitch, amp) in EMOTIONS.items():
            for sentence, text in SENTENCES.items():
                utt = f"{speaker}_{layout.number(block, sentence):06d}"
                rows.append((utt, text, emotion))
                x = tools.speak(text, voice, RATE, speed=speed, pitch=pitch, amp=amp)
                audio[utt] = tools.wav_file_bytes(x, RATE)
        layout.write_speaker(root, speaker, rows, encoding, audio)


def check(sample: Path) -> list[str]:
    from audio_flan.sources import esd

    root = sample / FOLDERS[0]
    ids = [r["id"] for shard in esd.list_shards(root).get("train", []) for r in esd.read_shard(root, shard)]
    return [] if len(ids) == 8 else [f"ESD sample: expected 8 train utterances, read {len(ids)}"]
