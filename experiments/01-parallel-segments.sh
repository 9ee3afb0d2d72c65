#!/usr/bin/env bash
# Study 1 — WGAN's Example 1 with noise: two parallel unit segments at distance θ in R^3.
# JS, KL and W1 as θ → 0, without noise (exact: log 2, ∞, θ) and with σ ∈ {0.02, 0.1, 0.3} (smoothed).
source "$(dirname "$0")/common.sh"
name=01-parallel-segments
sweep divergences --p line --q line --same-frame --offset 0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5,1 \
    --noise 0,0.02,0.1,0.3 --n 20000 > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
plot "$name"
