# Sourced by every study: the binary, the output folders, and `sweep`, which runs one manifoldlab
# command per argument line (in parallel with GNU parallel when JOBS > 1) and collects the CSV rows
# under one header.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${MANIFOLDLAB:-.build/release/manifoldlab}
JOBS=${JOBS:-1}
RESULTS=experiments/results
FIGURES=experiments/figures
mkdir -p "$RESULTS" "$FIGURES"
[ -x "$BIN" ] || swift build -c release >&2
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$(grep -q avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell)}

# sweep OUT.csv < lines-of-arguments : each line is the arguments of one `manifoldlab … --format csv` run.
# With PRINT_ARGS=1 it only prints the argument lines (for other hosts or a Slurm array) and stops.
sweep() {
    local out=$1 tmp
    if [ "${PRINT_ARGS:-0}" = 1 ]; then cat; exit 0; fi
    tmp=$(mktemp)
    if [ "$JOBS" -gt 1 ] && command -v parallel >/dev/null; then
        parallel -j "$JOBS" --keep-order --colsep ' ' "$BIN {} --format csv" > "$tmp"
    else
        while read -r line; do
            # shellcheck disable=SC2086
            "$BIN" $line --format csv
        done > "$tmp"
    fi
    # Keep the first header, drop the others (every run prints its own).
    awk 'NR == 1 || $0 !~ /^divergence,/' "$tmp" > "$out"
    rm -f "$tmp"
    echo "wrote $out ($(($(wc -l < "$out") - 1)) rows)" >&2
}

plot() { [ "${PRINT_ARGS:-0}" = 1 ] && return; gnuplot -e "results='$RESULTS'; figures='$FIGURES'" "experiments/$1.gp"; echo "wrote $FIGURES/$1.png and .svg" >&2; }
