#!/usr/bin/env bash
# Transport benchmark: manifoldlab vs POT (Python Optimal Transport) on the same inputs.
# Usage: bench/transport.sh [--quick] [--only exact|sinkhorn|sliced] [--repeat N]
# Builds the release bench binary, makes bench/.venv with numpy, scipy, POT from PyPI, then runs
# bench/transport.py (interleaved timings, ratios POT/ours, agreement of values).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    apt-get install -y python3-venv >/dev/null
fi
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c 'import numpy, scipy, ot, threadpoolctl' 2>/dev/null ||
    bench/.venv/bin/pip install -q numpy scipy pot threadpoolctl

swift build -c release --product manifoldlab-bench 2>&1 | grep -E 'error|warning: unre' || true
test -x .build/release/manifoldlab-bench

# Our binary gets OPENBLAS_CORETYPE (transport.py sets it for the child); numpy/POT run without it
# and OPENBLAS_L2_SIZE, which slow a current numpy (its bundled OpenBLAS detects the CPU itself).
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/transport.py "$@"
