#!/usr/bin/env bash
# Study 5 — training curves of `manifoldlab train-toy` (a segment in R^64, MLP G and D), each loss at
# its published recipe (train-toy's defaults: minimax and nonsat one D step per G step; WGAN-GP five
# critic steps, Adam β = (0.5, 0.9), γ = 10) and at EQUAL GRADIENT EVALUATIONS: 12 000 network updates
# (D + G) each, so minimax, nonsat and minimax with instance noise σ = 0.1 run 6000 G steps and WGAN-GP
# 2000. Per run: D's accuracy on real and fake, G's gradient norm under both costs, the JS lower bound
# from D, W1, and the evaluation metrics (precision, recall, coverage). Each run writes its curves into
# experiments/out/05/<run>/metrics.csv; the columns the figure needs are collected into
# results/05-training-curves.csv with a run label and the updates (D + G) so far.
source "$(dirname "$0")/common.sh"
name=05-training-curves
OUT=experiments/out/05
mkdir -p "$OUT"
{
    sweep --format json train-toy --loss minimax,nonsat --steps 6000 --log-every 150 --out "$OUT/{loss}"
    sweep --format json train-toy --loss wgan-gp --steps 2000 --log-every 50 --out "$OUT/{loss}"
    sweep --format json train-toy --loss minimax --noise 0.1 --steps 6000 --log-every 150 --out "$OUT/minimax-noise0.1"
} > "$OUT/runs.jsonl"
# metrics.csv columns: step,noise,d_loss,g_loss,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,
# d_grad_fake,js_lower_bound,w1,smoothed_js,…,smoothed_js_note(18),precision(19),recall(20),density(21),coverage(22)
{
    echo "run,step,updates,noise,d_accuracy_real,d_accuracy_fake,g_grad_minimax,g_grad_nonsat,js_lower_bound,w1,precision,recall,coverage"
    for label in minimax nonsat wgan-gp minimax-noise0.1; do
        per=$([ "$label" = wgan-gp ] && echo 6 || echo 2)  # D steps + 1 per G step
        awk -F, -v OFS=, -v run="$label" -v per="$per" \
            'NR > 1 { print run, $1, $1 * per, $2, $5, $6, $7, $8, $10, $11, $19, $20, $22 }' "$OUT/$label/metrics.csv"
    done
} > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
jq -r '"\(.loss)\(if .noise > 0 then " σ = \(.noise)" else "" end): \(.steps) G steps × \(.d_steps + 1) updates, final W1 \(.final.w1 * 1000 | round / 1000), precision \(.final.precision), recall \(.final.recall), \(.seconds * 10 | round / 10) s"' "$OUT/runs.jsonl" >&2
plot "$name"
