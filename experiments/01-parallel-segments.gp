# Three panels: JS, KL, W1 against θ for each σ (σ = 0: the exact values).
set datafile separator ","
set terminal pngcairo size 1500,460 font "Sans,11"
set output figures."/01-parallel-segments.png"
load "experiments/01-parallel-segments-panels.gp"
