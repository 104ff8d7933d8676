"""The bundled sample's EmoV-DB copy: the train split's two speakers (bea, sam), each reading two CMU ARCTIC
prompts, one Neutral and one in another style, espeak-ng at 44.1 kHz in 16-bit WAV (as the EmoV-DB README
describes its files), in the sorted copy's layout ``tests/corpora/emov_db.py`` writes
(``<spk>/<Emotion>/<style>_<first>-<last>_<NNNN>.wav``, ``cmuarctic.data`` holding the prompts used)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import emov_db as layout

FOLDERS = (layout.ROOT,)
RATE = 44100
PROMPTS = {5: "Will we ever forget it.", 18: "There was a change now.", 30: "I had faith in them."}
# speaker -> espeak-ng voice, and its recordings: (emotion folder, file name, speed, pitch, amplitude)
RECORDINGS = {
    "bea": ("en+f3", [("Neutral", "neutral_1-28_0005.wav", 440, 50, 100), ("Amused", "amused_1-15_0018.wav", 480, 80, 130)]),
    "sam": ("en+m3", [("Neutral", "neutral_29-56_0030.wav", 440, 40, 100), ("Sleepy", "sleepiness_1-28_0018.wav", 330, 25, 60)]),
}  # fmt: skip


def make(sample: Path, tools: ModuleType) -> None:
    root = sample / FOLDERS[0]
    root.mkdir(parents=True, exist_ok=True)
    (root / "cmuarctic.data").write_text(layout.prompt_list(PROMPTS, {}), encoding="ascii")
    for speaker, (voice, recordings) in RECORDINGS.items():
        for emotion, name, speed, pitch, amp in recordings:
            x = tools.speak(PROMPTS[int(name[-8:-4])], voice, RATE, speed=speed, pitch=pitch, amp=amp)
            layout.write_recordings(root, speaker, emotion, {name: tools.wav_file_bytes(x, RATE)})


def check(sample: Path) -> list[str]:
    from audio_flan.sources import emov_db

    root = sample / FOLDERS[0]
    records = [r for shard in emov_db.list_shards(root).get("train", []) for r in emov_db.read_shard(root, shard)]
    speakers = {r["speaker"] for r in records}
    if len(records) != 4 or speakers != {"bea", "sam"}:
        return [
            f"EmoV-DB sample: expected 4 train recordings by bea and sam, read {len(records)} by {sorted(speakers)}"
        ]
    return []
