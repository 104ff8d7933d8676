"""One datasets cache shared by environments with different datasets versions: a config prepared and streamed by
one (5.x writes list features as `List`) loads, streaming and not, in the other, in both directions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

LOAD = """
import json, datasets
from audio_flan.builder import AudioFlan
builder = AudioFlan(config_name="speech.asr")
builder.download_and_prepare()
prepared = [row["id"] for row in builder.as_dataset(split="train")]
streamed = [row["id"] for row in AudioFlan(config_name="speech.asr").as_streaming_dataset(split="train")]
print(json.dumps({"version": datasets.__version__, "prepared": prepared, "streamed": streamed}))
"""


def _load(python: str, cache) -> dict:
    env = {**os.environ, "HF_DATASETS_CACHE": str(cache), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([python, "-c", LOAD], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "other", [p for p in os.environ.get("AUDIO_FLAN_TEST_PYTHONS", "").split(os.pathsep) if p] or [sys.executable]
)
def test_one_cache_for_two_datasets_versions(tmp_path, other):
    """This interpreter, then the other (AUDIO_FLAN_TEST_PYTHONS, e.g. the venv with datasets 3.6; without it,
    this one again), then each once more, all on one cache folder."""
    cache = tmp_path / "shared_cache"
    runs = [_load(python, cache) for python in (sys.executable, other, sys.executable, other)]
    assert runs[0]["prepared"] and runs[0]["prepared"] == runs[0]["streamed"]
    for run in runs[1:]:
        assert (run["prepared"], run["streamed"]) == (runs[0]["prepared"], runs[0]["streamed"]), run["version"]
