# spread.gp — wall time of every repetition, per mode and worker count, for
# one workload on one machine: how much the measurements vary.
#
# Two layouts.  With few combinations (byworkers = 0) each mode and worker
# count is a category on the x axis; with many (byworkers = 1) the x axis is
# the number of workers and each mode a color, its points nudged sideways.
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0  categories: x  name (byworkers: the worker counts to label)
#   block 1  repetitions: x  wall  color
#   block 2  medians: x_from  wall  width  color  (a short horizontal bar)
# Colors are 0xRRGGBB integers (the mode's color in every chart).
# Set by bench: data, title, subtitle, ylabel (with the unit), byworkers,
#   ncats or xmin/xmax/logx, logy (0 or 1), rotate (1: slanted names),
#   nmodes, mode_names, mode_colors (words, for the legend when byworkers).

load plotdir.'common.gp'

set title title."\n".subtitle
set ylabel logy ? ylabel.' (log scale)' : ylabel
set key outside right top vertical Left reverse
if (logy) {
	set logscale y
	set format y '%g'
} else {
	set yrange [0:*]
}
if (byworkers) {
	set xlabel logx ? 'workers (threads or processes; log scale)' : 'workers (threads or processes)'
	set xrange [xmin:xmax]
	if (logx) {
		set logscale x 2
	}
	set grid xtics ytics lt 1 lc rgb '#e4e4e4'
} else {
	set xlabel 'mode and number of workers (×N: N workers)'
	set xrange [-0.6:ncats-0.4]
	if (rotate) {
		set xtics rotate by -35 left scale 0
	} else {
		set xtics scale 0
	}
}

plot data index 0 using 1:(NaN):xtic(2) notitle, \
	data index 1 using 1:2:3 with points pt 7 ps 1.1 lc rgb variable notitle, \
	data index 2 using 1:2:3:(0):4 with vectors nohead lw 3 lc rgb variable notitle, \
	NaN with points pt 7 ps 1.1 lc rgb '#666666' title 'one repetition', \
	NaN with lines lw 3 lc rgb '#666666' title 'median', \
	for [i=1:(byworkers ? nmodes : 0)] NaN with points pt 7 ps 1.5 \
		lc rgb word(mode_colors, i) title word(mode_names, i)
