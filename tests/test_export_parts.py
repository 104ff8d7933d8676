"""Export on small data: row groups and shard files with long audio, licences, interruptions, the push and the CLI."""

from __future__ import annotations

import json
import shutil
from fnmatch import fnmatch
from pathlib import Path
from typing import Optional

import pyarrow.parquet as pq
import pytest
from corpora.release import Release, record
from export_helpers import builder_rows, digests

from audio_flan import export as export_module
from audio_flan.builder import SAMPLE_DIR
from audio_flan.cli import main
from audio_flan.export import LEDGER, STAGING, ExportError, export
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
        if calls["n"] == 12:  # of 20 units (release files with none of a config's records are no unit of it)
            # what a kill leaves: a half-written file of the next unit, then nothing
            unit, settings = job
            (unit.folder(settings) / f"{unit.stem}-000.parquet.tmp").write_bytes(b"PAR1 half")
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(export_module, "run_unit", crashing)
    with pytest.raises(KeyboardInterrupt):
        export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert len(list((out / STAGING).glob("*/*/unit-*.json"))) == 11
    monkeypatch.setattr(export_module, "run_unit", real)
    export(out, configs=CONFIGS, row_group_mb=0.05, **QUIET)
    assert digests(out) == digests(small_export)


def test_a_crash_while_finishing_resumes_to_the_same_bytes(small_export, tmp_path, monkeypatch):
    import audio_flan.card as card

    out = tmp_path / "audio-flan"

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(card, "write_card", broken)  # the export calls it as card.write_card
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


def test_exporting_fewer_configs_into_an_export_is_refused_unless_pruned(small_export, tmp_path):
    out = tmp_path / "audio-flan"
    shutil.copytree(small_export, out)
    before = digests(out)
    with pytest.raises(
        ExportError, match="speech.asr, audio.sound_event_recognition. Export them too, or pass --prune"
    ):
        export(out, configs=["music.pitch_classification"], row_group_mb=0.05, **QUIET)
    assert digests(out) == before
    logged: list[str] = []
    result = export(
        out, configs=["music.pitch_classification"], row_group_mb=0.05, prune=True, progress=False, log=logged.append
    )
    assert sorted(p.name for p in out.iterdir()) == [LEDGER, "README.md", "images", "music.pitch_classification"]
    assert [c["config_name"] for c in check_export_folder(out)["configs"]] == ["music.pitch_classification"]
    assert sorted(result.removed) == sorted(n for n in before if n.startswith(("speech.asr/", "audio.sound_event")))
    assert f"removed {len(result.removed)} file(s) an earlier export wrote and this one does not" in logged[-1]


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
    """The part of HfApi that push uses, over a dict of remote files, with the Hub's commit semantics."""

    calls: list = []

    def __init__(self, remote: Optional[dict] = None):
        self.remote = dict(remote or {})
        self.commits = 0

    def create_repo(self, **kwargs):
        self.calls.append(("create_repo", kwargs))
        return f"https://huggingface.co/datasets/{kwargs['repo_id']}"

    def _local(self, folder: str, ignore) -> dict:
        root = Path(folder)
        files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        return {k: v for k, v in files.items() if not any(fnmatch(k, pat) for pat in ignore or [])}

    def upload_folder(self, **kwargs):
        self.calls.append(("upload_folder", kwargs))
        local = self._local(kwargs["folder_path"], kwargs.get("ignore_patterns"))
        # one commit: remote files matching delete_patterns that are not uploaded go, the folder's files come
        for name in list(self.remote):
            if name not in local and any(fnmatch(name, pat) for pat in kwargs.get("delete_patterns") or []):
                del self.remote[name]
        self.remote.update(local)
        self.commits += 1

    def upload_large_folder(self, **kwargs):
        self.calls.append(("upload_large_folder", kwargs))
        self.remote.update(self._local(kwargs["folder_path"], kwargs.get("ignore_patterns")))
        self.commits += 1

    def list_repo_files(self, **kwargs):
        return sorted(self.remote)

    def create_commit(self, operations, **kwargs):
        self.calls.append(("create_commit", kwargs))
        for op in operations:
            del self.remote[op.path_in_repo]
        self.commits += 1


def test_push_creates_the_repo_and_uploads_resumably(small_export, monkeypatch, capsys):
    import huggingface_hub

    import audio_flan.hub as hub

    FakeApi.calls = []
    monkeypatch.setattr(hub, "HfApi", FakeApi)
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_value")
    assert main(["push", str(small_export), "--repo", "org/audio-flan", "--private"]) == 0
    assert "hf_secret_token_value" not in capsys.readouterr().out
    (name, create), (upload_name, upload) = FakeApi.calls[:2]
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


STALE = {
    "speech.asr/train-00000-of-00003.parquet": b"old",  # a pushed config's file the export no longer has
    "speech.asr/train-00002-of-00003.parquet": b"old",
    "speech.tts/train-00000-of-00001.parquet": b"other config",  # a config this push does not hold
    "notes.md": b"a file of the repository's owner",
}


@pytest.mark.parametrize("hub_version", ["1.20.0", "0.30.0"])
def test_push_mirrors_the_pushed_configs_and_leaves_the_others(small_export, monkeypatch, hub_version):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "__version__", hub_version)
    api = FakeApi(STALE)
    push(small_export, "org/audio-flan", api=api, log=lambda _: None)
    local = {p.relative_to(small_export).as_posix() for p in small_export.rglob("*") if p.is_file()}
    expected = {n for n in local if not n.startswith(".")} | {"speech.tts/train-00000-of-00001.parquet", "notes.md"}
    assert set(api.remote) == expected
    assert api.remote["speech.tts/train-00000-of-00001.parquet"] == b"other config"
    assert not any(n.startswith(".audio-flan-export") for n in api.remote)  # the ledger stays local
    # one commit on huggingface_hub >= 1.20 (upload and deletions together); two before
    assert api.commits == (1 if hub_version == "1.20.0" else 2)


def test_push_prune_deletes_other_configs_parquet_too(small_export):
    api = FakeApi(STALE)
    push(small_export, "org/audio-flan", api=api, prune=True, log=lambda _: None)
    assert "speech.tts/train-00000-of-00001.parquet" not in api.remote and api.remote["notes.md"]
    assert {n for n in api.remote if n.endswith(".parquet")} == {
        p.relative_to(small_export).as_posix() for p in small_export.rglob("*.parquet")
    }


def test_push_offline_or_unreachable_says_so(small_export, monkeypatch, capsys):
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["push", str(small_export), "--repo", "org/x"]) == 1
    assert "cannot push: HF_HUB_OFFLINE is set" in capsys.readouterr().err

    import audio_flan.hub as hub

    class Refused(FakeApi):
        def create_repo(self, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(hub, "HfApi", Refused)
    assert main(["push", str(small_export), "--repo", "org/x"]) == 1
    err = capsys.readouterr().err
    assert (
        "cannot reach the Hub (ConnectionRefusedError" in err and "check the network" in err and "Traceback" not in err
    )


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
