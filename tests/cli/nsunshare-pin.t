#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare-pin.t - --pin NAME: every created namespace pinned in nspin's
# registry (/run/nspin/NAME/TYPE), all or nothing.
. "$(dirname "$0")/lib.sh"

REG=/run/nspin

unpin() {
	local f
	for f in "$REG/$1"/*; do
		[ -e "$f" ] || continue
		umount "$f" 2>/dev/null
		rm -f "$f"
	done
	rmdir "$REG/$1" 2>/dev/null
	rmdir "$REG" 2>/dev/null
	return 0
}

test_pin_created() {
	expect_status "--pin web -n -u" 0 "$NSUNSHARE" --pin web -n -u sh -c 'stat -L -c %i /proc/self/ns/net /proc/self/ns/uts'
	expect_eq "pinned types" "net uts" "$(ls "$REG/web" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "net pin is the program's" "$(head -n 1 "$T/out")" "$(stat -L -c %i "$REG/web/net")"
	expect_eq "uts pin is the program's" "$(tail -n 1 "$T/out")" "$(stat -L -c %i "$REG/web/uts")"
	expect_eq "nsfs mount" nsfs "$(findmnt -n -o FSTYPE "$REG/web/net")"
	# and it can be joined by name
	expect_status "--join net=web" 0 "$NSUNSHARE" --join net=web -m stat -L -c %i /proc/self/ns/net
	expect_eq "joined by pin name" "$(head -n 1 "$T/out")" "$(cat "$T/out")"
	unpin web
}

test_pin_pid_and_mnt() {
	expect_status "--pin with pid and mount" 0 "$NSUNSHARE" --pin box -p -m -f --mount-proc true
	expect_eq "pinned types" "mnt pid" "$(ls "$REG/box" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "pid pin" nsfs "$(findmnt -n -o FSTYPE "$REG/box/pid")"
	expect_eq "mnt pin" nsfs "$(findmnt -n -o FSTYPE "$REG/box/mnt")"
	unpin box
	expect_status "pid pin without --fork" 125 "$NSUNSHARE" --pin box -p true
	[ -e "$REG/box" ] && fail "registry entry left"
	return 0
}

test_pin_exists() {
	mkdir -p "$REG/taken"
	expect_status "name already taken" 125 "$NSUNSHARE" --pin taken -n true
	expect_grep "message" 'cannot pin: /run/nspin/taken: File exists \(the pin already exists\)' "$T/err"
	rmdir "$REG/taken" "$REG"
}

test_pin_rollback() {
	# the child fails after the namespaces exist: nothing stays pinned
	expect_status "failing child" 125 "$NSUNSHARE" --pin gone -n -u -f -w "$T/nope" true
	[ -e "$REG/gone" ] && { unpin gone; fail "pin left after a failure"; }
	# killed before the program starts: the helper rolls back
	expect_status "invalid pin name" 125 "$NSUNSHARE" --pin a/b -n true
	return 0
}

test_pin_symlinked_registry() {
	mkdir "$T/elsewhere"
	ln -s "$T/elsewhere" "$REG"
	expect_status "registry is a symlink" 125 "$NSUNSHARE" --pin web -n true
	rm "$REG"
	expect_eq "nothing created through the link" "" "$(ls "$T/elsewhere")"
}

run_test "--pin pins every created namespace, joinable by name" test_pin_created
run_test "--pin with PID (needs --fork) and mount namespaces" test_pin_pid_and_mnt
run_test "--pin refuses an existing name" test_pin_exists
run_test "--pin leaves nothing when something fails" test_pin_rollback
run_test "--pin does not follow a symlinked registry" test_pin_symlinked_registry
finish
