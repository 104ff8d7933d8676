"""Lets ``datasets.load_dataset("audio-flan", ...)`` find the builder once ``audio_flan`` is imported.

This and the start-up hook are the only places that touch a private part of ``datasets``: the module-level function
``dataset_module_factory`` in ``datasets.load`` (and its copy in ``datasets.inspect``), which turns a path
into a ``DatasetModule``. We answer for the name ``audio-flan`` (unless a local folder of that name exists,
which ``datasets`` itself would load first) and hand everything else on unchanged.

Users need not import audio_flan themselves: the start-up hook installed with the package
(``_audio_flan_autoload.py``, run by ``audio_flan_autoload.pth``) wraps the same function so that asking
``datasets`` for the name imports audio_flan, which then registers it here.
"""

from __future__ import annotations

import functools
import hashlib
import os
import warnings
from pathlib import Path

NAMES = ("audio-flan", "audio_flan")
_MARK = "_audio_flan_hook"


class HookError(RuntimeError):
    """This version of ``datasets`` does not have what the hook relies on."""


@functools.lru_cache(maxsize=1)
def module_hash() -> str:
    """Changes whenever the package's code or registry changes, so cached non-streaming builds follow."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml") and "sample" not in path.relative_to(root).parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    from . import registry

    for path in sorted(registry.config_dir().rglob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _module():
    import datasets.load as load

    missing = [n for n in ("dataset_module_factory", "DatasetModule") if not hasattr(load, n)]
    if missing:
        import datasets

        raise HookError(
            f"datasets {datasets.__version__} has no datasets.load.{', '.join(missing)}: audio_flan cannot register "
            "the name 'audio-flan' with load_dataset. Use audio_flan.AudioFlan(config_name=...) or audio_flan.load(...) instead."
        )
    return load


def install() -> None:
    """Register the name ``audio-flan`` with ``datasets.load_dataset`` and friends. Idempotent."""
    load = _module()
    original = load.dataset_module_factory
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    def dataset_module_factory(path, *args, **kwargs):
        if isinstance(path, str) and path in NAMES and not os.path.exists(path):
            return load.DatasetModule(module_path="audio_flan.builder", hash=module_hash(), builder_kwargs={})
        return original(path, *args, **kwargs)

    setattr(dataset_module_factory, _MARK, True)
    load.dataset_module_factory = dataset_module_factory
    try:
        import datasets.inspect as inspect_module

        if hasattr(inspect_module, "dataset_module_factory"):
            inspect_module.dataset_module_factory = dataset_module_factory
    except ImportError:
        pass


def try_install() -> None:
    try:
        install()
    except HookError as err:
        warnings.warn(str(err), stacklevel=3)
