#!/usr/bin/env bash
# Study 9 — the evaluation metrics along training (Kynkäänniemi et al.'s precision and recall, Naeem
# et al.'s coverage, the Inception Score analogue with the mixture's exact posterior), for minimax,
# nonsat and WGAN-GP, each at its published recipe (train-toy's defaults), on the 8-mode ring and the
# 25-mode grid in the plane (D = 2, the 2-D protocol of the mode-collapse papers; latent 2), at equal
# gradient evaluations: 12 000 network updates (D + G), so 6000 G steps for minimax and nonsat and 2000
# for WGAN-GP (five critic steps per G step). In R^64 the neighbour metrics are 0 throughout: see the
# README of experiments/.
# → results/09-evaluation-along-training.csv (one row per logged step of each run) and its figure.
source "$(dirname "$0")/common.sh"
name=09-evaluation-along-training
OUT=experiments/out/09
mkdir -p "$OUT"
{
    sweep --format json train-toy --data ring,grid --dim 2 --latent 2 --loss minimax,nonsat --steps 6000 --log-every 150 \
        --out "$OUT/{data}-{loss}"
    sweep --format json train-toy --data ring,grid --dim 2 --latent 2 --loss wgan-gp --steps 2000 --log-every 50 \
        --out "$OUT/{data}-{loss}"
} > "$OUT/runs.jsonl"
# metrics.csv: step(1) … w1(11) … modes_covered(14), high_quality_fraction(15), … precision(19), recall(20),
# density(21), coverage(22), inception_score(23)
{
    echo "data,loss,step,updates,w1,modes_covered,high_quality_fraction,precision,recall,density,coverage,inception_score"
    for data in ring grid; do
        for loss in minimax nonsat wgan-gp; do
            per=$([ "$loss" = wgan-gp ] && echo 6 || echo 2)
            awk -F, -v OFS=, -v data="$data" -v loss="$loss" -v per="$per" \
                'NR > 1 { print data, loss, $1, $1 * per, $11, $14, $15, $19, $20, $21, $22, $23 }' "$OUT/$data-$loss/metrics.csv"
        done
    done
} > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
jq -r '"\(.data) \(.loss): \(.modes_covered) of \(.modes) modes, high quality \(.high_quality_fraction), precision \(.final.precision), recall \(.final.recall), coverage \(.final.coverage), IS \(.final.inception_score * 100 | round / 100), \(.seconds | round) s"' "$OUT/runs.jsonl" >&2
plot "$name"
