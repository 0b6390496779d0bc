#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare-join.t - --join: mixing joined and new namespaces, every target
# form, and the docker-style sharing.
. "$(dirname "$0")/lib.sh"

TYPES="mnt uts ipc net pid user cgroup time"
report_ns='for t in mnt uts ipc net pid user cgroup time; do echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done'

# start_target ARGS...: a process in new namespaces (unshare ARGS), its PID
# in $TARGET
start_target() {
	unshare "$@" sleep 1000 & TARGET=$!
	local i
	for i in $(seq 100); do
		[ "$(ns_ino net "$TARGET")" != "$(ns_ino net)" ] || [ "$(ns_ino uts "$TARGET")" != "$(ns_ino uts)" ] && return 0
		sleep 0.05
	done
}
stop_target() {
	kill "$TARGET" 2>/dev/null
	wait "$TARGET" 2>/dev/null
	return 0
}

# check JOINED NEW: in $T/ns, the types in JOINED are $TARGET's, those in
# NEW differ from ours and the target's, the rest are ours
check() {
	local joined=" $1 " new=" $2 " t in
	for t in $TYPES; do
		in=$(sed -n "s/^$t //p" "$T/ns")
		case $joined in
		*" $t "*) expect_eq "$t joined" "$(ns_ino "$t" "$TARGET")" "$in"; continue ;;
		esac
		case $new in
		*" $t "*) expect_ne "$t new (not ours)" "$(ns_ino "$t")" "$in"
			  expect_ne "$t new (not the target's)" "$(ns_ino "$t" "$TARGET")" "$in" ;;
		*) expect_eq "$t ours" "$(ns_ino "$t")" "$in" ;;
		esac
	done
}

test_join_pid_target() {
	start_target -n -u -i
	expect_status "--join net=PID -u" 0 "$NSUNSHARE" --join net="$TARGET" -u sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check net uts
	expect_status "--join ipc=PID --join uts=PID" 0 "$NSUNSHARE" --join ipc="$TARGET" --join uts="$TARGET" -n sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check "ipc uts" net
	stop_target
}

test_join_file_target() {
	start_target -n
	expect_status "--join net=FILE" 0 "$NSUNSHARE" --join net="/proc/$TARGET/ns/net" sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check net ""
	expect_status "a file of another type" 125 "$NSUNSHARE" --join net="/proc/$TARGET/ns/uts" true
	expect_grep "message" 'cannot open net namespace to join: .*: namespace of another type' "$T/err"
	expect_status "not a namespace file" 125 "$NSUNSHARE" --join net=/etc/passwd true
	expect_grep "message" 'not a namespace file' "$T/err"
	stop_target
}

test_join_pin_target() {
	start_target -n
	mkdir -p /run/nspin/web
	touch /run/nspin/web/net
	mount --bind "/proc/$TARGET/ns/net" /run/nspin/web/net
	expect_status "--join net=PIN" 0 "$NSUNSHARE" --join net=web -m sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	umount /run/nspin/web/net
	rm -r /run/nspin
	check net mnt
	expect_status "unknown pin" 125 "$NSUNSHARE" --join net=nosuchpin true
	stop_target
}

test_join_pid_inode() {
	start_target -n
	local ino
	# the pidfs inode of the target, as the kernel reports it for a pidfd
	ino=$(python3 -c 'import os, sys; print(os.fstat(os.pidfd_open(int(sys.argv[1]))).st_ino)' "$TARGET" 2>/dev/null)
	if [ -n "$ino" ]; then
		expect_status "PID:INODE that matches" 0 "$NSUNSHARE" --join net="$TARGET:$ino" stat -L -c %i /proc/self/ns/net
		expect_eq "joined through PID:INODE" "$(ns_ino net "$TARGET")" "$(cat "$T/out")"
	fi
	expect_status "PID:INODE that does not match" 125 "$NSUNSHARE" --join net="$TARGET:1" true
	expect_grep "message" 'replaced' "$T/err"
	expect_status "dead PID" 125 "$NSUNSHARE" --join net=4194304 true
	stop_target
}

test_join_user_first() {
	# a target with its own user namespace: joining it first lets the
	# new namespaces be owned by it
	start_target -U -r -n -u
	expect_status "--join user=PID --join net=PID -u -i" 0 "$NSUNSHARE" --join user="$TARGET" --join net="$TARGET" -u -i sh -c "$report_ns; cat /proc/self/uid_map"
	head -n 8 "$T/out" > "$T/ns"
	check "user net" "uts ipc"
	expect_eq "uid map of the joined user namespace" "0 0 1" "$(tail -n 1 "$T/out" | tr -s ' ' | sed 's/^ //')"
	stop_target
}

test_join_pid_forks() {
	start_target -p -f -n
	# unshare -f: the sleep is the child of unshare, in the new PID namespace
	local inner
	for i in $(seq 100); do inner=$(pgrep -P "$TARGET" | head -n 1); [ -n "$inner" ] && break; sleep 0.05; done
	[ -n "$inner" ] || { stop_target; fail "no process in the target PID namespace"; }
	expect_status "--join pid=PID" 0 "$NSUNSHARE" --join pid="$inner" sh -c 'stat -L -c %i /proc/self/ns/pid'
	expect_eq "pid namespace of the program" "$(ns_ino pid "$inner")" "$(cat "$T/out")"
	kill -KILL "$inner"
	stop_target
}

test_docker_style() {
	start_target -n
	expect_status "--join net=C --pid --mount --fork --mount-proc" 0 "$NSUNSHARE" --join net="$TARGET" \
		--pid --mount --fork --mount-proc sh -c "$report_ns; echo pid1 \$(cat /proc/1/comm)"
	grep -v pid1 "$T/out" > "$T/ns"
	check net "mnt pid"
	expect_grep "own /proc" '^pid1 sh$' "$T/out"
	stop_target
}

test_all_with_join() {
	start_target -n
	expect_status "-a --join net=PID" 0 "$NSUNSHARE" -a --join net="$TARGET" -f sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check net "mnt uts ipc pid user cgroup time"
	expect_status "create and join the same type" 125 "$NSUNSHARE" -n --join net="$TARGET" true
	expect_status "--join twice" 125 "$NSUNSHARE" --join net="$TARGET" --join net="$TARGET" true
	expect_status "--join without target" 125 "$NSUNSHARE" --join net= true
	stop_target
}

test_join_verbose() {
	start_target -n
	expect_status "--verbose" 0 "$NSUNSHARE" --verbose --join net="$TARGET" -u true
	expect_grep "joined" "^nsunshare: joined net namespace $(ns_ino net "$TARGET")$" "$T/err"
	expect_grep "created" '^nsunshare: created uts namespace [0-9]+$' "$T/err"
	stop_target
}

test_join_fd_hygiene() {
	start_target -n
	bash -c 'exec 5</dev/null; exec "$@"' - "$NSUNSHARE" --join net="$TARGET" -u -f sh -c 'ls /proc/$$/fd; true' > "$T/fds"
	expect_eq "fds of the program" "0 1 2 " "$(tr '\n' ' ' < "$T/fds")"
	stop_target
}

run_test "--join TYPE=PID shares exactly the joined types" test_join_pid_target
run_test "--join TYPE=FILE, and files of the wrong kind" test_join_file_target
run_test "--join TYPE=PIN-NAME" test_join_pin_target
run_test "--join TYPE=PID:INODE joins the right process, refuses a replaced one" test_join_pid_inode
run_test "the user namespace is joined first" test_join_user_first
run_test "--join pid implies --fork" test_join_pid_forks
run_test "docker-style: --join net, new pid and mount, own /proc" test_docker_style
run_test "-a with --join, and conflicting requests" test_all_with_join
run_test "--verbose reports joined and created namespaces" test_join_verbose
run_test "only fds 0-2 reach the program when joining" test_join_fd_hygiene
finish
