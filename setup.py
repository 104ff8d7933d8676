"""Ships audio_flan_autoload.pth (the start-up hook, see _audio_flan_autoload.py) into site-packages.

Everything else about the package is in pyproject.toml. A .pth file must sit at the top of site-packages,
which no pyproject setting gives: a wheel's top level is site-packages, so build_py copies it there; an editable
wheel only maps the packages back to this checkout, so there it goes straight into the folder the editable
wheel is made from. Checked for `pip install .`, `pip install dist/*.whl` and `pip install -e .`.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "audio_flan_autoload.pth"


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


setup(cmdclass={"build_py": build_py_with_pth})
