"""The README's table of configs is the registry's, and its two fresh-machine commands are there."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
CHECK_SCRIPT = REPO / "scripts" / "check_readme_table.py"  # the pre-commit hook runs it too

_spec = importlib.util.spec_from_file_location("check_readme_table", CHECK_SCRIPT)
check_readme_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_readme_table)


def test_readme_table_matches_the_registry():
    assert check_readme_table.problem(README.read_text(encoding="utf-8")) is None


def test_readme_gives_both_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && audio-flan preview speech.asr" in text
    assert "pip install -e '.[test]' && python -m pytest" in text


def test_table_check_refuses_a_stale_table_and_fixes_it(tmp_path):
    stale = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    row = next(l for l in check_readme_table.tasks_markdown().splitlines() if l.startswith("| `speech.asr`")) + "\n"
    assert row in text
    stale.write_text(text.replace(row, ""), encoding="utf-8")
    # as the pre-commit hook runs it
    refused = subprocess.run([sys.executable, str(CHECK_SCRIPT), str(stale)], capture_output=True, text=True)
    assert refused.returncode == 1 and "task table is not the registry's" in refused.stderr
    assert check_readme_table.main([str(stale), "--fix"]) == 0
    assert stale.read_text(encoding="utf-8") == text


def test_table_check_names_missing_markers(tmp_path, capsys):
    broken = tmp_path / "README.md"
    broken.write_text(README.read_text(encoding="utf-8").replace(check_readme_table.END, ""), encoding="utf-8")
    assert check_readme_table.main([str(broken)]) == 2
    assert check_readme_table.END in capsys.readouterr().err


def test_readme_licence_table_is_what_the_parsers_declare():
    from audio_flan.sources import get_sources

    text = README.read_text(encoding="utf-8")
    rows = [l for l in text.splitlines() if l.startswith("| `") and l.count("|") == 5]
    for source in get_sources().values():
        export = "yes" if source.redistributable else "only with `--include-restricted`"
        assert f"| `{source.name}` | {source.corpus} | {source.license} | {export} |" in rows, source.name
