# JS against the ambient dimension D for two pairs, with and without noise.
set datafile separator ","
data = results."/02-dimension.csv"
# Columns: 1 divergence, 2 value, 3 stderr, 4 method, 5 unit, 6 p, 7 q, 8 dim, 9 offset, 10 angle, 11 noise
rows(p, s) = sprintf("< awk -F, '$6 == \"%s\" && $11 == %s' %s", p, s, data)
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1100,460 font "Sans,11"; set output figures."/02-dimension.png" }
  if (pass == 2) { set terminal svg size 1100,460 font "Sans,11"; set output figures."/02-dimension.svg" }
  set multiplot layout 1,2 title "JS between lower-dimensional supports as the ambient dimension D grows"
  set logscale x 2; set xlabel "ambient dimension D"; set ylabel "JS (nats)"; set yrange [0:0.75]; set grid
  set key bottom right
  set title "line vs plane (random frames)"
  plot for [s in "0 0.1 0.3"] rows("line", s) using 8:2:3 with yerrorlines title "σ = ".s, log(2) with lines dt 2 lc "black" title "log 2"
  set title "helix vs swiss roll (random frames)"
  plot for [s in "0 0.1 0.3"] rows("helix", s) using 8:2:3 with yerrorlines title "σ = ".s, log(2) with lines dt 2 lc "black" title "log 2"
  unset multiplot
}
