# common.gp — the look every bench chart shares; the other scripts load it.
#
# bench runs each script twice (PNG, then SVG) as
#   gnuplot -e "plotdir='plots/'; fmt='png'; out='plots/NAME'; data='...'; ..." plots/NAME.gp
# so any chart can be redrawn by hand from the .dat file left beside it.
#
# Set by bench: fmt ('png' or 'svg'), out (file name without extension),
#   width, height (pixels).

if (!exists("fmt")) fmt = 'png'
if (!exists("width")) width = 1200
if (!exists("height")) height = 700

# noenhanced: names like "my_host" are printed as is, not as subscripts
if (fmt eq 'svg') {
	set terminal svg size width,height font 'DejaVu Sans,13' noenhanced background rgb 'white'
} else {
	set terminal pngcairo size width,height font 'DejaVu Sans,11' noenhanced background rgb 'white'
}
set output out.'.'.fmt

set datafile separator "\t"
set datafile missing 'NaN'
set border 3 lc rgb '#555555'
set tics nomirror out
set grid ytics lt 1 lc rgb '#e4e4e4'
set key box lc rgb '#bbbbbb' opaque samplen 2.5 spacing 1.2
set style fill solid 0.85 border rgb '#333333'
