#!/usr/bin/env bash
# Study 2 — JS between a line and a plane, and between a helix and a swiss roll, in R^D as D grows,
# without noise (exact: log 2 in every D) and with instance noise σ = 0.1 and 0.3 (smoothed).
source "$(dirname "$0")/common.sh"
name=02-dimension
{
    sweep js --p line --q plane --dim 2,3,4,8,16,32,64,128,256 --noise 0,0.1,0.3
    sweep js --p helix --q swissroll --dim 3,4,8,16,32,64,128,256 --noise 0,0.1,0.3 --n 4000 | tail -n +2
} > "$RESULTS/$name.csv"
wrote "$RESULTS/$name.csv"
plot "$name"
