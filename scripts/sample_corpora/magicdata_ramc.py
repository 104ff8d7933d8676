"""The bundled sample's MagicData-RAMC copy: one short train dialog between two speakers, three segments with
fillers read by espeak-ng's Mandarin voice into one 16 kHz WAV, plus the system prompt line and a tag-only
segment the parser passes over, in the layout ``tests/corpora/magicdata_ramc.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from tests.corpora import magicdata_ramc as layout

FOLDERS = (layout.TOP,)
RATE = 16000
DIALOG = "CTS-CN-F2F-2019-11-15-188"
SPEAKERS = {s: layout.SPEAKERS[s] for s in ("G00000015", "G00000016")}
# (speaker, text, espeak-ng voice); the system prompt and a laugh are written around them
LINES = [
    ("G00000016", "嗯，你好啊", "cmn+m3"),
    ("G00000015", "呃，你好", "cmn+f2"),
    ("G00000016", "那个，吃了吗", "cmn+m3"),
]


def make(sample: Path, tools: ModuleType) -> None:
    clips = [tools.speak(text, voice, RATE, speed=230) for _, text, voice in LINES]
    gap = 0.15
    segments, at = [(0.0, 0.1, "G00000000", "爱数智慧语音采集")], 0.1 + gap
    for (speaker, text, _), clip in zip(LINES, clips):
        seconds = round(len(clip) / RATE, 3)
        segments.append((at, round(at + seconds, 3), speaker, text))
        at = round(at + seconds + gap, 3)
    segments.append((at, round(at + 0.1, 3), "G00000015", "[LAUGHTER]"))
    out = np.zeros(int((at + 0.2) * RATE), dtype=np.float32)
    for (start, _, _, _), clip in zip(segments[1:], clips):
        tools.place(out, clip, start, RATE)
    layout.write(
        sample / FOLDERS[0], SPEAKERS, {DIALOG: ("train", segments)}, {DIALOG: tools.wav_file_bytes(out, RATE)}
    )


def check(sample: Path) -> list[str]:
    from audio_flan.sources import magicdata_ramc

    root = sample / FOLDERS[0]
    got = [
        r
        for shards in magicdata_ramc.list_shards(root).values()
        for s in shards
        for r in magicdata_ramc.read_shard(root, s)
    ]
    return [] if len(got) == len(LINES) else [f"MagicData-RAMC sample: {len(got)} segments, expected {len(LINES)}"]
