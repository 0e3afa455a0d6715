#!/usr/bin/env bash
# Build llama.cpp's `llama-server` from the llama.cpp tree vendored in llama-cpp-python's PyPI sdist,
# once, into a cache folder that later runs (and CI on the same machine) reuse.
# Usage: tools/build_llama_server.sh [VERSION]   prints the path of the binary on its last line.
set -euo pipefail
VERSION="${1:-${LLAMA_CPP_PYTHON_VERSION:-0.3.36}}"
CACHE="${SUMMARIZER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/summarizer-builds}"
TARGET="$CACHE/llama-server-$VERSION/llama-server"
if [ -x "$TARGET" ]; then echo "$TARGET"; exit 0; fi
command -v cmake >/dev/null || { echo "cmake is needed: apt-get install -y cmake" >&2; exit 1; }
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" -m pip download --quiet --no-deps --no-binary :all: -d "$WORK" "llama-cpp-python==$VERSION" >&2
tar -xzf "$WORK"/llama_cpp_python-"$VERSION".tar.gz -C "$WORK"
SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"
cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
  -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=ON -DGGML_NATIVE=OFF >&2
cmake --build "$WORK/build" --target llama-server -j "$(nproc)" >&2
mkdir -p "$(dirname "$TARGET")"
cp "$WORK/build/bin/llama-server" "$TARGET.tmp" && mv "$TARGET.tmp" "$TARGET"
echo "$TARGET"
