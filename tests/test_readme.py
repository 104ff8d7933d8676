"""The README's table of configs is the registry's, and its two fresh-machine commands are there."""

from __future__ import annotations

from pathlib import Path

from audio_flan.cli import tasks_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- tasks:begin -->", "<!-- tasks:end -->"


def test_readme_table_matches_the_registry():
    text = README.read_text(encoding="utf-8")
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == tasks_markdown(), "regenerate with: audio-flan tasks --markdown"


def test_readme_gives_both_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && audio-flan preview speech.asr" in text
    assert "pip install -e '.[test]' && python -m pytest" in text
