# The evaluation metrics along training, against the network updates (D + G): precision, recall,
# coverage and the Inception Score analogue, for three losses (colours and dash patterns) on the ring
# (left column) and the grid (right column).
set datafile separator ","
data = results."/09-evaluation-along-training.csv"
rows(d, loss) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"%s\"' %s", d, loss, data)
losses = "minimax nonsat wgan-gp"
titles = "minimax nonsat_(−log_D) WGAN-GP"
title(i) = system(sprintf("echo '%s' | cut -d' ' -f%d | tr _ ' '", titles, i))
colors = "#1f77b4 #2ca02c #d62728"
dashes = "1 2 4"
metric(c) = word("precision recall coverage Inception_Score_analogue", c)
col(c) = word("8 9 11 12", c) + 0
do for [pass = 1:2] {
  if (pass == 1) { set terminal pngcairo size 1400,1500 font "Sans,11"; set output figures."/09-evaluation-along-training.png" }
  if (pass == 2) { set terminal svg size 1400,1500 font "Sans,11"; set output figures."/09-evaluation-along-training.svg" }
  set multiplot layout 4,2
  set grid; set xlabel "network updates (D + G)"; set xrange [0:12000]; set key bottom right
  do for [c = 1:4] {
    do for [d in "ring grid"] {
      set title sprintf("%s, %s (%s modes)", system(sprintf("echo %s | tr _ ' '", metric(c))), d, d eq "ring" ? "8" : "25")
      if (c < 4) { set yrange [-0.02:1.02]; set ylabel "fraction" } else { set yrange [0:*]; set ylabel "IS (modes)" }
      plot for [i = 1:3] rows(d, word(losses, i)) using 4:col(c) with lines lw 2 dashtype int(word(dashes, i)) lc rgb word(colors, i) title title(i)
    }
  }
  unset multiplot
}
