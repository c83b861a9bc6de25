# hbars.gp — horizontal bars, one row per item (a host, or a mode and
# worker count), with an interval and the value written beside the bar:
# each host's best time on a workload, or noop's cost per task.  Rows run
# down the chart, so many hosts stay legible: the chart grows taller.
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0  rows: y  name                (y = 0, 1, ... from the top)
#   block 1  bars: y  value  low  high  color  text
#            (color: 0xRRGGBB; text: written right of the bar's interval)
# Set by bench: data, title, subtitle, xlabel (with the unit, and "log
#   scale" when logx), nrows, logx (0 or 1), xmin, xmax (room for the
#   texts is left by bench), nkeys, key_names, key_colors (words: a legend
#   swatch per color used), width, height.

load plotdir.'common.gp'

if (!exists("logx")) logx = 0
if (!exists("nkeys")) nkeys = 0

set title title."\n".subtitle
set xlabel xlabel
set ylabel ''
# the legend sits under the axis label, clear of it: placed in characters
# from the bottom, as a fraction of the height it would climb into the
# label as more hosts make the chart taller
set key at screen 0.5, character 0.5 center bottom horizontal Left reverse maxrows 2
set bmargin 6
set yrange [nrows-0.5:-0.5]
set ytics scale 0 font ',10'
set grid noytics
set grid xtics lt 1 lc rgb '#e4e4e4'
if (logx) {
	set logscale x 10
	set format x '%g'
}
set xrange [xmin:xmax]

h = 0.34    # half a bar's height, in rows
base = logx ? xmin : 0

plot data index 0 using (NaN):1:ytic(2) notitle, \
	data index 1 using ((base+$2)/2):1:(base):2:($1-h):($1+h):5 with boxxyerror \
		fs solid 0.85 border rgb '#333333' lc rgb variable notitle, \
	data index 1 using 2:1:3:4 with xerrorbars pt 0 lw 1.2 lc rgb '#222222' notitle, \
	data index 1 using 4:1:6 with labels left offset 0.8,0 font ',10' notitle, \
	for [i=1:nkeys] NaN with boxes fs solid 0.85 lc rgb word(key_colors, i) \
		title word(key_names, i)
