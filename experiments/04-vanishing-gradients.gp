# Arjovsky & Bottou Fig. 2 (minimax gradient), Fig. 3 (−log D gradient, mean ± std) and D's accuracy,
# against the D steps of a fresh D trained alone against G frozen after E pretraining steps.
set datafile separator ","
data = results."/04-vanishing-gradients.csv"
rows(run) = sprintf("< awk -F, '$1 == \"%s\"' %s", run, data)
runs = "E0 E200 E1000 E0-noise0.5"
titles = "E_=_0 E_=_200 E_=_1000 E_=_0,_σ_=_0.5"
title(i) = system(sprintf("echo '%s' | cut -d' ' -f%d | tr _ ' '", titles, i))
colors = "#1f77b4 #2ca02c #d62728 #9467bd"
lo(m, s) = (m - s > m / 1e3 ? m - s : m / 1e3)
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1650,500 font "Sans,11"; set output figures."/04-vanishing-gradients.png" }
  if (pass == 2) { set terminal svg size 1650,500 font "Sans,11"; set output figures."/04-vanishing-gradients.svg" }
  set multiplot layout 1,3
  set grid; set xlabel "D steps (G frozen)"; set xrange [0:2000]
  set title "Fig. 2: minimax cost, ‖∇_θ E log(1 − D(G(z)))‖ (mean over 10 batches)"
  set logscale y; set format y "10^{%L}"; set yrange [*:*]; set ylabel "generator gradient norm"; set key top right
  plot for [i = 1:4] rows(word(runs, i)) using 4:6 with lines lw 2 lc rgb word(colors, i) title title(i)
  set title "Fig. 3: −log D cost, ‖∇_θ (−E log D(G(z)))‖ (mean ± std over 10 batches)"
  set key bottom right
  plot for [i = 1:4] rows(word(runs, i)) using 4:(lo($8, $9)):($8 + $9) with filledcurves fs transparent solid 0.25 noborder lc rgb word(colors, i) notitle, \
       for [i = 1:4] rows(word(runs, i)) using 4:8 with lines lw 2 lc rgb word(colors, i) title title(i)
  set title "D's accuracy on real and fake batches"
  unset logscale y; set format y "%g"; set yrange [0.4:1.02]; set ylabel "accuracy"; set key bottom right
  plot for [i = 1:4] rows(word(runs, i)) using 4:5 with lines lw 2 lc rgb word(colors, i) title title(i)
  unset multiplot
}
