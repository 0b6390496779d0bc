#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare-persist.t - --TYPE=FILE keeps new namespaces alive on a bind
# mount, from the original namespaces, and nothing stays on failure.
. "$(dirname "$0")/lib.sh"

# persist_one OPTION TYPE [EXTRA...]: the file holds the namespace the
# program was in
persist_one() {
	local opt=$1 type=$2 inner bound
	shift 2
	touch "$T/$type"
	expect_status "--$opt=FILE" 0 "$NSUNSHARE" "$@" --"$opt"="$T/$type" \
		stat -L -c %i "/proc/self/ns/$type"
	inner=$(cat "$T/out")
	expect_eq "nsfs mounted on the file" nsfs "$(findmnt -n -o FSTYPE "$T/$type")"
	bound=$(stat -L -c %i "$T/$type")
	expect_eq "$type namespace on the file" "$inner" "$bound"
	expect_ne "$type namespace differs from ours" "$(ns_ino "$type")" "$bound"
	umount "$T/$type"
}

test_persist_types() {
	persist_one net net
	persist_one uts uts
	persist_one ipc ipc
	persist_one cgroup cgroup
	persist_one user user
	persist_one time time
	persist_one pid pid --fork
}

test_persist_enter() {
	touch "$T/net" "$T/uts"
	expect_status "persist net and uts" 0 "$NSUNSHARE" --net="$T/net" --uts="$T/uts" hostname persisted-host
	expect_eq "hostname set inside the persisted uts namespace" persisted-host \
		"$(nsenter --uts="$T/uts" hostname)"
	expect_ne "our hostname unchanged" persisted-host "$(hostname)"
	expect_eq "net namespace has only lo" lo "$(nsenter --net="$T/net" ip -o link show | awk -F': ' '{print $2}')"
	umount "$T/net" "$T/uts"
}

# --mount=FILE: the kernel refuses to bind a mount namespace with a smaller
# id than the binder's, and ids come in per-CPU batches; cover both orders.
persist_mnt_on_cpus() {
	local outer=$1 inner=$2
	touch "$T/mnt"
	taskset -c "$outer" unshare -m --propagation private bash -c '
		taskset -c "$1" "$NSUNSHARE" --mount="$T/mnt" sh -c "mount -t tmpfs inside /mnt; stat -L -c %i /proc/self/ns/mnt" > "$T/out" || exit 1
		[ "$(findmnt -n -o FSTYPE "$T/mnt")" = nsfs ] || { echo "no nsfs mount on $T/mnt"; exit 1; }
		[ "$(stat -L -c %i "$T/mnt")" = "$(cat "$T/out")" ] || { echo "wrong namespace on $T/mnt"; exit 1; }
		nsenter --mount="$T/mnt" findmnt -n -o SOURCE /mnt > "$T/src"
		findmnt -n /mnt > "$T/here" || true
		umount "$T/mnt"
	' - "$inner" || fail "cpu $outer/$inner: run failed"
	expect_eq "the persisted mount namespace has the inner mount (cpu $outer/$inner)" inside "$(cat "$T/src")"
	expect_eq "not visible outside (cpu $outer/$inner)" "" "$(cat "$T/here")"
}

test_persist_mnt_cpu_orders() {
	[ "$(nproc)" -ge 2 ] || skip_test "needs two CPUs"
	persist_mnt_on_cpus 1 0
	persist_mnt_on_cpus 0 1
	persist_mnt_on_cpus 0 0
}

test_persist_mnt_shared_parent() {
	mkdir "$T/sh"
	mount -t tmpfs shared "$T/sh"
	mount --make-shared "$T/sh"
	touch "$T/sh/mnt"
	expect_status "--mount=FILE on a shared mount" 125 "$NSUNSHARE" --mount="$T/sh/mnt" true
	expect_grep "error names the file" "cannot persist mnt namespace: $T/sh/mnt" "$T/err"
	expect_grep "hint" 'not shared' "$T/err"
	expect_eq "nothing mounted" "" "$(findmnt -n "$T/sh/mnt")"
	umount "$T/sh"
}

test_persist_undo_on_child_failure() {
	touch "$T/net" "$T/uts"
	expect_status "child fails after fork" 125 "$NSUNSHARE" -f --net="$T/net" --uts="$T/uts" -w "$T/nope" true
	expect_eq "net not left bound" "" "$(findmnt -n "$T/net")"
	expect_eq "uts not left bound" "" "$(findmnt -n "$T/uts")"
	expect_status "fails without fork" 125 "$NSUNSHARE" --net="$T/net" -w "$T/nope" true
	expect_eq "net not left bound" "" "$(findmnt -n "$T/net")"
}

test_persist_undo_on_bind_failure() {
	touch "$T/net"
	# binding onto a namespace file is refused by the kernel (ENOENT), so
	# the cgroup bind, done after the net one, fails
	expect_status "second bind fails" 125 "$NSUNSHARE" -f --net="$T/net" --cgroup=/proc/self/ns/ipc true
	expect_grep "error" 'cannot persist cgroup namespace: /proc/self/ns/ipc' "$T/err"
	expect_eq "first bind undone" "" "$(findmnt -n "$T/net")"
	expect_status "same without fork" 125 "$NSUNSHARE" --net="$T/net" --cgroup=/proc/self/ns/ipc true
	expect_eq "first bind undone" "" "$(findmnt -n "$T/net")"
}

# Kill nsunshare with SIGKILL after the binds, before it commits them (its
# second write, to the helper, is held up, with every later one, by strace's fault injection):
# the helper, left in the original namespaces, must undo them.
test_persist_undo_on_kill() {
	local sp p i
	command -v strace >/dev/null || skip_test "strace is not installed"
	# the sanitizer runtime makes writes of its own: the injection would
	# hit the wrong one
	ldd "$NSUNSHARE" 2>/dev/null | grep -q libasan &&
		skip_test "write counting does not work under AddressSanitizer"
	touch "$T/net"
	strace -o /dev/null -e trace=write -e inject=write:delay_enter=3000000:when=2+ \
		"$NSUNSHARE" -f --net="$T/net" true 2>/dev/null & sp=$!
	for i in $(seq 300); do findmnt -n "$T/net" >/dev/null && break; sleep 0.05; done
	expect_eq "bound before the commit" nsfs "$(findmnt -n -o FSTYPE "$T/net")"
	p=$(pgrep -P "$sp" -x nsunshare | head -n 1)
	[ -n "$p" ] || fail "nsunshare not found"
	kill -KILL "$p"
	wait "$sp" 2>/dev/null
	for i in $(seq 200); do findmnt -n "$T/net" >/dev/null || break; sleep 0.05; done
	expect_eq "the helper undid the bind" "" "$(findmnt -n "$T/net")"
	# let the orphaned child and helper be reaped
	sleep 0.2
}

test_persist_user_and_maps() {
	touch "$T/user"
	expect_status "--user=FILE -r" 0 "$NSUNSHARE" --user="$T/user" -r cat /proc/self/uid_map
	expect_eq "the persisted user namespace's map" "0 0 1" "$(nsenter --user="$T/user" --preserve-credentials cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')"
	umount "$T/user"
}

run_test "--TYPE=FILE persists each type" test_persist_types
run_test "persisted namespaces can be entered afterwards" test_persist_enter
run_test "--mount=FILE works whichever CPU made each namespace" test_persist_mnt_cpu_orders
run_test "--mount=FILE on a shared mount fails before anything is made" test_persist_mnt_shared_parent
run_test "a failing child leaves nothing bound" test_persist_undo_on_child_failure
run_test "a failing bind undoes the earlier ones" test_persist_undo_on_bind_failure
run_test "--user=FILE with a map" test_persist_user_and_maps
run_test "kill -9 of nsunshare before the commit leaves nothing bound" test_persist_undo_on_kill
finish
