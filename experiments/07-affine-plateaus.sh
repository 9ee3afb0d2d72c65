#!/usr/bin/env bash
# Study 7 — the trainer against the closed forms: `vanish --generator affine --d-layers 0` puts G on a
# segment parallel to the data's at distance θ = 3; with instance noise σ the optimal D is logistic in
# the offset, and the plateaus of d/dθ of the minimax cost and of −log D have closed forms in δ = θ/σ:
# 2 JS′(δ)/σ and θ/σ² − 2 JS′(δ)/σ. σ shrinks from 3 to 0.5 (δ from 1 to 6). Settings of VanishTests:
# R^8, logistic-regression D, Adam lr 5e-2, 4000 D steps. `vanish --format json` prints both the
# measured plateaus (`plateau`) and the closed forms (`closed_form`); jq collects them.
source "$(dirname "$0")/common.sh"
name=07-affine-plateaus
theta=3
# One sweep over σ (runs in grid order, --jobs at a time); each run prints one JSON object.
noises=3,2,1.5,1,0.75,0.6,0.5
tmp=$(mktemp)
sweep --format json vanish --generator affine --d-layers 0 --dim 8 --lr 5e-2 --steps 4000 \
    --offset $theta --noise $noises > "$tmp"
{
    echo "offset,noise,delta,d_accuracy,d_accuracy_closed,slope_minimax,slope_minimax_stderr,slope_minimax_closed,slope_nonsat,slope_nonsat_stderr,slope_nonsat_closed"
    jq -r '[.offset, .noise, .closed_form.delta, .plateau.d_accuracy, .closed_form.d_accuracy,
            .plateau.slope_minimax, .plateau.slope_minimax_stderr, .closed_form.slope_minimax,
            .plateau.slope_nonsat, .plateau.slope_nonsat_stderr, .closed_form.slope_nonsat] | @csv' "$tmp"
} > "$RESULTS/$name.csv"
rm -f "$tmp"
wrote "$RESULTS/$name.csv"
plot "$name"
