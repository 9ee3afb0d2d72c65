#!/usr/bin/env bash
# Study 10 — semi-supervised learning with a GAN (Salimans et al. 2016, §5) on the 25-mode grid in R^64
# with overlapping modes (mode std 0.6: neighbouring modes 2 apart overlap, Bayes accuracy 0.854), for
# L = 1, 2, 5, 10 and 50 labels per class in a pool of 10 000 points: the (K+1)-class discriminator with a
# feature-matching G against the same network trained on the labels alone (same initial weights, optimiser
# and labelled batches), 2000 steps, 5 seeds each.
# → results/10-semi-supervised.csv (one row per L: mean and std over seeds of both accuracies and the
#   paired gain with its 95 % interval), results/10-semi-supervised-steps.csv (accuracy along training,
#   every seed) and the figure.
source "$(dirname "$0")/common.sh"
name=10-semi-supervised
OUT=experiments/out/10
mkdir -p "$OUT"
sweep --format csv semi-supervised --mode-std 0.6 --labels 1,2,5,10,50 --seeds 5 --steps 2000 --log-every 100 \
    --out "$OUT/labels-{labels}" > "$OUT/runs.csv"
# The sweep's table: the summary of each L, one row each.
python3 - "$OUT/runs.csv" "$RESULTS/$name.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = ["labels", "accuracy", "accuracy_std", "baseline_accuracy", "baseline_accuracy_std", "gain", "gain_std", "gain_ci95",
        "bayes_accuracy", "bayes_accuracy_stderr", "bayes_test_accuracy", "runs_finished", "seconds"]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(keys)
    for r in sorted(rows, key=lambda r: int(r["labels"])):
        w.writerow([r[k] for k in keys])
PY
wrote "$RESULTS/$name.csv"
{
    echo "labels,seed,step,accuracy,baseline_accuracy,supervised_loss,unsupervised_loss"
    for labels in 1 2 5 10 50; do
        awk -F, -v OFS=, -v labels="$labels" 'NR > 1 { print labels, $1, $2, $6, $8, $3, $4 }' "$OUT/labels-$labels/metrics.csv"
    done
} > "$RESULTS/$name-steps.csv"
wrote "$RESULTS/$name-steps.csv"
cat "$RESULTS/$name.csv" >&2
plot "$name"
