# Dirac-GAN phase portraits: gnuplot -e "dir='OUTDIR'; extent=2.2; lr=0.1; steps=600; starts='1,1 0.3,-0.2 -1.6,0.6'" 08-dirac-phase-portrait.gp
# Reads OUTDIR/field-LOSS.csv (theta,psi,v_theta,v_psi), OUTDIR/trajectory-LOSS-START.csv
# (step,theta,psi,distance) and OUTDIR/titles.gp, all written by 08-dirac-phase-portrait.sh.
load dir.'/titles.gp'

set datafile separator comma
set key noautotitle
set size ratio -1
set xrange [-extent:extent]
set yrange [-extent:extent]
set xlabel 'θ (generator)'
set ylabel 'ψ (discriminator)'
set tics out nomirror
set palette defined (0 '#c6dbef', 1 '#6baed6', 2 '#08306b')
unset colorbox

# Arrows of fixed length in the direction of v, shaded by |v|.
arrow = 0.17
vlen(a, b) = sqrt(a**2 + b**2) > 0 ? sqrt(a**2 + b**2) : 1
colours = "#d62728 #2ca02c #9467bd"

panel(loss) = sprintf("%s/field-%s.csv", dir, loss)
trajectory(loss, i) = sprintf("%s/trajectory-%s-%s.csv", dir, loss, word(starts, i+1))

do for [format in "png svg"] {
    if (format eq "png") {
        set terminal pngcairo size 1400,1400 font 'DejaVu Sans,12'
    } else {
        set terminal svg size 1400,1400 font 'DejaVu Sans,14' dynamic
    }
    set output sprintf("%s/dirac-phase-portrait.%s", dir, format)
    set multiplot layout 2,2 title sprintf("Dirac-GAN: vector field v(θ, ψ) and simultaneous GD (lr = %g, %d steps) from three starts (dots)", lr, steps)
    do for [loss in "minimax wgan-gp r1 noise"] {
        name = loss eq "wgan-gp" ? "wgan_gp" : loss
        set title value("title_".name)
        plot panel(loss) skip 1 using 1:2:(arrow*$3/vlen($3,$4)):(arrow*$4/vlen($3,$4)):(vlen($3,$4)) \
                 with vectors head size 0.05,20 filled lc palette lw 1.2, \
             for [i=0:2] trajectory(loss, i) skip 1 using 2:3 with lines lw 2 lc rgb word(colours, i+1), \
             for [i=0:2] trajectory(loss, i) skip 1 every ::0::0 using 2:3 with points pt 7 ps 1.3 lc rgb word(colours, i+1), \
             '+' using (0):(0) with points pt 6 ps 2 lc rgb 'black'
    }
    unset multiplot
    unset output
}
