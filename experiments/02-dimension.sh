#!/usr/bin/env bash
# Study 2 — JS between a line and a plane, and between a helix and a swiss roll, in R^D as D grows,
# without noise (exact: log 2 in every D) and with instance noise σ = 0.1 and 0.3 (smoothed).
source "$(dirname "$0")/common.sh"
name=02-dimension
{
    for d in 2 3 4 8 16 32 64 128 256; do
        for sigma in 0 0.1 0.3; do echo "js --p line --q plane --dim $d --noise $sigma"; done
    done
    for d in 3 4 8 16 32 64 128 256; do
        for sigma in 0 0.1 0.3; do echo "js --p helix --q swissroll --dim $d --noise $sigma --n 4000"; done
    done
} | sweep "$RESULTS/$name.csv"
plot "$name"
