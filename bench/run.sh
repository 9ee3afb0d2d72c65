#!/usr/bin/env bash
# All benchmarks, one after the other: transport (vs POT), divergences (vs SciPy), trainer (vs PyTorch),
# evaluation metrics (vs prdc, scikit-dimension, torch-fidelity), then the numpy round trips of the sample-file readers and the .npy writer.
# Each script installs its Python reference into bench/.venv from PyPI and builds release itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/transport.sh "$@"
bash bench/divergences.sh
bash bench/train.sh
bash bench/evaluate.sh
bash bench/numpy-io.sh
