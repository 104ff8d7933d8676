"""The audio-flan command: tasks, preview (with saved audio), help."""

from __future__ import annotations

import subprocess
import sys

import pytest
import soundfile as sf
from util import CONTRACT

from audio_flan.cli import main, tasks_markdown


def test_tasks_lists_the_80_configs(capsys):
    assert main(["tasks"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in CONTRACT)
    assert "80 configs" in out


def test_tasks_by_domain(capsys):
    main(["tasks", "--domain", "music"])
    out = capsys.readouterr().out
    assert "music.key_detection" in out and "speech.asr" not in out


def test_preview_prints_triples_and_saves_audio(tmp_path, capsys):
    assert main(["preview", "speech.asr", "-n", "2", "--save-audio", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert out.count("instruction:") == 2 and "output:" in out
    saved = sorted((tmp_path / "out").glob("*.wav"))
    assert len(saved) >= 2
    data, rate = sf.read(saved[0])
    assert data.size > 0 and rate > 0


def test_preview_errors_are_readable(tmp_path, capsys):
    assert main(["preview", "speech.nope"]) == 2
    assert "unknown config" in capsys.readouterr().err
    assert main(["preview", "speech.asr", "--data-dir", str(tmp_path / "none")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_the_installed_command_has_help():
    out = subprocess.run(
        [sys.executable, "-m", "audio_flan.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "preview" in out and "tasks" in out and "--data-dir" in out


def test_markdown_table_has_a_row_per_config():
    assert tasks_markdown().count("\n| `") == 80


def test_preview_count_zero_prints_nothing(capsys):
    assert main(["preview", "speech.asr", "-n", "0"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_preview_count_one_prints_one(capsys):
    assert main(["preview", "speech.asr", "-n", "1"]) == 0
    assert capsys.readouterr().out.count("instruction:") == 1


@pytest.mark.parametrize("count", ["-2", "-1", "two"])
def test_preview_refuses_a_bad_count(count, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["preview", "speech.asr", "-n", count])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument -n" in err and ("cannot be negative" in err or "whole number" in err)
