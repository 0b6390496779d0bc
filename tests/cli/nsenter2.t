#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsenter2.t - every option of nsenter2, each observed from inside (what the
# program sees) and outside (the target's namespace inodes).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nsenter2-helpers.sh"

# -X for each type, with a target that has its own namespace of that type.
test_type() {
	local type=$1 letter=$2 unshare_opt=$3 entry=${4:-$1}
	require_nsenter2
	start_target $unshare_opt
	expect_ne "target has its own $type namespace" "$(ns_ino "$entry")" "$(ns_ino "$entry" "$TPID")"
	out=$("$NSENTER2" -t "$TPID" "-$letter" stat -L -c %i "/proc/self/ns/$entry") ||
		fail "nsenter2 -$letter failed"
	expect_eq "$type namespace of the program" "$(ns_ino "$entry" "$TPID")" "$out"
	# and the long option, attached file form
	out=$("$NSENTER2" "--$5=/proc/$TPID/ns/$entry" stat -L -c %i "/proc/self/ns/$entry") ||
		fail "nsenter2 --$5=FILE failed"
	expect_eq "$type namespace via --$5=FILE" "$(ns_ino "$entry" "$TPID")" "$out"
}

test_all() {
	require_nsenter2
	start_target --net --uts --ipc --mount --cgroup --time --pid --fork --user --map-root-user
	"$NSENTER2" -t "$TPID" -a sh -c 'for t in net uts ipc mnt cgroup user pid time; do
		echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done' > got || fail "nsenter2 -a failed: $(cat got)"
	for t in net uts ipc mnt cgroup user pid time; do
		echo "$t $(ns_ino $t "$TPID")"
	done > want
	expect_eq "namespaces after -a" "$(cat want)" "$(cat got)"
}

test_all_skips_shared() {
	require_nsenter2
	# only a new net namespace: -a must skip the user namespace we share
	# (re-entering it is EINVAL) and still enter net
	start_target --net
	out=$("$NSENTER2" -t "$TPID" -a --verbose stat -L -c %i /proc/self/ns/net 2>err) ||
		fail "nsenter2 -a: $(cat err)"
	expect_eq "net namespace" "$(ns_ino net "$TPID")" "$out"
	grep -q 'entered user' err && fail "entered our own user namespace: $(cat err)"
	expect_grep "net entered" "entered net namespace $(ns_ino net "$TPID")" err
}

test_attached_vs_spaced() {
	require_nsenter2
	start_target --net
	out=$("$NSENTER2" "-n/proc/$TPID/ns/net" stat -L -c %i /proc/self/ns/net) || fail "-nFILE"
	expect_eq "-nFILE enters FILE" "$(ns_ino net "$TPID")" "$out"
	# with a space, the word is the program
	out=$("$NSENTER2" -t "$TPID" -n stat -L -c %i /proc/self/ns/net) || fail "-n PROGRAM"
	expect_eq "-n then program" "$(ns_ino net "$TPID")" "$out"
}

test_nsid() {
	require_nsenter2
	start_target --net
	id=$(ns_id "/proc/$TPID/ns/net") || skip_test "no NS_GET_ID on this kernel"
	out=$("$NSENTER2" "--net=:$id" stat -L -c %i /proc/self/ns/net 2>err)
	rc=$?
	if [ $rc = 125 ] && grep -q 'not supported' err; then
		skip_test "$(cat err)"
	fi
	expect_eq "exit status" 0 "$rc"
	expect_eq "net namespace by id $id" "$(ns_ino net "$TPID")" "$out"
	expect_status "unknown id" 125 "$NSENTER2" --net=:99999999 true
	expect_grep "message" "no net namespace with id 99999999" "$T/err"
}

test_net_socket() {
	require_nsenter2
	# The target opens a socket in its first network namespace, then
	# moves to a second one: -N must enter the socket's, -n the second.
	start_target --net -- python3 -c '
import ctypes, os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ino = os.stat("/proc/self/ns/net").st_ino
if ctypes.CDLL(None, use_errno=True).unshare(0x40000000) != 0:
    sys.exit(1)
open(sys.argv[1], "w").write("%d %d\n" % (s.fileno(), ino))
time.sleep(1000)' "$T/sock"
	for i in $(seq 100); do [ -s "$T/sock" ] && break; sleep 0.05; done
	read -r fd first < "$T/sock" || fail "target did not start"
	expect_ne "target moved on" "$first" "$(ns_ino net "$TPID")"
	out=$("$NSENTER2" -t "$TPID" -N "$fd" stat -L -c %i /proc/self/ns/net) || fail "-N failed"
	expect_eq "network namespace of the socket" "$first" "$out"
	out=$("$NSENTER2" -t "$TPID" --net-socket="$fd" -n stat -L -c %i /proc/self/ns/net) || fail "--net-socket failed"
	expect_eq "--net-socket wins over -n" "$first" "$out"
	expect_status "not a socket" 125 "$NSENTER2" -t "$TPID" -N 0 true
}

test_user_parent() {
	require_nsenter2
	start_target --user --map-root-user -- unshare --user --map-root-user sleep 1000
	parent=$(ns_parent_ino "/proc/$TPID/ns/user")
	expect_ne "nested" "$parent" "$(ns_ino user)"
	out=$("$NSENTER2" -t "$TPID" -U --user-parent stat -L -c %i /proc/self/ns/user) ||
		fail "--user-parent failed"
	expect_eq "user namespace" "$parent" "$out"
}

# A user namespace with uids/gids 0-999 mapped to 100000-100999.
start_mapped_target() {
	start_target --user "$@"
	echo "0 100000 1000" > "/proc/$TPID/uid_map"
	echo "0 100000 1000" > "/proc/$TPID/gid_map"
}

test_setuid_setgid() {
	require_nsenter2
	start_mapped_target
	out=$("$NSENTER2" -t "$TPID" -U sh -c 'echo $(id -u) $(id -g) $(id -G)') || fail "-U"
	expect_eq "default credentials in the user namespace" "0 0 0" "$out"
	chmod 755 "$T"
	mkdir -m 1777 "$T/w"
	out=$("$NSENTER2" -t "$TPID" -U -S 7 -G 8 sh -c "echo \$(id -u) \$(id -g); touch '$T/w/f'") ||
		fail "-S -G"
	expect_eq "uid/gid" "7 8" "$out"
	# seen from outside: 100007/100008
	expect_eq "owner of a file it made, from outside" "100007 100008" "$(stat -c '%u %g' "$T/w/f")"
}

test_setuid_follow() {
	require_nsenter2
	# the target runs as uid 3 / gid 4 in an identity-mapped namespace
	setpriv --reuid=3 --regid=4 --clear-groups unshare --user sleep 1000 &
	TJOBS="$!"; TPID=$!; trap stop_target EXIT
	for i in $(seq 100); do [ "$(cat /proc/$TPID/comm)" = sleep ] && break; sleep 0.02; done
	echo "0 0 1000" > "/proc/$TPID/uid_map"
	echo "0 0 1000" > "/proc/$TPID/gid_map"
	out=$("$NSENTER2" -t "$TPID" -U -S follow -G follow sh -c 'echo $(id -u) $(id -g)') || fail "follow"
	expect_eq "followed credentials" "3 4" "$out"
	expect_status "bad uid" 125 "$NSENTER2" -t "$TPID" -U -S foo true
}

test_preserve_credentials() {
	require_nsenter2
	start_mapped_target
	# our uid 0 is not mapped in the target: kept, it shows as the
	# overflow uid; without the option we become the namespace's root
	out=$("$NSENTER2" -t "$TPID" -U --preserve-credentials id -u) || fail "--preserve-credentials"
	expect_eq "preserved (unmapped) uid" "$(cat /proc/sys/kernel/overflowuid)" "$out"
	out=$("$NSENTER2" -t "$TPID" -U id -u) || fail "-U"
	expect_eq "default uid" 0 "$out"
}

test_keep_caps() {
	require_nsenter2
	start_mapped_target
	out=$("$NSENTER2" -t "$TPID" -U -S 5 sh -c 'grep ^CapEff /proc/self/status') || fail "-S 5"
	expect_eq "no capabilities after setuid" "CapEff:	0000000000000000" "$out"
	out=$("$NSENTER2" -t "$TPID" -U -S 5 --keep-caps sh -c 'echo $(id -u); grep ^CapEff /proc/self/status') ||
		fail "--keep-caps"
	expect_eq "uid" 5 "$(echo "$out" | head -1)"
	expect_ne "capabilities kept" "CapEff:	0000000000000000" "$(echo "$out" | tail -1)"
}

test_root_and_wd() {
	require_nsenter2
	mkdir -p "$T/rc" "$T/sub/dir"
	# the target's root is a bind of / with a marker on a tmpfs at /mnt,
	# its cwd is /mnt (inside that root)
	start_target --mount -- sh -c "mount --rbind / '$T/rc' && mount -t tmpfs m '$T/rc/mnt' &&
		echo marker > '$T/rc/mnt/marker' && cd '$T/rc' && exec chroot . sh -c 'cd /mnt && exec sleep 1000'"
	for i in $(seq 100); do [ "$(cat /proc/$TPID/comm)" = sleep ] && break; sleep 0.02; done
	out=$("$NSENTER2" -t "$TPID" -m -r cat /mnt/marker) || fail "-m -r"
	expect_eq "file under the target's root" marker "$out"
	out=$("$NSENTER2" -t "$TPID" -m -r pwd) || fail "-r pwd"
	expect_eq "cwd after -r" / "$out"
	out=$("$NSENTER2" -t "$TPID" -m -r -w pwd) || fail "-r -w"
	expect_eq "cwd after -r -w" /mnt "$out"
	"$NSENTER2" -t "$TPID" -m cat /mnt/marker 2>/dev/null && fail "marker visible without -r"
	out=$("$NSENTER2" -t "$TPID" -m pwd) || fail "-m pwd"
	expect_eq "cwd after -m" / "$out"
	out=$("$NSENTER2" -t "$TPID" -m -W /usr pwd) || fail "-W"
	expect_eq "cwd after -W" /usr "$out"
	out=$("$NSENTER2" -t "$TPID" -n --wd="$T/sub/dir" pwd) || true
	out=$("$NSENTER2" -t "$TPID" -u --wd="$T/sub/dir" pwd) || fail "--wd=DIR"
	expect_eq "cwd after --wd=DIR" "$T/sub/dir" "$out"
	out=$("$NSENTER2" -t "$TPID" -u --root="$T/rc" cat /mnt/marker 2>&1) && fail "--root=DIR is ours, not the target's: $out"
	out=$("$NSENTER2" -t "$TPID" -u --root="$T/rc" --wd="$T/sub" pwd 2>&1)
	expect_eq "cwd outside the new root is refused" 125 "$?"
	expect_status "-w and -W" 125 "$NSENTER2" -t "$TPID" -m -w -W / true
}

test_env() {
	require_nsenter2
	mkdir "$T/evil"
	printf '#!/bin/sh\necho EVIL\n' > "$T/evil/id"
	chmod +x "$T/evil/id"
	start_target --net -- env -i "PATH=$T/evil" FOO='bar baz' "$(command -v sleep)" 1000
	out=$("$NSENTER2" -t "$TPID" -n -e env) || fail "-e"
	expect_eq "environment" "PATH=$T/evil
FOO=bar baz" "$out"
	# the command is found with OUR PATH, not the imported one
	out=$("$NSENTER2" -t "$TPID" -n --env id -u) || fail "--env id"
	expect_eq "command resolved with the caller's PATH" 0 "$out"
	out=$(FOO=mine "$NSENTER2" -t "$TPID" -n sh -c 'echo $FOO')
	expect_eq "without -e our environment" mine "$out"
}

test_fork_and_no_fork() {
	require_nsenter2
	start_target --pid --fork
	out=$("$NSENTER2" -t "$TPID" -p sh -c 'stat -L -c %i /proc/self/ns/pid; echo $$')
	expect_eq "pid namespace with fork" "$(ns_ino pid "$TPID")" "$(echo "$out" | head -1)"
	[ "$(echo "$out" | tail -1)" -lt 10 ] || fail "PID inside the namespace should be small: $out"
	out=$("$NSENTER2" -t "$TPID" -p -F sh -c 'stat -L -c %i /proc/$$/ns/pid; stat -L -c %i /proc/$$/ns/pid_for_children')
	expect_eq "-F: the program itself stays" "$(ns_ino pid)" "$(echo "$out" | head -1)"
	expect_eq "-F: its children go in" "$(ns_ino pid "$TPID")" "$(echo "$out" | tail -1)"
}

test_join_cgroup() {
	require_nsenter2
	local cg2 dir
	cg2=$(findmnt -n -t cgroup2 -o TARGET | head -1)
	[ -n "$cg2" ] || skip_test "no cgroup2 mount"
	dir=$(mktemp -d "$cg2/nsu-nsenter2.XXXXXX") || skip_test "cannot create a cgroup under $cg2"
	start_target --net
	echo "$TPID" > "$dir/cgroup.procs" || { rmdir "$dir"; fail "cannot move the target"; }
	out=$("$NSENTER2" -t "$TPID" -n -c cat /proc/self/cgroup | grep '^0::')
	stop_target
	rmdir "$dir"
	expect_eq "cgroup of the program" "0::/${dir#$cg2/}" "$out"
}

test_join_cgroup_no_cgroup2() {
	require_nsenter2
	[ -n "$(findmnt -n -t cgroup2 -o TARGET | head -1)" ] || skip_test "no cgroup2 mount to hide"
	start_target --net
	# in a mount namespace of our own without any cgroup2 mount
	unshare --mount --propagation private sh -c '
		for m in $(findmnt -n -t cgroup2 -o TARGET); do umount -l "$m" || exit 9; done
		"$0" -t "$1" -n -c touch "$2/ran" 2> "$2/err"; echo $? > "$2/rc"' \
		"$NSENTER2" "$TPID" "$T"
	expect_eq "exit status" 125 "$(cat "$T/rc")"
	[ ! -e "$T/ran" ] || fail "the program ran"
	expect_grep "message" "no cgroup2 file system is mounted here" "$T/err"
}

test_pinned() {
	require_nsenter2
	start_target --net --uts
	mkdir -p "$T/pins/web"
	touch "$T/pins/web/net" "$T/pins/web/uts"
	mount --bind "/proc/$TPID/ns/net" "$T/pins/web/net"
	mount --bind "/proc/$TPID/ns/uts" "$T/pins/web/uts"
	start_target --uts
	other_uts=$(ns_ino uts "$TPID")
	got=$(NSPIN_DIR="$T/pins" "$NSENTER2" --pinned web sh -c 'stat -L -c %i /proc/self/ns/net /proc/self/ns/uts' 2>&1)
	got2=$("$NSENTER2" --pinned "$T/pins/web" stat -L -c %i /proc/self/ns/net 2>&1)
	got3=$(NSPIN_DIR="$T/pins" "$NSENTER2" --pinned web -t "$TPID" -u stat -L -c %i /proc/self/ns/uts 2>&1)
	want_net=$(stat -L -c %i "$T/pins/web/net"); want_uts=$(stat -L -c %i "$T/pins/web/uts")
	umount "$T/pins/web/uts"
	# a stale pin: the file is there, nothing is mounted on it
	NSPIN_DIR="$T/pins" "$NSENTER2" --pinned web --uts="$T/pins/web/uts" true 2> stale
	stale_rc=$?
	umount "$T/pins/web/net"
	expect_eq "pinned set" "$want_net
$want_uts" "$got"
	expect_eq "pin directory by path" "$want_net" "$got2"
	expect_eq "-u overrides the pin" "$other_uts" "$got3"
	expect_eq "stale pin file: exit status" 125 "$stale_rc"
	expect_grep "stale pin message" "not a namespace file.*stale pin" stale
	NSPIN_DIR="$T/pins" "$NSENTER2" --pinned nosuch true 2> err
	expect_eq "unknown pin" 125 "$?"
}

test_mount_proc() {
	require_nsenter2
	start_target --pid --fork
	out=$("$NSENTER2" -t "$TPID" -p --mount-proc sh -c 'read -r pid _ < /proc/self/stat; echo $pid $$; cat /proc/1/comm')
	expect_eq "/proc/self is the shell's PID inside" "2 2" "$(echo "$out" | head -1)"
	expect_eq "/proc/1 is the target" sleep "$(echo "$out" | tail -1)"
	out=$("$NSENTER2" -t "$TPID" -p cat /proc/1/comm)
	expect_ne "without --mount-proc /proc is ours" sleep "$out"
	expect_status "--mount-proc without -p" 125 "$NSENTER2" -t "$TPID" -u --mount-proc true
}

test_verbose() {
	require_nsenter2
	start_target --net --uts
	"$NSENTER2" -t "$TPID" -n -u --verbose true 2> err || fail "--verbose"
	expect_grep "net line" "^nsenter2: entered net namespace $(ns_ino net "$TPID") from PID $TPID" err
	expect_grep "uts line" "^nsenter2: entered uts namespace $(ns_ino uts "$TPID") from PID $TPID" err
}

test_default_shell() {
	require_nsenter2
	start_target --net
	out=$(echo 'stat -L -c %i /proc/self/ns/net' | SHELL=/bin/sh "$NSENTER2" -t "$TPID" -n)
	expect_eq "default program is \$SHELL" "$(ns_ino net "$TPID")" "$out"
}

test_help_version() {
	require_nsenter2
	expect_status "--help" 0 "$NSENTER2" --help
	expect_grep "usage" "^Usage:" "$T/out"
	expect_grep "man page" "nsenter2\(1\)" "$T/out"
	awk 'length > 80 { exit 1 }' "$T/out" || fail "help wider than 80 columns"
	expect_status "--version" 0 "$NSENTER2" --version
	expect_grep "version" "^nsenter2 from nsutil " "$T/out"
	expect_status "unknown option" 125 "$NSENTER2" --bogus
	expect_grep "try" "Try 'nsenter2 --help'" "$T/err"
}

run_test "-m enters the target's mount namespace" test_type mnt m --mount mnt mount
run_test "-u enters the target's UTS namespace" test_type uts u --uts uts uts
run_test "-i enters the target's IPC namespace" test_type ipc i --ipc ipc ipc
run_test "-n enters the target's network namespace" test_type net n --net net net
run_test "-p enters the target's PID namespace" test_type pid p "--pid --fork" pid pid
run_test "-U enters the target's user namespace" test_type user U "--user --map-root-user" user user
run_test "-C enters the target's cgroup namespace" test_type cgroup C --cgroup cgroup cgroup
run_test "-T enters the target's time namespace" test_type time T "--time --fork" time time
run_test "-a enters every namespace of the target" test_all
run_test "-a skips namespaces we share (our user namespace)" test_all_skips_shared
run_test "-nFILE attached is a file, -n PROGRAM is the program" test_attached_vs_spaced
run_test "--net=:NSID enters a namespace by its 64-bit id" test_nsid
run_test "-N/--net-socket enters the namespace of the target's socket" test_net_socket
run_test "--user-parent enters the parent user namespace" test_user_parent
run_test "-S/-G set uid and gid in the user namespace" test_setuid_setgid
run_test "-S follow / -G follow take the target's ids" test_setuid_follow
run_test "--preserve-credentials keeps our ids" test_preserve_credentials
run_test "--keep-caps keeps capabilities after -S" test_keep_caps
run_test "-r, -w, -W and --wd=DIR set root and cwd" test_root_and_wd
run_test "-e imports the environment, command found with our PATH" test_env
run_test "PID namespace: fork by default, -F does not" test_fork_and_no_fork
run_test "-c joins the target's cgroup (cgroup2 from mountinfo)" test_join_cgroup
run_test "-c without a cgroup2 mount says so" test_join_cgroup_no_cgroup2
run_test "--pinned NAME/DIR enters a pinned set, per-type options override" test_pinned
run_test "--mount-proc gives a /proc of the PID namespace" test_mount_proc
run_test "--verbose says what was entered" test_verbose
run_test "no program runs \$SHELL" test_default_shell
run_test "--help, --version, unknown option" test_help_version
finish
