"""The domains and how a task's name is compared: shared by the registry and the release reader, which must
agree on them without importing each other."""

from __future__ import annotations

import functools
import re

DOMAINS = ("speech", "music", "audio")


@functools.lru_cache(maxsize=4096)  # every config's query compares all 80 tasks' names, at each builder set-up
def normalise_task_name(name: str) -> str:
    """Task names as the release and the paper spell them vary in case, punctuation (hyphens, slashes, commas,
    brackets, underscores) and spaces, and write "non-speech" as "nonspeech" too: all of that is ignored."""
    words = re.sub(r"[\W_]+", " ", name.lower()).strip()
    return re.sub(r"\bnon ", "non", words)
