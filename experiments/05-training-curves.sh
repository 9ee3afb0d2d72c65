#!/usr/bin/env bash
# Study 5 — training curves of `manifoldlab train-toy` (a segment in R^64, MLP G and D, 2000 steps):
# minimax, non-saturating (−log D), WGAN-GP, and minimax with instance noise σ = 0.1. Per run: D's
# accuracy on real and fake, G's gradient norm under both costs, the JS lower bound from D, and W1.
# Each run writes its curves into experiments/out/05/<run>/metrics.csv (the sweep gives every loss its
# folder through {loss}); the columns the figure needs are collected into
# results/05-training-curves.csv with a run label.
source "$(dirname "$0")/common.sh"
name=05-training-curves
OUT=experiments/out/05
mkdir -p "$OUT"
{
    sweep --format json train-toy --loss minimax,nonsat,wgan-gp --steps 2000 --log-every 50 --out "$OUT/{loss}"
    sweep --format json train-toy --loss minimax --noise 0.1 --steps 2000 --log-every 50 --out "$OUT/minimax-noise0.1"
} > "$OUT/runs.jsonl"
# metrics.csv columns: step,noise,d_loss,g_loss,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,
# d_grad_fake,js_lower_bound,w1,smoothed_js,…
{
    echo "run,step,noise,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,js_lower_bound,w1"
    for label in minimax nonsat wgan-gp minimax-noise0.1; do
        awk -F, -v OFS=, -v run="$label" 'NR > 1 { print run, $1, $2, $5, $6, $7, $8, $10, $11 }' "$OUT/$label/metrics.csv"
    done
} > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
plot "$name"
