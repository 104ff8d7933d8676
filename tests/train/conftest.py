"""The training tests need the ``train`` extra (torch, transformers). Without it they are skipped, each module
saying why; with ``AUDIO_FLAN_TRAIN_TESTS=1`` (set by .ci/run's torch environment) a missing package is an
error instead, so that the run that must exercise them cannot skip them silently."""

from __future__ import annotations

import importlib.util
import os

import pytest

NEEDED = ("torch", "transformers", "tokenizers")


def pytest_configure(config):
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing and os.environ.get("AUDIO_FLAN_TRAIN_TESTS") == "1":
        raise pytest.UsageError(f"AUDIO_FLAN_TRAIN_TESTS=1 but {', '.join(missing)} is not installed")
