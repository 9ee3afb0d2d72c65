#!/usr/bin/env bash
# Runs every study: sweeps into experiments/results/*.csv, figures into experiments/figures/*.png|svg.
#   experiments/run-all.sh [--jobs N]     (N > 1: sweeps run under GNU parallel)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--jobs" ]; then export JOBS=$2; fi
for study in experiments/[0-9][0-9]-*.sh; do
    echo "== $study" >&2
    start=$(date +%s)
    bash "$study"
    echo "   $(( $(date +%s) - start )) s" >&2
done
