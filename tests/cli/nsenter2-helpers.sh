# SPDX-License-Identifier: LGPL-2.1-or-later
# nsenter2-helpers.sh - targets and kernel facts for the nsenter2 CLI tests
# (sourced after lib.sh).

# start_target [UNSHARE-OPTIONS...] [-- CMD...]: start CMD (default: sleep
# 1000) under unshare(1) in the background. Sets TPID (the process whose
# namespaces we enter) and TJOB (the process to kill). With --fork, TPID is
# unshare's child. Kills it when the test's subshell exits.
start_target() {
	local opts=() fork=0 i
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		[ "$1" = --fork ] && fork=1 && opts+=(--kill-child)
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	[ $# -gt 0 ] || set -- sleep 1000
	unshare "${opts[@]}" -- "$@" &
	TJOB=$!
	TPID=$TJOB
	TJOBS="${TJOBS:-} $TJOB"
	trap stop_target EXIT
	for i in $(seq 200); do
		if [ $fork = 1 ]; then
			TPID=$(cat "/proc/$TJOB/task/$TJOB/children" 2>/dev/null | awk '{print $1}')
			[ -n "$TPID" ] || TPID=$TJOB
		fi
		if [ "$TPID" != "$TJOB" ] || [ $fork = 0 ]; then
			# exec'd: the namespaces are in place
			case $(cat "/proc/$TPID/comm" 2>/dev/null) in
			unshare|"") ;;
			*) return 0 ;;
			esac
		fi
		sleep 0.02
	done
	fail "target did not start: unshare ${opts[*]} $*"
}

stop_target() {
	local j
	for j in ${TJOBS:-}; do
		kill -KILL "$j" 2>/dev/null
		wait "$j" 2>/dev/null
	done
	TJOBS=
	# a --fork child dies with its parent's PID namespace; make sure it
	# is reaped before the harness looks for residue
	sleep 0.05
}

# NS_GET_ID of namespace file PATH.
ns_id() {
	python3 -c 'import fcntl,os,struct,sys
fd = os.open(sys.argv[1], os.O_RDONLY)
b = fcntl.ioctl(fd, 0x8008b70d, b"\0" * 8)
print(struct.unpack("Q", b)[0])' "$1"
}

# Inode of the parent (NS_GET_PARENT) of namespace file PATH.
ns_parent_ino() {
	python3 -c 'import fcntl,os,sys
fd = os.open(sys.argv[1], os.O_RDONLY)
print(os.fstat(fcntl.ioctl(fd, 0xb702)).st_ino)' "$1"
}

# The pidfs inode of process PID.
pidfs_ino() {
	python3 -c 'import os,sys
print(os.fstat(os.pidfd_open(int(sys.argv[1]))).st_ino)' "$1"
}

require_nsenter2() {
	require_tool NSENTER2
}

# Run CMD with LeakSanitizer off (it cannot work under ptrace, e.g. strace)
# in the sanitizer build; a no-op elsewhere.
nsan() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"
}
