#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nspin.t - pins of every type, from live processes and new, joined with
# util-linux nsenter after their processes are gone; ls output; rm; usage.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nspin-lib.sh"

TYPES="mnt uts ipc net pid user cgroup time"

test_usage() {
	require_tool NSPIN
	expect_status "--help" 0 "$NSPIN" --help
	expect_grep "help starts with Usage" '^Usage:' "$T/out"
	expect_grep "help ends with the man page" 'nspin\(8\)' "$T/out"
	expect_status "--version" 0 "$NSPIN" --version
	expect_grep "version" '^nspin from nsutil ' "$T/out"
	expect_status "unknown option" 2 "$NSPIN" --bogus
	expect_grep "try --help" "Try 'nspin --help'" "$T/err"
	expect_status "unknown command" 2 "$NSPIN" frobnicate
	expect_grep "names the command" "unknown command: 'frobnicate'" "$T/err"
	expect_status "no abbreviated commands" 2 "$NSPIN" ad x -t net --new
	expect_status "add without types" 2 "$NSPIN" add x --new
	expect_status "add -t and -a" 2 "$NSPIN" add x -t net -a --new
	expect_status "--new with --target" 2 "$NSPIN" add x -t net --new --target 1
	expect_status "pin with two types" 2 "$NSPIN" pin -t net,uts "$T/f"
	expect_status "bad type" 2 "$NSPIN" add x -t net,bogus --new
	expect_grep "names the bad type" "unknown namespace type: 'bogus'" "$T/err"
	expect_status "bad PID" 2 "$NSPIN" add x -t net --target 0x10
	expect_status "ls options on add" 2 "$NSPIN" add x -t net --new -J
	expect_status "rm without operands" 2 "$NSPIN" rm
	expect_status "reserved name" 1 "$NSPIN" add .mnt -t net --new
	expect_grep "bad name explained" "add .mnt: invalid name" "$T/err"
	expect_status "name with a newline" 1 "$NSPIN" add "$(printf 'a\nb')" -t net --new
	expect_status "name too long" 1 "$NSPIN" add "$(printf '%0256d' 0)" -t net --new
	expect_eq "nothing created" "" "$(ls -A /run/nspin | grep -vx -e .mnt -e .lock)"
}

test_registry_setup() {
	require_tool NSPIN
	local reg=$T/reg
	expect_status "add in a new registry" 0 "$NSPIN" --dir "$reg" add a -t uts --new
	expect_eq "registry is its own mount" "$reg" "$(findmnt -n -o TARGET "$reg")"
	expect_eq "registry propagation" shared "$(findmnt -n -o PROPAGATION "$reg")"
	expect_eq "mount-namespace sub-registry propagation" private \
		"$(findmnt -n -o PROPAGATION "$reg/.mnt")"
	expect_eq "pin is nsfs" nsfs "$(findmnt -n -o FSTYPE "$reg/a/uts")"
	# NSPIN_DIR is the same as --dir
	expect_status "add via NSPIN_DIR" 0 env NSPIN_DIR="$reg" "$NSPIN" add b -t ipc --new
	expect_eq "pin via NSPIN_DIR" nsfs "$(findmnt -n -o FSTYPE "$reg/b/ipc")"
	expect_eq "registry still mounted once" 1 "$(count_mounts "$reg")"
	expect_status "rm a b" 0 "$NSPIN" --dir "$reg" rm a b
	[ ! -e "$reg/a" ] && [ ! -e "$reg/b" ] || fail "name directories left"
	umount "$reg/.mnt" && umount "$reg"
}

test_registry_adopts_pins() {
	# pins made in the registry directory before it was set up (by hand,
	# or by a tool that does not set it up) must neither vanish under the
	# new registry mount nor stay hidden beneath it
	require_tool NSPIN
	local reg=$T/reg sleeper ino
	trap "umount '$reg/.mnt' '$reg' 2>/dev/null" EXIT
	unshare --uts sleep 1000 &
	sleeper=$!
	wait_ns_differs uts "$sleeper"
	ino=$(ns_ino uts "$sleeper")
	mkdir -p "$reg/old"
	touch "$reg/old/uts"
	mount --bind "/proc/$sleeper/ns/uts" "$reg/old/uts" || fail "bind"
	kill -KILL "$sleeper"
	wait 2>/dev/null
	expect_status "add sets the registry up" 0 "$NSPIN" --dir "$reg" add new -t net --new
	expect_eq "registry is its own mount" "$reg" "$(findmnt -n -o TARGET "$reg")"
	expect_eq "the old pin, once" 1 "$(count_mounts "$reg/old/uts")"
	expect_eq "the old pin is reachable" "$ino" "$(join_pin uts "$reg/old/uts")"
	expect_status "ls" 0 "$NSPIN" --dir "$reg" ls -r -n -o PIN,TYPE,NS
	expect_grep "old pin listed by name" "^old uts $ino\$" "$T/out"
	expect_status "rm both" 0 "$NSPIN" --dir "$reg" rm old new
	expect_eq "nothing left below the registry" "" \
		"$(awk -v p="$reg/" 'index($5, p) == 1' /proc/self/mountinfo | grep -v "$reg/.mnt ")"
}

# Pin every type of a live process, kill it, and join each pin.
test_pin_live_all_types() {
	require_tool NSPIN
	local init target t want got
	cleanup_pins live
	spawn_target_all init target
	for t in $TYPES; do
		eval "want_$t=$(ns_ino "$t" "$target")"
	done
	expect_status "add -a from a live process" 0 "$NSPIN" add live -a --target "$target"
	expect_grep "says the PID namespace needs its init" \
		"add live: note: the PID namespace stays enterable only while its init lives" "$T/err"
	kill -KILL "$target"
	for t in $TYPES; do
		eval "want=\$want_$t"
		got=$(join_pin "$t" "$(pin_path live "$t")") ||
			fail "nsenter into pinned $t failed: $got"
		expect_eq "$t inode through the pin after the process died" "$want" "$got"
	done
	kill -KILL "$init"
	wait 2>/dev/null
	expect_status "rm live" 0 "$NSPIN" rm live
	[ ! -e /run/nspin/live ] && [ ! -e /run/nspin/.mnt/live ] || fail "pins left"
}

test_new_each_type() {
	require_tool NSPIN
	local t p got
	cleanup_pins nmnt nuts nipc nnet npid nuser ncgroup ntime
	for t in $TYPES; do
		expect_status "add --new -t $t" 0 "$NSPIN" add "n$t" -t "$t" --new
		p=$(pin_path "n$t" "$t")
		expect_eq "$t pin is nsfs" nsfs "$(findmnt -n -o FSTYPE "$p")"
		expect_ne "$t namespace is new" "$(ns_ino "$t")" "$(stat -L -c %i "$p")"
		got=$(join_pin "$t" "$p") || fail "nsenter into new $t failed: $got"
		expect_eq "$t inode through the pin" "$(stat -L -c %i "$p")" "$got"
	done
	# a new PID namespace has its minimal init, and only that process
	expect_status "ls npid" 0 "$NSPIN" ls -r -n -o PIN,TYPE,NPROCS
	expect_grep "one process in the new PID namespace" '^npid pid 1$' "$T/out"
	expect_grep "no process in the new net namespace" '^nnet net 0$' "$T/out"
	for t in $TYPES; do
		expect_status "rm n$t" 0 "$NSPIN" rm "n$t"
	done
	settle_inits
}

test_pid_init() {
	# the init nspin keeps for a new PID namespace: ignores signals,
	# reaps orphans, and goes with rm
	require_tool NSPIN
	local init ino p zombies
	cleanup_pins r
	expect_status "add r" 0 "$NSPIN" add r -t pid --new
	init=$(pgrep -x nspin-init)
	[ -n "$init" ] || fail "no nspin-init"
	ino=$(stat -L -c %i /run/nspin/r/pid)
	expect_eq "init is in the pinned namespace" "$ino" "$(ns_ino pid "$init")"
	expect_eq "init is PID 1 there" 1 "$(awk '/^NSpid:/ { print $NF }' "/proc/$init/status")"
	kill -TERM "$init"; kill -INT "$init"; kill -HUP "$init"; kill -USR1 "$init"
	# an orphan in the namespace: its parent exits at once
	nsenter --pid=/run/nspin/r/pid sh -c 'sleep 0.3 & exit 0'
	sleep 1
	[ -d "/proc/$init" ] || fail "nspin-init died of a signal"
	zombies=0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/pid" 2>/dev/null)" = "$ino" ] || continue
		[ "$(awk '{ print $3 }' "$p/stat" 2>/dev/null)" = Z ] && zombies=$((zombies + 1))
	done
	expect_eq "orphans reaped" 0 "$zombies"
	expect_status "rm r" 0 "$NSPIN" rm r
	settle_inits
	[ ! -d "/proc/$init" ] || [ "$(awk '{ print $3 }' "/proc/$init/stat")" = Z ] ||
		fail "nspin-init still running after rm"
}

test_rm_gone() {
	require_tool NSPIN
	local ino before
	before=$(count_mounts)
	cleanup_pins g
	expect_status "add g" 0 "$NSPIN" add g -t net,pid --new
	ino=$(stat -L -c %i /run/nspin/g/net)
	expect_eq "two more mounts" $((before + 2)) "$(count_mounts)"
	expect_status "ls" 0 "$NSPIN" ls -r -n -o NS
	expect_grep "pinned namespace listed" "^$ino\$" "$T/out"
	expect_status "rm g" 0 "$NSPIN" rm g
	expect_eq "mounts back" "$before" "$(count_mounts)"
	[ ! -e /run/nspin/g ] || fail "/run/nspin/g left"
	expect_status "ls after rm" 0 "$NSPIN" ls -r -n -o NS
	if grep -qx "$ino" "$T/out"; then fail "namespace still listed by nspin"; fi
	if lsns -n -o NS -t net | grep -qx "$ino"; then fail "lsns still sees net $ino"; fi
	if [ -n "$NSLIST" ] && [ -x "$NSLIST" ]; then
		"$NSLIST" -n -o NS -t net > "$T/nslist" || fail "nslist failed"
		if grep -qx " *$ino" "$T/nslist"; then fail "nslist still sees net $ino"; fi
	fi
	settle_inits
	if pgrep -x nspin-init >/dev/null; then fail "nspin-init still running"; fi
	expect_status "rm again" 1 "$NSPIN" rm g
	expect_grep "no such pin" "rm g: no such pin" "$T/err"
}

test_ls_output() {
	require_tool NSPIN
	local ino id
	cleanup_pins l
	expect_status "add l" 0 "$NSPIN" add l -t net,uts --new
	ino=$(stat -L -c %i /run/nspin/l/net)
	expect_status "ls -r" 0 "$NSPIN" ls -r -n -o PIN,TYPE,NS,PATH
	expect_grep "raw row" "^l net $ino /run/nspin/l/net\$" "$T/out"
	expect_status "ls -J" 0 "$NSPIN" ls -J -o PIN,TYPE,NS,ID,NPROCS,CREATED
	python3 - "$T/out" "$ino" "$(fault_active ns_get_id && echo noid || echo id)" <<-'EOF' || fail "JSON output: $(cat "$T/out")"
	import json, sys
	pins = json.load(open(sys.argv[1]))["pins"]
	row = [p for p in pins if p["pin"] == "l" and p["type"] == "net"][0]
	assert row["ns"] == int(sys.argv[2]), row
	# without NS_GET_ID (before 6.18) only mount namespaces have an id
	if sys.argv[3] == "noid":
	    assert row["id"] is None, row
	else:
	    assert isinstance(row["id"], int) and row["id"] > 0, row
	assert row["nprocs"] == 0, row
	assert row["created"], row
	EOF
	expect_status "ls heading" 0 "$NSPIN" ls -o PIN,TYPE
	expect_eq "heading" "PIN TYPE" "$(head -n 1 "$T/out" | tr -s ' ' | sed 's/ $//')"
	expect_status "ls --output-all" 0 "$NSPIN" ls --output-all
	expect_grep "every column" 'PIN +NAME +PATH +TYPE +NS +ID +NPROCS +CREATED +MNTID' "$T/out"
	expect_status "bad column" 2 "$NSPIN" ls -o PIN,BOGUS
	expect_status "rm l" 0 "$NSPIN" rm l
}

test_pin_file() {
	require_tool NSPIN
	local sleeper ino
	cleanup_pins "$T/netpin"
	unshare --net sleep 1000 &
	sleeper=$!
	wait_ns_differs net "$sleeper"
	ino=$(ns_ino net "$sleeper")
	expect_status "pin a file" 0 "$NSPIN" pin -t net --target "$sleeper" "$T/netpin"
	kill -KILL "$sleeper"
	wait 2>/dev/null
	expect_eq "file pin" "$ino" "$(nsenter --net="$T/netpin" stat -L -c %i /proc/self/ns/net)"
	expect_status "ls shows the path" 0 "$NSPIN" ls -r -n -o PIN,NS
	expect_grep "listed by path" "^$T/netpin $ino\$" "$T/out"
	expect_status "pin again on the same file" 1 "$NSPIN" pin -t net "$T/netpin"
	expect_grep "refused" "refusing $T/netpin: something is mounted on it already" "$T/err"
	expect_eq "not stacked" 1 "$(count_mounts "$T/netpin")"
	expect_status "rm the file" 0 "$NSPIN" rm "$T/netpin"
	[ ! -e "$T/netpin" ] || fail "pin file left"
}

test_ls_escapes() {
	require_tool NSPIN
	local f
	f=$T/$(printf 'a\nb\033c')
	cleanup_pins "$f"
	expect_status "pin on a file with control characters" 0 "$NSPIN" pin -t uts "$f"
	expect_status "ls -r" 0 "$NSPIN" ls -r -n -o PIN,TYPE
	expect_grep "escaped" "^$T/a\\\\x0ab\\\\x1bc uts\$" "$T/out"
	expect_eq "one line per pin" 0 "$(grep -c "^b" "$T/out")"
	expect_status "rm" 0 "$NSPIN" rm "$f"
}

test_hand_made_pins() {
	# pins made by hand (mount --bind) in a plain directory, the way
	# admins do it today, mount namespace as NAME/mnt: listed and released
	require_tool NSPIN
	local sh
	spawn_newer_mntns sh
	mkdir -p "$T/r/h"
	touch "$T/r/h/mnt" "$T/r/h/uts"
	mount --bind "/proc/$sh/ns/mnt" "$T/r/h/mnt" || fail "bind mnt"
	mount --bind "/proc/$sh/ns/uts" "$T/r/h/uts" || fail "bind uts"
	kill -KILL "$sh"
	wait 2>/dev/null
	expect_status "ls" 0 "$NSPIN" --dir "$T/r" ls -r -n -o PIN,TYPE,PATH
	expect_grep "mnt listed by name" "^h mnt $T/r/h/mnt\$" "$T/out"
	expect_grep "uts listed by name" "^h uts $T/r/h/uts\$" "$T/out"
	expect_status "rm h" 0 "$NSPIN" --dir "$T/r" rm h
	[ ! -e "$T/r/h" ] || fail "$T/r/h left"
}

test_nsenter2_pinned() {
	# the names nspin makes are the ones nsenter2 --pinned enters,
	# mount namespace (in the private sub-directory) included
	require_tool NSPIN
	require_tool NSENTER2
	local got
	cleanup_pins set
	expect_status "add set" 0 "$NSPIN" add set -t mnt,uts,net --new
	got=$("$NSENTER2" --pinned set sh -c 'for t in mnt uts net; do stat -L -c %i /proc/self/ns/$t; done' | tr '\n' ' ')
	expect_eq "nsenter2 --pinned joins every pin" \
		"$(stat -L -c %i /run/nspin/.mnt/set) $(stat -L -c %i /run/nspin/set/uts) $(stat -L -c %i /run/nspin/set/net) " "$got"
	expect_status "rm set" 0 "$NSPIN" rm set
}

test_walkthrough() {
	# The README's walk-through: a shell in its own mount namespace,
	# pinned from outside, left, and rejoined later.
	require_tool NSPIN
	local sh ino
	cleanup_pins work
	spawn_newer_mntns sh
	ino=$(ns_ino mnt "$sh")
	expect_status "pin the mount namespace" 0 "$NSPIN" add work -t mnt --target "$sh"
	kill -KILL "$sh"
	wait 2>/dev/null
	expect_eq "rejoined" "$ino" "$(nsenter --mount=/run/nspin/.mnt/work stat -L -c %i /proc/self/ns/mnt)"
	expect_status "rm work" 0 "$NSPIN" rm work
}

nspin_prepare_registry
run_test "usage errors, --help, --version" test_usage
run_test "registry: own shared mount, private .mnt, --dir and NSPIN_DIR" test_registry_setup
run_test "registry set-up adopts pins made before it" test_registry_adopts_pins
run_test "pin all 8 types of a live process; join each after it died" test_pin_live_all_types
run_test "--new for each of the 8 types" test_new_each_type
run_test "new PID namespace: init ignores signals, reaps, ends with rm" test_pid_init
run_test "rm: mounts, files and the namespace are gone" test_rm_gone
run_test "ls: raw, JSON, headings, columns" test_ls_output
run_test "pin on an explicit file, no stacking, rm removes it" test_pin_file
run_test "ls escapes control characters in paths" test_ls_escapes
run_test "hand-made pins (NAME/mnt) are listed and released" test_hand_made_pins
run_test "nsenter2 --pinned enters what nspin pinned" test_nsenter2_pinned
run_test "walk-through: pin a shell's mount namespace, rejoin later" test_walkthrough
finish
