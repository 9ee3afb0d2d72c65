# Measured plateaus of d/dθ of the two generator costs (points, ± standard error) beside the closed
# forms in δ = θ/σ (lines), and D's accuracy beside Φ(δ/2), for the affine G at θ = 3.
set datafile separator ","
data = "< tail -n +2 ".results."/07-affine-plateaus.csv"
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1300,520 font "Sans,11"; set output figures."/07-affine-plateaus.png" }
  if (pass == 2) { set terminal svg size 1300,520 font "Sans,11"; set output figures."/07-affine-plateaus.svg" }
  set multiplot layout 1,2
  set grid; set xlabel "δ = θ/σ   (θ = 3 fixed, σ from 3 down to 0.5)"; set xrange [0.8:6.2]
  set title "Gradient w.r.t. the offset θ: trainer plateau vs closed form"
  set logscale y; set format y "10^{%L}"; set ylabel "d cost / dθ"; set key top left
  plot data using 3:11 with lines lw 2 lc rgb "#d62728" title "−log D, closed form θ/σ² − 2JS′(δ)/σ", \
       data using 3:9:10 with yerrorbars pt 7 ps 1.2 lc rgb "#d62728" title "−log D, measured plateau", \
       data using 3:8 with lines lw 2 lc rgb "#1f77b4" title "minimax, closed form 2JS′(δ)/σ", \
       data using 3:6:7 with yerrorbars pt 5 ps 1.2 lc rgb "#1f77b4" title "minimax, measured plateau"
  set title "D's accuracy: trainer plateau vs Φ(δ/2)"
  unset logscale y; set format y "%g"; set ylabel "D accuracy"; set yrange [0.5:1.02]; set key bottom right
  plot data using 3:5 with lines lw 2 lc rgb "black" title "closed form Φ(δ/2)", \
       data using 3:4 with points pt 7 ps 1.2 lc rgb "#2ca02c" title "measured plateau"
  unset multiplot
}
