#!/usr/bin/env bash
# Round trips between manifoldlab and numpy (numpy.save/savez/savez_compressed/savetxt, gzip, stdin
# → manifoldlab; manifoldlab sample --format npy → numpy.load). Fails on the first mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import ensurepip' 2>/dev/null || apt-get install -y -qq python3-venv >/dev/null
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import numpy' 2>/dev/null || bench/.venv/bin/pip install -q numpy
swift build -c release --static-swift-stdlib --product manifoldlab 2>&1 | grep -E 'error' || true
exec bench/.venv/bin/python bench/numpy_io.py
