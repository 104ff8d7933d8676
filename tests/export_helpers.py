"""Helpers for the export tests: file digests of an export folder, a loader run without audio-flan, builder rows."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np

TEXT_FIELDS = ("id", "config", "domain", "instruction", "input", "output", "source", "language", "metadata")

# Run as ``python -S LOADER SITE_PACKAGES CONFIG...`` from the folder holding the export named ``audio-flan``.
# With -S no .pth file is processed, so the editable install of audio-flan is invisible; the venv's
# site-packages go on sys.path by hand. Prints one JSON object.
LOADER = r"""
import sys
sys.path[:0] = [p for p in sys.argv[1].split(":") if p]
try:
    import audio_flan  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("audio_flan is importable here; the test would prove nothing")
import glob, hashlib, io, json
import datasets, numpy as np, soundfile as sf

TEXT = %(text)r

def audio_key(value):
    array, rate = sf.read(io.BytesIO(value["bytes"]), dtype="float32")
    return [value["path"], hashlib.sha256(np.ascontiguousarray(array, dtype=np.float32).tobytes()).hexdigest(), rate]

def rows(examples):
    return [dict({k: e[k] for k in TEXT}, audios=[audio_key(a) for a in e["input_audios"] + e["output_audios"]]) for e in examples]

out = {"version": datasets.__version__, "config_names": datasets.get_dataset_config_names("audio-flan"), "streaming": {}, "map": {}}
for config in sys.argv[2].split(","):
    streams = datasets.load_dataset("audio-flan", config, streaming=True)
    out["streaming"][config] = {split: rows(ds.decode(False)) for split, ds in streams.items()}
for config in sys.argv[3].split(","):
    loaded = datasets.load_dataset("audio-flan", config)
    result = {}
    for split, ds in loaded.items():
        assert type(ds.features["input_audios"]).__name__ in ("list", "List", "Sequence"), ds.features
        ds = ds.cast_column("input_audios", [datasets.Audio(decode=False)]).cast_column("output_audios", [datasets.Audio(decode=False)])
        result[split] = rows(ds)
    out["map"][config] = result
# the schema metadata alone (no card) also gives Audio columns
files = sorted(glob.glob("audio-flan/speech.asr/train-*.parquet"))
plain = datasets.load_dataset("parquet", data_files=files, split="train", streaming=True)
out["parquet_features"] = {k: repr(v) for k, v in plain.features.items()}
print(json.dumps(out))
"""


def site_packages(python: str = sys.executable) -> str:
    if python == sys.executable:
        paths = sysconfig.get_paths()
        return ":".join(dict.fromkeys([paths["purelib"], paths["platlib"]]))
    code = "import sysconfig; p = sysconfig.get_paths(); print(':'.join(dict.fromkeys([p['purelib'], p['platlib']])))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def load_without_package(
    export_dir: Path, streaming: list[str], mapped: list[str], tmp: Path, python: str = sys.executable
) -> dict:
    """What datasets (of ``python``'s venv) loads from ``export_dir`` (named audio-flan), audio-flan not importable."""
    assert export_dir.name == "audio-flan"
    script = tmp / "load_export.py"
    script.write_text(LOADER % {"text": TEXT_FIELDS}, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        HF_DATASETS_CACHE=str(tmp / "hf_cache"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HF_HOME=str(tmp / "hf_home"),
    )
    proc = subprocess.run(
        [python, "-S", str(script), site_packages(python), ",".join(streaming), ",".join(mapped)],
        cwd=export_dir.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def builder_rows(config: str, data_dir=None) -> dict[str, list[dict]]:
    """Per split, what the builder yields, in the loader's form (audio: base name, digest of samples, rate)."""
    from audio_flan.builder import AudioFlan

    builder = AudioFlan(config_name=config, data_dir=data_dir)
    out = {}
    for split, stream in builder.as_streaming_dataset().items():
        rows = []
        for e in stream:
            audios = []
            for a in e["input_audios"] + e["output_audios"]:
                digest = hashlib.sha256(np.ascontiguousarray(a["array"], dtype=np.float32).tobytes()).hexdigest()
                audios.append([os.path.basename(a["path"]), digest, a["sampling_rate"]])
            rows.append(dict({k: e[k] for k in TEXT_FIELDS}, audios=audios))
        if rows:
            out[split] = rows
    return out


def digests(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
