#!/usr/bin/env bash
# Study 4 — Arjovsky & Bottou (2017) Fig. 2 and Fig. 3 with `manifoldlab vanish`: G pretrained for
# E steps together with D, then frozen while a fresh D trains alone. The minimax gradient vanishes as D
# becomes perfect; the −log D gradient does not, and its spread grows. One run with instance noise.
# `vanish --format csv` prints only the run's summary row: the curves are in each run's
# experiments/out/04/<run>/vanish.csv, and the columns the figure needs are collected into
# results/04-vanishing-gradients.csv with a run label.
source "$(dirname "$0")/common.sh"
name=04-vanishing-gradients
OUT=experiments/out/04
runs() {
    for e in 0 200 1000; do echo "E$e --pretrain-steps $e"; done
    echo "E0-noise0.5 --pretrain-steps 0 --noise 0.5"
}
if [ "${PRINT_ARGS:-0}" = 1 ]; then
    runs | while read -r label args; do echo "vanish $args --steps 2000 --out $OUT/$label --format json"; done
    exit 0
fi
one() {  # one LABEL ARGS… : one vanish run into $OUT/LABEL
    local label=$1; shift
    # shellcheck disable=SC2068
    "$BIN" vanish $@ --steps 2000 --out "$OUT/$label" --format json > "$OUT/$label.json"
}
export -f one; export BIN OUT
mkdir -p "$OUT"
if [ "$JOBS" -gt 1 ] && command -v parallel >/dev/null; then
    runs | parallel -j "$JOBS" --colsep ' ' one {}
else
    runs | while read -r label args; do one "$label" "$args"; done
fi
# run, pretrain_steps, noise, step, d_accuracy_mean, g_grad_minimax_mean, g_grad_minimax_std, g_grad_nonsat_mean,
# g_grad_nonsat_std (vanish.csv columns 1, 2, 6, 7, 8, 9)
{
    echo "run,pretrain_steps,noise,step,d_accuracy_mean,g_grad_minimax_mean,g_grad_minimax_std,g_grad_nonsat_mean,g_grad_nonsat_std"
    runs | while read -r label _; do
        meta=$(jq -r '"\(.pretrain_steps),\(.noise)"' "$OUT/$label.json")
        awk -F, -v OFS=, -v pre="$label,$meta" 'NR > 1 { print pre, $1, $2, $6, $7, $8, $9 }' "$OUT/$label/vanish.csv"
    done
} > "$RESULTS/$name.csv"
echo "wrote $RESULTS/$name.csv ($(($(wc -l < "$RESULTS/$name.csv") - 1)) rows)" >&2
plot "$name"
