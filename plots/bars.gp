# bars.gp — grouped bars: one group per category (a mode), one bar per
# series (a workload, or a host), with 95 % intervals and the value on top.
# Used for "I/O-bound vs CPU-bound" (series = workloads) and for the report's
# host comparison (series = hosts).
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0            categories: x  name          (x = 0, 1, 2, ...)
#   blocks 1..nseries  first line the legend title, then
#                      x  value  low  high  label  label_y  foot  (x: the
#                      bar's centre; high is cut at the top of the axis;
#                      foot: written at the bar's foot, its worker count)
# Set by bench: data, title, subtitle, ylabel, nseries, series_colors,
#   ncats, boxwidth, ymax, hline (0: none) and hlabel (a reference line,
#   e.g. the PU count), rotate (1: value labels upright, for many bars).

load plotdir.'common.gp'

set title title."\n".subtitle
set ylabel ylabel
# the legend goes under the mode names, where it covers no bar
set key outside below center vertical Left reverse maxrows 3
set xrange [-0.6:ncats-0.4]
set yrange [0:ymax]
set xtics scale 0
set boxwidth boxwidth absolute

# the reference line is named in the legend, where it covers nothing
if (hline > 0) {
	set arrow 1 from graph 0, first hline to graph 1, first hline nohead dt 3 lw 2 lc rgb '#aa3333' front
}

if (rotate) {
	labelstyle = 'rotate by 90 left offset 0,0.5'
} else {
	labelstyle = 'center offset 0,0.7'
}

plot data index 0 using 1:(NaN):xtic(2) notitle, \
	for [i=1:nseries] data index i using 1:2 with boxes lc rgb word(series_colors, i) \
		title columnheader(1), \
	for [i=1:nseries] data index i using 1:3:(0):($4-$3) with vectors \
		heads size screen 0.006,90 lw 1.2 lc rgb '#333333' notitle, \
	for [i=1:nseries] data index i using 1:6:5 with labels @labelstyle font ',9' notitle, \
	for [i=1:nseries] data index i using 1:(0):7 with labels rotate by 90 left \
		offset 0,0.4 font ',8' tc rgb '#111111' notitle, \
	(hline > 0 ? NaN : 1/0) with lines dt 3 lw 2 lc rgb '#aa3333' title hlabel
