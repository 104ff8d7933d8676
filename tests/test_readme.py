"""The README's table of configs is the registry's, its two fresh-machine commands are there, and every Python
block in it runs as written (placeholders pointed at the bundled sample)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


SAMPLE = Path(__file__).resolve().parents[1] / "audio_flan" / "sample"
# the README's placeholders for a user's copies, and the folder of the bundled sample that stands in for each
ALIASES = {"Audio-FLAN-Dataset": "release"}
PLACEHOLDER = re.compile(r"""(?<=["'])/data(?:/([A-Za-z0-9._-]+))?(?=["'/])""")  # in string literals


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
