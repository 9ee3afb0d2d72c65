#!/usr/bin/env bash
# Study 5 — training curves of `manifoldlab train-toy` (a segment in R^64, MLP G and D, 2000 steps):
# minimax, non-saturating (−log D), WGAN-GP, and minimax with instance noise σ = 0.1. Per run: D's
# accuracy on real and fake, G's gradient norm under both costs, the JS lower bound from D, and W1.
# `train-toy --format csv` prints only the run's summary row: the curves are in each run's
# experiments/out/05/<run>/metrics.csv, and the columns the figure needs are collected into
# results/05-training-curves.csv with a run label.
source "$(dirname "$0")/common.sh"
name=05-training-curves
OUT=experiments/out/05
runs() {
    echo "minimax --loss minimax"
    echo "nonsat --loss nonsat"
    echo "wgan-gp --loss wgan-gp"
    echo "minimax-noise0.1 --loss minimax --noise 0.1"
}
common="--steps 2000 --log-every 50"
if [ "${PRINT_ARGS:-0}" = 1 ]; then
    runs | while read -r label args; do echo "train-toy $args $common --out $OUT/$label --format json"; done
    exit 0
fi
one() {  # one LABEL ARGS… : one train-toy run into $OUT/LABEL
    local label=$1; shift
    # shellcheck disable=SC2068,SC2086
    "$BIN" train-toy $@ $common --out "$OUT/$label" --format json > "$OUT/$label.json"
}
export -f one; export BIN OUT common
mkdir -p "$OUT"
if [ "$JOBS" -gt 1 ] && command -v parallel >/dev/null; then
    runs | parallel -j "$JOBS" --colsep ' ' one {}
else
    runs | while read -r label args; do one "$label" "$args"; done
fi
# metrics.csv columns: step,noise,d_loss,g_loss,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,
# d_grad_fake,js_lower_bound,w1,smoothed_js,…
{
    echo "run,step,noise,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,js_lower_bound,w1"
    runs | while read -r label _; do
        awk -F, -v OFS=, -v run="$label" 'NR > 1 { print run, $1, $2, $5, $6, $7, $8, $10, $11 }' "$OUT/$label/metrics.csv"
    done
} > "$RESULTS/$name.csv"
echo "wrote $RESULTS/$name.csv ($(($(wc -l < "$RESULTS/$name.csv") - 1)) rows)" >&2
plot "$name"
