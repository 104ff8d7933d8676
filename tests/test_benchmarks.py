"""A tiny run of the benchmarks (a few dozen utterances, one repeat, no lhotse): every measurement must come out
as a value or as a recorded reason for skipping it. No timing is checked here; the figures live in benchmarks/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import corpus, run  # noqa: E402

SIZES = (12, 24)


def test_generated_corpora_are_read_by_the_parsers(tmp_path):
    from audio_flan.registry import load_registry
    from audio_flan.sources import libritts_r, release

    made = corpus.make_corpora(tmp_path, [24])[24]
    root = made["libritts_r"] / "LibriTTS_R"
    assert libritts_r.detect(root)
    shards = libritts_r.list_shards(root)["train"]
    records = [r for shard in shards for r in libritts_r.read_shard(root, shard)]
    assert len(records) == 24
    assert {r["gender"] for r in records} <= {"female", "male"}
    assert libritts_r.read_speakers(root / "SPEAKERS.txt")
    import soundfile as sf

    info = sf.info(records[0]["audio"])
    assert info.samplerate == 24000 and 2.0 <= info.duration <= 6.0

    task = load_registry()["speech.asr"]
    assert release.detect(made["release"])
    narrowed = release.SOURCE.narrowed(task.query)
    rel_shards = narrowed.list_shards(made["release"])["train"]
    instances = [i for shard in rel_shards for i in narrowed.read_shard(made["release"], shard)]
    assert len(instances) == 24
    assert all(Path(path).is_file() for i in instances for path in i["input_audios"])
    # asking again reuses the corpus
    assert corpus.make_libritts_r(tmp_path, 24) == made["libritts_r"]


def test_a_tiny_run_writes_every_measurement(tmp_path):
    out = tmp_path / "out"
    argv = [
        "--sizes",
        *map(str, SIZES),
        "--repeats",
        "1",
        "--out",
        str(out),
        "--corpora",
        str(tmp_path / "corpora"),
        "--python",
        sys.executable,
        "--skip-lhotse",
        "--jobs",
        "2",
        "--quiet",
    ]
    result = run.main(argv)
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    md = (out / "results.md").read_text(encoding="utf-8")
    assert saved["meta"]["sizes"] == list(SIZES)
    figures = saved["figures"]
    (env,) = saved["meta"]["envs"]
    e, big = env["id"], SIZES[1]
    expected = [
        f"{e}/stream/libritts_r/decoded/{big}",
        f"{e}/stream/libritts_r/text/{big}",
        f"{e}/plain/{big}",
        f"{e}/ratio/decoded_vs_plain/{big}",
        f"{e}/ratio/text_vs_decoded/{big}",
        f"{e}/ratio/decoded_vs_lhotse/{big}",
        f"lhotse/iterate/{big}",
        f"lhotse/prepare/{big}",
        f"{e}/dataloader/tensor/0",
        f"{e}/dataloader/tensor/2",
        f"{e}/ratio/dataloader_2_vs_0/tensor",
        f"{e}/dataloader/lengths/0",
        f"{e}/dataloader/lengths/2",
        f"{e}/ratio/dataloader_2_vs_0/lengths",
        f"{e}/import/datasets",
        f"{e}/import/audio_flan",
        f"{e}/import/task_table",
        f"{e}/library/libritts_r/total",
        f"{e}/library/release/total",
        f"export/1proc/{big}",
        f"export/2proc/{big}",
        f"export/copy/{big}",
        f"export/ratio/2_vs_1/{big}",
    ]
    for source in run.SOURCES:
        for mode in run.MODES:
            expected += [f"{e}/first_example/{source}/{mode}/{n}" for n in SIZES]
            expected += [f"{e}/peak_rss/{source}/{mode}/{n}" for n in SIZES]
            expected += [
                f"{e}/growth/{what}/{source}/{mode}" for what in ("first_example", "peak_rss", "per_example_time")
            ]
    missing = [name for name in expected if name not in figures]
    assert not missing, missing
    for name, item in figures.items():
        assert ("median" in item) != ("skip" in item), name
        if "skip" in item:
            assert item["skip"].strip(), name
        assert f"`{name}`" in md
    # what always runs here has a value; lhotse was turned off, with its reason
    for name in (
        f"{e}/stream/libritts_r/decoded/{big}",
        f"{e}/ratio/decoded_vs_plain/{big}",
        f"{e}/growth/peak_rss/release/decoded",
        f"{e}/library/libritts_r/total",
        f"{e}/import/audio_flan",
    ):
        assert "median" in figures[name], (name, figures[name])
    assert "lhotse" in figures[f"lhotse/iterate/{big}"]["skip"]
    assert (
        figures[f"{e}/stream/libritts_r/decoded/{big}"]["values"]
        and result["samples"][f"stream/{e}/libritts_r/decoded/{big}"][0]["n"] == big
    )
    if not env["torch"]:
        assert "torch" in figures[f"{e}/dataloader/tensor/2"]["skip"]
    assert saved["targets"] and all(t["status"] in ("met", "missed", "skipped") for t in saved["targets"])
    assert "## Targets" in md


def test_the_newcomer_benchmark_measures_the_start_up_hook(tmp_path):
    from benchmarks import newcomer

    result = newcomer.main(["--repeats", "2", "--skip-export", "--out", str(tmp_path)])
    hook = result["hook"]
    assert hook["hook_us"]["n"] == 2 and hook["hook_us"]["median"] > 0
    assert hook["importtime_cumulative_us"]["median"] > 0 and hook["finder_call_ns"]["median"] > 0
    saved = json.loads((tmp_path / "newcomer.json").read_text(encoding="utf-8"))
    assert saved["hook"] == hook
    assert "the hook: its .pth processed" in (tmp_path / "newcomer.md").read_text(encoding="utf-8")


def test_a_tiny_simulation_benchmark_writes_every_measurement(tmp_path):
    from benchmarks import simulate

    argv = ["--pairs", "4", "--repeats", "1", "--minutes", "0.75", "--out", str(tmp_path / "out")]
    assert simulate.main(argv) == 0
    result = json.loads((tmp_path / "out" / "simulate.json").read_text())
    assert set(result["results"]) == {
        "ours_pairs_per_s",
        "plain_pairs_per_s",
        "pairs_ratio",
        "pairs_ratio_cpu",
        "ours_faults_per_pair",
        "plain_faults_per_pair",
        "builder_pairs_per_s",
        "builder_plain_pairs_per_s",
        "builder_ratio",
        "builder_ratio_cpu",
        "builder_faults_per_pair",
        "builder_plain_faults_per_pair",
        "region_ms",
        "whole_ms",
        "region_ratio",
        "export_mb_per_s",
        "export_audio_s_per_s",
        "copy_mb_per_s",
    }
    faults = {k for k in result["results"] if k.endswith("_faults_per_pair")}
    assert all(v["median"] > 0 for k, v in result["results"].items() if k not in faults)
    assert all(result["results"][k]["min"] >= 0 for k in faults)  # none is a fine answer
    assert "denoising pairs/s" in (tmp_path / "out" / "simulate.md").read_text()
    assert "speech.denoising streamed from a DNS layout" in (tmp_path / "out" / "simulate.md").read_text()
