#!/usr/bin/env bash
# Study 3 — JS as a function of the instance-noise σ for fixed geometry: the continuity noise buys.
# Parallel segments 0.2 apart, a line and a plane in R^3, and a circle against its translate by 0.2.
source "$(dirname "$0")/common.sh"
name=03-noise
sigmas=0,0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5,1
# Three sweeps over σ (one per geometry); the rows are then ordered by σ (column 11), stably, so that
# each σ lists the three geometries in this order.
{
    sweep js --p line --q line --same-frame --offset 0.2 --noise $sigmas
    sweep js --p line --q plane --dim 3 --noise $sigmas | tail -n +2
    sweep js --p circle --q circle --same-frame --offset 0.2 --dim 3 --noise $sigmas --n 10000 | tail -n +2
} | { IFS= read -r header; echo "$header"; sort -s -t, -k11,11g; } > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
plot "$name"
