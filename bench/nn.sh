#!/usr/bin/env bash
# PyTorch reference timings of the GAN workload (bench/torch_gan.py), one JSON line per config.
#
#   bench/nn.sh              full grid: H ∈ {128, 512} × D ∈ {2, 64, 512} × {float32, float64}
#                            × {1 thread, 2 threads with OMP_WAIT_POLICY=PASSIVE}
#   bench/nn.sh --quick      H=128, D ∈ {2, 64}, both dtypes, 1 thread, short timing
#
# Environment overrides: HIDDEN="128 512" DIMS="2 64 512" DTYPES="float32 float64" THREADS="1 2"
# SECONDS_PER_CONFIG=3 BATCH=256. Output: stdout (JSON lines); progress on stderr.
# Sets up bench/.venv with torch from PyPI on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

HIDDEN="${HIDDEN:-128 512}"
DIMS="${DIMS:-2 64 512}"
DTYPES="${DTYPES:-float32 float64}"
THREADS="${THREADS:-1 2}"
SECONDS_PER_CONFIG="${SECONDS_PER_CONFIG:-3}"
BATCH="${BATCH:-256}"
if [[ "${1:-}" == "--quick" ]]; then
  HIDDEN=128; DIMS="2 64"; THREADS=1; SECONDS_PER_CONFIG=1
fi

if [[ ! -x "$venv/bin/python" ]]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "nn.sh: installing python3-venv" >&2
    apt-get update -qq >&2 && apt-get install -y -qq python3-venv >&2
  fi
  echo "nn.sh: creating $venv" >&2
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import torch, numpy" >/dev/null 2>&1; then
  echo "nn.sh: installing torch (CPU wheel from PyPI)" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch numpy >&2
fi

for threads in $THREADS; do
  for dtype in $DTYPES; do
    for h in $HIDDEN; do
      for d in $DIMS; do
        echo "nn.sh: torch $dtype H=$h D=$d threads=$threads" >&2
        if [[ "$threads" -gt 1 ]]; then
          export OMP_WAIT_POLICY=PASSIVE
        else
          unset OMP_WAIT_POLICY
        fi
        OMP_NUM_THREADS="$threads" "$venv/bin/python" "$here/torch_gan.py" \
          --hidden "$h" --dim "$d" --batch "$BATCH" --dtype "$dtype" --threads "$threads" \
          --seconds "$SECONDS_PER_CONFIG"
      done
    done
  done
done
