"""The start-up hook: the literal ``load_dataset("audio-flan", ...)`` with no import, dormant until datasets is
imported, and with AUDIO_FLAN_NO_HOOK=1 an immediate error that names the package.

Each case is a fresh interpreter of this environment, started outside the checkout, so what runs is what the
installed package put into site-packages (audio_flan_autoload.pth), as for a user after `pip install`."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path


def _python(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "AUDIO_FLAN_NO_HOOK"}
    clean.update(HF_DATASETS_CACHE=str(tmp_path / "cache"), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=clean, capture_output=True, text=True)


def test_the_pth_file_is_installed():
    dirs = [*site.getsitepackages(), site.getusersitepackages()]
    assert any((Path(d) / "audio_flan_autoload.pth").is_file() for d in dirs), (
        f"audio_flan_autoload.pth is in none of {dirs}: install the package (pip install -e .) before testing"
    )


def test_the_literal_call_works_with_no_import(tmp_path):
    code = (
        "import sys, datasets\n"
        "assert 'audio_flan' not in sys.modules, 'imported before it was asked for'\n"
        "ds = datasets.load_dataset('audio-flan', 'speech.asr', streaming=True)\n"
        "ex = next(iter(ds['train']))\n"
        "print(ex['config'], ex['input_audios'][0]['array'].size > 0)\n"
    )
    done = _python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["speech.asr", "True"]


def test_config_names_and_the_non_streaming_call_with_no_import(tmp_path):
    code = (
        "import datasets\n"
        "print(len(datasets.get_dataset_config_names('audio-flan')))\n"
        "ds = datasets.load_dataset('audio-flan', 'music.pitch_classification', split='train')\n"
        "print(ds[0]['config'])\n"
    )
    done = _python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["80", "music.pitch_classification"]


def test_dormant_until_datasets_is_imported(tmp_path):
    code = (
        "import sys\n"
        "armed = lambda: any(type(f).__name__ == '_WhenDatasetsLoads' for f in sys.meta_path)\n"
        "print(armed(), 'datasets' in sys.modules, 'audio_flan' in sys.modules)\n"
        "import json, datasets, datasets.load\n"
        "print(armed(), 'audio_flan' in sys.modules, type(datasets.__loader__).__name__,"
        " datasets.load.dataset_module_factory.__module__)\n"
    )
    done = _python(tmp_path, code)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.splitlines()
    assert before.split() == ["True", "False", "False"]  # armed, nothing imported
    # once datasets is in: the finder has stepped aside, audio_flan is still not imported, datasets keeps its
    # own loader, and the factory is wrapped
    assert after.split() == ["False", "False", "SourceFileLoader", "_audio_flan_autoload"]


def test_hook_off_fails_at_once_naming_the_package(tmp_path):
    code = (
        "import datasets\n"
        "for name in ('audio-flan', 'audio_flan'):\n"
        "    try:\n"
        "        datasets.load_dataset(name, 'speech.asr', streaming=True)\n"
        "    except Exception as err:\n"
        "        print(type(err).__name__, '|', err)\n"
    )
    done = _python(tmp_path, code, AUDIO_FLAN_NO_HOOK="1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        kind, message = line.split(" | ", 1)
        assert kind == "DatasetNotFoundError"
        assert "AUDIO_FLAN_NO_HOOK is set" in message and "`import audio_flan`" in message
        assert "Hub" not in message


def test_hook_off_still_registers_on_import(tmp_path):
    code = "import audio_flan, datasets\nprint(next(iter(datasets.load_dataset('audio-flan', 'audio.caption', split='train', streaming=True)))['config'])\n"
    done = _python(tmp_path, code, AUDIO_FLAN_NO_HOOK="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "audio.caption"


def test_other_names_and_a_local_folder_are_left_to_datasets(tmp_path):
    (tmp_path / "audio-flan").mkdir()
    (tmp_path / "audio-flan" / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code = (
        "import sys, datasets\n"
        "ds = datasets.load_dataset('audio-flan', split='train')\n"
        "print(ds.column_names, 'audio_flan' in sys.modules)\n"
        "try:\n"
        "    datasets.load_dataset('no-such-local-thing-xyz')\n"
        "except Exception as err:\n"
        "    print(type(err).__name__, 'audio_flan' in str(err))\n"
    )
    done = _python(tmp_path, code, AUDIO_FLAN_NO_HOOK="1")
    assert done.returncode == 0, done.stderr
    folder, other = done.stdout.splitlines()
    assert folder == "['a', 'b'] False"
    assert other.endswith(" False")


def test_the_hook_module_imports_nothing_else(tmp_path):
    """It runs in every interpreter: importing it must load no module start-up has not (typing costs ms)."""
    import _audio_flan_autoload

    folder = str(Path(_audio_flan_autoload.__file__).parent)
    code = (
        # with -S nothing of site runs; os is what site has imported when it reads .pth files
        f"import os, sys; sys.path.insert(0, {folder!r}); before = set(sys.modules)\n"
        "import _audio_flan_autoload\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['_audio_flan_autoload']"
