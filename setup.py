"""The package list, which pyproject.toml cannot express (everything else is there), and the start-up hook.

The code packages under ``audio_flan/``, the task registry mapped in from ``builder_configs/``, and every folder
of data below them whose path is importable (the bundled sample's, the card template's, the registry's
domains) as a namespace package: setuptools ships data in such folders only as package data of a listed
package, and warns about each folder that is not. Found rather than listed, so that a new parser module or
sample corpus cannot be left out of the wheel.

The start-up hook: ``_audio_flan_autoload.py`` and ``audio_flan_autoload.pth``, the line that runs it. A .pth
file must sit at the top of site-packages, which no pyproject setting gives: a wheel's top level is
site-packages, so build_py copies it there; an editable wheel only maps the packages back to this checkout, so
there it goes straight into the folder the editable wheel is made from. Checked for `pip install .`,
`pip install dist/*.whl` and `pip install -e .` (CI installs editable for the tests, then the wheel).
"""

import os

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

REGISTRY = "audio_flan.builder_configs"
PTH = "audio_flan_autoload.pth"


def importable(names: list[str]) -> list[str]:
    """Drop ``__pycache__`` and folders such as ``ESC-50-master`` (their files belong to the nearest package)."""
    return [n for n in names if "__pycache__" not in n and all(part.isidentifier() for part in n.split("."))]


class build_py_with_pth(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # setuptools' editable_wheel points the install command at the unpacked editable wheel
            target = self.get_finalized_command("install").install_lib
        else:
            target = self.build_lib
        self.copy_file(PTH, os.path.join(target, PTH), preserve_mode=False)

    def get_outputs(self, include_bytecode: bool = True) -> list:
        outputs = list(super().get_outputs(include_bytecode))
        return outputs if self.editable_mode else [*outputs, os.path.join(self.build_lib, PTH)]

    def get_source_files(self) -> list:
        return [*super().get_source_files(), PTH]


packages = importable(find_namespace_packages(include=["audio_flan", "audio_flan.*"]))
packages += [REGISTRY] + [f"{REGISTRY}.{name}" for name in importable(find_namespace_packages("builder_configs"))]

setup(packages=sorted(packages), py_modules=["_audio_flan_autoload"], cmdclass={"build_py": build_py_with_pth})
