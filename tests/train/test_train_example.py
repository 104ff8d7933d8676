"""examples/train_audio_lm.py trains for real on CPU: the loss is finite and falls on a repeated batch, DataLoader
workers feed it, and torchrun's ranks get disjoint parts of a split that together make the whole split."""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="needs the train extra: pip install 'audio-flan[train]'")
pytest.importorskip("transformers", reason="needs the train extra: pip install 'audio-flan[train]'")

from audio_flan.builder import AudioFlan  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "train_audio_lm.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("train_audio_lm", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loss_is_finite_and_falls_on_a_repeated_batch(example, tmp_path):
    torch.set_num_threads(1)
    summary = example.main(
        ["--configs", "speech.asr", "speech.speaker_verification", "music.pitch_classification"]
        + ["--max-steps", "12", "--repeat-batch", "--batch-size", "4", "--lr", "3e-3", "--max-seconds", "2"]
        + ["--output-dir", str(tmp_path), "--tokenizer-examples", "100"]
    )
    losses = summary["losses"]
    assert len(losses) == 12 and all(math.isfinite(x) for x in losses)
    assert losses[-1] < 0.8 * losses[0], losses
    assert (tmp_path / "model.pt").is_file() and (tmp_path / "tokenizer" / "tokenizer.json").is_file()


def test_dataloader_workers_feed_a_mixture_and_long_audio_is_cropped_and_counted(example, tmp_path):
    summary = example.main(
        ["--configs", "speech", "--max-steps", "3", "--workers", "2", "--batch-size", "3", "--max-seconds", "0.1"]
        + ["--output-dir", str(tmp_path), "--tokenizer-examples", "60"]
    )
    assert summary["steps"] == 3 and all(math.isfinite(x) for x in summary["losses"])
    assert summary["examples"] == 9 and summary["cropped_audios"] >= 9  # the sample's speech clips are all > 0.1 s


def test_configs_that_answer_with_audio_are_refused_by_name(example, tmp_path):
    with pytest.raises(SystemExit, match="speech.tts"):
        example.main(["--configs", "speech.tts", "speech.asr", "--output-dir", str(tmp_path)])
    assert "speech.tts" not in example.text_output_configs(["speech"])


def test_torchrun_ranks_get_disjoint_instances_whose_union_is_the_split(tmp_path):
    torchrun = shutil.which("torchrun", path=os.path.dirname(sys.executable)) or shutil.which("torchrun")
    assert torchrun, "torchrun comes with torch"
    ids_dir = tmp_path / "ids"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    result = subprocess.run(
        [torchrun, "--standalone", "--nproc_per_node", "2", str(SCRIPT), "--configs", "speech.asr", "--epochs", "1"]
        + ["--max-steps", "1000", "--batch-size", "2", "--workers", "1", "--max-seconds", "1"]
        + ["--output-dir", str(tmp_path / "run"), "--ids-out", str(ids_dir), "--tokenizer-examples", "40"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ranks = [(ids_dir / f"rank{r}.txt").read_text().split() for r in (0, 1)]
    assert ranks[0] and ranks[1]
    assert not set(ranks[0]) & set(ranks[1])
    assert all(len(r) == len(set(r)) for r in ranks)
    split = [e["id"] for e in AudioFlan(config_name="speech.asr").as_streaming_dataset("train").select_columns(["id"])]
    assert sorted(ranks[0] + ranks[1]) == sorted(split)
