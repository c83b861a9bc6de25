# timeline.gp — one typical run per mode, drawn like the tutorial's
# diagrams: one lane per worker, one bar per task from its start to its end,
# labelled "task @ CPU".  The grey band is the worker's life in the run
# (idle where no task covers it); the hatched part before the first task is
# the worker's start-up (thread or process spawn, first dispatch).
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0  lanes: y  name                      (y = 0, 1, ... from the top)
#   block 1  worker lifetimes: y  from  to
#   block 2  start-up: y  from  to
#   block 3  tasks: y  start  end  color  label  (color: 0xRRGGBB)
#   block 4  mode separators: y
# Set by bench: data, title, subtitle, xlabel (with the unit), nlanes, xmax.

load plotdir.'common.gp'

set title title."\n".subtitle
set xlabel xlabel
set ylabel ''
# the legend sits under the time axis, clear of its label
set key at screen 0.5, screen 0.01 center bottom horizontal
set bmargin 6
set xrange [0:xmax]
set yrange [nlanes-0.5:-0.5]
set ytics scale 0 font ',10'
set grid xtics lt 1 lc rgb '#e4e4e4'
set grid noytics
set style fill solid 1.0 border rgb '#333333'

h = 0.36    # half the height of a task bar, in lanes

plot data index 0 using (NaN):1:ytic(2) notitle, \
	data index 1 using (($2+$3)/2):1:2:3:($1-0.12):($1+0.12) with boxxyerror \
		fs solid 1.0 noborder lc rgb '#e0e0e0' title 'worker alive, idle where no task', \
	data index 2 using (($2+$3)/2):1:2:3:($1-0.12):($1+0.12) with boxxyerror \
		fs pattern 4 border rgb '#c07000' lc rgb '#c07000' title 'start-up (spawn, first dispatch)', \
	data index 3 using (($2+$3)/2):1:2:3:($1-h):($1+h):4 with boxxyerror \
		fs solid 0.55 border rgb '#333333' lc rgb variable notitle, \
	data index 3 using (($2+$3)/2):1:5 with labels font ',9' tc rgb '#111111' notitle, \
	data index 4 using (0):1:(xmax):(0) with vectors nohead lw 1 lc rgb '#999999' notitle, \
	NaN with boxes fs solid 0.55 lc rgb '#777777' title 'task (label: task @ CPU it ran on)'
