# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh - TAP harness for the nsutil CLI tests. Source it from a .t script:
#
#   . "$(dirname "$0")/lib.sh"
#   test_foo() { ...; }   # runs in a subshell in $T: exit/return 0 pass,
#                         # fail "why" / non-zero fails, skip_test "why" skips
#   run_test "what it checks" test_foo
#   finish
#
# The whole script runs as root inside throwaway namespaces (mount with
# private propagation, PID with its own /proc, UTS, IPC, net, cgroup), so
# nothing it does can reach the host: its mounts and processes die with it.
# Each test gets a fresh directory $T on a private tmpfs. After each test the
# harness compares the mount table, the processes and $T's parent with what
# was there before: any residue fails the test. After the isolated run, the
# outer script checks that the host's mount table is unchanged.
#
# Tools: $NSUNSHARE, $NSENTER2, $NSLIST, $NSPIN (absolute paths, from the
# build; meson sets NSU_<TOOL>).

set -u

NSUNSHARE=${NSU_NSUNSHARE:-}
NSENTER2=${NSU_NSENTER2:-}
NSLIST=${NSU_NSLIST:-}
NSPIN=${NSU_NSPIN:-}
export NSUNSHARE NSENTER2 NSLIST NSPIN

# Unprivileged user for the unprivileged paths (setpriv drops to it).
NSU_TEST_UID=${NSU_TEST_UID:-65534}
NSU_TEST_GID=${NSU_TEST_GID:-65534}

_tap_n=0
_tap_failed=0
_tap_skipped=0

# --- outer part: run ourselves isolated, then check the host -------------

_host_mounts() {
	# mount points and their sources, sorted: what "left untouched" means
	awk '{ print $5, $9, $10 }' /proc/self/mountinfo | sort
}

if [ -z "${NSU_TEST_ISOLATED:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP the CLI tests need root (they create real namespaces)"
		exit 0
	fi
	if ! command -v unshare >/dev/null; then
		echo "1..0 # SKIP unshare(1) is needed to isolate the tests"
		exit 0
	fi
	_before=$(_host_mounts)
	_count=$(mktemp "${TMPDIR:-/tmp}/nsu-tap.XXXXXX")
	NSU_TEST_ISOLATED=1 NSU_TEST_COUNT_FILE=$_count \
		unshare --mount --propagation private --pid --fork --mount-proc \
		--uts --ipc --net --cgroup -- bash "$0" "$@"
	_rc=$?
	_n=$(cat "$_count" 2>/dev/null || echo 0)
	rm -f "$_count"
	case $_n in ''|*[!0-9]*) _n=0 ;; esac
	_n=$((_n + 1))
	if [ "$(_host_mounts)" = "$_before" ]; then
		echo "ok $_n - host mount table untouched"
	else
		echo "not ok $_n - host mount table untouched"
		diff <(echo "$_before") <(_host_mounts) | sed 's/^/# /'
		_rc=1
	fi
	echo "1..$_n"
	exit $_rc
fi

# --- inner part: isolated --------------------------------------------------

# A private tmpfs for the tests' files: nothing can be left on the host disk.
NSU_TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/nsu-cli.XXXXXX")
mount -t tmpfs -o mode=0755 nsu-cli "$NSU_TEST_ROOT"
mkdir "$NSU_TEST_ROOT/.harness"
# /run is where nspin keeps pins by default: give the tests their own.
mount -t tmpfs -o mode=0755 nsu-run /run
# The root must not be shared even if unshare(1) got it wrong.
mount --make-rprivate /

# NSU_FAULTS (e.g. from `meson test --setup oldkernel`): the tools run under
# nsu-fault, so they see an old kernel; tests can ask fault_active NAME.
if [ -n "${NSU_FAULTS:-}" ] && [ -x "${NSU_FAULT:-}" ]; then
	mkdir "$NSU_TEST_ROOT/.harness/bin"
	for _v in NSUNSHARE NSENTER2 NSLIST NSPIN; do
		[ -n "${!_v}" ] || continue
		_w=$NSU_TEST_ROOT/.harness/bin/$(basename "${!_v}")
		printf '#!/bin/sh\nexec "%s" "%s" -- "%s" "$@"\n' \
			"$NSU_FAULT" "$NSU_FAULTS" "${!_v}" > "$_w"
		chmod +x "$_w"
		printf -v "$_v" %s "$_w"
	done
	echo "# tools run under nsu-fault: $NSU_FAULTS"
fi
fault_active() {
	case ",${NSU_FAULTS:-}," in *",$1="*) return 0 ;; esac
	return 1
}

_cleanup_inner() {
	cd /
	umount -l "$NSU_TEST_ROOT" 2>/dev/null
	rmdir "$NSU_TEST_ROOT" 2>/dev/null
	[ -n "${NSU_TEST_COUNT_FILE:-}" ] && echo "$_tap_n" > "$NSU_TEST_COUNT_FILE"
}
trap _cleanup_inner EXIT

# The state that must be the same before and after every test. Runs in a
# command substitution: the process list is read with builtins only, so the
# snapshot itself shows up as exactly one process ($BASHPID), skipped.
_snapshot() {
	local p ppid comm
	awk '{ print $5 }' /proc/self/mountinfo | sort
	echo "--- processes"
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = 1 ] || [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
		read -r _ _ _ ppid _ < "/proc/$p/stat" 2>/dev/null || continue
		[ "$ppid" = "$BASHPID" ] && continue
		read -r comm < "/proc/$p/comm" 2>/dev/null || continue
		echo "$p $comm"
	done
	echo "--- files"
	ls -A "$NSU_TEST_ROOT" | grep -vx '.harness'
}

# Kill the processes listed in snapshot AFTER but not in BEFORE.
_kill_new() {
	local pid
	for pid in $(diff <(echo "$1" | sed -n '/^--- processes/,/^--- files/p') \
			  <(echo "$2" | sed -n '/^--- processes/,/^--- files/p') |
		     sed -n 's/^> \([0-9][0-9]*\) .*/\1/p'); do
		kill -KILL "$pid" 2>/dev/null
	done
}

# run_test DESCRIPTION FUNCTION [ARGS...]
run_test() {
	local desc=$1 fn=$2 before after rc out
	shift 2
	_tap_n=$((_tap_n + 1))
	before=$(_snapshot)
	T=$(mktemp -d "$NSU_TEST_ROOT/t.XXXXXX")
	export T
	_skip_reason=
	out=$(mktemp "$NSU_TEST_ROOT/.harness/out.XXXXXX")
	( cd "$T" && "$fn" "$@" ) > "$out" 2>&1
	rc=$?
	# the test's own files go; what it mounted or started must be gone
	# already, so residue is checked before anything else is removed
	rm -rf "$T" 2>/dev/null
	after=$(_snapshot)
	if [ $rc = 77 ]; then
		_skip_reason=$(sed -n 's/^SKIP: //p' "$out" | tail -n 1)
		echo "ok $_tap_n - $desc # SKIP ${_skip_reason:-skipped}"
		_tap_skipped=$((_tap_skipped + 1))
	elif [ $rc = 0 ] && [ "$before" = "$after" ]; then
		echo "ok $_tap_n - $desc"
	else
		echo "not ok $_tap_n - $desc"
		sed 's/^/# /' "$out"
		if [ "$before" != "$after" ]; then
			echo "# residue left behind:"
			diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'
		fi
		_tap_failed=$((_tap_failed + 1))
		# do not let one test's stray processes fail the next ones
		_kill_new "$before" "$after"
	fi
	rm -f "$out"
}

# Inside a test: skip with a reason (printed, then exit 77).
skip_test() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: expected '$2', got '$3'"
		exit 1
	fi
}

expect_ne() {
	if [ "$2" = "$3" ]; then
		echo "FAIL: $1: expected something other than '$2'"
		exit 1
	fi
}

# expect_status WHAT EXPECTED CMD...: run CMD, compare its exit status;
# its stdout and stderr are kept in $T/out and $T/err.
expect_status() {
	local what=$1 want=$2 got
	shift 2
	"$@" > "$T/out" 2> "$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit status $got, expected $want; command: $*"
		sed 's/^/  stdout: /' "$T/out"
		sed 's/^/  stderr: /' "$T/err"
		exit 1
	fi
}

# expect_grep WHAT PATTERN FILE
expect_grep() {
	if ! grep -qE -- "$2" "$3"; then
		echo "FAIL: $1: /$2/ not found in $3:"
		sed 's/^/  | /' "$3"
		exit 1
	fi
}

# The namespace inode of TYPE for PID (or self).
ns_ino() {
	stat -L -c %i "/proc/${2:-self}/ns/$1"
}

# Run a command as the unprivileged test user (no capabilities, no groups).
as_user() {
	setpriv --reuid="$NSU_TEST_UID" --regid="$NSU_TEST_GID" --clear-groups \
		--inh-caps=-all -- "$@"
}

# Whether unprivileged users may create user namespaces on this machine.
have_unpriv_userns() {
	as_user unshare --user true 2>/dev/null
}

# require_tool VAR: skip the test when a tool was not built.
require_tool() {
	local path=${!1:-}
	[ -n "$path" ] && [ -x "$path" ] || skip_test "$1 is not built"
}

finish() {
	echo "# $_tap_n tests, $_tap_failed failed, $_tap_skipped skipped"
	[ $_tap_failed = 0 ]
}
