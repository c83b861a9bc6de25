# speedup.gp — speedup over seq against the number of workers, one line per
# mode, for one workload on one machine.
#
# Data (tab-separated; blocks separated by two blank lines; the first line
# of each block is its legend title):
#   block 0            the ideal speedup for these tasks: workers  speedup
#   blocks 1..nseries  one mode each: workers  speedup  low  high
#                      (median speedup, and its 95 % interval from the reps)
# Set by bench: data, title, subtitle, pus (PUs usable: a dotted line),
#   nseries, series_colors (one '#rrggbb' word per series), logx, logy
#   (0 or 1), xmin, xmax, ymin, ymax.  Points of different modes at the
#   same worker count are nudged sideways a little so none hides another.

load plotdir.'common.gp'

set title title."\n".subtitle
# a log axis says so on the axis
set xlabel logx ? 'workers (threads or processes; log scale)' : 'workers (threads or processes)'
set ylabel logy ? 'speedup over seq (×; log scale)' : 'speedup over seq (×)'
set key outside right top vertical Left reverse
if (logx) {
	set logscale x 2
}
set xrange [xmin:xmax]
if (logy) {
	set logscale y
	set format y '%g'
	set yrange [ymin:ymax]
} else {
	set yrange [0:ymax]
}
set xtics auto
set grid xtics ytics lt 1 lc rgb '#e4e4e4'

# the PU count: beyond it, CPU-bound work cannot go faster (its label left
# of the line, so it never runs off the plot)
set arrow 1 from pus, graph 0 to pus, graph 1 nohead dt 3 lw 2 lc rgb '#aa3333' back
set label 1 sprintf('%d PUs ', pus) at pus, graph 0.97 right tc rgb '#aa3333'

plot data index 0 using 1:2 with lines dt 2 lw 2 lc rgb '#888888' title columnheader(1), \
	for [i=1:nseries] data index i using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 \
		lc rgb word(series_colors, i) title columnheader(1)
