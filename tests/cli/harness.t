#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# harness.t - the CLI harness checks itself: isolation, residue detection,
# skip reporting and the unprivileged helper.
. "$(dirname "$0")/lib.sh"

test_isolated() {
	expect_eq "our PID in the test PID namespace" 1 "$$"
	expect_eq "propagation of /" private "$(findmnt -n -o PROPAGATION /)"
	expect_eq "/run filesystem" tmpfs "$(findmnt -n -o FSTYPE /run)"
	expect_eq "test root filesystem" tmpfs "$(findmnt -n -o FSTYPE "$NSU_TEST_ROOT")"
	case $T in "$NSU_TEST_ROOT"/*) ;; *) fail "T=$T is not under $NSU_TEST_ROOT" ;; esac
}

leave_mount() {
	mkdir x && mount -t tmpfs none x
}
leave_process() {
	sleep 1000 &
}
skip_me() {
	skip_test "because it has to"
}

test_detects_mount_residue() {
	local out
	out=$(run_test "inner" leave_mount)
	umount "$NSU_TEST_ROOT"/t.*/x 2>/dev/null
	rm -rf "$NSU_TEST_ROOT"/t.*/x
	for d in "$NSU_TEST_ROOT"/t.*; do [ "$d" = "$T" ] || rmdir "$d"; done
	echo "$out" | grep -qE '^not ok [0-9]+ - inner' || fail "no failure reported: $out"
	echo "$out" | grep -q 'residue left behind' || fail "no residue message: $out"
}

test_detects_process_residue() {
	local out
	out=$(run_test "inner" leave_process)
	pkill -KILL -x sleep
	echo "$out" | grep -qE '^not ok [0-9]+ - inner' || fail "no failure reported: $out"
	echo "$out" | grep -q 'sleep' || fail "leftover process not named: $out"
}

test_reports_skip() {
	local out
	out=$(run_test "inner" skip_me)
	case $out in "ok "*" - inner # SKIP because it has to") ;; *) fail "skip line: $out" ;; esac
}

test_as_user() {
	expect_eq "uid after setpriv" "$NSU_TEST_UID" "$(as_user id -u)"
	expect_eq "groups after setpriv" "$NSU_TEST_GID" "$(as_user id -G)"
}

run_test "tests run isolated (PID 1, private /, own /run and tmpfs)" test_isolated
run_test "a mount left behind fails the test" test_detects_mount_residue
run_test "a process left behind fails the test" test_detects_process_residue
run_test "a skipped test is reported as SKIP with its reason" test_reports_skip
run_test "as_user drops to the unprivileged test user" test_as_user
finish
