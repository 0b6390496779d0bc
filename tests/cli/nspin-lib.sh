# SPDX-License-Identifier: LGPL-2.1-or-later
# nspin-lib.sh - helpers shared by the nspin CLI tests (sourced after lib.sh).

# Set the default registry up once, before the first test: its two mounts
# (/run/nspin and /run/nspin/.mnt) are then part of every test's "before"
# snapshot, and a test is judged on the pins it leaves, not on the registry.
nspin_prepare_registry() {
	[ -n "$NSPIN" ] && [ -x "$NSPIN" ] || return 0
	"$NSPIN" add _prepare -t uts --new && "$NSPIN" rm _prepare
}

# count_mounts [MOUNTPOINT]: mount table lines (on MOUNTPOINT only).
count_mounts() {
	if [ $# = 0 ]; then
		wc -l < /proc/self/mountinfo
	else
		awk -v p="$1" '$5 == p' /proc/self/mountinfo | wc -l
	fi
}

# pin_path NAME TYPE [DIR]: where the registry keeps NAME's TYPE pin.
pin_path() {
	local dir=${3:-/run/nspin}
	if [ "$2" = mnt ]; then echo "$dir/.mnt/$1"; else echo "$dir/$1/$2"; fi
}

# join_pin TYPE FILE: enter the namespace pinned on FILE with util-linux
# nsenter and print the inode of that namespace as seen from inside.
join_pin() {
	local t=$1 f=$2
	case $t in
	mnt) nsenter --mount="$f" stat -L -c %i /proc/self/ns/mnt ;;
	user) nsenter --user="$f" --preserve-credentials stat -L -c %i /proc/self/ns/user ;;
	*) nsenter --"$t"="$f" stat -L -c %i "/proc/self/ns/$t" ;;
	esac 2>&1
}

# The kernel's id of PID's mount namespace (NS_GET_MNTNS_ID).
mntns_id() {
	python3 -c '
import fcntl, os, struct, sys
fd = os.open("/proc/%s/ns/mnt" % sys.argv[1], os.O_RDONLY)
print(struct.unpack("Q", fcntl.ioctl(fd, 0x8008b705, bytes(8)))[0])' "${1:-self}"
}

# wait_ns_differs TYPE PID: until PID has left our TYPE namespace.
wait_ns_differs() {
	local i
	for i in $(seq 100); do
		[ -e "/proc/$2/ns/$1" ] && [ "$(ns_ino "$1" "$2")" != "$(ns_ino "$1")" ] && return 0
		sleep 0.05
	done
	fail "PID $2 never left our $1 namespace"
}

# newer_than_ours PID: whether PID's mount namespace has a greater id than
# ours, i.e. whether the kernel lets us pin it.
newer_than_ours() {
	[ "$(mntns_id "$1")" -gt "$(mntns_id)" ]
}

# spawn_in_newer_mntns VAR CMD...: start CMD in the background in a new
# mount namespace whose id is greater than ours (mount-namespace ids come in
# per-CPU batches, so try CPU after CPU until one hands out a newer id);
# the PID of the process in the new namespace goes into VAR.
spawn_in_newer_mntns() {
	local _var=$1 _pid _n _cpu _tries=0
	shift
	_n=$(nproc)
	while [ $_tries -lt 50 ]; do
		_cpu=$((_tries % _n))
		taskset -c "$_cpu" "$@" &
		_pid=$!
		wait_ns_differs mnt "$_pid"
		if newer_than_ours "$_pid"; then
			eval "$_var=$_pid"
			return 0
		fi
		kill -KILL "$_pid"
		wait "$_pid" 2>/dev/null
		_tries=$((_tries + 1))
	done
	fail "no mount namespace newer than ours after $_tries tries"
}

spawn_newer_mntns() {
	spawn_in_newer_mntns "$1" unshare --mount sleep 1000
}

# spawn_target_all INITVAR TARGETVAR: a process in new namespaces of all 8
# types (its mount namespace newer than ours), and the init of its PID
# namespace, which stays when the target is killed.
spawn_target_all() {
	local _u _sh _t _i
	spawn_in_newer_mntns _u unshare --user --mount --uts --ipc --net --pid \
		--cgroup --time --fork --kill-child sh -c 'sleep 1000 & exec sleep 1001'
	for _i in $(seq 100); do
		_sh=$(pgrep -P "$_u" | head -n 1)
		[ -n "$_sh" ] && _t=$(pgrep -P "$_sh" | head -n 1)
		[ -n "$_t" ] && [ "$(ns_ino pid "$_t")" != "$(ns_ino pid)" ] && break
		sleep 0.05
	done
	[ -n "$_t" ] || fail "target process did not start"
	eval "$1=$_sh; $2=$_t"
}

# After rm of a PID-namespace pin its init is killed; let our PID 1 reap it
# before the harness takes its after-test snapshot.
settle_inits() {
	local i
	for i in $(seq 100); do
		pgrep -x nspin-init >/dev/null || return 0
		sleep 0.05
	done
}

# cleanup_pins NAME...: on leaving the test (pass or fail), release these
# pins so that one failure does not leave residue for the next tests.
cleanup_pins() {
	_nspin_cleanup=("$@")
	trap '"$NSPIN" rm "${_nspin_cleanup[@]}" >/dev/null 2>&1; settle_inits' EXIT
}
