"""Export on small data: row groups and shard files with long audio, licences, interruptions, the push and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpora.release import Release, record
from export_helpers import builder_rows, digests

from audio_flan import export as export_module
from audio_flan.builder import SAMPLE_DIR
from audio_flan.cli import main
from audio_flan.export import STAGING, ExportError, export
from audio_flan.hub import PushError, check_export_folder, push
from audio_flan.sources.base import MissingAudioWarning

QUIET = dict(progress=False, log=lambda _: None)


def long_release(root: Path, n: int = 6, seconds: float = 8.0) -> Path:
    """A release copy whose speech.asr instances each hold one long WAV (256 kB at 16 kHz)."""
    rel = Release(root)
    ids = [rel.audio("speech", "13_LibriTTS-R", f"long{i}", seconds=seconds, freq=200.0 + 50 * i) for i in range(n)]
    rel.jsonl(
        "speech",
        "13_LibriTTS-R",
        [record(f"u{i}", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>", out=f"text {i}") for i, a in enumerate(ids)],
    )
    return root


def test_row_groups_stay_under_the_limit_with_long_audio(tmp_path):
    data = long_release(tmp_path / "release")
    out = tmp_path / "audio-flan"
    limit_mb = 0.6
    result = export(out, configs=["speech.asr"], data_dir=data, include_restricted=True, row_group_mb=limit_mb, **QUIET)
    files = sorted((out / "speech.asr").glob("train-*.parquet"))
    assert [s.instances for s in result.configs] == [6]
    sizes = []
    for path in files:
        meta = pq.ParquetFile(path).metadata
        for i in range(meta.num_row_groups):
            sizes.append(meta.row_group(i).total_byte_size)
    assert len(sizes) == 3 and max(sizes) <= limit_mb * 1e6, sizes
    assert min(sizes) > 400_000  # two long audios per group: the limit is used, not one row per group
    table = pq.read_table(files)
    assert table.num_rows == 6
    stored = table.column("input_audios").to_pylist()
    originals = sorted((data / "audio_files" / "speech" / "13_LibriTTS-R").glob("*.wav"))
    assert [a[0]["path"] for a in stored] == [p.name for p in originals]
    assert [a[0]["bytes"] for a in stored] == [p.read_bytes() for p in originals]  # as they are, not re-encoded
    assert abs(result.configs[0].audio_hours - 6 * 8 / 3600) < 1e-6


def test_a_unit_larger_than_the_shard_limit_is_split_into_files(tmp_path):
    data = long_release(tmp_path / "release")
    out = tmp_path / "audio-flan"
    export(
        out, configs=["speech.asr"], data_dir=data, include_restricted=True, row_group_mb=0.3, max_shard_mb=0.6, **QUIET
    )
    files = sorted(p.name for p in (out / "speech.asr").iterdir())
    assert files == [f"train-{i:05d}-of-00003.parquet" for i in range(3)]
    assert all(pq.ParquetFile(out / "speech.asr" / f).metadata.num_rows == 2 for f in files)
    assert all((out / "speech.asr" / f).stat().st_size <= 0.6e6 for f in files)


def test_missing_audio_is_skipped_with_a_warning_naming_file_and_line(tmp_path):
    data = long_release(tmp_path / "release", n=2, seconds=0.1)
    missing = data / "audio_files" / "speech" / "13_LibriTTS-R" / "long0.wav"
    missing.unlink()
    with pytest.warns(
        MissingAudioWarning, match=f"skipped 1 record\\(s\\) whose audio file is missing \\(line 1: {missing}\\)"
    ):
        result = export(tmp_path / "out", configs=["speech.asr"], data_dir=data, include_restricted=True, **QUIET)
    assert result.configs[0].instances == 1


def test_audio_soundfile_cannot_read_is_stored_and_reported(tmp_path):
    data = long_release(tmp_path / "release", n=2, seconds=0.1)
    broken = data / "audio_files" / "speech" / "13_LibriTTS-R" / "long1.wav"
    broken.write_bytes(b"not audio at all")
    logged: list[str] = []
    result = export(
        tmp_path / "out",
        configs=["speech.asr"],
        data_dir=data,
        include_restricted=True,
        progress=False,
        log=logged.append,
    )
    assert result.configs[0].audio_unreadable == 1 and result.configs[0].instances == 2
    assert "cannot read (stored, but not counted in the hours): speech.asr 1" in logged[-1]


def _esc50_and_libritts(tmp_path: Path) -> Path:
    data = tmp_path / "corpora"
    for name in ("ESC-50-master", "LibriTTS_R"):
        shutil.copytree(SAMPLE_DIR / name, data / name)
    return data


def test_restricted_sources_are_left_out_and_said_so(tmp_path):
    data = _esc50_and_libritts(tmp_path)
    out = tmp_path / "audio-flan"
    logged: list[str] = []
    result = export(
        out, configs=["speech.asr", "audio.sound_event_recognition"], data_dir=data, progress=False, log=logged.append
    )
    assert [s.name for s in result.configs] == ["speech.asr"]
    assert result.left_out == {"esc50": ["audio.sound_event_recognition"]}
    assert result.dropped == ["audio.sound_event_recognition"]
    assert any("ESC-50" in line and "--include-restricted" in line for line in logged)
    assert any("left out" in line and "ESC-50" in line for line in logged[-1].splitlines())
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Left out, because their licences do not allow redistribution" in card and "CC BY-NC 3.0" in card
    assert "LibriTTS-R** (`libritts_r`): CC BY 4.0" in card
    assert not (out / "audio.sound_event_recognition").exists()
    meta = check_export_folder(out)
    assert meta["license"] == "cc-by-4.0"
    assert builder_rows("speech.asr", str(data)).keys() == {s for s in result.configs[0].splits}


def test_include_restricted_exports_them(tmp_path):
    data = _esc50_and_libritts(tmp_path)
    out = tmp_path / "audio-flan"
    result = export(
        out, configs=["speech.asr", "audio.sound_event_recognition"], data_dir=data, include_restricted=True, **QUIET
    )
    assert [s.name for s in result.configs] == ["speech.asr", "audio.sound_event_recognition"]
    assert not result.left_out
    sources = {s.name: s.parsers for s in result.configs}
    assert sources["audio.sound_event_recognition"] == ["esc50"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Included with `--include-restricted`" in card and "No source was left out." in card
    assert sorted(check_export_folder(out)["license"]) == ["cc-by-4.0", "cc-by-nc-3.0"]


def test_nothing_to_export_is_an_error(tmp_path):
    data = tmp_path / "corpora"
    shutil.copytree(SAMPLE_DIR / "ESC-50-master", data / "ESC-50-master")
    with pytest.raises(
        ExportError, match="nothing to export for audio.sound_event_recognition: their sources are restricted"
    ):
        export(tmp_path / "out", configs=["audio.sound_event_recognition"], data_dir=data, **QUIET)


CONFIGS = ["speech.asr", "music.pitch_classification", "audio.sound_event_recognition"]


@pytest.fixture(scope="module")
def small_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("small") / "audio-flan"
    export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    return out


def test_two_clean_runs_with_one_or_two_workers_give_the_same_bytes(small_export, tmp_path):
    out = tmp_path / "audio-flan"
    export(out, configs=CONFIGS, row_group_mb=0.05, num_proc=2, **QUIET)
    assert digests(out) == digests(small_export)


def test_a_crash_between_units_resumes_to_the_same_bytes(small_export, tmp_path, monkeypatch):
    out = tmp_path / "audio-flan"
    calls = {"n": 0}
    real = export_module.run_unit

    def crashing(job):
        calls["n"] += 1
        if calls["n"] == 40:
            # what a kill leaves: a half-written file of the next unit, then nothing
            unit, settings = job
            (unit.folder(settings) / f"{unit.stem}-000.parquet.tmp").write_bytes(b"PAR1 half")
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(export_module, "run_unit", crashing)
    with pytest.raises(KeyboardInterrupt):
        export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert len(list((out / STAGING).glob("*/*/unit-*.json"))) == 39
    monkeypatch.setattr(export_module, "run_unit", real)
    export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert digests(out) == digests(small_export)


def test_a_crash_while_finishing_resumes_to_the_same_bytes(small_export, tmp_path, monkeypatch):
    import audio_flan.export as export_module

    out = tmp_path / "audio-flan"

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "write_card", broken)
    with pytest.raises(KeyboardInterrupt):
        export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert (
        (out / STAGING).is_dir() and list(out.glob("speech.asr/train-*.parquet")) and not (out / "README.md").exists()
    )
    monkeypatch.undo()
    export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert digests(out) == digests(small_export)


def test_other_settings_start_over(small_export, tmp_path):
    out = tmp_path / "audio-flan"
    shutil.copytree(small_export, out)
    (out / STAGING / "speech.asr").mkdir(parents=True)
    (out / STAGING / "plan.json").write_text("{}")
    logged: list[str] = []
    export(out, configs=CONFIGS, row_group_mb=0.05, progress=False, log=logged.append)
    assert any("starting over" in line for line in logged)
    assert digests(out) == digests(small_export)


def test_exporting_fewer_configs_into_an_export_removes_the_others(small_export, tmp_path):
    out = tmp_path / "audio-flan"
    shutil.copytree(small_export, out)
    export(out, configs=["music.pitch_classification"], row_group_mb=0.05, **QUIET)
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "images", "music.pitch_classification"]
    assert [c["config_name"] for c in check_export_folder(out)["configs"]] == ["music.pitch_classification"]


def test_a_folder_that_is_not_an_export_is_refused(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not an audio-flan export"):
        export(tmp_path, configs=["speech.asr"], **QUIET)
    assert main(["export", str(tmp_path), "--configs", "speech.asr", "--no-progress"]) == 1
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_cli_export_and_its_errors(tmp_path, capsys):
    out = tmp_path / "audio-flan"
    assert (
        main(["export", str(out), "--configs", "music.pitch_classification", "--no-progress", "--repo-id", "me/af"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "music.pitch_classification" in printed and "1 configs written" in printed
    assert 'load_dataset("me/af", "music.pitch_classification"' in (out / "README.md").read_text(encoding="utf-8")
    assert main(["export", str(tmp_path / "x"), "--configs", "speech.nope"]) == 1
    assert "unknown config" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "x"), "--num-proc", "0"]) == 1


class FakeApi:
    calls: list = []

    def create_repo(self, **kwargs):
        self.calls.append(("create_repo", kwargs))
        return f"https://huggingface.co/datasets/{kwargs['repo_id']}"

    def upload_folder(self, **kwargs):
        self.calls.append(("upload_folder", kwargs))

    def upload_large_folder(self, **kwargs):
        self.calls.append(("upload_large_folder", kwargs))


def test_push_creates_the_repo_and_uploads_resumably(small_export, monkeypatch, capsys):
    import huggingface_hub

    import audio_flan.hub as hub

    FakeApi.calls = []
    monkeypatch.setattr(hub, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    assert main(["push", str(small_export), "--repo", "org/audio-flan", "--private"]) == 0
    assert "hf_secret_token_value" not in capsys.readouterr().out
    (name, create), (upload_name, upload) = FakeApi.calls
    assert name == "create_repo" and create == {
        "repo_id": "org/audio-flan",
        "repo_type": "dataset",
        "exist_ok": True,
        "private": True,
    }
    assert (
        upload["repo_id"] == "org/audio-flan"
        and upload["repo_type"] == "dataset"
        and upload["folder_path"] == str(small_export)
    )
    # the resumable upload of this huggingface_hub: upload_large_folder before 1.20, upload_folder since
    major, minor = (int(x) for x in huggingface_hub.__version__.split(".")[:2])
    assert upload_name == ("upload_large_folder" if (major, minor) < (1, 20) else "upload_folder")
    monkeypatch.setattr(huggingface_hub, "__version__", "0.30.0")
    FakeApi.calls = []
    push(small_export, "org/audio-flan", api=FakeApi(), log=lambda _: None)
    assert FakeApi.calls[1][0] == "upload_large_folder" and FakeApi.calls[1][1]["private"] is False


def test_push_refuses_what_is_not_an_export(small_export, tmp_path):
    with pytest.raises(PushError, match="no README.md"):
        push(tmp_path, "org/x", api=FakeApi())
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# hello\n")
    with pytest.raises(PushError, match="lists no configs"):
        push(tmp_path, "org/x", api=FakeApi())
    copy = tmp_path / "copy"
    shutil.copytree(small_export, copy)
    (copy / "speech.asr" / "loader.py").write_text("print()")
    with pytest.raises(PushError, match="Python files"):
        push(copy, "org/x", api=FakeApi())
    (copy / "speech.asr" / "loader.py").unlink()
    for f in (copy / "speech.asr").glob("test-*"):
        f.unlink()
    with pytest.raises(PushError, match="no file matches speech.asr/test-"):
        push(copy, "org/x", api=FakeApi())
    with pytest.raises(PushError, match="ORG/NAME"):
        push(small_export, "no-slash", api=FakeApi())
    assert main(["push", str(tmp_path / "none"), "--repo", "org/x"]) == 1


def test_features_metadata_is_the_form_every_version_reads():
    import datasets

    from audio_flan.export import arrow_schema, portable_features_dict
    from audio_flan.features import make_features

    portable = portable_features_dict(make_features())
    assert portable["input_audios"] == [{"_type": "Audio"}] and portable["language"] == [
        {"dtype": "string", "_type": "Value"}
    ]
    assert datasets.Features.from_dict(portable) == datasets.Features.from_dict(make_features().to_dict())
    meta = json.loads(arrow_schema().metadata[b"huggingface"])
    assert meta == {"info": {"features": portable}}
