#!/usr/bin/env bash
# kNN / smoothed divergence benchmark: manifoldlab vs a SciPy cKDTree kNN estimator.
# Usage: bench/divergences.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import ensurepip' 2>/dev/null || apt-get install -y -qq python3-venv >/dev/null
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import numpy, scipy' 2>/dev/null || bench/.venv/bin/pip install -q numpy scipy
swift build -c release --static-swift-stdlib --product manifoldlab 2>&1 | grep -E 'error' || true
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/divergences.py "$@"
