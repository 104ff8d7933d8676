"""Check that the README's table of configs is the registry's (``audio-flan tasks --markdown``), or rewrite it.

Used by the pre-commit hook and by tests/test_readme.py. Needs audio_flan importable (the development
environment: ``pip install -e '.[test,dev]'``).

    python scripts/check_readme_table.py [README] [--fix]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

try:
    from audio_flan.cli import tasks_markdown
except ImportError as error:  # run by pre-commit with a Python that lacks the development install
    sys.exit(
        f"{sys.executable} cannot import audio_flan ({error}): activate the environment of pip install -e '.[test,dev]'"
    )

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- tasks:begin -->", "<!-- tasks:end -->"


def split(text: str, name: str) -> tuple[str, str, str]:
    """The text before the table (through BEGIN), the table, and the rest (from END)."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"{name}: expected one {BEGIN} line followed by one {END} line around the task table")
    head, rest = text.split(BEGIN, 1)
    table, tail = rest.split(END, 1)
    return head + BEGIN, table, END + tail


def problem(text: str, name: str = "README.md") -> Optional[str]:
    """None if the table between the markers is the registry's; otherwise what is wrong."""
    _, table, _ = split(text, name)
    if table.strip() == tasks_markdown():
        return None
    return f"{name}: the task table is not the registry's; run: python scripts/check_readme_table.py --fix"


def fixed(text: str, name: str = "README.md") -> str:
    """``text`` with the registry's table between the markers."""
    head, _, tail = split(text, name)
    return f"{head}\n{tasks_markdown()}\n{tail}"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("readme", nargs="?", type=Path, default=README, help="default: the repository's README.md")
    parser.add_argument("--fix", action="store_true", help="rewrite the table in place")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    try:
        found = problem(text, str(args.readme))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if found is None:
        return 0
    if args.fix:
        args.readme.write_text(fixed(text, str(args.readme)), encoding="utf-8")
        print(f"{args.readme}: task table rewritten from the registry")
        return 0
    print(found, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
