"""What an export guarantees: a resume after an input changed, files it did not write, a lock, a full disk,
and the Parquet and card the Hub reads (page index, compression per column, row groups, licences, sizes)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from export_helpers import digests
from test_export_parts import long_release

from audio_flan import export as export_module
from audio_flan.builder import SAMPLE_DIR
from audio_flan.card import hub_language, size_category
from audio_flan.export import LEDGER, STAGING, ExportError, export
from audio_flan.export_folder import locked
from audio_flan.hub import check_export_folder

QUIET = dict(progress=False, log=lambda _: None)
SPEECH = ["speech.asr", "speech.tts"]


def _libritts(tmp_path: Path) -> Path:
    data = tmp_path / "corpora"
    shutil.copytree(SAMPLE_DIR / "LibriTTS_R", data / "LibriTTS_R")
    return data


def _crash_at(monkeypatch, n: int) -> None:
    real, calls = export_module.run_unit, {"n": 0}

    def crashing(job):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(export_module, "run_unit", crashing)


def test_a_resume_after_an_input_changed_redoes_exactly_that_unit(tmp_path, monkeypatch):
    data = _libritts(tmp_path)
    out = tmp_path / "audio-flan"
    _crash_at(monkeypatch, 5)  # speech.asr's three splits and speech.tts's train are done
    with pytest.raises(KeyboardInterrupt):
        export(out, configs=SPEECH, data_dir=data, **QUIET)
    monkeypatch.undo()
    manifest = json.loads((out / STAGING / "speech.asr" / "validation" / "unit-00000.json").read_text())
    read = [p for p, _, _ in manifest["inputs"]]
    transcript = next(Path(p) for p in read if p.endswith(".trans.tsv"))
    assert all(p.startswith(str(data)) for p in read) and any(p.endswith(".wav") for p in read)
    lines = transcript.read_text(encoding="utf-8").splitlines()
    lines[0] += " and a changed ending."  # the last column, the normalised text, is the output of speech.asr
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")

    logged: list[str] = []
    export(out, configs=SPEECH, data_dir=data, progress=False, log=logged.append)
    # 4 units were done; the one that read the edited transcript is redone, the 3 others kept
    assert "resuming: 3 of 6 units already done" in logged
    fresh = tmp_path / "fresh" / "audio-flan"
    export(fresh, configs=SPEECH, data_dir=data, **QUIET)
    assert digests(out) == digests(fresh)
    texts = pq.read_table(out / "speech.asr" / "validation-00000-of-00001.parquet").column("output").to_pylist()
    assert any("and a changed ending." in t for t in texts)


def test_a_file_added_to_a_folder_a_unit_listed_redoes_that_unit(tmp_path, monkeypatch):
    data = _libritts(tmp_path)
    out = tmp_path / "audio-flan"
    _crash_at(monkeypatch, 6)
    with pytest.raises(KeyboardInterrupt):
        export(out, configs=SPEECH, data_dir=data, **QUIET)
    monkeypatch.undo()
    chapter = next((data / "LibriTTS_R" / "test-clean" / "61").iterdir())
    (chapter / "notes.txt").write_text("a stray file\n", encoding="utf-8")  # not an utterance: same rows
    logged: list[str] = []
    export(out, configs=SPEECH, data_dir=data, progress=False, log=logged.append)
    # 5 units were done; speech.asr's test unit listed that folder and is redone (speech.tts's was not done yet)
    assert "resuming: 4 of 6 units already done" in logged


def test_a_parquet_file_a_user_added_is_kept_and_reported(tmp_path):
    out = tmp_path / "audio-flan"
    export(out, configs=["music.pitch_classification"], **QUIET)
    mine = out / "music.pitch_classification" / "extra.parquet"
    shutil.copyfile(next(out.glob("music.pitch_classification/*.parquet")), mine)
    logged: list[str] = []
    export(out, configs=["music.pitch_classification"], max_shard_mb=0.1, progress=False, log=logged.append)
    assert mine.is_file()
    assert (
        "kept 1 file(s) in the config folders that the export did not write: music.pitch_classification/extra.parquet"
        in logged[-1]
    )
    assert "loaded as part of a split" not in logged[-1]
    ledger = json.loads((out / LEDGER).read_text())
    assert "music.pitch_classification/extra.parquet" not in ledger["files"]
    # a file named like a split's files is kept too, and the summary says it will be read with that split
    shutil.copyfile(mine, out / "music.pitch_classification" / "train-extra.parquet")
    export(out, configs=["music.pitch_classification"], progress=False, log=logged.append)
    assert (
        "loaded as part of a split (they match its <split>-* pattern): music.pitch_classification/train-extra.parquet"
        in logged[-1]
    )
    assert sorted(ledger["files"]) == sorted(p.relative_to(out).as_posix() for p in out.glob("*/*-of-*.parquet"))


def test_a_file_of_the_user_where_the_export_writes_is_not_overwritten(tmp_path):
    out = tmp_path / "audio-flan"
    export(out, configs=["music.pitch_classification"], **QUIET)
    (out / LEDGER).unlink()  # the export no longer knows it wrote these
    before = digests(out)
    with pytest.raises(ExportError, match="files the export did not write where it would write its own"):
        export(out, configs=["music.pitch_classification"], **QUIET)
    assert {k: v for k, v in digests(out).items() if not k.startswith(".")} == before


def test_a_second_export_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "audio-flan"
    out.mkdir()
    with locked(out):
        with pytest.raises(ExportError, match=f"another export is writing to {out} \\(process {os.getpid()}\\)"):
            export(out, configs=["music.pitch_classification"], **QUIET)
    export(out, configs=["music.pitch_classification"], **QUIET)  # the lock went with the first
    assert not (out / ".audio-flan-export.lock").exists()


def _small_mount(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
        ).returncode
        == 0
    )


def test_a_full_disk_is_a_sentence_and_the_export_resumes(tmp_path, monkeypatch):
    configs = ["speech.asr", "music.pitch_classification"]
    reference = tmp_path / "ref" / "audio-flan"
    export(reference, configs=configs, **QUIET)
    disk = tmp_path / "disk"
    mounted = _small_mount(disk, "600k")  # a real small filesystem where the tests run as root
    if not mounted:  # elsewhere a writer that fails as a full disk does, after a few files
        real, calls = export_module.atomic_write, {"n": 0}

        def full(path, data):
            calls["n"] += 1
            if calls["n"] > 8:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            real(path, data)

        monkeypatch.setattr(export_module, "atomic_write", full)
    out = disk / "audio-flan"
    try:
        with pytest.raises(ExportError, match=f"the disk holding {out} is full .*run the same command again"):
            export(out, configs=configs, **QUIET)
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        else:
            monkeypatch.undo()
        export(out, configs=configs, **QUIET)
        assert digests(out) == digests(reference)
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_parquet_has_a_page_index_and_compression_per_column(tmp_path):
    out = tmp_path / "audio-flan"
    export(out, configs=["speech.asr"], **QUIET)
    path = out / "speech.asr" / "train-00000-of-00001.parquet"
    meta = pq.ParquetFile(path).metadata
    group = meta.row_group(0)
    codecs = {group.column(i).path_in_schema: group.column(i).compression for i in range(group.num_columns)}
    assert codecs["input_audios.list.element.bytes"] == "UNCOMPRESSED"
    assert codecs["output_audios.list.element.bytes"] == "UNCOMPRESSED"
    assert {codecs[c] for c in ("instruction", "output", "metadata", "input_audios.list.element.path")} == {"ZSTD"}
    # the page index: page offsets for every column, min/max per page where statistics are written
    assert all(group.column(i).has_offset_index for i in range(group.num_columns))
    assert {group.column(i).path_in_schema for i in range(group.num_columns) if group.column(i).has_column_index} == {
        "id",
        "config",
        "domain",
        "source",
    }
    assert json.loads(meta.metadata[b"content_defined_chunking"]) == {
        "min_chunk_size": 262144,
        "max_chunk_size": 1048576,
        "norm_level": 0,
    }


def test_an_instance_larger_than_the_row_group_limit_gets_its_own_group_and_is_reported(tmp_path):
    data = long_release(tmp_path / "release", n=4, seconds=8.0)  # 256 kB per instance
    out = tmp_path / "audio-flan"
    logged: list[str] = []
    result = export(
        out,
        configs=["speech.asr"],
        data_dir=data,
        include_restricted=True,
        row_group_mb=0.2,
        progress=False,
        log=logged.append,
    )
    meta = pq.ParquetFile(out / "speech.asr" / "train-00000-of-00001.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1, 1, 1, 1]
    assert [(c, i) for c, i, _ in result.oversize] == [("speech.asr", f"u{i}") for i in range(4)]
    assert "4 instance(s) larger than the row-group limit, each in a row group of its own" in logged[-1]
    with pytest.raises(ExportError, match="may be at most 300"):
        export(out, configs=["speech.asr"], row_group_mb=301, **QUIET)


def test_a_restricted_source_gives_license_other_with_name_and_link(tmp_path):
    data = long_release(tmp_path / "release", n=2, seconds=0.1)
    out = tmp_path / "audio-flan"
    export(out, configs=["speech.asr"], data_dir=data, include_restricted=True, **QUIET)
    meta = check_export_folder(out)
    assert meta["license"] == "other"
    assert meta["license_name"] == "release-terms"
    assert meta["license_link"] == "https://huggingface.co/datasets/HKUSTAudio/Audio-FLAN-Dataset"


def test_size_categories_use_every_hub_bucket():
    got = [size_category(n) for n in (10, 5_000, 50_000, 500_000, 5_000_000, 50_000_000, 108_500_000, 2 * 10**9)]
    assert got == [
        "n<1K",
        "1K<n<10K",
        "10K<n<100K",
        "100K<n<1M",
        "1M<n<10M",
        "10M<n<100M",
        "100M<n<1B",
        "1B<n<10B",
    ]
    assert size_category(20 * 10**9) == "10B<n<100B" and size_category(5 * 10**11) == "100B<n<1T"
    assert size_category(2 * 10**12) == "n>1T"


def test_language_codes_are_reduced_to_hub_codes_consistently():
    assert [hub_language(c) for c in ("en", "en-US", "en_us", "EN", "zh-CN", "yue", "English", "??")] == [
        "en",
        "en",
        "en",
        "en",
        "zh",
        "yue",
        None,
        None,
    ]


def test_the_ray_engine_without_ray_installed_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    import sys

    from audio_flan.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)  # as where the extra is not installed
    out = tmp_path / "audio-flan"
    assert (
        main(["export", str(out), "--configs", "music.pitch_classification", "--engine", "ray", "--no-progress"]) == 1
    )
    assert "--engine ray needs Ray: pip install 'audio-flan[ray]'" in capsys.readouterr().err
    assert not (out / "music.pitch_classification").exists()
