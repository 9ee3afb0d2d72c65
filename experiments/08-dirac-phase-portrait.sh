#!/usr/bin/env bash
# Phase portraits of the Dirac-GAN (manifoldlab dirac): the gradient vector field v(θ, ψ) and
# simultaneous-gradient-descent trajectories for minimax, wgan-gp, r1 and instance noise, in one 2×2
# figure (PNG and SVG). See docs/dirac.md for what the panels show.
#
#   experiments/08-dirac-phase-portrait.sh [OUTDIR]      (default experiments/out/dirac)
#
# Environment: MANIFOLDLAB (the binary; default .build/release/manifoldlab, built when missing),
# LR (the learning rate h, default 0.1; the old name H still works), STEPS (default 600).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-experiments/out/dirac}
BIN=${MANIFOLDLAB:-.build/release/manifoldlab}
LR=${LR:-${H:-0.1}}
STEPS=${STEPS:-600}
EXTENT=2.2

if ! command -v gnuplot >/dev/null; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gnuplot-nox
fi
[ -x "$BIN" ] || swift build -c release
mkdir -p "$OUT"

# Starts: one near the equilibrium, one farther out, one on the other side. One sweep draws the field
# of every loss, one runs every (loss, start) pair, $JOBS at a time; {loss} and {start} name the files.
STARTS="1,1;0.3,-0.2;-1.6,0.6"
LOSSES=minimax,wgan-gp,r1,noise
JOBS=${JOBS:-1}
sweep() {
    # shellcheck disable=SC2086
    "$BIN" sweep --jobs "$JOBS" ${SWEEP_OPTIONS:-} "$@"
}
sweep --format json dirac --loss $LOSSES --lr "$LR" --steps 1 \
    --field "$OUT/field-{loss}.csv" --field-extent "$EXTENT" --field-grid 17 >/dev/null
sweep --format json dirac --loss $LOSSES --lr "$LR" --steps "$STEPS" --start "$STARTS" \
    --out "$OUT/trajectory-{loss}-{start}.csv" > "$OUT/summaries.jsonl"
# Titles: the loss, the eigenvalues of the Jacobian at (0, 0), the spectral radius, the verdict
# (of the run from the first start).
jq -r '
    select(.start == [1, 1]) |
    def num: . * 1000 | round / 1000 | tostring;
    def ev: if .[1] == 0 then (.[0] | num)
            else (.[0] | num) + (if .[1] < 0 then " − " else " + " end) + (.[1] | fabs | num) + "i" end;
    def words: {"converges": "converges", "spirals-out": "does not converge: spirals out",
                "circles": "does not converge: circles", "not-smooth": "does not converge: v jumps at ψ = 0",
                "escapes": "does not converge from here", "overflows": "overflows"}[.];
    "title_\(.loss | gsub("-"; "_")) = \"\(.loss):  λ = \(.eigenvalues[0] | ev), \(.eigenvalues[1] | ev);  ρ = \(.spectral_radius * 10000 | round / 10000)\\n\(.verdict | words)\""' \
    "$OUT/summaries.jsonl" > "$OUT/titles.gp"

gnuplot -e "dir='$OUT'; extent=$EXTENT; lr=$LR; steps=$STEPS; starts='${STARTS//;/ }'" experiments/08-dirac-phase-portrait.gp
mkdir -p experiments/figures
for ext in png svg; do cp "$OUT/dirac-phase-portrait.$ext" "experiments/figures/08-dirac-phase-portrait.$ext"; done
echo "wrote experiments/figures/08-dirac-phase-portrait.png and .svg" >&2
