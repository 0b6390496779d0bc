#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare.sh [BUILD-DIR] [RUNS]: median launch time of
#   nsunshare -muinpCT --fork true
#   unshare -muinpCT --fork true            (util-linux)
#   raw-unshare true                        (unshare(2)+fork+exec, the floor)
# measured in the same run, interleaved, printed side by side. Needs root.
set -euo pipefail
build=${1:-build}
runs=${2:-200}
nsunshare=$build/tools/nsunshare
raw=$build/bench/raw-unshare
for p in "$nsunshare" "$raw"; do
	[ -x "$p" ] || { echo "missing $p (ninja -C $build)" >&2; exit 1; }
done
command -v unshare >/dev/null || { echo "unshare(1) not found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# one run of CMD..., in microseconds
measure() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# warm up the page cache and the kernel's namespace caches
for i in 1 2 3 4 5; do
	"$nsunshare" -muinpCT --fork true; unshare -muinpCT --fork true; "$raw" true
done
for i in $(seq "$runs"); do
	measure "$nsunshare" -muinpCT --fork true >> "$tmp/nsunshare"
	measure unshare -muinpCT --fork true >> "$tmp/unshare"
	measure "$raw" true >> "$tmp/raw"
	# start-up alone (dynamic loading, no namespaces): where the rest goes
	measure "$nsunshare" --version >> "$tmp/nsunshare-start"
	measure unshare --version >> "$tmp/unshare-start"
done
n=$(median < "$tmp/nsunshare")
u=$(median < "$tmp/unshare")
r=$(median < "$tmp/raw")
printf '%-34s %10s %10s\n' "command ($runs runs, interleaved)" "median us" "vs raw"
printf '%-34s %10d %9s%%\n' "nsunshare -muinpCT --fork true" "$n" "$(awk -v a="$n" -v b="$r" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')"
printf '%-34s %10d %9s%%\n' "unshare -muinpCT --fork true" "$u" "$(awk -v a="$u" -v b="$r" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')"
printf '%-34s %10d %10s\n' "raw-unshare true" "$r" "-"
printf '%-34s %10d\n' "start-up only: nsunshare --version" "$(median < "$tmp/nsunshare-start")"
printf '%-34s %10d\n' "start-up only: unshare --version" "$(median < "$tmp/unshare-start")"
