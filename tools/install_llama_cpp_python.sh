#!/usr/bin/env bash
# Install llama-cpp-python[server] into its own virtualenv (its FastAPI pins stay out of ours),
# building the wheel from the PyPI sdist once and keeping it in a cache folder for later runs.
# Usage: tools/install_llama_cpp_python.sh VENV_DIR [VERSION]
set -euo pipefail
VENV="$1"
VERSION="${2:-${LLAMA_CPP_PYTHON_VERSION:-0.3.36}}"
CACHE="${SUMMARIZER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/summarizer-builds}/wheels"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.llama-cpp-python-$VERSION"
if [ -f "$STAMP" ]; then exit 0; fi
mkdir -p "$CACHE"
if ! ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl >/dev/null 2>&1; then
  echo "building llama-cpp-python $VERSION from its sdist (about 10 minutes on 2 cores, once)" >&2
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$PYTHON" -m pip wheel --quiet --no-deps -w "$CACHE" \
    "llama-cpp-python==$VERSION"
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --find-links "$CACHE" "llama-cpp-python[server]==$VERSION"
touch "$STAMP"
