# Mode collapse on the 8-Gaussian ring in R^64: the Improved-GAN techniques over 20 seeds, means with
# their 95 % intervals (top row),
# one-sided label smoothing against the vanishing gradient (top right), and generated samples in the
# data's plane at seed 1 (bottom row).
set datafile separator ","
table = results."/06-mode-collapse.csv"
samples = results."/06-mode-collapse-samples.csv"
vanish = results."/06-label-smoothing-vanish.csv"
arm(a, kind) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"%s\"' %s", a, kind, samples)
alpha(a) = sprintf("< awk -F, '$1 == \"%s\"' %s", a, vanish)
stats table skip 1 using 0 nooutput
arms = STATS_records
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1500,950 font "Sans,11"; set output figures."/06-mode-collapse.png" }
  if (pass == 2) { set terminal svg size 1500,950 font "Sans,11"; set output figures."/06-mode-collapse.svg" }
  set multiplot layout 2,3
  set grid ytics; set style fill solid 0.6 border -1; set boxwidth 0.6; set xtics rotate by -30 scale 0; unset key
  set title "modes covered (of 8), mean and 95 % interval over seeds"
  set ylabel "modes covered"; set yrange [0:8.9]; set xrange [-0.6:arms - 0.4]
  plot table skip 1 using 0:4:14:xtic(1) with boxerrorbars lc rgb "#1f77b4"
  set title "high-quality fraction (within 3 std of a mode), 95 % interval"
  set ylabel "fraction of 2500 samples"; set yrange [0:1.05]
  plot table skip 1 using 0:6:15:xtic(1) with boxerrorbars lc rgb "#2ca02c"
  set title "vanish, label smoothing α: minimax gradient"
  set xtics norotate scale 1; set xrange [*:*]; set xlabel "D steps (G frozen)"; set grid xtics ytics
  set logscale y; set format y "10^{%L}"; set yrange [*:*]; set ylabel "‖∇_θ E log(1 − D(G(z)))‖"; set key top right
  plot for [a in "1 0.9 0.7"] alpha(a) using 2:4 with lines lw 2 title "α = ".a
  unset logscale y; set format y "%g"; unset xlabel
  set size ratio -1; set xrange [-1.35:1.35]; set yrange [-1.35:1.35]; set xlabel "u1"; set ylabel "u2"; set key bottom right
  do for [a in "plain feature-matching minibatch-disc"] {
    set title a.": samples at seed 1, data's plane"
    plot arm(a, "data") using 3:4 with points pt 7 ps 0.4 lc rgb "#7f7f7f" title "data", \
         arm(a, "generated") using 3:4 with points pt 7 ps 0.4 lc rgb "#d62728" title "generated"
  }
  unset multiplot
  set size noratio
}
