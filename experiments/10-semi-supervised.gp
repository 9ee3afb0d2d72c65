# Semi-supervised GAN against the labels-only baseline on the 25-mode grid in R^64 (mode std 0.6).
# Left: final test accuracy against labels per class (mean ± std over 5 seeds), with the Bayes accuracy.
# Right: test accuracy along training for L = 2 (every seed; solid: semi-supervised, dashed: baseline).
set datafile separator ","
data = results."/10-semi-supervised.csv"
steps = results."/10-semi-supervised-steps.csv"
bayes = real(system(sprintf("awk -F, 'NR == 2 { print $9 }' %s", data)))
seeds = system(sprintf("awk -F, 'NR > 1 && $1 == 2 { print $2 }' %s | sort -un | tr '\\n' ' '", steps))
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1400,560 font "Sans,11"; set output figures."/10-semi-supervised.png" }
  if (pass == 2) { set terminal svg size 1400,560 font "Sans,11"; set output figures."/10-semi-supervised.svg" }
  set multiplot layout 1,2
  set grid
  set title "final test accuracy (2000 steps; mean ± std over 5 seeds)"
  set xlabel "labelled points per class L (log scale)"; set logscale x; set xrange [0.8:65]
  set ylabel "fraction of test points classified right"; set yrange [0:1]; set key bottom right
  plot data using 1:2:3 with yerrorlines lw 2 dashtype 1 lc rgb "#1f77b4" pt 7 title "semi-supervised GAN (feature matching)", \
       '' using 1:4:5 with yerrorlines lw 2 dashtype 2 lc rgb "#d62728" pt 5 title "baseline: same network on the labels alone", \
       bayes with lines lw 1 dashtype 3 lc rgb "black" title sprintf("Bayes accuracy %.3f", bayes)
  unset logscale x; set autoscale x
  set title "test accuracy along training, L = 2 (each seed)"
  set xlabel "step (updates of D, G and the baseline)"
  plot for [s in seeds] sprintf("< awk -F, '$1 == 2 && $2 == %s' %s", s, steps) using 3:4 with lines lw 1.5 dashtype 1 lc rgb "#1f77b4" notitle, \
       for [s in seeds] sprintf("< awk -F, '$1 == 2 && $2 == %s' %s", s, steps) using 3:5 with lines lw 1.5 dashtype 2 lc rgb "#d62728" notitle, \
       NaN with lines lw 1.5 dashtype 1 lc rgb "#1f77b4" title "semi-supervised", NaN with lines lw 1.5 dashtype 2 lc rgb "#d62728" title "baseline", \
       bayes with lines lw 1 dashtype 3 lc rgb "black" title "Bayes"
  unset multiplot
}
