#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsenter2.sh [BUILD-DIR] [RUNS] - median wall time of
#   nsenter2 -t PID -a true   vs   nsenter -t PID -a true   vs   raw-setns
# (and raw-setns-libs: the same floor, loading libmount like libnsutil does)
# against the same target (a process in its own mount, UTS, IPC, net, PID,
# cgroup and time namespaces), interleaved so that all three see the same
# machine load. Needs root. Prints one line per tool and the ratios.
set -euo pipefail
build=${1:-build}
runs=${2:-300}
nsenter2=$build/tools/nsenter2
raw=$build/bench/raw-setns
rawlibs=$build/bench/raw-setns-libs
[ -x "$nsenter2" ] || { echo "no $nsenter2 (build first)" >&2; exit 1; }
[ -x "$raw" ] || { echo "no $raw (build first)" >&2; exit 1; }
[ -x "$rawlibs" ] || { echo "no $rawlibs (build first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
command -v nsenter >/dev/null || { echo "needs util-linux nsenter" >&2; exit 1; }

unshare --mount --uts --ipc --net --pid --cgroup --time --fork --kill-child sleep 3600 &
job=$!
trap 'kill -KILL $job 2>/dev/null; wait $job 2>/dev/null' EXIT
for _ in $(seq 100); do
	target=$(cat /proc/$job/task/$job/children 2>/dev/null | awk '{print $1}')
	[ -n "$target" ] && [ "$(cat /proc/$target/comm)" = sleep ] && break
	sleep 0.02
done

python3 - "$runs" "$target" "$nsenter2" "$(command -v nsenter)" "$raw" "$rawlibs" <<'PY'
import os, subprocess, sys, time, statistics
runs, target = int(sys.argv[1]), sys.argv[2]
cmds = {
    "nsenter2": [sys.argv[3], "-t", target, "-a", "true"],
    "nsenter": [sys.argv[4], "-t", target, "-a", "true"],
    "raw-setns": [sys.argv[5], target, "true"],
    "raw+libs": [sys.argv[6], target, "true"],
}
times = {k: [] for k in cmds}
for name, cmd in cmds.items():  # warm up, and check each one works
    subprocess.run(cmd, check=True)
for _ in range(runs):
    for name, cmd in cmds.items():
        t0 = time.perf_counter()
        subprocess.run(cmd)
        times[name].append(time.perf_counter() - t0)
med = {k: statistics.median(v) * 1e6 for k, v in times.items()}
print(f"median of {runs} runs (us), target PID {target}:")
for k in cmds:
    print(f"  {k:10s} {med[k]:8.0f}")
print(f"  nsenter2 / raw-setns = {med['nsenter2'] / med['raw-setns']:.3f}")
print(f"  nsenter2 / raw+libs  = {med['nsenter2'] / med['raw+libs']:.3f}"
      "   (raw+libs: the floor loading libnsutil's libraries)")
print(f"  nsenter2 / nsenter   = {med['nsenter2'] / med['nsenter']:.3f}")
PY
