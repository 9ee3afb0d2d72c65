#!/usr/bin/env bash
# Study 4 — Arjovsky & Bottou (2017) Fig. 2 and Fig. 3 with `manifoldlab vanish`: G pretrained for
# E steps together with D, then frozen while a fresh D trains alone. The minimax gradient vanishes as D
# becomes perfect; the −log D gradient does not, and its spread grows. One run with instance noise.
# Each run writes its curves into experiments/out/04/<run>/vanish.csv (the sweep gives every run its
# folder through {pretrain_steps}); the columns the figure needs are collected into
# results/04-vanishing-gradients.csv with a run label.
source "$(dirname "$0")/common.sh"
name=04-vanishing-gradients
OUT=experiments/out/04
mkdir -p "$OUT"
{
    sweep --format json vanish --pretrain-steps 0,200,1000 --steps 2000 --out "$OUT/E{pretrain_steps}"
    sweep --format json vanish --pretrain-steps 0 --noise 0.5 --steps 2000 --out "$OUT/E0-noise0.5"
} > "$OUT/runs.jsonl"
# run, pretrain_steps, noise, step, d_accuracy_mean, g_grad_minimax_mean, g_grad_minimax_std, g_grad_nonsat_mean,
# g_grad_nonsat_std (vanish.csv columns 1, 2, 6, 7, 8, 9)
{
    echo "run,pretrain_steps,noise,step,d_accuracy_mean,g_grad_minimax_mean,g_grad_minimax_std,g_grad_nonsat_mean,g_grad_nonsat_std"
    jq -r '"E\(.pretrain_steps)\(if .noise > 0 then "-noise\(.noise)" else "" end) \(.pretrain_steps),\(.noise)"' "$OUT/runs.jsonl" |
    while read -r label meta; do
        awk -F, -v OFS=, -v pre="$label,$meta" 'NR > 1 { print pre, $1, $2, $6, $7, $8, $9 }' "$OUT/$label/vanish.csv"
    done
} > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
plot "$name"
