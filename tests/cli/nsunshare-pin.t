#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare-pin.t - --pin NAME: every created namespace pinned in nspin's
# registry, in the same transaction (all or nothing).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nspin-lib.sh"

unpin() {
	"$NSPIN" rm "$1" >/dev/null 2>&1 || fail "nspin rm $1 failed"
}

test_pin_created() {
	require_tool NSPIN
	expect_status "--pin web -n -u" 0 "$NSUNSHARE" --pin web -n -u sh -c 'stat -L -c %i /proc/self/ns/net /proc/self/ns/uts'
	expect_eq "net pin is the program's" "$(head -n 1 "$T/out")" "$(stat -L -c %i "$(pin_path web net)")"
	expect_eq "uts pin is the program's" "$(tail -n 1 "$T/out")" "$(stat -L -c %i "$(pin_path web uts)")"
	expect_eq "nsfs mount" nsfs "$(findmnt -n -o FSTYPE "$(pin_path web net)")"
	# and it can be joined by name
	expect_status "--join net=web" 0 "$NSUNSHARE" --join net=web -m stat -L -c %i /proc/self/ns/net
	expect_eq "joined by pin name" "$(head -n 1 "$T/out")" "$(cat "$T/out")"
	unpin web
}

test_pin_pid_and_mnt() {
	require_tool NSPIN
	expect_status "--pin with pid and mount" 0 "$NSUNSHARE" --pin box -p -m -f --mount-proc sh -c 'stat -L -c %i /proc/self/ns/pid /proc/self/ns/mnt'
	expect_eq "pid pin is the program's PID namespace" "$(head -n 1 "$T/out")" "$(stat -L -c %i "$(pin_path box pid)")"
	expect_eq "mnt pin is the program's mount namespace" "$(tail -n 1 "$T/out")" "$(stat -L -c %i "$(pin_path box mnt)")"
	unpin box
	expect_status "pid pin without --fork" 125 "$NSUNSHARE" --pin box -p true
	[ -e /run/nspin/box ] && fail "registry entry left"
	return 0
}

test_pin_exists() {
	require_tool NSPIN
	"$NSPIN" add taken -t uts --new || fail "nspin add"
	expect_status "name already taken" 125 "$NSUNSHARE" --pin taken -n true
	expect_grep "message" '^nsunshare: cannot pin' "$T/err"
	expect_eq "one line" 1 "$(wc -l < "$T/err")"
	expect_eq "the existing pin untouched" "uts" "$(ls /run/nspin/taken | tr '\n' ' ' | sed 's/ $//')"
	unpin taken
}

test_pin_rollback() {
	require_tool NSPIN
	# the child fails after the namespaces exist: nothing stays pinned
	expect_status "failing child" 125 "$NSUNSHARE" --pin gone -n -u -f -w "$T/nope" true
	[ -e /run/nspin/gone ] && { unpin gone; fail "pin left after a failure"; }
	# a persist bind that fails after the pin was requested
	touch "$T/net"
	expect_status "failing bind" 125 "$NSUNSHARE" --pin gone2 -n --cgroup=/proc/self/ns/ipc true
	[ -e /run/nspin/gone2 ] && { unpin gone2; fail "pin left after a failed bind"; }
	expect_status "invalid pin name" 125 "$NSUNSHARE" --pin a/b -n true
	return 0
}

nspin_prepare_registry
run_test "--pin pins every created namespace, joinable by name" test_pin_created
run_test "--pin with PID (needs --fork) and mount namespaces" test_pin_pid_and_mnt
run_test "--pin refuses an existing name" test_pin_exists
run_test "--pin leaves nothing when something fails" test_pin_rollback
finish
