"""Export of the bundled sample, all 80 configs: the folder is a Hub dataset repository that any datasets reads.

One export per test session (``sample_export``); the export here that is killed and resumed (with two
workers) is compared with it byte for byte.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from export_helpers import builder_rows, digests, load_without_package, site_packages

from audio_flan.export import LEDGER, STAGING, export
from audio_flan.export_inputs import tracked
from audio_flan.registry import config_dir, load_registry

ROW_GROUP_MB = 0.05  # small, so that the sample's row groups split and readers must join them
SETTINGS = dict(row_group_mb=ROW_GROUP_MB, progress=False)
CLI_SETTINGS = ["--row-group-mb", str(ROW_GROUP_MB), "--no-progress"]
STREAMED = [
    "speech.asr",
    "speech.speaker_verification",
    "speech.tts",
    "music.instrument_comparison",
    "audio.sound_event_recognition",
]
MAPPED = ["speech.asr", "speech.speaker_verification"]


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("hub") / "audio-flan"
    started = time.perf_counter()
    result = export(out, log=lambda _: None, **SETTINGS)
    result.seconds = time.perf_counter() - started
    return result


@pytest.fixture(scope="session")
def card(sample_export):
    from huggingface_hub import DatasetCard

    return DatasetCard.load(sample_export.out / "README.md")


def test_all_80_configs_are_exported_and_nothing_else(sample_export):
    out = sample_export.out
    names = list(load_registry())
    assert [s.name for s in sample_export.configs] == names
    assert sorted(p.name for p in out.iterdir()) == sorted(names + ["README.md", "images", LEDGER])
    assert not list(out.rglob("*.py"))
    assert not (out / STAGING).exists() and not list(out.rglob("*.tmp"))
    assert (out / "images" / "instances_per_task.svg").is_file()
    for summary in sample_export.configs:
        for split, s in summary.splits.items():
            files = sorted((out / summary.name).glob(f"{split}-*.parquet"))
            assert [f.name for f in files] == s.files
            assert all(f.name.endswith(f"-of-{len(files):05d}.parquet") for f in files)
            assert sum(pq.ParquetFile(f).metadata.num_rows for f in files) == s.instances > 0
    # small units of a split are packed into one file each (the sample is far below --max-shard-mb)
    files = list(out.glob("*/*.parquet"))
    assert len(files) == sum(len(s.splits) for s in sample_export.configs) <= 3 * 80


def test_card_yaml_parses_and_every_config_resolves(sample_export, card):
    from huggingface_hub import DatasetCardData

    data = card.data.to_dict()
    assert isinstance(card.data, DatasetCardData)
    configs = data["configs"]
    assert [c["config_name"] for c in configs] == list(load_registry())
    assert [c["config_name"] for c in configs if c.get("default")] == ["speech.asr"]
    infos = {i["config_name"]: i for i in data["dataset_info"]}
    for config in configs:
        info = infos[config["config_name"]]
        for entry in config["data_files"]:
            assert entry["path"] == f"{config['config_name']}/{entry['split']}-*"
            files = sorted(sample_export.out.glob(entry["path"]))
            assert files, entry
            rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
            split = next(s for s in info["splits"] if s["name"] == entry["split"])
            assert split["num_examples"] == rows and split["num_bytes"] > 0
        assert info["download_size"] == sum(
            f.stat().st_size for f in (sample_export.out / config["config_name"]).iterdir()
        )
    assert data["license"] == "apache-2.0"
    assert data["pretty_name"] == "Audio-FLAN"
    assert {"audio-classification", "automatic-speech-recognition", "text-to-speech"} <= set(data["task_categories"])
    assert "en" in data["language"]


def test_card_yaml_features_match_datasets_own(card):
    import datasets

    from audio_flan.card import yaml_features
    from audio_flan.features import make_features

    ours = yaml_features(make_features())
    assert ours == make_features()._to_yaml_list()
    assert all(info["features"] == ours for info in card.data.to_dict()["dataset_info"])
    assert datasets.Features._from_yaml_list(ours).keys() == make_features().keys()


def test_card_prose(sample_export, card):
    text = card.text
    assert "images/instances_per_task.svg" in text
    assert "bundled sample" in text and "Apache-2.0" in text and "nothing in it is restricted" in text
    for name in ("speech.asr", "audio.voice_activity_detection", "music.tagging"):
        assert f"| `{name}` |" in text
    assert ".decode(False)" in text and "cast_column" in text and "soundfile" in text and "decode_audio" in text
    assert "{{" not in card.content


def test_chart_has_a_bar_per_config(sample_export):
    root = ET.parse(sample_export.out / "images" / "instances_per_task.svg").getroot()
    bars = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    assert len(bars) == 80
    titles = {b.find("{http://www.w3.org/2000/svg}title").text.split(":")[0] for b in bars}
    assert titles == set(load_registry())


def test_summary_counts_audio_shared_between_configs(sample_export):
    by_name = {s.name: s for s in sample_export.configs}
    # speech.asr and speech.tts both read the sample's LibriTTS-R utterances
    assert by_name["speech.asr"].shared_bytes > 0
    assert sample_export.duplicated_bytes > 0
    assert all(0 <= s.shared_bytes <= s.audio_distinct_bytes <= s.audio_bytes for s in sample_export.configs)
    assert all(s.audio_hours > 0 and s.size > 0 for s in sample_export.configs)
    assert not sample_export.left_out and not sample_export.dropped


def test_parquet_schema_reads_back_as_audio(sample_export):
    import datasets

    from audio_flan.features import make_features

    path = next((sample_export.out / "speech.asr").glob("train-*.parquet"))
    schema = pq.read_schema(path)
    meta = json.loads(schema.metadata[b"huggingface"])
    # the form every datasets version reads: a list of audios is written [ {...} ], not {"_type": "List"}
    assert meta == {"info": {"features": json.loads(json.dumps(meta["info"]["features"]))}}
    assert meta["info"]["features"]["input_audios"] == [{"_type": "Audio"}]
    features = datasets.Features.from_arrow_schema(schema)
    assert features.keys() == make_features().keys()
    audio = features["input_audios"]
    inner = audio[0] if isinstance(audio, list) else audio.feature
    assert type(inner) is datasets.Audio
    table = pq.read_table(path)
    first = table.column("input_audios")[0].as_py()[0]
    assert first["path"] and "/" not in first["path"] and first["bytes"][:4] == b"RIFF"


def test_row_groups_of_the_sample_stay_small(sample_export):
    groups = 0
    for path in sample_export.out.glob("*/*.parquet"):
        meta = pq.ParquetFile(path).metadata
        for i in range(meta.num_row_groups):
            group = meta.row_group(i)
            # a single row larger than the limit gets a row group of its own
            assert group.total_byte_size <= ROW_GROUP_MB * 1e6 or group.num_rows == 1
            groups += 1
    assert groups > 200


def test_loads_without_audio_flan_installed(sample_export, tmp_path):
    """datasets of this venv, with audio-flan not importable, loads the folder streaming and not."""
    loaded = load_without_package(sample_export.out, STREAMED, MAPPED, tmp_path)
    _check_loaded(loaded, sample_export)


@pytest.mark.parametrize(
    "python", [p for p in os.environ.get("AUDIO_FLAN_TEST_PYTHONS", "").split(os.pathsep) if p] or [None]
)
def test_loads_with_other_datasets_versions(sample_export, tmp_path, python):
    """Other interpreters (AUDIO_FLAN_TEST_PYTHONS, e.g. a venv with the other end of the datasets range) read it too."""
    if python is None:
        pytest.skip("set AUDIO_FLAN_TEST_PYTHONS to interpreters of other venvs to check them too")
    loaded = load_without_package(sample_export.out, STREAMED[:2], MAPPED[:1], tmp_path, python=python)
    _check_loaded(loaded, sample_export, streamed=STREAMED[:2], mapped=MAPPED[:1])


def _check_loaded(loaded: dict, sample_export, streamed=STREAMED, mapped=MAPPED) -> None:
    assert sorted(loaded["config_names"]) == sorted(s.name for s in sample_export.configs)
    assert "Audio" in loaded["parquet_features"]["input_audios"]
    for config in streamed:
        expected = builder_rows(config)
        assert loaded["streaming"][config] == expected, config
        if config in mapped:
            assert loaded["map"][config] == expected, config
    asr = loaded["streaming"]["speech.asr"]
    assert set(asr) == {"train", "validation", "test"} and all(r["audios"] for r in asr["train"])


# The real command in a subprocess that SIGKILLs itself in the middle of writing a unit's staged file (after
# the KILL_AT-th batch of the export, about a third of the way, before the file is closed and renamed):
# deterministic, unlike a kill from outside.
KILL_AT = 100
KILLED_CLI = """
import os, signal, sys
import audio_flan.export as export
real, count = export._StagedWriter._flush, [0]

def flush(self):
    had = bool(self._rows)
    real(self)
    if had:
        count[0] += 1
        if count[0] == %d:
            os.kill(os.getpid(), signal.SIGKILL)

export._StagedWriter._flush = flush
from audio_flan.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_killed_export_resumes_to_the_same_bytes(sample_export, tmp_path):
    out = tmp_path / "audio-flan"
    code = KILLED_CLI % KILL_AT
    # run from the folder that holds the export: the folder a process starts in is on its import path, so a module
    # first imported while a unit runs lists it once the export has changed it; a file appearing there afterwards (as
    # in a checkout that others work in) is no input of the unit
    cwd = tmp_path
    proc = subprocess.run(
        [sys.executable, "-c", code, "export", str(out), *CLI_SETTINGS],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    staging = out / STAGING
    done = sum(1 for _ in staging.glob("*/*/unit-*.json"))
    assert 20 < done < 140 and not (out / "README.md").exists()  # of 148 units
    # killed while writing: a partly written file exists, and only under a temporary name
    assert list(staging.glob("*/*/unit-*.arrow.tmp"))
    assert not [p for p in out.rglob("*.parquet") if STAGING not in p.relative_to(out).parts]

    (cwd / "new-file").write_bytes(b"")
    logged: list[str] = []
    export(out, num_proc=2, log=logged.append, **SETTINGS)
    assert any(f"resuming: {done} of" in line for line in logged), logged
    assert digests(out) == digests(sample_export.out)


def test_what_the_import_system_lists_is_no_input_of_a_unit(tmp_path, monkeypatch):
    """A module first imported while a unit runs makes Python list every folder of its import path; a parser
    listing a folder is an input. Only the second may make a resumed export redo the unit."""
    folder = tmp_path / "on_path"
    folder.mkdir()
    (folder / "af_probe_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "af_probe_module", raising=False)
    importlib.invalidate_caches()
    with tracked() as paths:
        assert importlib.import_module("af_probe_module").VALUE == 1
        importlib.metadata.entry_points(group="audio_flan.sources")  # scans every folder of the path too
    assert str(folder) not in paths
    with tracked() as paths:
        os.listdir(folder)
        list(os.scandir(folder))
    assert paths == {str(folder)}


# Run as ``python -S CHANGED_CODE COPY SITE_PACKAGES OUT`` with COPY a copy of the package: imports the export,
# changes a module of the copy on disk, then exports; prints the fingerprint before and the error after.
CHANGED_CODE = """
import sys
sys.path[:0] = [sys.argv[1], *[p for p in sys.argv[2].split(":") if p]]
import audio_flan.export as export
assert export.__file__.startswith(sys.argv[1]), export.__file__
print(export.Settings(out=sys.argv[3], data_dir=None).fingerprint()["audio_flan"])
with open(export.__file__.replace("export.py", "dsp.py"), "a", encoding="utf-8") as f:
    f.write("\\n# changed on disk after the import\\n")
try:
    export.export(sys.argv[3], configs=["speech.asr"], progress=False, log=print)
except export.ExportError as err:
    print(err)
    sys.exit(3)
"""


def test_an_export_refuses_code_changed_on_disk_since_it_was_imported(tmp_path):
    """Staged work is keyed by the code's hash: a process whose code on disk changed after it imported it would
    key what its old code writes by the new code's hash, and a later resume would join the two."""
    import audio_flan

    package = Path(audio_flan.__file__).parent
    copy = tmp_path / "copy"
    shutil.copytree(package, copy / "audio_flan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(config_dir(), copy / "audio_flan" / "builder_configs", dirs_exist_ok=True)
    out = tmp_path / "audio-flan"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["HF_DATASETS_CACHE"] = str(tmp_path / "hf_cache")
    proc = subprocess.run(
        [sys.executable, "-S", "-c", CHANGED_CODE, str(copy), site_packages(), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-3000:]
    before, *_, error = proc.stdout.strip().splitlines()
    assert re.fullmatch(r"[0-9a-f]{16}", before)
    assert error.startswith("audio-flan's code or registry changed on disk after this process imported it")
    assert not (out / STAGING).exists() and not list(out.rglob("*.parquet"))
