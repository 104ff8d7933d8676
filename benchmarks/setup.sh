#!/usr/bin/env bash
# Make the benchmark environment: datasets 5.x, this package (editable), torch (CPU) and lhotse.
# torch and lhotse are never dependencies of audio-flan; they live only here, for the lhotse and DataLoader
# measurements. torch==2.13.0 must be installed FIRST: on these machines pip finds its CPU build on disk,
# while a bare `pip install lhotse` would pull a CUDA build of several GB.
#
#   bash benchmarks/setup.sh [VENV]        (default VENV: /work/venv-bench)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-/work/venv-bench}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q torch==2.13.0
"$venv/bin/python" -m pip install -q 'datasets>=5,<6'
"$venv/bin/python" -m pip install -q -e "$repo"
# lhotse 1.33 imports urllib3 without declaring it
"$venv/bin/python" -m pip install -q lhotse urllib3
# profilers, for when a target is missed
"$venv/bin/python" -m pip install -q pyinstrument py-spy
"$venv/bin/python" -c 'import torch, lhotse, datasets, audio_flan; print("torch", torch.__version__, "lhotse", lhotse.__version__, "datasets", datasets.__version__)'
