#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nslist.sh - time nslist against lsns(8) on the same system state, with
# the same output (the default columns NS,TYPE,NPROCS,PID,USER,COMMAND as a
# process tree), at growing numbers of processes in fresh namespaces
# (bench/nsload), and print the table side by side. Also checks that both
# find the same namespaces with the same NPROCS. Run as root:
#
#   bench/nslist.sh [BUILD_DIR] [N...]     (default: build 2500 5000 10000 20000)
#
# Times are wall-clock seconds: lsns the best of 3 runs below 10,000
# processes and a single run above (it takes many seconds there), nslist
# always the best of 3. "pid-map" is "nslist --pid-map -o PID": the process
# scan alone, without the per-process fd scan that finds namespaces held
# by open fds and sockets (and with every NSpid read).
set -u
# A private PID namespace with its own /proc: other work on the machine
# neither shows up in the listings nor changes between the two tools' runs.
if [ -z "${NSLIST_BENCH_ISOLATED:-}" ]; then
	NSLIST_BENCH_ISOLATED=1 exec unshare --pid --fork --mount-proc \
		--propagation private -- bash "$0" "$@"
fi
build=${1:-build}
shift 2>/dev/null
sizes=${*:-2500 5000 10000 20000}
nslist=$build/tools/nslist
nsload=$build/bench/nsload
for f in "$nslist" "$nsload"; do
	[ -x "$f" ] || { echo "nslist.sh: $f is not built" >&2; exit 1; }
done
command -v lsns >/dev/null || { echo "nslist.sh: lsns not found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "nslist.sh: run as root" >&2; exit 1; }

# seconds for "$@" > /dev/null, best of RUNS
best_of() {
	local runs=$1 best= t i
	shift
	for ((i = 0; i < runs; i++)); do
		t=$( { TIMEFORMAT=%R; time "$@" > /dev/null 2>&1; } 2>&1 )
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
	done
	echo "$best"
}

printf '%8s %10s %10s %8s %10s %10s %s\n' procs lsns nslist speedup pid-map namespaces same-NPROCS
prev=
for n in $sizes; do
	coproc LOAD { exec "$nsload" "$n"; }
	read -r ready <&"${LOAD[0]}"
	case $ready in "ready "*) ;; *) echo "nslist.sh: nsload $n failed" >&2; exit 1 ;; esac
	runs=3
	[ "$n" -ge 10000 ] && runs=1
	t_lsns=$(best_of $runs lsns)
	# nslist is cheap to repeat: always the best of 3 (the machine is
	# shared, single runs are noisy)
	t_ns=$(best_of 3 "$nslist")
	t_nofd=$(best_of 3 "$nslist" --pid-map -o PID)
	a=$(lsns -l -n -r -o NS,TYPE,NPROCS | sort)
	b=$("$nslist" -l -n -r -o NS,TYPE,NPROCS | sort)
	same=no
	[ "$a" = "$b" ] && same=yes
	printf '%8s %10s %10s %7.1fx %10s %10s %s\n' "$n" "$t_lsns" "$t_ns" \
		"$(awk -v a="$t_lsns" -v b="$t_ns" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
		"$t_nofd" "$(echo "$b" | wc -l)" "$same"
	if [ "$same" = no ]; then
		diff <(echo "$a") <(echo "$b") | head -5 | sed 's/^/    /'
	fi
	[ -n "$prev" ] && growth+="$n: $(awk -v a="$t_ns" -v b="$prev" 'BEGIN { printf "%.2fx", a / b }') "
	prev=$t_ns
	exec {LOAD[1]}>&-
	wait "$LOAD_PID" 2>/dev/null
done
echo "nslist growth per doubling: ${growth:-n/a}"
