#!/usr/bin/env bash
# Evaluation metrics, manifoldlab vs the Python packages researchers use, on the same .npy files:
# precision/recall/density/coverage vs prdc, TwoNN and Levina–Bickel vs scikit-dimension, KID and the
# FID formula vs torch-fidelity; then all of `evaluate` at n = 10⁴ per side in R^64.
# Installs numpy, prdc, scikit-dimension, torch (CPU) and torch-fidelity into bench/.venv from PyPI,
# builds release, writes the files with `manifoldlab sample`, times both sides (wall time of a whole
# process for ours: start-up and file reading included) and prints a markdown table; exits non-zero
# when a value disagrees beyond the stated tolerance.
# Usage: bench/evaluate.sh [--n N] (default 10000; dimension uses N/2)
set -euo pipefail
cd "$(dirname "$0")/.."
n=10000
[ "${1:-}" = "--n" ] && n="$2"
python3 -c 'import ensurepip' 2>/dev/null || apt-get install -y -qq python3-venv >/dev/null
venv=bench/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c 'import prdc, skdim, torch, torch_fidelity' >/dev/null 2>&1; then
  echo "evaluate.sh: installing numpy, prdc, scikit-dimension, torch and torch-fidelity into $venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check numpy prdc scikit-dimension torch torch-fidelity >&2
fi
swift build -c release --static-swift-stdlib --product manifoldlab 2>&1 | grep -E 'error' || true
bin=.build/release/manifoldlab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Real and fake: two samples of one torus in R^64 (same frame, their own points) seen through noise
# σ = 0.02, so that precision, recall, density and coverage lie strictly between their extremes.
"$bin" sample --manifold torus --dim 64 --n "$n" --seed 1 --noise 0.02 --format npy --out "$work/real.npy"
"$bin" sample --manifold torus --against torus --same-frame --noise 0.02 --dim 64 --n "$n" --seed 1 --format npy --out "$work/fake.npy"
"$bin" sample --manifold torus --dim 64 --n $((n / 2)) --seed 2 --format npy --out "$work/half.npy"
exec "$venv/bin/python" bench/evaluate.py "$bin" "$work"
