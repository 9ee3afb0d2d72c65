# Shared panels for study 1 (parallel segments), written once for PNG and once for SVG.
data = results."/01-parallel-segments.csv"
# Columns: 1 divergence, 2 value, 3 stderr, 4 method, 5 unit, 6 p, 7 q, 8 dim, 9 offset, 10 angle, 11 noise, ...
rows(kind, s) = sprintf("< awk -F, '$1 == \"%s\" && $11 == %s' %s", kind, s, data)
infcap(v) = (v > 1e6 ? 1e4 : v)
do for [pass = 1:2] {
  if (pass == 2) { set terminal svg size 1500,460 font "Sans,11"; set output figures."/01-parallel-segments.svg" }
  set multiplot layout 1,3 title "Two parallel segments a distance θ apart in R^3 (σ = instance noise)"
  set logscale x; set format x "10^{%L}"; set xlabel "offset θ"; set key bottom right; set grid
  set ylabel "JS (nats)"; unset logscale y; set format y "%g"; set yrange [0:0.75]
  set title "JS: stuck at log 2 without noise"; set key right center
  plot for [s in "0 0.02 0.1 0.3"] rows("js", s) using 9:2 with linespoints title "σ = ".s, \
       log(2) with lines dt 2 lc "black" title "log 2"
  set key bottom right; set ylabel "KL (nats)"; set logscale y; set format y "10^{%L}"; set yrange [1e-6:5e4]
  set title "KL: ∞ without noise (drawn at 10^4), θ²/2σ² with it"
  plot for [s in "0 0.02 0.1 0.3"] rows("kl", s) using 9:(infcap($2)) with linespoints title "σ = ".s
  set ylabel "W1"; set logscale y; set yrange [5e-4:2]
  set title "W1 = θ, noise or not"
  plot for [s in "0 0.02 0.1 0.3"] rows("w1", s) using 9:2 with linespoints title "σ = ".s, x with lines dt 2 lc "black" title "θ"
  unset multiplot
}
