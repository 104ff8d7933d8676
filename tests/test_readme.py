"""The README's table of configs is the registry's, its two fresh-machine commands are there, and every Python
block in it runs as written (placeholders pointed at the bundled sample)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


SAMPLE = REPO / "audio_flan" / "sample"
# the README's placeholders for a user's copies, and the folder of the bundled sample that stands in for each
ALIASES = {"Audio-FLAN-Dataset": "release"}
PLACEHOLDER = re.compile(r"""(?<=["'])/data(?:/([A-Za-z0-9._-]+))?(?=["'/])""")  # in string literals


NOT_RUN = "# not run by tests/test_readme.py ("  # the first line of a block that says why it is not run


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def with_sample_folders(code: str) -> str:
    def folder(match: re.Match) -> str:
        name = match.group(1)
        path = SAMPLE / ALIASES.get(name, name) if name else SAMPLE
        assert path.exists(), f"the README's placeholder {match.group(0)} has no folder in the bundled sample"
        return path.as_posix()

    return PLACEHOLDER.sub(folder, code)


def test_readme_python_blocks_mark_their_placeholders():
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    for block in blocks:
        if PLACEHOLDER.search(block):
            assert "placeholder" in block, f"a block uses /data/... without saying it is a placeholder:\n{block}"


@pytest.mark.parametrize("number", range(len(python_blocks(README.read_text(encoding="utf-8")))))
def test_readme_python_block_runs(number, tmp_path):
    """Each block as written, in a fresh interpreter outside the checkout (so with the installed package and
    no import of it beyond what the block writes), the /data/... placeholders pointed at the sample."""
    code = with_sample_folders(python_blocks(README.read_text(encoding="utf-8"))[number])
    if code.startswith(NOT_RUN):  # a sketch that needs what the tests do not install: it must at least compile
        compile(code, f"README block {number + 1}", "exec")
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "AUDIO_FLAN_NO_HOOK"}
    env.update(HF_DATASETS_CACHE=str(tmp_path / "cache"), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    done = subprocess.run(
        [sys.executable, "-c", code + '\nprint("README block ran to the end")'],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"README block {number + 1} failed:\n{code}\n{done.stderr[-3000:]}"
    assert done.stdout.rstrip().endswith("README block ran to the end")
