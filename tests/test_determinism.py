"""The same inputs and seed give identical instances in separate processes, whatever PYTHONHASHSEED says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CONFIGS = [
    "speech.asr",
    "speech.speaker_verification",
    "speech.gender_recognition",
    "music.instrument_comparison",
    "audio.sound_event_recognition",
    "music.key_detection",
]
DUMP = """
import json, sys
from audio_flan.builder import AudioFlan
out = []
for config in sys.argv[1:]:
    for split in ("train", "validation", "test"):
        b = AudioFlan(config_name=config)
        streams = b.as_streaming_dataset()
        if split in streams:
            out += [{k: v for k, v in e.items() if not k.endswith("_audios")} | {"audio_paths": [a["path"] for a in e["input_audios"] + e["output_audios"]]} for e in streams[split]]
print(json.dumps(out, ensure_ascii=False))
"""


def run(hash_seed: str, cache: Path) -> list:
    env = dict(
        os.environ, PYTHONHASHSEED=hash_seed, HF_DATASETS_CACHE=str(cache), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1"
    )
    out = subprocess.run([sys.executable, "-c", DUMP, *CONFIGS], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_two_runs_with_different_hash_seeds_are_identical(tmp_path):
    first, second = run("1", tmp_path / "a"), run("987654", tmp_path / "b")
    assert len(first) > 20
    assert first == second
    assert len({e["id"] for e in first}) == len(first)
