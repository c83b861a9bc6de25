# spread.gp — wall time of every repetition, per mode (and worker count),
# for one workload on one machine: how much the measurements vary.
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0  categories: x  name                    (x = 0, 1, 2, ...)
#   block 1  repetitions: x  wall  color            (x jittered around the category)
#   block 2  medians: x  wall  color
# Colors are 0xRRGGBB integers (the mode's color in every chart).
# Set by bench: data, title, subtitle, ylabel (with the unit), ncats,
#   logy (0 or 1), rotate (1: slanted category names).

load plotdir.'common.gp'

set title title."\n".subtitle
set ylabel ylabel
set xlabel 'mode and number of workers'
set key outside right top vertical Left reverse
set xrange [-0.6:ncats-0.4]
if (logy) {
	set logscale y
} else {
	set yrange [0:*]
}
if (rotate) {
	set xtics rotate by -35 left scale 0
} else {
	set xtics scale 0
}

plot data index 0 using 1:(NaN):xtic(2) notitle, \
	data index 1 using 1:2:3 with points pt 7 ps 1.1 lc rgb variable notitle, \
	data index 2 using ($1-0.32):2:(0.64):(0):3 with vectors nohead lw 3 lc rgb variable notitle, \
	NaN with points pt 7 ps 1.1 lc rgb '#666666' title 'one repetition', \
	NaN with lines lw 3 lc rgb '#666666' title 'median'
