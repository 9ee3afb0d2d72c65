# Sourced by every study: the binary, the output folders, and `sweep`, which is `manifoldlab sweep`
# with the study's runs $JOBS at a time (the path `make test` checks). SWEEP_OPTIONS adds options of
# sweep's own, e.g. SWEEP_OPTIONS="--engine parallel --sshloginfile hosts.txt" to spread the runs
# over several machines through GNU parallel.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${MANIFOLDLAB:-.build/release/manifoldlab}
JOBS=${JOBS:-1}
RESULTS=experiments/results
FIGURES=experiments/figures
mkdir -p "$RESULTS" "$FIGURES"
[ -x "$BIN" ] || swift build -c release >&2
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$(grep -q avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell)}

# sweep [SWEEP OPTIONS] CMD [CMD's options, with lists and ranges]: one table on stdout.
sweep() {
    # shellcheck disable=SC2086
    "$BIN" sweep --jobs "$JOBS" ${SWEEP_OPTIONS:-} "$@"
}

# wrote FILE: says how many rows FILE holds.
wrote() { echo "wrote $1 ($(($(wc -l < "$1") - 1)) rows)" >&2; }

plot() { gnuplot -e "results='$RESULTS'; figures='$FIGURES'" "experiments/$1.gp"; echo "wrote $FIGURES/$1.png and .svg" >&2; }
