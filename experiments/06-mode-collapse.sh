#!/usr/bin/env bash
# Study 6 — mode collapse and the Improved-GAN techniques (Salimans et al. 2016) on the 8-Gaussian
# ring in R^64 (std 0.01, the Unrolled-GAN/VEEGAN/PacGAN protocol):
#   (a) `compare-techniques`: every arm × 20 seeds (SEEDS), mean ± std and the 95 % interval of the mean
#       of modes covered, high-quality fraction, W1, precision, recall, coverage and the Inception Score
#       analogue → results/06-mode-collapse.csv (table) and 06-mode-collapse-runs.csv (runs); a ranking
#       is stated only where the intervals separate (printed below the table);
#   (b) generated samples in the data's plane for three arms at seed 1 → 06-mode-collapse-samples.csv;
#   (c) `vanish` with one-sided label smoothing α ∈ {1, 0.9, 0.7}: does it stop the vanishing?
#       → 06-label-smoothing-vanish.csv.
source "$(dirname "$0")/common.sh"
name=06-mode-collapse
OUT=experiments/out/06
SEEDS=${SEEDS:-20}
samples() {
    echo "plain"
    echo "feature-matching --feature-matching"
    echo "minibatch-disc --minibatch-disc 8,4"
}
common="--data ring --latent 2 --loss nonsat --lr 1e-3 --steps 2000 --log-every 500 --seed 1"
mkdir -p "$OUT"
# (a) The comparison runs its trainings $JOBS at a time itself.
"$BIN" compare-techniques --seeds "$SEEDS" --jobs "$JOBS" --out "$OUT/compare" --format csv > "$RESULTS/$name.csv"
cp "$OUT/compare/runs.csv" "$RESULTS/$name-runs.csv"
echo "wrote $RESULTS/$name.csv and $name-runs.csv" >&2
# Which arms' 95 % intervals of modes covered and of the high-quality fraction separate from plain's.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { m[$1] = $c["modes_covered_mean"]; mh[$1] = $c["modes_covered_ci95"]
           q[$1] = $c["high_quality_fraction_mean"]; qh[$1] = $c["high_quality_fraction_ci95"]; order[NR] = $1 }
         END { for (r = 2; r <= NR; r++) { a = order[r]; if (a == "plain") continue
                 sm = (m[a] - mh[a] > m["plain"] + mh["plain"]) ? "above" : (m[a] + mh[a] < m["plain"] - mh["plain"]) ? "below" : "overlaps"
                 sq = (q[a] - qh[a] > q["plain"] + qh["plain"]) ? "above" : (q[a] + qh[a] < q["plain"] - qh["plain"]) ? "below" : "overlaps"
                 printf "%s vs plain: modes covered %.2f ± %.2f (%s), high quality %.3f ± %.3f (%s)\n", a, m[a], mh[a], sm, q[a], qh[a], sq } }' \
    "$RESULTS/$name.csv" >&2
# (b) Samples of three arms (projected.csv: kind,u1,u2 in the data's frame); the arms differ in
# which flags they have, not in a value, so they are three runs rather than a sweep.
samples | while read -r label args; do
    # shellcheck disable=SC2086
    "$BIN" train-toy $common $args --out "$OUT/$label" --format json > "$OUT/$label.json"
done
{
    echo "arm,kind,u1,u2"
    samples | while read -r label _; do
        awk -F, -v OFS=, -v arm="$label" 'NR > 1 { print arm, $1, $2, $3 }' "$OUT/$label/projected.csv"
    done
} > "$RESULTS/$name-samples.csv"
# (c) Label smoothing against the vanishing gradient: one sweep over α, a folder per run.
sweep --format json vanish --label-smoothing 1,0.9,0.7 --out "$OUT/vanish-{label_smoothing}" > "$OUT/vanish.jsonl"
{
    echo "alpha,step,d_accuracy_mean,g_grad_minimax_mean,g_grad_minimax_std,g_grad_nonsat_mean,g_grad_nonsat_std"
    for a in 1 0.9 0.7; do
        awk -F, -v OFS=, -v a="$a" 'NR > 1 { print a, $1, $2, $6, $7, $8, $9 }' "$OUT/vanish-$a/vanish.csv"
    done
} > "$RESULTS/06-label-smoothing-vanish.csv"
jq -r '"label smoothing α = \(.label_smoothing): minimax gradient fell \(.orders_of_magnitude * 100 | round / 100) orders, final D accuracy \(.final_d_accuracy)"' "$OUT/vanish.jsonl" >&2
plot "$name"
