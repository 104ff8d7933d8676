"""The package list, which pyproject.toml cannot express (everything else is there).

The code packages under ``audio_flan/``, the task registry mapped in from ``builder_configs/``, and every folder
of data below them whose path is importable (the bundled sample's, the card template's, the registry's
domains) as a namespace package: setuptools ships data in such folders only as package data of a listed
package, and warns about each folder that is not. Found rather than listed, so that a new parser module or
sample corpus cannot be left out of the wheel.
"""

from setuptools import find_namespace_packages, setup

REGISTRY = "audio_flan.builder_configs"


def importable(names: list[str]) -> list[str]:
    """Drop ``__pycache__`` and folders such as ``ESC-50-master`` (their files belong to the nearest package)."""
    return [n for n in names if "__pycache__" not in n and all(part.isidentifier() for part in n.split("."))]


packages = importable(find_namespace_packages(include=["audio_flan", "audio_flan.*"]))
packages += [REGISTRY] + [f"{REGISTRY}.{name}" for name in importable(find_namespace_packages("builder_configs"))]

setup(packages=sorted(packages))
