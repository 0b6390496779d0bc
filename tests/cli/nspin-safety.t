#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nspin-safety.t - SECURITY.md rules 14-18 for nspin: locking and no stacked
# mounts, symlinks refused, all-or-nothing adds, rm only unmounts nsfs and
# names who holds a busy pin, unprivileged runs, and mount-namespace pins in
# both CPU orders of the kernel's per-CPU namespace ids.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nspin-lib.sh"
TESTDIR=$(cd "$(dirname "$0")" && pwd)

test_concurrent_add() {
	require_tool NSPIN
	local reg=$T/reg i ok=0 fails=0
	trap "\"\$NSPIN\" --dir '$reg' rm same a1 a2 a3 a4 >/dev/null 2>&1
	      umount '$reg/.mnt' 2>/dev/null; umount '$reg' 2>/dev/null" EXIT
	# a fresh registry, so the racers also race to set it up
	for i in 1 2 3 4 5 6 7 8; do
		"$NSPIN" --dir "$reg" add same -t net --new > "$T/out.$i" 2> "$T/err.$i" &
	done
	for i in 1 2 3 4 5 6 7 8; do
		if wait -n; then ok=$((ok + 1)); else fails=$((fails + 1)); fi
	done
	expect_eq "winners" 1 "$ok"
	expect_eq "losers" 7 "$fails"
	expect_eq "lines on the loser's stderr" 7 "$(cat "$T"/err.* | grep -c "add same: $reg/same exists already")"
	expect_eq "mounts on the pin" 1 "$(count_mounts "$reg/same/net")"
	expect_eq "mounts on the registry" 1 "$(count_mounts "$reg")"
	expect_eq "mounts on the sub-registry" 1 "$(count_mounts "$reg/.mnt")"
	# different names at once: all succeed, still one registry mount
	for i in 1 2 3 4; do
		"$NSPIN" --dir "$reg" add "a$i" -t uts --new &
	done
	ok=0
	for i in 1 2 3 4; do wait -n && ok=$((ok + 1)); done
	expect_eq "distinct names all pinned" 4 "$ok"
	expect_eq "mounts on the registry after more adds" 1 "$(count_mounts "$reg")"
}

test_symlinks_refused() {
	require_tool NSPIN
	local before
	mkdir "$T/real" "$T/d"
	ln -s "$T/real" "$T/link"
	ln -s "$T/d" "$T/ld"
	ln -s "$T/d/target" "$T/filelink"
	before=$(count_mounts)
	expect_status "--dir through a symlink" 1 "$NSPIN" --dir "$T/link" add s -t net --new
	expect_grep "says symlink" "refusing $T/link: a symbolic link" "$T/err"
	expect_status "pin onto a symlink" 1 "$NSPIN" pin -t net "$T/filelink"
	expect_grep "says symlink" "refusing $T/filelink: a symbolic link" "$T/err"
	[ ! -e "$T/d/target" ] || fail "symlink target was created"
	expect_status "pin under a symlinked directory" 1 "$NSPIN" pin -t net "$T/ld/x"
	expect_grep "says symlink" "refusing $T/ld: a symbolic link" "$T/err"
	[ ! -e "$T/d/x" ] || fail "file created through the symlink"
	# a name in the registry that is a symlink to a real pin elsewhere
	expect_status "real pin" 0 "$NSPIN" pin -t net "$T/real/net"
	ln -s "$T/real" /run/nspin/evil
	expect_status "add over a symlinked name" 1 "$NSPIN" add evil -t net --new
	expect_grep "add refuses" "refusing /run/nspin/evil: a symbolic link" "$T/err"
	expect_status "rm through a symlinked name" 1 "$NSPIN" rm evil
	expect_eq "real pin still mounted" nsfs "$(findmnt -n -o FSTYPE "$T/real/net")"
	rm /run/nspin/evil
	expect_status "rm the real pin" 0 "$NSPIN" rm "$T/real/net"
	expect_eq "no mount left" "$before" "$(count_mounts)"
}

test_rollback_stale_file() {
	require_tool NSPIN
	local before
	before=$(count_mounts)
	# a leftover file where the 8th pin (the mount namespace, pinned last)
	# must go: the 7 pins before it have to be undone
	echo stale > /run/nspin/.mnt/tx
	trap 'rm -f /run/nspin/.mnt/tx' EXIT
	expect_status "add -a --new" 1 "$NSPIN" add tx -a --new
	expect_grep "names the culprit" "add tx: /run/nspin/.mnt/tx exists already" "$T/err"
	expect_eq "error is one line" 1 "$(wc -l < "$T/err")"
	[ ! -e /run/nspin/tx ] || fail "/run/nspin/tx left: $(ls -la /run/nspin/tx)"
	expect_eq "mounts undone" "$before" "$(count_mounts)"
	expect_eq "stale file untouched" stale "$(cat /run/nspin/.mnt/tx)"
	settle_inits
	if pgrep -x nspin-init >/dev/null; then fail "the new PID namespace's init was left"; fi
}

test_rollback_mntns_order() {
	require_tool NSPIN
	local before
	before=$(count_mounts)
	# our own mount namespace cannot be pinned from inside it (the kernel's
	# loop check); uts, ipc and net are pinned first and must be undone
	expect_status "add with mnt last" 1 "$NSPIN" add ty -t uts,ipc,net,mnt --target $$
	expect_grep "explains the id order" "add ty: cannot pin the mount namespace of PID $$: it is not newer than nspin's own" "$T/err"
	expect_grep "says what to do" "--new" "$T/err"
	[ ! -e /run/nspin/ty ] || fail "/run/nspin/ty left"
	expect_eq "mounts undone" "$before" "$(count_mounts)"
}

test_rm_not_nsfs() {
	require_tool NSPIN
	echo keep > "$T/plain"
	expect_status "rm a plain file" 1 "$NSPIN" rm "$T/plain"
	expect_grep "refused" "rm $T/plain: $T/plain is not a namespace pin \(no nsfs mount\): left alone" "$T/err"
	expect_eq "file left alone" keep "$(cat "$T/plain")"
	mkdir "$T/m"
	mount -t tmpfs none "$T/m"
	trap 'umount "$T/m"' EXIT
	expect_status "rm a tmpfs mount" 1 "$NSPIN" rm "$T/m"
	expect_eq "tmpfs still mounted" tmpfs "$(findmnt -n -o FSTYPE "$T/m")"
	# a registry name whose "pin" is a file with data, not a mount
	mkdir /run/nspin/fake
	echo data > /run/nspin/fake/net
	expect_status "rm a fake name" 1 "$NSPIN" rm fake
	expect_grep "refused" "/run/nspin/fake/net is not a namespace pin" "$T/err"
	expect_eq "fake file kept" data "$(cat /run/nspin/fake/net)"
	rm -r /run/nspin/fake
	expect_status "rm a missing file" 1 "$NSPIN" rm "$T/nothing"
	expect_grep "no such" "no such pin: $T/nothing" "$T/err"
}

test_rm_busy() {
	require_tool NSPIN
	local holder
	cleanup_pins b
	expect_status "add b" 0 "$NSPIN" add b -t net,uts --new
	sleep 1000 3< /run/nspin/b/net &
	holder=$!
	expect_status "rm a busy pin" 1 "$NSPIN" rm b
	expect_grep "names the holder" "rm b: /run/nspin/b/net is busy: held open by PID $holder \(sleep\)" "$T/err"
	expect_eq "busy pin kept" nsfs "$(findmnt -n -o FSTYPE /run/nspin/b/net)"
	[ ! -e /run/nspin/b/uts ] || fail "the rest (uts) was not removed"
	kill -KILL "$holder"
	wait 2>/dev/null
	expect_status "rm once free" 0 "$NSPIN" rm b
	[ ! -e /run/nspin/b ] || fail "/run/nspin/b left"
}

test_rm_copies_elsewhere() {
	require_tool NSPIN
	local priv peer other
	cleanup_pins k
	expect_status "add k" 0 "$NSPIN" add k -t net --new
	# a private copy of the registry: our unmount does not reach it, but
	# removing the file detaches it (same dentry)
	unshare --mount --propagation private sleep 1000 &
	priv=$!
	# a peer copy (propagation unchanged): our unmount propagates to it
	unshare --mount --propagation unchanged sleep 1000 &
	peer=$!
	# a private namespace that bound the pin somewhere else: that one
	# keeps the namespace alive, and rm must say so
	touch "$T/other"
	unshare --mount --propagation private sh -c \
		"mount --bind /run/nspin/k/net '$T/other' && exec sleep 1000" &
	other=$!
	wait_ns_differs mnt "$priv"
	wait_ns_differs mnt "$peer"
	for _ in $(seq 100); do
		grep -q " $T/other " "/proc/$other/mountinfo" 2>/dev/null && break
		sleep 0.05
	done
	expect_status "rm k" 0 "$NSPIN" rm k
	expect_eq "copy gone in the peer" 0 "$(awk '$5 == "/run/nspin/k/net"' "/proc/$peer/mountinfo" | wc -l)"
	expect_eq "copy gone in the private one" 0 "$(awk '$5 == "/run/nspin/k/net"' "/proc/$priv/mountinfo" | wc -l)"
	expect_grep "names the other bind" "rm k: warning: still pinned in another mount namespace of PID $other \\(sleep\\): $T/other" "$T/err"
	expect_eq "one warning line" 1 "$(wc -l < "$T/err")"
	[ ! -e /run/nspin/k ] || fail "/run/nspin/k left"
	kill -KILL "$priv" "$peer" "$other"
	wait 2>/dev/null
}

test_unprivileged() {
	require_tool NSPIN
	local before locker
	cleanup_pins p
	before=$(count_mounts)
	expect_status "unprivileged add --new" 1 as_user "$NSPIN" add u -t net --new
	expect_grep "clear reason" "add u: cannot create a new net namespace: Operation not permitted \(" "$T/err"
	expect_status "unprivileged add of a live process" 1 as_user "$NSPIN" add u -t uts --target $$
	expect_grep "clear reason" "add u: .*(Permission denied|Operation not permitted)" "$T/err"
	expect_status "unprivileged pin" 1 as_user "$NSPIN" pin -t uts /tmp/nspin-unpriv-test
	[ ! -e /tmp/nspin-unpriv-test ] || { rm -f /tmp/nspin-unpriv-test; fail "file left"; }
	expect_status "root add" 0 "$NSPIN" add p -t uts --new
	expect_status "unprivileged rm" 1 as_user "$NSPIN" rm p
	expect_grep "clear reason" "rm p: .*(Permission denied|Operation not permitted)" "$T/err"
	expect_eq "pin kept" nsfs "$(findmnt -n -o FSTYPE /run/nspin/p/uts)"
	# a user's flock on the registry directory must not stall root
	# setpriv directly (not the as_user function), so $! is the process
	# that ends up as the lock holder
	setpriv --reuid="$NSU_TEST_UID" --regid="$NSU_TEST_GID" --clear-groups \
		--inh-caps=-all -- sh -c 'exec 9< /run/nspin && flock 9 && exec sleep 1000' &
	locker=$!
	# it execs sleep only once flock holds the lock
	for _ in $(seq 100); do
		[ "$(cat "/proc/$locker/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.05
	done
	[ "$(cat "/proc/$locker/comm")" = sleep ] || fail "the user's lock was never taken"
	expect_status "add while a user locks the directory" 0 "$NSPIN" add q -t uts --new
	expect_status "rm q" 0 "$NSPIN" rm q
	kill -KILL "$locker"
	wait 2>/dev/null
	if as_user flock -n /run/nspin/.lock true 2> "$T/err"; then
		fail "a user could lock the registry"
	fi
	expect_grep "the registry's own lock is root's" "Permission denied" "$T/err"
	expect_status "unprivileged ls works" 0 as_user "$NSPIN" ls -r -n -o PIN,TYPE
	expect_grep "lists the pin" '^p uts$' "$T/out"
	expect_status "rm p" 0 "$NSPIN" rm p
	expect_eq "mounts" "$before" "$(count_mounts)"
}

test_mnt_shared_file() {
	require_tool NSPIN
	local sh
	mkdir "$T/sh"
	mount --bind "$T/sh" "$T/sh"
	mount --make-shared "$T/sh"
	trap 'umount "$T/sh"' EXIT
	spawn_newer_mntns sh
	expect_status "mount namespace on a shared mount" 1 "$NSPIN" pin -t mnt --target "$sh" "$T/sh/m"
	expect_grep "explains" "pin $T/sh/m: cannot pin a mount namespace on $T/sh/m: its parent mount is shared" "$T/err"
	expect_grep "says what to do" "nspin add NAME -t mnt" "$T/err"
	[ ! -e "$T/sh/m" ] || fail "file left"
	mount --make-private "$T/sh"
	expect_status "same on a private mount" 0 "$NSPIN" pin -t mnt --target "$sh" "$T/sh/m"
	expect_eq "joined" "$(ns_ino mnt "$sh")" "$(nsenter --mount="$T/sh/m" stat -L -c %i /proc/self/ns/mnt)"
	expect_status "rm" 0 "$NSPIN" rm "$T/sh/m"
	kill -KILL "$sh"
	wait 2>/dev/null
}

# Both CPU orders: the binder's mount namespace made on CPU $1, the pinned
# one on CPU $2. --new must always work (the library moves between CPUs
# until the kernel hands out a newer id); an existing namespace must work
# exactly when its id is the greater one, and be refused with the reason
# otherwise.
mnt_order() {
	local a=$1 b=$2 out
	[ "$(nproc)" -ge 2 ] || skip_test "needs 2 CPUs"
	cat > "$T/inner.sh" <<-'EOF'
	# the helpers only, not lib.sh's isolation (we are inside it already)
	ns_ino() { stat -L -c %i "/proc/${2:-self}/ns/$1"; }
	fail() { echo "FAIL: $*"; exit 1; }
	. "$LIBDIR/nspin-lib.sh"
	reg=$T/o
	# --new, created from CPU $B
	taskset -c "$B" "$NSPIN" --dir "$reg" add n -t mnt --new || { echo "new-failed"; exit 1; }
	echo "new-joined $(nsenter --mount="$reg/.mnt/n" stat -L -c %i /proc/self/ns/mnt) $(stat -L -c %i "$reg/.mnt/n")"
	"$NSPIN" --dir "$reg" rm n || echo "rm-failed"
	# an existing process's namespace, created on CPU $B
	taskset -c "$B" unshare --mount sleep 1000 &
	p=$!
	wait_ns_differs mnt "$p"
	echo "ids $(mntns_id self) $(mntns_id "$p")"
	if "$NSPIN" --dir "$reg" add e -t mnt --target "$p" 2> "$T/err.e"; then
		echo "existing-joined $(nsenter --mount="$reg/.mnt/e" stat -L -c %i /proc/self/ns/mnt) $(stat -L -c %i /proc/$p/ns/mnt)"
		"$NSPIN" --dir "$reg" rm e || echo "rm-failed"
	else
		echo "existing-refused $(cat "$T/err.e")"
	fi
	kill -KILL "$p"
	EOF
	out=$(LIBDIR=$TESTDIR B=$b taskset -c "$a" \
		unshare --mount --propagation private bash "$T/inner.sh" 2>&1)
	echo "$out"
	set -- $(echo "$out" | grep '^new-joined')
	[ $# = 3 ] || fail "--new mount pin, binder on CPU $a, new on CPU $b: $out"
	expect_eq "--new pin joined" "$3" "$2"
	if echo "$out" | grep -q rm-failed; then fail "rm failed: $out"; fi
	set -- $(echo "$out" | grep '^ids')
	local self=$2 target=$3
	if [ "$target" -gt "$self" ]; then
		set -- $(echo "$out" | grep '^existing-joined')
		[ $# = 3 ] || fail "newer existing namespace ($target > $self) not pinned: $out"
		expect_eq "existing pin joined" "$3" "$2"
		echo "# CPU $a -> $b: existing namespace newer ($target > $self): pinned"
	else
		echo "$out" | grep -q "^existing-refused .*cannot pin the mount namespace of PID [0-9]*: it is not newer than nspin's own (id $target <= $self)" ||
			fail "older existing namespace ($target <= $self) not refused clearly: $out"
		echo "# CPU $a -> $b: existing namespace older ($target <= $self): refused"
	fi
}

test_mnt_order_01() { mnt_order 0 1; }
test_mnt_order_10() { mnt_order 1 0; }

nspin_prepare_registry
run_test "concurrent add of one name: one wins, no stacked mounts" test_concurrent_add
run_test "symlinked registry, file, directory and name are refused" test_symlinks_refused
run_test "failed 8th pin of add -a --new leaves nothing (stale file)" test_rollback_stale_file
run_test "failed 4th pin (mount namespace order) leaves nothing" test_rollback_mntns_order
run_test "rm refuses non-nsfs paths and leaves them alone" test_rm_not_nsfs
run_test "busy rm names its holder and removes the rest" test_rm_busy
run_test "rm: copies go with the file; a bind elsewhere is named" test_rm_copies_elsewhere
run_test "unprivileged: refused with a clear reason; ls works" test_unprivileged
run_test "mount namespace on a shared mount: clear message" test_mnt_shared_file
run_test "mount pins, binder on CPU 0, namespace on CPU 1" test_mnt_order_01
run_test "mount pins, binder on CPU 1, namespace on CPU 0" test_mnt_order_10
finish
