#!/usr/bin/env bash
# Study 3 — JS as a function of the instance-noise σ for fixed geometry: the continuity noise buys.
# Parallel segments 0.2 apart, a line and a plane in R^3, and a circle against its translate by 0.2.
source "$(dirname "$0")/common.sh"
name=03-noise
for sigma in 0 0.001 0.002 0.005 0.01 0.02 0.05 0.1 0.2 0.5 1; do
    echo "js --p line --q line --same-frame --offset 0.2 --noise $sigma"
    echo "js --p line --q plane --dim 3 --noise $sigma"
    echo "js --p circle --q circle --same-frame --offset 0.2 --dim 3 --noise $sigma --n 10000"
done | sweep "$RESULTS/$name.csv"
plot "$name"
