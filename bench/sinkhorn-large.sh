#!/usr/bin/env bash
# Wasserstein at 10^4–10^6 points (issue #18): manifoldlab's default Sinkhorn against exact W2
# (manifoldlab's network simplex, POT ot.emd2), POT's log-domain Sinkhorn and GeomLoss (tensorized on CPU;
# online and multiscale through KeOps when it compiles), all at the same ε, on a helix vs a torus in R^3
# (n = 4000, 10^4, 10^5) and two tori in R^64 (n = 10^4, 10^5). One process per tool and case under
# `/usr/bin/time -v timeout 600`: value, relative difference to exact W2, seconds, peak memory.
# Usage: bash bench/sinkhorn-large.sh [--quick] [--huge] [--timeout S]
#   --quick  n = 2000, 4000 in R^3 and 2000 in R^64, 120 s cap (a smoke test)
#   --huge   also n = 10^6 in R^3, manifoldlab only
# Makes bench/.venv with numpy, scipy, POT, threadpoolctl, torch (CPU), geomloss and pykeops from PyPI.
# Uses the binary already built at .build/release/manifoldlab-bench (it does not build: build it with
# `swift build -c release --product manifoldlab-bench`). Writes bench/results/sinkhorn-large.md
# (--quick: bench/results/sinkhorn-large-quick.md), and the same table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    apt-get install -y python3-venv >/dev/null
fi
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import numpy, scipy, ot, threadpoolctl' 2>/dev/null ||
    bench/.venv/bin/pip install -q --disable-pip-version-check numpy scipy pot threadpoolctl
bench/.venv/bin/python -c 'import torch' 2>/dev/null ||
    bench/.venv/bin/pip install -q --disable-pip-version-check torch   # PyPI's build; it runs on the CPU here
bench/.venv/bin/python -c 'import geomloss' 2>/dev/null ||
    bench/.venv/bin/pip install -q --disable-pip-version-check geomloss
# KeOps (GeomLoss's online/multiscale backends) is optional: the benchmark says so when it is missing.
bench/.venv/bin/python -c 'import pykeops' 2>/dev/null ||
    timeout 600 bench/.venv/bin/pip install -q --disable-pip-version-check pykeops ||
    echo "sinkhorn-large.sh: pykeops did not install; GeomLoss online/multiscale rows will say so" >&2
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null

for _ in $(seq 30); do
    [ -x .build/release/manifoldlab-bench ] && break
    echo "sinkhorn-large.sh: waiting for .build/release/manifoldlab-bench" >&2
    sleep 60
done
test -x .build/release/manifoldlab-bench

mkdir -p bench/results
# Our binary selects its OpenBLAS kernels itself (it re-execs with OPENBLAS_CORETYPE); the Python tools
# run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, as in bench/transport.sh.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/sinkhorn_large.py "$@"
