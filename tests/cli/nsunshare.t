#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare.t - creating namespaces: each type, fork, exit statuses, signals,
# mounts and propagation, root/wd/ids, time offsets, environment, shell.
. "$(dirname "$0")/lib.sh"

TYPES="mnt uts ipc net pid user cgroup time"

test_help_version() {
	expect_status "--help" 0 "$NSUNSHARE" --help
	expect_grep "usage line" '^ nsunshare \[options\]' "$T/out"
	expect_grep "man page pointer" 'nsunshare\(1\)' "$T/out"
	expect_status "--version" 0 "$NSUNSHARE" --version
	expect_grep "version" '^nsunshare from nsutil ' "$T/out"
	expect_status "unknown option" 125 "$NSUNSHARE" --bogus true
	expect_grep "try line" "^Try 'nsunshare --help' for more information" "$T/err"
	expect_status "bad propagation" 125 "$NSUNSHARE" -m --propagation everywhere true
	expect_status "bad setgroups" 125 "$NSUNSHARE" -U --setgroups maybe true
}

# check_types NEW: the program's namespaces of the types in NEW differ from
# ours, the others are ours
check_types() {
	local new=" $1 " t in out
	for t in $TYPES; do
		in=$(sed -n "s/^$t //p" "$T/ns")
		out=$(ns_ino "$t")
		[ -n "$in" ] || fail "no $t inode reported"
		case $new in
		*" $t "*) expect_ne "$t namespace inside" "$out" "$in" ;;
		*) expect_eq "$t namespace inside" "$out" "$in" ;;
		esac
	done
}

report_ns='for t in mnt uts ipc net pid user cgroup time; do echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done'

test_each_type() {
	local opt t
	for opt in -m:mnt -u:uts -i:ipc -n:net -C:cgroup -U:user; do
		t=${opt#*:}
		expect_status "nsunshare ${opt%%:*}" 0 "$NSUNSHARE" "${opt%%:*}" sh -c "$report_ns"
		cp "$T/out" "$T/ns"
		check_types "$t"
	done
	# pid and time namespaces hold the children (or the program after
	# exec, for time)
	expect_status "nsunshare -p -f" 0 "$NSUNSHARE" -p -f sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check_types pid
	expect_status "nsunshare -T" 0 "$NSUNSHARE" -T sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check_types time
}

test_long_options() {
	expect_status "all long options" 0 "$NSUNSHARE" --mount --uts --ipc --net \
		--pid --user --cgroup --time --fork sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check_types "$TYPES"
}

test_all_and_share() {
	expect_status "-a -f" 0 "$NSUNSHARE" -a -f sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check_types "$TYPES"
	expect_status "-a --share net,pid,user" 0 "$NSUNSHARE" -a --share net,pid,user -f sh -c "$report_ns"
	cp "$T/out" "$T/ns"
	check_types "mnt uts ipc cgroup time"
	expect_status "--share with a bad type" 125 "$NSUNSHARE" -a --share net,bogus true
}

test_fork_pid() {
	expect_status "pid in new PID namespace" 0 "$NSUNSHARE" -p -f sh -c 'echo $$'
	expect_eq "PID of the program" 1 "$(cat "$T/out")"
	expect_status "without --fork the program keeps its PID namespace" 0 \
		"$NSUNSHARE" -p stat -L -c %i /proc/self/ns/pid
	expect_eq "pid namespace" "$(ns_ino pid)" "$(cat "$T/out")"
}

test_exit_status() {
	expect_status "program's status" 3 "$NSUNSHARE" -n sh -c 'exit 3'
	expect_status "program's status with --fork" 3 "$NSUNSHARE" -n -f sh -c 'exit 3'
	expect_status "killed by TERM" 143 "$NSUNSHARE" -f sh -c 'kill -TERM $$'
	expect_status "killed by KILL" 137 "$NSUNSHARE" -n -f sh -c 'kill -KILL $$'
	expect_status "not found" 127 "$NSUNSHARE" -n /nonexistent/program
	expect_grep "not found message" '^nsunshare: failed to execute /nonexistent/program: No such file' "$T/err"
	expect_status "not executable" 126 "$NSUNSHARE" -n /etc/passwd
	expect_status "not found with --fork" 127 "$NSUNSHARE" -f -n /nonexistent/program
	expect_status "own error" 125 "$NSUNSHARE" --map-users=1:2 true
}

test_dies_of_signal() {
	# nsunshare itself dies of the child's signal, as the shell sees it
	bash -c "\"$NSUNSHARE\" -f sh -c 'kill -USR1 \$\$'; echo \$? > \"$T/rc\""
	expect_eq "status of nsunshare killed by USR1" 138 "$(cat "$T/rc")"
}

# start_bg FILE ARGS...: start nsunshare in the background with job control
# (so SIGINT is not ignored), wait until the program wrote FILE
wait_file() {
	local i
	for i in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done
	fail "timed out waiting for $1"
}

trap_prog='trap "exit 7" TERM; trap "exit 8" INT; trap "exit 9" USR1; echo ready > "$T/ready"; while :; do sleep 0.05; done'

test_forward_term() {
	local pid rc
	set -m
	"$NSUNSHARE" -f -n sh -c "$trap_prog" & pid=$!
	wait_file "$T/ready"
	kill -TERM "$pid"
	wait "$pid"; rc=$?
	expect_eq "status after forwarded TERM" 7 "$rc"
}

test_forward_usr1() {
	local pid rc
	set -m
	"$NSUNSHARE" -f sh -c "$trap_prog" & pid=$!
	wait_file "$T/ready"
	kill -USR1 "$pid"
	wait "$pid"; rc=$?
	expect_eq "status after forwarded USR1" 9 "$rc"
}

test_forward_hup_usr2() {
	local pid rc sig
	set -m
	for sig in HUP USR2; do
		"$NSUNSHARE" -f sh -c "trap 'exit 11' $sig; echo ready > \"\$T/ready\"; while :; do sleep 0.05; done" & pid=$!
		wait_file "$T/ready"
		kill -"$sig" "$pid"
		wait "$pid"; rc=$?
		rm -f "$T/ready"
		expect_eq "status after forwarded $sig" 11 "$rc"
	done
}

test_int_not_forwarded() {
	local pid rc
	set -m
	"$NSUNSHARE" -f sh -c "$trap_prog" & pid=$!
	wait_file "$T/ready"
	kill -INT "$pid"
	sleep 0.3
	kill -0 "$pid" 2>/dev/null || fail "nsunshare died of SIGINT"
	kill -TERM "$pid"
	wait "$pid"; rc=$?
	expect_eq "INT swallowed, TERM forwarded" 7 "$rc"
}

test_forward_signals_int() {
	local pid rc
	set -m
	"$NSUNSHARE" --forward-signals sh -c "$trap_prog" & pid=$!
	wait_file "$T/ready"
	kill -INT "$pid"
	wait "$pid"; rc=$?
	expect_eq "status after forwarded INT (--forward-signals implies --fork)" 8 "$rc"
}

# child_of PID NAME: the PID of PID's child running NAME (by name: a
# sanitizer build briefly has a helper child of its own)
child_of() {
	local i c
	for i in $(seq 200); do
		c=$(pgrep -P "$1" -x "$2" | head -n 1)
		[ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.05
	done
	return 1
}

wait_gone() {
	local i
	for i in $(seq 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
	return 1
}

test_kill_child() {
	local pid child
	"$NSUNSHARE" --kill-child -p sleep 1000 & pid=$!
	child=$(child_of "$pid" sleep) || fail "no child"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	wait_gone "$child" || { kill -KILL "$child"; fail "child survived nsunshare's death"; }
}

test_kill_child_signal() {
	local pid child
	"$NSUNSHARE" --kill-child=TERM -f sh -c "trap 'echo got-term > \"$T/sig\"; exit 0' TERM; while :; do sleep 0.05; done" & pid=$!
	child=$(child_of "$pid" sh) || fail "no child"
	sleep 0.2
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	wait_gone "$child" || { kill -KILL "$child"; fail "child survived"; }
	expect_eq "signal the child got" got-term "$(cat "$T/sig" 2>/dev/null)"
	expect_status "unknown signal name" 125 "$NSUNSHARE" --kill-child=NOPE true
}

test_no_kill_child() {
	local pid child
	"$NSUNSHARE" -f sleep 1000 & pid=$!
	child=$(child_of "$pid" sleep) || fail "no child"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	sleep 0.2
	kill -0 "$child" 2>/dev/null || fail "child died without --kill-child"
	kill -KILL "$child"
	wait_gone "$child"
}

test_mount_proc() {
	expect_status "--mount-proc" 0 "$NSUNSHARE" -p -f --mount-proc sh -c \
		"cat /proc/1/comm; test -e /proc/$BASHPID && echo outside-visible; true"
	expect_eq "the new /proc" "sh" "$(cat "$T/out")"
	mkdir "$T/p"
	expect_status "--mount-proc=DIR" 0 "$NSUNSHARE" -p -f --mount-proc="$T/p" sh -c "cat '$T/p/1/comm'"
	expect_eq "init of the new PID namespace" sh "$(cat "$T/out")"
	expect_eq "nothing mounted outside" "" "$(findmnt -n "$T/p")"
}

# Mount propagation is observed from a private copy of our mount table
# whose / is shared, so that a leak would be visible.
test_propagation() {
	mkdir "$T/m"
	unshare -m --propagation unchanged bash -c '
		set -e
		mount --make-rshared /
		"$NSUNSHARE" -m findmnt -n -o PROPAGATION / > "$T/default"
		"$NSUNSHARE" -m --propagation shared findmnt -n -o PROPAGATION / > "$T/shared"
		"$NSUNSHARE" -m --propagation slave findmnt -n -o PROPAGATION / > "$T/slave"
		unshare -m --propagation slave findmnt -n -o PROPAGATION / > "$T/slave-ref"
		"$NSUNSHARE" -m --propagation unchanged findmnt -n -o PROPAGATION / > "$T/unchanged"
		"$NSUNSHARE" -m mount -t tmpfs inner "$T/m"
		findmnt -n -o SOURCE "$T/m" > "$T/private-leak" || true
		"$NSUNSHARE" -m --propagation shared mount -t tmpfs inner "$T/m"
		findmnt -n -o SOURCE "$T/m" > "$T/shared-leak" || true
		umount "$T/m" || true
	' || fail "propagation run failed"
	expect_eq "default propagation" private "$(cat "$T/default")"
	expect_eq "--propagation shared" shared "$(cat "$T/shared")"
	# findmnt calls a slave that is not also shared "private,slave"
	expect_eq "--propagation slave (as unshare(1))" "$(cat "$T/slave-ref")" "$(cat "$T/slave")"
	expect_grep "--propagation slave" slave "$T/slave"
	expect_eq "--propagation unchanged" shared "$(cat "$T/unchanged")"
	expect_eq "a private mount inside is not visible outside" "" "$(cat "$T/private-leak")"
	expect_eq "a shared mount inside is visible outside" inner "$(cat "$T/shared-leak")"
}

test_root_wd() {
	mkdir -p "$T/root/bin" "$T/root/sub" "$T/root/lib" "$T/root/lib64" "$T/root/usr"
	mount --bind /usr "$T/root/usr"
	for d in bin lib lib64; do [ -L /$d ] && { rmdir "$T/root/$d"; ln -s "usr/$d" "$T/root/$d"; }; done
	expect_status "--root" 0 "$NSUNSHARE" -R "$T/root" /bin/sh -c 'pwd; ls /'
	expect_eq "cwd after --root" / "$(head -n 1 "$T/out")"
	expect_grep "root listing" '^sub$' "$T/out"
	expect_status "--root --wd" 0 "$NSUNSHARE" -R "$T/root" -w /sub /bin/sh -c pwd
	expect_eq "cwd after --root --wd" /sub "$(cat "$T/out")"
	expect_status "--wd" 0 "$NSUNSHARE" -w "$T/root/sub" pwd
	expect_eq "cwd after --wd" "$T/root/sub" "$(cat "$T/out")"
	expect_status "--wd missing" 125 "$NSUNSHARE" -w "$T/nope" pwd
	expect_grep "error names the directory" "^nsunshare: cannot change directory: $T/nope: No such file" "$T/err"
	umount "$T/root/usr"
}

test_setuid_setgid() {
	expect_status "-S -G" 0 "$NSUNSHARE" -S 65534 -G 65534 sh -c 'id -u; id -g; id -G'
	expect_eq "ids" "65534 65534 65534" "$(tr '\n' ' ' < "$T/out" | sed 's/ $//')"
	expect_status "-r -S 0" 0 "$NSUNSHARE" -r -S 0 id -u
	expect_eq "uid" 0 "$(cat "$T/out")"
	expect_status "bad uid" 125 "$NSUNSHARE" -S nobody true
}

test_time_offsets() {
	local out_up in_up
	expect_status "--monotonic --boottime" 0 "$NSUNSHARE" -T --monotonic 1000 --boottime=86400 cat /proc/self/timens_offsets
	expect_grep "monotonic offset" '^monotonic +1000 +0$' "$T/out"
	expect_grep "boottime offset" '^boottime +86400 +0$' "$T/out"
	out_up=$(cut -d. -f1 /proc/uptime)
	in_up=$("$NSUNSHARE" -T --boottime 86400 cut -d. -f1 /proc/uptime)
	[ $((in_up - out_up)) -ge 86400 ] && [ $((in_up - out_up)) -le 86460 ] ||
		fail "uptime inside $in_up, outside $out_up"
	expect_status "negative offset" 0 "$NSUNSHARE" -T --monotonic=-5 cat /proc/self/timens_offsets
	expect_grep "negative monotonic offset" '^monotonic +-5 +0$' "$T/out"
	expect_status "offset without -T" 125 "$NSUNSHARE" --monotonic 5 true
	expect_grep "message" 'need a new time namespace' "$T/err"
	expect_status "bad offset" 125 "$NSUNSHARE" -T --boottime 1x true
}

test_env() {
	expect_status "--clear-env" 0 env FOO=1 "$NSUNSHARE" --clear-env /usr/bin/env
	expect_eq "environment" "" "$(cat "$T/out")"
	expect_status "--whitelist-env" 0 env -i FOO=1 BAR=2 BAZ=3 "$NSUNSHARE" --whitelist-env FOO,BAZ,NOPE /usr/bin/env
	expect_eq "environment" "FOO=1 BAZ=3" "$(sort -r "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "environment kept by default" 0 env FOO=1 "$NSUNSHARE" -n /usr/bin/env
	expect_grep "FOO kept" '^FOO=1$' "$T/out"
}

test_shell() {
	echo 'echo "$0"' | SHELL=/bin/bash "$NSUNSHARE" -u > "$T/out" 2>/dev/null
	expect_eq "login shell from \$SHELL" -bash "$(tail -n 1 "$T/out")"
	echo 'echo "$0"' | env -u SHELL "$NSUNSHARE" -u > "$T/out" 2>/dev/null
	expect_eq "root's shell from passwd" "-$(basename "$(getent passwd root | cut -d: -f7)")" "$(tail -n 1 "$T/out")"
}

test_verbose() {
	expect_status "--verbose" 0 "$NSUNSHARE" --verbose -n -u sh -c 'stat -L -c %i /proc/self/ns/net'
	expect_grep "created net namespace" "^nsunshare: created net namespace $(cat "$T/out")$" "$T/err"
	expect_grep "created uts namespace" '^nsunshare: created uts namespace [0-9]+$' "$T/err"
}

test_bad_input_leaves_nothing() {
	expect_status "persist file missing" 125 "$NSUNSHARE" --net="$T/missing" true
	expect_grep "names the file" "missing" "$T/err"
	[ -e "$T/missing" ] && fail "file created"
	touch "$T/pidns"
	expect_status "pid persist without fork" 125 "$NSUNSHARE" --pid="$T/pidns" true
	expect_eq "nothing mounted" "" "$(findmnt -n "$T/pidns")"
	expect_status "malformed map" 125 "$NSUNSHARE" --map-users=0:1:0 true
	expect_status "overlapping map" 125 "$NSUNSHARE" --map-users=0:1000:10 --map-users=5:2000:10 true
	expect_grep "overlap message" 'overlapping' "$T/err"
	expect_status "setgroups allow with -r" 125 "$NSUNSHARE" -r --setgroups allow true
	expect_status "unknown join type" 125 "$NSUNSHARE" --join bogus=1 true
	expect_status "empty persist file" 125 "$NSUNSHARE" --net= true
}

test_fd_hygiene() {
	local mode
	touch "$T/ns-net"
	for mode in "-n" "-n -f" "-r -f" "-U -n --net=$T/ns-net" "-p -f --mount-proc"; do
		# extra fds in the caller, and nsunshare's own must not leak
		# shellcheck disable=SC2086
		bash -c "exec 5</dev/null 7>\"$T/seven\"; exec \"\$@\"" - \
			"$NSUNSHARE" $mode sh -c 'ls /proc/$$/fd; true' > "$T/fds" 2>"$T/err" ||
			{ cat "$T/err"; fail "run failed ($mode)"; }
		expect_eq "fds of the program ($mode)" "0 1 2 " "$(tr '\n' ' ' < "$T/fds")"
		findmnt -n "$T/ns-net" >/dev/null && umount "$T/ns-net"
	done
	# started with stdin and stdout closed: nothing of ours lands on 0 or 1
	# (the helper keeps its original stdout as fd 3 and writes to stderr)
	"$NSUNSHARE" -n -f sh -c 'exec 3>&1 1>&2; readlink /proc/$$/fd/0 /proc/$$/fd/3; ls /proc/$$/fd; true' <&- >&- 2>"$T/fds"
	expect_eq "fds with stdin/stdout closed" "/dev/null /dev/null 0 1 2 3 " "$(tr '\n' ' ' < "$T/fds")"
}

test_keep_caps() {
	expect_status "--keep-caps" 0 "$NSUNSHARE" -U -r --keep-caps -S 0 sh -c 'grep ^CapAmb /proc/self/status'
	expect_ne "ambient capabilities with --keep-caps" "CapAmb:	0000000000000000" "$(cat "$T/out")"
	expect_status "without --keep-caps" 0 "$NSUNSHARE" -U -r sh -c 'grep ^CapAmb /proc/self/status'
	expect_eq "ambient capabilities" "CapAmb:	0000000000000000" "$(cat "$T/out")"
}

test_mount_binfmt() {
	expect_status "--mount-binfmt" 0 "$NSUNSHARE" -r --mount-binfmt -f -p findmnt -n -o FSTYPE /proc/sys/fs/binfmt_misc
	[ "$(cat "$T/out")" = binfmt_misc ] || {
		grep -q 'binfmt_misc' "$T/err" && skip_test "binfmt_misc cannot be mounted in a user namespace here: $(cat "$T/err")"
		fail "binfmt_misc not mounted: $(cat "$T/out" "$T/err")"
	}
	expect_status "--load-interp" 0 "$NSUNSHARE" -r -f -p -l ':nsutest:E::nsutest::/bin/true:' cat /proc/sys/fs/binfmt_misc/nsutest
	expect_grep "interpreter registered" '^interpreter /bin/true$' "$T/out"
	[ -e /proc/sys/fs/binfmt_misc/nsutest ] && fail "registered outside"
	return 0
}

run_test "--help, --version and usage errors" test_help_version
run_test "each type option creates exactly that namespace" test_each_type
run_test "long type options" test_long_options
run_test "-a creates every type, --share keeps the listed ones" test_all_and_share
run_test "--fork puts the program in the new PID namespace" test_fork_pid
run_test "exit statuses: 3, 143, 137, 127, 126, 125" test_exit_status
run_test "nsunshare dies of the child's signal" test_dies_of_signal
run_test "SIGTERM is forwarded to the child" test_forward_term
run_test "SIGUSR1 is forwarded to the child" test_forward_usr1
run_test "SIGHUP and SIGUSR2 are forwarded to the child" test_forward_hup_usr2
run_test "SIGINT is not forwarded by default" test_int_not_forwarded
run_test "--forward-signals forwards SIGINT" test_forward_signals_int
run_test "--kill-child: the child dies after kill -9 of nsunshare" test_kill_child
run_test "--kill-child=TERM sends TERM" test_kill_child_signal
run_test "without --kill-child the child survives" test_no_kill_child
run_test "--mount-proc mounts the new PID namespace's proc" test_mount_proc
run_test "--propagation and mount visibility" test_propagation
run_test "--root and --wd" test_root_wd
run_test "--setuid and --setgid" test_setuid_setgid
run_test "--monotonic and --boottime" test_time_offsets
run_test "--clear-env and --whitelist-env" test_env
run_test "no program runs \$SHELL or the user's shell as a login shell" test_shell
run_test "--verbose says what was created" test_verbose
run_test "bad input fails with 125 and leaves nothing" test_bad_input_leaves_nothing
run_test "only fds 0-2 reach the program" test_fd_hygiene
run_test "--keep-caps keeps capabilities as ambient" test_keep_caps
run_test "--mount-binfmt and --load-interp" test_mount_binfmt
finish
