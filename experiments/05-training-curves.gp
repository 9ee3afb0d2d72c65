# Training curves of train-toy for four losses at their published recipes, against the network
# updates (D + G) so far, so that every loss has the same budget of gradient evaluations: D's
# accuracy, G's gradient under both costs, the JS lower bound from the current D, and W1.
set datafile separator ","
data = results."/05-training-curves.csv"
rows(run) = sprintf("< awk -F, '$1 == \"%s\"' %s", run, data)
runs = "minimax nonsat wgan-gp minimax-noise0.1"
titles = "minimax nonsat_(−log_D) WGAN-GP_(5_critic_steps) minimax,_σ_=_0.1"
title(i) = system(sprintf("echo '%s' | cut -d' ' -f%d | tr _ ' '", titles, i))
colors = "#1f77b4 #2ca02c #d62728 #9467bd"
dashes = "1 2 4 5"
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1400,950 font "Sans,11"; set output figures."/05-training-curves.png" }
  if (pass == 2) { set terminal svg size 1400,950 font "Sans,11"; set output figures."/05-training-curves.svg" }
  set multiplot layout 2,2
  set grid; set xlabel "network updates (D + G)"; set xrange [0:12000]
  set title "D's accuracy on a fresh batch: real (solid), fake (dashed); WGAN-GP left out"
  set ylabel "accuracy"; set yrange [-0.02:1.02]; set key bottom right
  plot for [j in "1 2 4"] rows(word(runs, j+0)) using 3:5 with lines lw 2 lc rgb word(colors, j+0) title title(j+0), \
       for [j in "1 2 4"] rows(word(runs, j+0)) using 3:6 with lines lw 2 dt 2 lc rgb word(colors, j+0) notitle
  set title "G's gradient norm: minimax cost (solid), −log D cost (dashed)"
  set logscale y; set format y "10^{%L}"; set yrange [5e-4:30]; set ylabel "‖∇_θ cost‖"; set key bottom left
  plot for [i = 1:4] rows(word(runs, i)) using 3:7 with lines lw 2 lc rgb word(colors, i) title title(i), \
       for [i = 1:4] rows(word(runs, i)) using 3:8 with lines lw 2 dt 2 lc rgb word(colors, i) notitle
  set title "JS lower bound from the current D (WGAN-GP left out: its critic is no logit)"
  unset logscale y; set format y "%g"; set yrange [*:*]; set ylabel "log 2 + ½E_P log D + ½E_Q log(1 − D)  (nats)"; set key top right
  plot for [j in "1 2 4"] rows(word(runs, j+0)) using 3:9 with lines lw 2 lc rgb word(colors, j+0) title title(j+0)
  set title "W1 between 500 data points and 500 samples (exact OT)"
  set logscale y; set format y "%g"; set yrange [*:*]; set ylabel "W1"; set key top right
  plot for [i = 1:4] rows(word(runs, i)) using 3:10 with lines lw 2 dashtype int(word(dashes, i)) lc rgb word(colors, i) title title(i)
  unset multiplot
}
