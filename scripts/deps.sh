#!/usr/bin/env bash
# Check, or install, the Debian packages bench needs.
#   scripts/deps.sh check     say exactly what is missing (exit 1 if anything)
#   scripts/deps.sh install   apt-get install what is missing (as root, or with sudo)
#   scripts/deps.sh install mpi   also the optional Open MPI packages (the mpi mode)
#   scripts/deps.sh install test  what make test needs: the packages above, then
#                                 Open MPI if it can be had (its tests skip, and
#                                 make test's last line says so, when it cannot)
set -u
build=(build-essential pkg-config libhwloc-dev libstb-dev)
test=(libcmocka-dev bats file python3)
extra=(gnuplot-nox python3-pil hwloc)
all=("${build[@]}" "${test[@]}" "${extra[@]}")
# optional: without them bench builds and tests pass, the mpi mode says it is unavailable
mpi=(libopenmpi-dev openmpi-bin)
[ "${2:-}" = mpi ] && all+=("${mpi[@]}")
if [ "${1:-}" = install ] && [ "${2:-}" = test ]; then
	"$0" install || exit 1
	"$0" install mpi || echo "bench: Open MPI could not be installed: the mpi tests will be skipped" >&2
	exit 0
fi

missing=()
for p in "${all[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

case "${1:-check}" in
check)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "bench: missing Debian packages: ${missing[*]}" >&2
		echo "bench: install them with: make deps   (or: sudo apt-get install ${missing[*]})" >&2
		exit 1
	fi
	for p in "${mpi[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
			echo "bench: optional: ${mpi[*]} for the mpi mode (scripts/deps.sh install mpi)" >&2
			break
		}
	done
	;;
install)
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "bench: installing Debian packages: ${missing[*]}" >&2
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
		echo "bench: could not install: ${missing[*]}" >&2
		exit 1
	}
	;;
*)
	echo "usage: $0 check|install" >&2
	exit 2
	;;
esac
