#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsenter2-safety.t - the errors, exit statuses and security rules of
# nsenter2 (SECURITY.md 1-9, 19-23): exit 125 with one clear line and
# nothing run, status pass-through, closed stdio, PID reuse, fd leaks,
# PR_SET_DUMPABLE ordering, unprivileged joins.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nsenter2-helpers.sh"

# expect_refused WHAT PATTERN ARGS...: nsenter2 ARGS touch $T/ran must exit
# 125 with exactly one line on stderr matching PATTERN, and run nothing.
expect_refused() {
	local what=$1 pat=$2
	shift 2
	"$NSENTER2" "$@" touch "$T/ran" > "$T/out" 2> "$T/err"
	rc=$?
	[ $rc = 125 ] || fail "$what: exit status $rc, expected 125: $(cat "$T/err")"
	[ ! -e "$T/ran" ] || fail "$what: the program ran"
	expect_grep "$what" "$pat" "$T/err"
	# one line (plus the "Try --help" line of usage errors)
	[ "$(grep -vc '^Try ' "$T/err")" = 1 ] || fail "$what: more than one line: $(cat "$T/err")"
}

test_errors() {
	require_nsenter2
	start_target --net
	touch "$T/regular"
	mkdir "$T/dir"
	expect_refused "no namespace" "no namespace specified" -t "$TPID"
	expect_refused "no namespace, no target" "no namespace specified"
	expect_refused "no target" "no target: --net needs -t PID" -n
	expect_refused "unknown PID" "target PID 4000000: no such process" -t 4000000 -n
	expect_refused "bad PID" "invalid target '12x'" -t 12x -n
	expect_refused "target twice" "--target given twice" -t "$TPID" -t "$TPID" -n
	expect_refused "wrong type" "--net=/proc/$TPID/ns/uts: uts namespace file, not net" "--net=/proc/$TPID/ns/uts"
	expect_refused "regular file" "--net=$T/regular: not a namespace file.*stale pin" "--net=$T/regular"
	expect_refused "directory" "--uts=$T/dir: not a namespace file.*stale pin" "--uts=$T/dir"
	expect_refused "missing file" "--ipc=$T/nosuch: No such file" "--ipc=$T/nosuch"
	expect_refused "-w and -W" "mutually exclusive" -t "$TPID" -m -w -W /
	expect_refused "SELinux" "not supported: built without SELinux" -t "$TPID" -n -Z
}

test_nothing_joined_on_failure() {
	require_nsenter2
	# the second namespace cannot be opened: the first must not have been
	# entered (the program never runs, and nsenter2 never called setns)
	command -v strace >/dev/null || skip_test "strace is not installed"
	start_target --net
	nsan strace -f -e trace=setns -o "$T/trace" "$NSENTER2" -t "$TPID" -n --uts="$T" touch "$T/ran" 2>/dev/null
	expect_eq "exit status" 125 "$?"
	[ ! -e "$T/ran" ] || fail "the program ran"
	grep -q 'setns(' "$T/trace" && fail "setns was called: $(cat "$T/trace")"
	return 0
}

test_exit_status() {
	require_nsenter2
	start_target --net --pid --fork
	expect_status "exit 7 (no fork)" 7 "$NSENTER2" -t "$TPID" -n sh -c 'exit 7'
	expect_status "exit 7 (fork)" 7 "$NSENTER2" -t "$TPID" -p sh -c 'exit 7'
	bash -c '"$0" -t "$1" -p sh -c "kill -KILL \$\$"; echo $? > "$2"' "$NSENTER2" "$TPID" "$T/st" 2>/dev/null
	expect_eq "killed by SIGKILL (fork)" 137 "$(cat "$T/st")"
	bash -c '"$0" -t "$1" -n sh -c "kill -KILL \$\$"; echo $? > "$2"' "$NSENTER2" "$TPID" "$T/st" 2>/dev/null
	expect_eq "killed by SIGKILL (no fork)" 137 "$(cat "$T/st")"
	expect_status "not found" 127 "$NSENTER2" -t "$TPID" -n /nonexistent/prog
	printf '#!/bin/sh\nexit 0\n' > "$T/noexec"
	chmod 644 "$T/noexec"
	expect_status "not executable" 126 "$NSENTER2" -t "$TPID" -n "$T/noexec"
	expect_status "not found after fork" 127 "$NSENTER2" -t "$TPID" -p /nonexistent/prog
}

test_signal_forwarding() {
	require_nsenter2
	start_target --pid --fork
	"$NSENTER2" -t "$TPID" -p sh -c 'trap "exit 42" TERM; echo ready > "$0"; while :; do sleep 0.05; done' "$T/ready" &
	pid=$!
	for i in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.05; done
	kill -TERM "$pid"
	wait "$pid"
	expect_eq "SIGTERM forwarded, child's status passed on" 42 "$?"
}

test_stop_continue() {
	require_nsenter2
	start_target --pid --fork
	# the program stops itself; nsenter2 (its parent) must stop too, and
	# continue it when continued
	"$NSENTER2" -t "$TPID" -p sh -c 'kill -STOP $$; exit 5' &
	pid=$!
	for i in $(seq 200); do
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
		sleep 0.02
	done
	expect_eq "nsenter2 stopped with its program" T "$(awk '{print $3}' "/proc/$pid/stat")"
	kill -CONT "$pid"
	wait "$pid"
	expect_eq "program continued and its status passed on" 5 "$?"
}

test_closed_stdio() {
	require_nsenter2
	start_target --net
	# a closed stdin once made a namespace fd land on fd 0 and nsenter
	# skipped the join: we must still really enter
	"$NSENTER2" -t "$TPID" -n sh -c "stat -L -c %i /proc/self/ns/net > '$T/ino'" <&- >&- 2>&-
	expect_eq "exit status with stdio closed" 0 "$?"
	expect_eq "net namespace with stdio closed" "$(ns_ino net "$TPID")" "$(cat "$T/ino")"
	"$NSENTER2" "--net=/proc/$TPID/ns/net" sh -c "stat -L -c %i /proc/self/ns/net > '$T/ino2'" <&-
	expect_eq "per-fd join with stdin closed" "$(ns_ino net "$TPID")" "$(cat "$T/ino2")"
}

test_pid_inode() {
	require_nsenter2
	start_target --net
	ino=$(pidfs_ino "$TPID") || skip_test "no pidfds in python3"
	out=$("$NSENTER2" -t "$TPID:$ino" -n stat -L -c %i /proc/self/ns/net) || fail "PID:INODE refused"
	expect_eq "entered with PID:INODE" "$(ns_ino net "$TPID")" "$out"
	expect_refused "PID:INODE mismatch" "target $TPID:$((ino + 1)): target exited or was replaced" -t "$TPID:$((ino + 1))" -n
}

test_pid_reuse() {
	require_nsenter2
	start_target --net
	old=$TPID
	ino=$(pidfs_ino "$old") || skip_test "no pidfds in python3"
	stop_target
	expect_refused "dead PID:INODE" "no such process|exited or was replaced" -t "$old:$ino" -n
	# Make the kernel hand out the same PID again (ns_last_pid, we are
	# root in this PID namespace), and the stored PID:INODE must not
	# reach the new process.
	for try in 1 2 3 4 5; do
		echo $((old - 1)) > /proc/sys/kernel/ns_last_pid 2>/dev/null ||
			skip_test "cannot write ns_last_pid"
		unshare --net sleep 1000 &
		TJOBS="$!"
		[ "$!" = "$old" ] && break
		stop_target
	done
	[ "${TJOBS// /}" = "$old" ] || skip_test "could not get PID $old again"
	for i in $(seq 100); do [ "$(cat /proc/$old/comm)" = sleep ] && break; sleep 0.02; done
	expect_refused "reused PID with the old inode" "target $old:$ino: target exited or was replaced" -t "$old:$ino" -n
	# the plain PID names the new process, as it should
	out=$("$NSENTER2" -t "$old" -n stat -L -c %i /proc/self/ns/net)
	expect_eq "plain PID enters the new process" "$(ns_ino net "$old")" "$out"
}

# The fds the program sees: sh passes all of its fds on to ls, which lists
# them plus its own directory fd (the same in every run).
list_fds='ls /proc/self/fd > "$0"'

test_fd_leak() {
	require_nsenter2
	local cg2 dir want got
	start_target --net --uts --mount --pid --fork -- env -i FOO=1 "$(command -v sleep)" 1000
	mkdir -p "$T/pins/p"
	touch "$T/pins/p/net"
	mount --bind "/proc/$TPID/ns/net" "$T/pins/p/net"
	trap 'umount "$T/pins/p/net" 2>/dev/null; stop_target' EXIT
	exec 7< /dev/null      # a descriptor the caller passes on
	sh -c "$list_fds" "$T/want"
	want=$(sort -n "$T/want" | tr '\n' ' ')
	case " $want " in *" 7 "*) ;; *) fail "test set-up: fd 7 not inherited: $want" ;; esac
	for mode in "-n" "-a" "-p" "-p -F" "--net=/proc/$TPID/ns/net" "-m -r -w" "-n -e" \
		    "--pinned $T/pins/p" "-u --wd=/ --verbose" "-n -S 0 -G 0"; do
		# shellcheck disable=SC2086
		"$NSENTER2" -t "$TPID" $mode sh -c "$list_fds" "$T/got" 2>&1 || fail "mode '$mode' failed"
		got=$(sort -n "$T/got" | tr '\n' ' ')
		[ "$got" = "$want" ] || fail "mode '$mode': fds '$got', expected '$want'"
	done
	umount "$T/pins/p/net"
	exec 7<&-
}

test_dumpable_before_setns() {
	require_nsenter2
	command -v strace >/dev/null || skip_test "strace is not installed"
	start_target --net --uts --ipc
	for mode in "-a" "-n -u" "--net=/proc/$TPID/ns/net --uts=/proc/$TPID/ns/uts"; do
		# shellcheck disable=SC2086
		nsan strace -f -e trace=prctl,setns -o "$T/trace" "$NSENTER2" -t "$TPID" $mode true ||
			fail "nsenter2 $mode under strace"
		first_setns=$(grep -n 'setns(' "$T/trace" | head -1 | cut -d: -f1)
		dumpable=$(grep -nE 'PR_SET_DUMPABLE, (0|SUID_DUMP_DISABLE)\)' "$T/trace" | head -1 | cut -d: -f1)
		[ -n "$first_setns" ] || fail "$mode: no setns in trace"
		[ -n "$dumpable" ] || fail "$mode: no PR_SET_DUMPABLE 0 in trace: $(cat "$T/trace")"
		[ "$dumpable" -lt "$first_setns" ] || fail "$mode: PR_SET_DUMPABLE after setns: $(cat "$T/trace")"
	done
	# a whole target: one setns(pidfd, mask) call, all or nothing
	nsan strace -f -e trace=setns -o "$T/trace" "$NSENTER2" -t "$TPID" -a true || fail "-a under strace"
	expect_eq "setns calls for -a" 1 "$(grep -c 'setns(' "$T/trace")"
	expect_grep "setns with the flags of the types" "setns\([0-9]+, CLONE_NEWUTS\|CLONE_NEWIPC\|CLONE_NEWNET\) = 0" "$T/trace"
}

test_unprivileged_own_userns() {
	require_nsenter2
	have_unpriv_userns || skip_test "unprivileged user namespaces are not allowed here"
	# setpriv itself in the background (as_user is a function: its $!
	# would be a root subshell)
	setpriv --reuid="$NSU_TEST_UID" --regid="$NSU_TEST_GID" --clear-groups \
		--inh-caps=-all unshare --user --map-root-user --net --uts sleep 1000 &
	TJOBS=$!; TPID=$!; trap stop_target EXIT
	for i in $(seq 100); do [ "$(cat /proc/$TPID/comm)" = sleep ] && break; sleep 0.02; done
	out=$(as_user "$NSENTER2" -t "$TPID" -a sh -c 'echo $(id -u); stat -L -c %i /proc/self/ns/user /proc/self/ns/net') ||
		fail "unprivileged -a: $out"
	expect_eq "uid 0 inside, user and net of the target" "0
$(ns_ino user "$TPID")
$(ns_ino net "$TPID")" "$out"
	# per-fd, from files: the user namespace must be joined first
	out=$(as_user "$NSENTER2" "--net=/proc/$TPID/ns/net" "--user=/proc/$TPID/ns/user" stat -L -c %i /proc/self/ns/net) ||
		fail "unprivileged per-fd join: $out"
	expect_eq "per-fd net" "$(ns_ino net "$TPID")" "$out"
}

test_root_joins_user_last() {
	require_nsenter2
	# root enters a container's user namespace plus a network namespace
	# owned by the initial one: only possible if the user namespace is
	# joined last
	start_target --user --map-root-user
	upid=$TPID
	start_target --net
	out=$("$NSENTER2" "--user=/proc/$upid/ns/user" "--net=/proc/$TPID/ns/net" sh -c 'stat -L -c %i /proc/self/ns/user /proc/self/ns/net') ||
		fail "root per-fd join: $out"
	expect_eq "user and net" "$(ns_ino user "$upid")
$(ns_ino net "$TPID")" "$out"
}

test_unprivileged_eperm() {
	require_nsenter2
	start_target --net
	# a root-owned target: refused at the open (no ptrace access)
	as_user "$NSENTER2" -t "$TPID" -n touch "$T/ran" 2> "$T/err"
	expect_eq "exit status" 125 "$?"
	expect_grep "names the namespace, target and owner" "cannot open the net namespace of target $TPID \(a process of uid 0\): Permission denied" "$T/err"
	# a root-owned namespace file the user can open: refused by setns
	chmod 755 "$T"
	touch "$T/pin"
	chmod 644 "$T/pin"
	mount --bind "/proc/$TPID/ns/net" "$T/pin"
	as_user "$NSENTER2" --net="$T/pin" touch "$T/ran" 2> "$T/err"
	rc=$?
	umount "$T/pin"
	expect_eq "exit status (setns)" 125 "$rc"
	[ ! -e "$T/ran" ] || fail "the program ran"
	expect_grep "setns EPERM message" "cannot enter net namespace $(stat -L -c %i /proc/$TPID/ns/net) \(from $T/pin, owned by uid 0\): Operation not permitted" "$T/err"
}

run_test "errors: exit 125, one line, nothing run" test_errors
run_test "a failing open joins nothing (no setns at all)" test_nothing_joined_on_failure
run_test "exit status passes through (7, SIGKILL 137, 126, 127)" test_exit_status
run_test "SIGTERM is forwarded to the forked program" test_signal_forwarding
run_test "stop and continue are mirrored (fork)" test_stop_continue
run_test "closed stdin/stdout/stderr: still really enters" test_closed_stdio
run_test "PID:INODE enters, a mismatch is refused" test_pid_inode
run_test "PID reuse: a dead or replaced PID:INODE is refused" test_pid_reuse
run_test "no fd leaks: the program sees 0-2 and what the caller passed" test_fd_leak
run_test "PR_SET_DUMPABLE 0 before the first setns; one setns for -a" test_dumpable_before_setns
run_test "unprivileged: enter a user namespace of our own" test_unprivileged_own_userns
run_test "root: user namespace joined last (per fd)" test_root_joins_user_last
run_test "unprivileged: EPERM names namespace and owner uid" test_unprivileged_eperm
finish
