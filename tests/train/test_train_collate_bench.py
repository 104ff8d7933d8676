"""benchmarks/collate_bench.py cannot rot: on a tiny corpus its plain loop reads the batches a 0-worker DataLoader
makes, and the worker variants run (timings are the benchmark's business, not the tests')."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch", reason="needs the train extra: pip install 'audio-flan[train]'")

from benchmarks import collate_bench  # noqa: E402
from benchmarks.corpus import make_libritts_r  # noqa: E402


def test_plain_loop_and_dataloader_variants_read_the_same_amount(tmp_path):
    data_dir = str(make_libritts_r(tmp_path, 60))
    plan = collate_bench.plan({"data_dir": data_dir, "batches": 2})
    assert len(plan["batches"]) == 2 and all(len(b) == collate_bench.BATCH for b in plan["batches"])
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    plain = collate_bench.plain({"plan": str(plan_file)})
    w0 = collate_bench.loader({"data_dir": data_dir, "batches": 2, "variant": "w0"})
    assert plain["examples"] == w0["examples"] == 2 * collate_bench.BATCH
    assert plain["audio_s"] == pytest.approx(w0["audio_s"])  # the very same audio, read and resampled alike
    for variant in ("w2_int16", "w2_main"):
        result = collate_bench.loader({"data_dir": data_dir, "batches": 2, "variant": variant})
        assert result["examples"] == 2 * collate_bench.BATCH and result["audio_s"] > 0
