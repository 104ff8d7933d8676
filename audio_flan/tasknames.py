"""The domains and how a task's name is compared: shared by the registry and the release reader, which must
agree on them without importing each other."""

from __future__ import annotations

import re

DOMAINS = ("speech", "music", "audio")


def normalise_task_name(name: str) -> str:
    """Task names as the release spells them vary in case, hyphens, underscores and spaces."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())
