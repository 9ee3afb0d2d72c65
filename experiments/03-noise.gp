# JS against σ (σ = 0 drawn at the left edge as the exact value).
set datafile separator ","
data = results."/03-noise.csv"
rows(p, q, off) = sprintf("< awk -F, '$6 == \"%s\" && $7 == \"%s\" && $9 == %s' %s", p, q, off, data)
sig(s) = (s == 0 ? 5e-4 : s)
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 800,520 font "Sans,11"; set output figures."/03-noise.png" }
  if (pass == 2) { set terminal svg size 800,520 font "Sans,11"; set output figures."/03-noise.svg" }
  set title "JS against instance noise σ (σ = 0 plotted at 5·10^{-4}: the exact value)"
  set logscale x; set format x "10^{%L}"; set xrange [4e-4:1.5]; set yrange [0:0.75]; set grid
  set xlabel "instance noise σ"; set ylabel "JS (nats)"; set key bottom left
  plot rows("line", "line", "0.2") using (sig($11)):2:3 with yerrorlines title "parallel segments, θ = 0.2", \
       rows("line", "plane", "0") using (sig($11)):2:3 with yerrorlines title "line vs plane in R^3", \
       rows("circle", "circle", "0.2") using (sig($11)):2:3 with yerrorlines title "circle vs translate, θ = 0.2", \
       log(2) with lines dt 2 lc "black" title "log 2"
}
