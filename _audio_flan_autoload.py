"""Start-up hook: ``datasets.load_dataset("audio-flan", ...)`` works without ``import audio_flan``.

Installing audio-flan puts ``audio_flan_autoload.pth`` into site-packages (see setup.py); Python runs its one
line, ``arm()``, at every start. Arming only puts a finder at the front of ``sys.meta_path`` that answers for
no module: an interpreter that never imports ``datasets`` pays for this small module and one string comparison
per import (``benchmarks/newcomer.py`` measures it). When ``datasets`` is imported, the finder lets the
usual finders load it, steps aside, and wraps ``datasets.load.dataset_module_factory`` (the function that
``load_dataset`` and ``get_dataset_config_names`` turn a name into a module with) so that the names
``audio-flan`` and ``audio_flan`` import ``audio_flan``, which registers the builder (``audio_flan/hook.py``).
Any other name goes to ``datasets`` untouched, and nothing of audio_flan is imported until the name is asked for.

With ``AUDIO_FLAN_NO_HOOK=1`` in the environment (read when the name is asked for), the name is not registered:
asking for it fails at once, saying to ``import audio_flan``, instead of asking the Hub for a dataset that is
not there (about 25 s of retries offline). ``import audio_flan`` registers it whatever the variable says.

It runs in every interpreter of the environment, so it imports nothing that start-up has not loaded already
(``os`` and ``sys``; not even ``typing`` or ``__future__``).
"""

import os
import sys

NAMES = ("audio-flan", "audio_flan")
ENV = "AUDIO_FLAN_NO_HOOK"
FACTORY = "dataset_module_factory"  # datasets.load's function that turns a name into a dataset module
_OFF_VALUES = ("", "0", "false", "no", "off")


def hook_off() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in _OFF_VALUES


class _WhenDatasetsLoads:
    """A meta path finder that finds nothing itself; for ``datasets`` it wraps the real loader."""

    def find_spec(self, name, path=None, target=None):
        if name != "datasets":
            return None
        meta_path = sys.meta_path
        after = meta_path[meta_path.index(self) + 1 :] if self in meta_path else []
        for finder in after:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _ThenWrap(spec.loader, self)
                return spec
        return None


class _ThenWrap:
    """Runs the real loader, hands the module its real loader back, then wraps the factory."""

    def __init__(self, loader, finder: _WhenDatasetsLoads):
        self._loader = loader
        self._finder = finder

    def __getattr__(self, name):  # get_resource_reader, is_package, get_source, ...
        return getattr(self._loader, name)

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module) -> None:
        try:
            self._loader.exec_module(module)
        finally:
            module.__loader__ = self._loader
            if getattr(module, "__spec__", None) is not None:
                module.__spec__.loader = self._loader
            if self._finder in sys.meta_path:
                sys.meta_path.remove(self._finder)
        try:
            wrap_factory()
        except Exception as err:  # a changed datasets must never break `import datasets`
            import warnings

            warnings.warn(f"audio-flan: could not register the name 'audio-flan' with datasets: {err}", stacklevel=2)


def not_registered(reason: str) -> Exception:
    """The error for the names when audio_flan is not registered: says which package to import."""
    message = (
        f"'audio-flan' is the Audio-FLAN builder of the audio-flan package, and it is not registered with datasets "
        f"({reason}). Add `import audio_flan` before load_dataset, or use audio_flan.AudioFlan(config_name=...)."
    )
    try:
        from datasets.exceptions import DatasetNotFoundError
    except ImportError:
        return FileNotFoundError(message)
    return DatasetNotFoundError(message)


def wrap_factory() -> None:
    """Wrap ``dataset_module_factory`` in ``datasets.load`` (and the copy ``datasets.inspect`` imported)."""
    load = sys.modules.get("datasets.load")
    original = getattr(load, FACTORY, None)
    if original is None:  # a datasets without it: audio_flan's own hook says so when imported
        return

    def dataset_module_factory(path, *args, **kwargs):
        if not (isinstance(path, str) and path in NAMES) or os.path.exists(path):
            return original(path, *args, **kwargs)  # a local folder of that name is datasets' to load
        if hook_off():
            raise not_registered(f"{ENV} is set")
        import audio_flan  # noqa: F401  (registers the name: replaces the factory in datasets.load)

        registered = getattr(load, FACTORY)
        if registered is dataset_module_factory:
            raise not_registered("audio_flan could not register it with this version of datasets; see its warning")
        return registered(path, *args, **kwargs)

    dataset_module_factory.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(load, FACTORY, dataset_module_factory)
    inspect_module = sys.modules.get("datasets.inspect")
    if inspect_module is not None and getattr(inspect_module, FACTORY, None) is original:
        setattr(inspect_module, FACTORY, dataset_module_factory)


def arm() -> None:
    """Called by the .pth line at start-up. Idempotent."""
    if "datasets" in sys.modules:  # too late to wait for it (not at start-up)
        return
    if not any(isinstance(f, _WhenDatasetsLoads) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenDatasetsLoads())
