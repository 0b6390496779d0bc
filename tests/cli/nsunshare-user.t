#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nsunshare-user.t - user namespaces and id maps, as root and unprivileged
# (uid 65534), directly and through newuidmap/newgidmap.
. "$(dirname "$0")/lib.sh"

map_of() { tr -s ' ' < "$1" | sed 's/^ //'; }

test_root_maps() {
	expect_status "-r" 0 "$NSUNSHARE" -r sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u'
	expect_eq "maps, setgroups and uid" "0 0 1 0 0 1 deny 0" "$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "-c" 0 "$NSUNSHARE" -c cat /proc/self/uid_map
	expect_eq "-c as root" "0 0 1" "$(map_of "$T/out")"
	expect_status "--map-user --map-group" 0 "$NSUNSHARE" --map-user=1000 --map-group=2000 sh -c 'id -u; id -g; cat /proc/self/gid_map'
	expect_eq "mapped ids" "1000 2000 2000 0 1" "$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "--map-users/--map-groups ranges" 0 "$NSUNSHARE" --map-users=0:100000:65536 \
		--map-groups=100000,0,65536 sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	expect_eq "ranges" "0 100000 65536 0 100000 65536 allow" "$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "--map-users=all" 0 "$NSUNSHARE" --map-users=all cat /proc/self/uid_map
	expect_eq "identity map" "$(map_of /proc/self/uid_map)" "$(map_of "$T/out")"
	expect_status "range plus single mapping" 0 "$NSUNSHARE" --map-users=0:100000:10 --map-user=5 cat /proc/self/uid_map
	expect_eq "the single id is taken out of the range" "0 100000 5 6 100006 4 5 0 1" \
		"$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "outside view of the child's uid_map" 0 "$NSUNSHARE" -r -f sh -c 'echo $$ > "$T/pid"; cat /proc/self/uid_map'
}

test_setgroups() {
	expect_status "--setgroups deny" 0 "$NSUNSHARE" -U --setgroups deny cat /proc/self/setgroups
	expect_eq "setgroups" deny "$(cat "$T/out")"
	expect_status "--setgroups allow" 0 "$NSUNSHARE" -U --setgroups allow cat /proc/self/setgroups
	expect_eq "setgroups" allow "$(cat "$T/out")"
	expect_status "allow with -r" 125 "$NSUNSHARE" -r --setgroups allow true
	expect_grep "message" 'setgroups allow cannot be combined' "$T/err"
	expect_status "--setgroups without -U" 125 "$NSUNSHARE" -n --setgroups deny true
}

test_owner() {
	local pid child="" uid owner
	"$NSUNSHARE" --owner 65534:65534 -r -f sleep 100 & pid=$!
	for i in $(seq 100); do child=$(pgrep -P "$pid" -x sleep | head -n 1); [ -n "$child" ] && break; sleep 0.05; done
	[ -n "$child" ] || { kill "$pid"; fail "no child"; }
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$child/status")
	owner=$(nsenter --user -t "$child" --preserve-credentials cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')
	kill "$child"; wait "$pid"
	expect_eq "outside uid of the program" 65534 "$uid"
	expect_eq "map written by the privileged helper" "0 0 1" "$owner"
}

test_unpriv_map_root() {
	have_unpriv_userns || skip_test "unprivileged user namespaces are disabled"
	expect_status "as_user -r" 0 as_user "$NSUNSHARE" -r sh -c 'id -u; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	expect_eq "map" "0 0 65534 1 0 65534 1 deny" "$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "as_user -c -n -u" 0 as_user "$NSUNSHARE" -c -n -u sh -c 'id -u; cat /proc/self/uid_map'
	expect_eq "map" "65534 65534 65534 1" "$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "as_user without -U" 125 as_user "$NSUNSHARE" -n true
	expect_grep "hint" 'cannot create net namespace: Operation not permitted \(creating this namespace needs CAP_SYS_ADMIN' "$T/err"
	expect_status "as_user -r --keep-caps" 0 as_user "$NSUNSHARE" -r --keep-caps grep ^CapAmb /proc/self/status
	expect_ne "ambient capabilities" "CapAmb:	0000000000000000" "$(cat "$T/out")"
}

# Private copies of /etc/subuid and /etc/subgid (our mount namespace is
# private, so the host's files are untouched) with a range for 65534.
with_subids() {
	local name
	name=$(getent passwd "$NSU_TEST_UID" | cut -d: -f1)
	[ -n "$name" ] || name=$NSU_TEST_UID
	echo "$name:200000:65536" > "$T/subuid"
	echo "$name:300000:65536" > "$T/subgid"
	touch /etc/subuid /etc/subgid 2>/dev/null
	mount --bind "$T/subuid" /etc/subuid
	mount --bind "$T/subgid" /etc/subgid
}
without_subids() {
	umount /etc/subuid /etc/subgid
}

require_newuidmap() {
	have_unpriv_userns || skip_test "unprivileged user namespaces are disabled"
	[ -u /usr/bin/newuidmap ] && [ -u /usr/bin/newgidmap ] ||
		skip_test "newuidmap/newgidmap (package uidmap) not installed set-uid"
	dpkg -S /usr/bin/newuidmap 2>/dev/null | grep -q '^uidmap:' ||
		skip_test "/usr/bin/newuidmap is not from the uidmap package"
}

test_newuidmap_auto() {
	require_newuidmap
	with_subids
	expect_status "as_user --map-auto" 0 as_user "$NSUNSHARE" --map-auto sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
	without_subids
	expect_eq "maps from the subordinate ranges" "0 200000 65536 0 300000 65536" \
		"$(map_of "$T/out" | tr '\n' ' ' | sed 's/ $//')"
}

test_newuidmap_subids() {
	require_newuidmap
	with_subids
	expect_status "as_user --map-subids" 0 as_user "$NSUNSHARE" --map-subids sh -c 'id -u; cat /proc/self/uid_map'
	cp "$T/out" "$T/out1"
	expect_status "as_user --map-users range" 0 as_user "$NSUNSHARE" --map-users=1:200000:100 --map-user=0 --map-groups=0:300000:10 -f cat /proc/self/uid_map
	cp "$T/out" "$T/out2"
	without_subids
	expect_eq "ourselves as 0, the range from 1" "0 0 65534 1 1 200000 65536" "$(map_of "$T/out1" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "range and single mapping" "1 200000 100 0 65534 1" "$(map_of "$T/out2" | tr '\n' ' ' | sed 's/ $//')"
}

test_newuidmap_error_relayed() {
	require_newuidmap
	with_subids
	expect_status "outside our subordinate range" 125 as_user "$NSUNSHARE" --map-users=0:500000:10 true
	without_subids
	expect_grep "newuidmap's own message" '^newuidmap: ' "$T/err"
	expect_grep "our line" '^nsunshare: newuidmap failed for user namespace: /usr/bin/newuidmap exited with status 1' "$T/err"
}

test_no_subids() {
	have_unpriv_userns || skip_test "unprivileged user namespaces are disabled"
	mount --bind /dev/null /etc/subuid 2>/dev/null || { touch "$T/e"; mount --bind "$T/e" /etc/subuid; }
	expect_status "--map-auto without a range" 125 as_user "$NSUNSHARE" --map-auto true
	umount /etc/subuid
	expect_grep "message" 'no subordinate ID range' "$T/err"
}

test_enospc_hint() {
	# the limit is per user namespace: lower it in a throwaway one
	unshare -U -r -m -p -f --mount-proc sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" -U true' \
		"$NSUNSHARE" > "$T/out" 2> "$T/err"
	expect_eq "exit status" 125 "$?"
	expect_grep "one line: operation, namespace, cause and hint" \
		'^nsunshare: cannot create user namespace: No space left on device \(user namespace limit reached: check user.max_user_namespaces' "$T/err"
	expect_eq "one line" 1 "$(wc -l < "$T/err")"
}

run_test "maps written as root: -r, -c, --map-user/group, ranges, all" test_root_maps
run_test "--setgroups" test_setgroups
run_test "--owner makes the user namespace someone else's" test_owner
run_test "unprivileged -r and -c write their own maps" test_unpriv_map_root
run_test "unprivileged --map-auto goes through newuidmap/newgidmap" test_newuidmap_auto
run_test "unprivileged --map-subids and ranges" test_newuidmap_subids
run_test "newuidmap's error is relayed" test_newuidmap_error_relayed
run_test "--map-auto without a subordinate range fails early" test_no_subids
run_test "ENOSPC on a user namespace explains user.max_user_namespaces" test_enospc_hint
finish
