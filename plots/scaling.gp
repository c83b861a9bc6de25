# scaling.gp — measured speedup against parallelism with the fitted scaling
# laws (bench/analysis/fit.h), for one workload × mode on one machine: are more
# workers worth it, and where does adding them stop paying?
#
# Data (tab-separated; blocks separated by two blank lines; the first line
# of block 0 is its legend title):
#   block 0  measured: p  speedup  low  high  (median and its 95 % interval)
#   block 1  fitted curves, sampled densely by fit_curves_at():
#            p  amdahl_speedup  usl_speedup
# Set by bench: data, title, subtitle, xlabel (what p counts: workers, or
#   min(workers, PUs)), amdahl_label, usl_label (the legend lines, with the
#   fitted values), pus (PUs usable: a dotted line; 0: none), peak_p,
#   peak_speedup and peak_label (the USL's predicted peak, marked and
#   labelled when it lies inside the chart; peak_p = 0: no peak), logx
#   (0 or 1), xmin, xmax, ymax.

load plotdir.'common.gp'

if (!exists("pus")) pus = 0
if (!exists("peak_p")) peak_p = 0
if (!exists("peak_label")) peak_label = ''
if (!exists("logx")) logx = 0

set title title."\n".subtitle
set xlabel xlabel
set ylabel 'speedup over seq (×)'
# under the plot, below the axis label (the fitted values make long
# legend lines); placed by hand: 'outside below' lets the two overlap
set key at screen 0.5, screen 0.01 center bottom horizontal Left reverse maxcols 2 width 2
set bmargin at screen 0.2
if (logx) {
	set logscale x 2
}
set xrange [xmin:xmax]
set yrange [0:ymax]
set xtics auto
set grid xtics ytics lt 1 lc rgb '#e4e4e4'

# the PU count: beyond it, CPU-bound work cannot go faster (its label left
# of the line, so it never runs off the plot)
if (pus > 0) {
	set arrow 1 from pus, graph 0 to pus, graph 1 nohead dt 3 lw 2 lc rgb '#aa3333' back
	set label 1 sprintf('%d PUs ', pus) at pus, graph 0.97 right tc rgb '#aa3333'
}
# the USL's predicted peak, when it has one inside the chart: a ring on the
# curve and its label above it (no box: a box would hide measured points)
if (peak_p > 0 && peak_p <= xmax) {
	set arrow 2 from peak_p, graph 0 to peak_p, first peak_speedup nohead dt 2 lw 1 lc rgb '#d95f02' back
	set label 2 peak_label at peak_p, peak_speedup center offset 0,1.5 tc rgb '#d95f02' front \
		point pt 6 ps 2.2 lw 2 lc rgb '#d95f02'
}

plot x with lines dt 2 lw 2 lc rgb '#888888' title 'ideal (speedup = p)', \
	data index 1 using 1:2 with lines lw 2.5 lc rgb '#1b6ca8' title amdahl_label, \
	data index 1 using 1:3 with lines lw 2.5 lc rgb '#d95f02' title usl_label, \
	data index 0 using 1:2:3:4 with yerrorbars pt 7 ps 1.3 lw 1.5 lc rgb '#222222' \
		title columnheader(1)
