# timeline.gp — one typical run per mode, drawn like the tutorial's
# diagrams: one lane per worker, one bar per task from its start to its end.
# Each bar is the task's wall span: the solid part is its CPU time (the
# task thread's cpu_s, drawn from the task's start), the lighter rest the
# time it waited (sleeping, on I/O, or for a PU).  Its label is
# "tTASK · cpu CPU" (the CPU it ran on, "A→B" when it moved).  The grey
# band is the worker's life in the run (idle where no task covers it); the
# hatched part before the first task is the worker's start-up (thread or
# process spawn, first dispatch).
#
# Data (tab-separated; blocks separated by two blank lines):
#   block 0  lanes: y  name                      (y = 0, 1, ... from the top)
#   block 1  worker lifetimes: y  from  to
#   block 2  start-up: y  from  to
#   block 3  tasks: y  start  end  color  label  cpu_end
#            (color: 0xRRGGBB; cpu_end: start + CPU time, = end when unknown)
#   block 4  mode separators: y
# Set by bench: data, title, subtitle, xlabel (with the unit), nlanes, xmax,
#   has_cpu (0: no CPU times recorded, bars are solid), nmodes, mode_names,
#   mode_colors (words: a legend swatch per mode, its on-CPU colour).

load plotdir.'common.gp'

if (!exists("has_cpu")) has_cpu = 0
if (!exists("nmodes")) nmodes = 0

set title title."\n".subtitle
set xlabel xlabel
set ylabel ''
# the legend sits under the time axis, clear of its label: 3 entries a row
# (four of the longest do not fit in 1200 pixels), placed in characters
# from the bottom: a fraction of the height would climb into the axis label
# as the lanes make the chart taller
set key at screen 0.5, character 0.5 center bottom horizontal maxcols 3
nkeys = 2 + nmodes + (has_cpu ? 1 : 0)
set bmargin 4.5 + 1.4 * ceil(nkeys / 3.0)
set xrange [0:xmax]
set yrange [nlanes-0.5:-0.5]
set ytics scale 0 font ',10'
set grid xtics lt 1 lc rgb '#e4e4e4'
set grid noytics

h = 0.36    # half the height of a task bar, in lanes

plot data index 0 using (NaN):1:ytic(2) notitle, \
	data index 1 using (($2+$3)/2):1:2:3:($1-0.12):($1+0.12) with boxxyerror \
		fs solid 1.0 noborder lc rgb '#e0e0e0' title 'worker alive, idle where no task', \
	data index 2 using (($2+$3)/2):1:2:3:($1-0.12):($1+0.12) with boxxyerror \
		fs pattern 4 border rgb '#c07000' lc rgb '#c07000' title 'start-up (spawn, first dispatch)', \
	data index 3 using (($2+$3)/2):1:2:3:($1-h):($1+h):4 with boxxyerror \
		fs solid 0.3 border rgb '#333333' lc rgb variable notitle, \
	data index 3 using (($2+$6)/2):1:2:6:($1-h):($1+h):4 with boxxyerror \
		fs solid 0.9 noborder lc rgb variable notitle, \
	data index 3 using (($2+$3)/2):1:5 with labels font ',9' tc rgb '#111111' notitle, \
	data index 4 using (0):1:(xmax):(0) with vectors nohead lw 1 lc rgb '#999999' notitle, \
	for [i=1:nmodes] NaN with boxes fs solid 0.9 lc rgb word(mode_colors, i) \
		title (has_cpu ? word(mode_names, i).': on CPU' : word(mode_names, i).': task'), \
	(has_cpu ? NaN : 1/0) with boxes fs solid 0.3 border rgb '#333333' lc rgb '#777777' \
		title 'lighter: waiting (span less CPU time)'
