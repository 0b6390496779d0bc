#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nslist.t - nslist against real namespaces in the harness's private PID
# namespace (own /proc), so the rows it must print are known exactly.
. "$(dirname "$0")/lib.sh"

TYPES="mnt net ipc user pid uts cgroup time"

# Start "unshare ARGS... sleep 1000" in the background and set $P to the
# process that lists as "sleep 1000" (unshare without --fork execs it; with
# --fork it is unshare's child). Waits until it runs.
start_in() {
	unshare "$@" sleep 1000 > /dev/null 2>&1 &
	local pid=$! i
	P=
	for i in $(seq 200); do
		if [ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ]; then
			P=$pid
		else
			P=$(pgrep -x sleep -P "$pid")
		fi
		[ -n "$P" ] && break
		sleep 0.05
	done
	[ -n "$P" ] || fail "unshare $* did not start"
	STARTED=$pid
}

stop() {
	local p
	for p in "$@"; do kill -KILL "$p" 2>/dev/null; done
	for p in "$@"; do wait "$p" 2>/dev/null; done
	return 0
}

# stop_forked CHILD PARENT: kill the child of an "unshare --fork" and let
# the unshare (our own child) reap it and exit, so no zombie is left for the
# harness to find.
stop_forked() {
	kill -KILL "$1" 2>/dev/null
	wait "$2" 2>/dev/null
	return 0
}

test_default_listing() {
	require_tool NSLIST
	expect_status "plain nslist" 0 "$NSLIST"
	expect_grep "header" '^ +NS +TYPE +NPROCS +PID +USER +COMMAND$' "$T/out"
	local t
	for t in $TYPES; do
		expect_grep "row for our $t namespace" "^ *$(ns_ino $t) +$t " "$T/out"
	done
}

test_rows_exact() {
	require_tool NSLIST
	local p ino out
	start_in --net --uts; p=$P
	ino=$(ns_ino net "$p")
	out=$("$NSLIST" -l -n -r -o NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND -t net)
	expect_eq "new net namespace row" "$ino net 1 $p $BASHPID 0 root sleep\\x201000" \
		"$(echo "$out" | grep "^$ino ")"
	stop "$p"
}

test_differential_lsns() {
	require_tool NSLIST
	command -v lsns >/dev/null || skip_test "lsns not installed"
	local a b c cu cols
	start_in --net --ipc; a=$P
	start_in --uts --mount; b=$P
	start_in --cgroup --pid --fork; c=$P; cu=$STARTED
	# each tool straight into a file: no pipeline processes that come and
	# go between the two scans (each tool counts itself, the same way)
	for cols in NS,TYPE,NPROCS NS,PID,PPID,UID,USER,PATH NS,PNS,ONS,NETNSID; do
		lsns -l -n -r -o "$cols" > "$T/lsns"
		"$NSLIST" -l -n -r -o "$cols" > "$T/ours"
		expect_eq "$cols as lsns" "$(sort "$T/lsns")" "$(sort "$T/ours")"
	done
	stop "$a" "$b"
	stop_forked "$c" "$cu"
}

test_default_output_as_lsns() {
	require_tool NSLIST
	command -v lsns >/dev/null || skip_test "lsns not installed"
	local a b c au args
	start_in --net --uts; a=$P
	start_in --user --ipc; b=$P
	start_in --pid --fork --mount-proc; c=$P; au=$STARTED
	# the same text, trees included; each tool straight into a file so
	# that the process set is the same for both
	for args in "" "-J" "-T -o NS,TYPE,NPROCS,PID" "-J --tree=parent -o NS,TYPE,PNS,ONS" \
		    "-l -o NS,TYPE,PATH,NPROCS,PID,PPID,UID,USER,PNS,ONS"; do
		LC_ALL=C lsns $args > "$T/lsns"
		LC_ALL=C "$NSLIST" $args > "$T/ours"
		expect_eq "output of '$args'" "$(cat "$T/lsns")" "$(cat "$T/ours")"
	done
	# a namespace's processes; each lists itself last (the newest PID)
	lsns -o PID,PPID,USER "$(ns_ino pid)" > "$T/lsns"
	"$NSLIST" -o PID,PPID,USER "$(ns_ino pid)" > "$T/ours"
	expect_eq "namespace argument" "$(head -n -1 "$T/lsns")" "$(head -n -1 "$T/ours")"
	stop "$a" "$b"
	stop_forked "$c" "$au"
}

test_json_parity() {
	require_tool NSLIST
	command -v lsns >/dev/null || skip_test "lsns not installed"
	local p cols=NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS
	start_in --net --user; p=$P
	"$NSLIST" -J -l -o "$cols" > "$T/ours.json" || fail "nslist -J failed"
	lsns -J -l -o "$cols" > "$T/lsns.json" || fail "lsns -J failed"
	python3 -c 'import json,sys; json.load(sys.stdin)' < "$T/ours.json" || fail "invalid JSON"
	python3 - "$T/ours.json" "$T/lsns.json" <<'EOF' || fail "JSON differs from lsns"
import json, sys
ours = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))
assert list(ours) == ["namespaces"], list(ours)
def index(d):
    return {(r["ns"], r["type"]): r for r in d["namespaces"]}
o, r = index(ours), index(ref)
assert set(o) == set(r), (set(o) ^ set(r))
for k in r:
    assert list(o[k]) == list(r[k]), (k, list(o[k]), list(r[k]))
    for key in r[k]:
        a, b = o[k][key], r[k][key]
        # same JSON type (null matches null only)
        assert type(a) == type(b), (k, key, a, b)
        assert a == b, (k, key, a, b)
EOF
	stop "$p"
}

test_json_tree_children() {
	require_tool NSLIST
	local p
	start_in --pid --fork; p=$P; pu=$STARTED
	"$NSLIST" -J --tree=parent -t pid -o NS,PNS > "$T/j" || fail "nslist failed"
	python3 - "$T/j" "$(ns_ino pid)" "$(ns_ino pid "$p")" <<'EOF' || fail "no children"
import json, sys
d = json.load(open(sys.argv[1]))
top = [r for r in d["namespaces"] if r["ns"] == int(sys.argv[2])]
assert len(top) == 1, d
kids = [c["ns"] for c in top[0].get("children", [])]
assert int(sys.argv[3]) in kids, kids
assert all(c["pns"] == int(sys.argv[2]) for c in top[0]["children"])
EOF
	stop_forked "$p" "$pu"
}

test_tree_owner() {
	require_tool NSLIST
	local p user net
	start_in --user --net; p=$P
	user=$(ns_ino user "$p")
	net=$(ns_ino net "$p")
	"$NSLIST" -J --tree=owner -o NS,TYPE,ONS > "$T/j" || fail "nslist failed"
	python3 - "$T/j" "$user" "$net" <<'EOF' || fail "net not under its owner"
import json, sys
d = json.load(open(sys.argv[1]))
def find(rows, ns):
    for r in rows:
        if r["ns"] == ns:
            return r
        x = find(r.get("children", []), ns)
        if x:
            return x
u = find(d["namespaces"], int(sys.argv[2]))
assert u and u["type"] == "user", u
assert int(sys.argv[3]) in [c["ns"] for c in u.get("children", [])], u
EOF
	stop "$p"
}

test_tree_ghost_user_namespace() {
	require_tool NSLIST
	local p outer inner net
	# the outer user namespace keeps no process: all live in the inner one
	unshare --user --map-root-user sh -c \
		'exec unshare --user --map-root-user --net sleep 1000' > /dev/null 2>&1 &
	p=$!
	for i in $(seq 100); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] &&
			[ "$(ns_ino net "$p")" != "$(ns_ino net)" ] && break
		sleep 0.05
	done
	inner=$(ns_ino user "$p")
	net=$(ns_ino net "$p")
	outer=$("$NSLIST" -l -n -r -o PNS -t user -Q "NS == $inner")
	[ -n "$outer" ] && [ "$outer" != 0 ] || { stop "$p"; fail "no parent for $inner"; }
	# the plain listing cannot see it; the owner tree asks the kernel
	expect_eq "not in the list" "" "$("$NSLIST" -l -n -r -o NS -Q "NS == $outer")"
	"$NSLIST" -J -T -o NS,TYPE,NPROCS,PID > "$T/j" || fail "nslist -T failed"
	python3 - "$T/j" "$outer" "$inner" "$net" <<'EOF' || fail "owner tree"
import json, sys
d = json.load(open(sys.argv[1]))
outer, inner, net = map(int, sys.argv[2:])
def find(rows, ns):
    for r in rows:
        if r["ns"] == ns:
            return r
        x = find(r.get("children", []), ns)
        if x:
            return x
o = find(d["namespaces"], outer)
assert o and o["type"] == "user" and o["nprocs"] == 0 and o["pid"] is None, o
i = [c for c in o.get("children", []) if c["ns"] == inner]
assert i and i[0]["nprocs"] == 1, o
assert net in [c["ns"] for c in i[0].get("children", [])], i
EOF
	if command -v lsns >/dev/null; then
		lsns -T -o NS,TYPE,NPROCS,PID > "$T/lsns"
		"$NSLIST" -T -o NS,TYPE,NPROCS,PID > "$T/ours"
		expect_eq "as lsns" "$(cat "$T/lsns")" "$(cat "$T/ours")"
	fi
	stop "$p"
}

test_process_tree_text() {
	require_tool NSLIST
	local p
	start_in --pid --fork --mount-proc; p=$P; pu=$STARTED
	# the sleep's PID namespace row hangs under the row of the unshare
	# that forked it (the unshare represents the new mount namespace)
	LC_ALL=C "$NSLIST" -o NS,PID,COMMAND -n > "$T/o" || fail "nslist failed"
	expect_grep "parent row" "^ *$(ns_ino mnt "$pu") +$pu +unshare --pid --fork --mount-proc sleep 1000$" "$T/o"
	expect_grep "child row drawn under it" "^ *$(ns_ino pid "$p") +$p +\`-sleep 1000$" "$T/o"
	expect_eq "child right after parent" "$(grep -n "^ *$(ns_ino mnt "$pu") " "$T/o" | cut -d: -f1)" \
		"$(($(grep -n "^ *$(ns_ino pid "$p") " "$T/o" | cut -d: -f1) - 1))"
	stop_forked "$p" "$pu"
}

test_type_filter_repeatable() {
	require_tool NSLIST
	expect_status "-t net -t uts" 0 "$NSLIST" -l -n -r -o TYPE -t net -t uts
	expect_eq "types" "net uts" "$(sort -u "$T/out" | tr '\n' ' ' | sed 's/ $//')"
	expect_status "--type=time" 0 "$NSLIST" -l -n -r -o NS --type=time
	expect_eq "time row" "$(ns_ino time)" "$(cat "$T/out")"
}

test_task_option() {
	require_tool NSLIST
	local p
	start_in --net; p=$P
	expect_status "-p" 0 "$NSLIST" -p "$p" -l -n -r -o TYPE,NS
	local t want=""
	for t in $TYPES; do want+="$t $(ns_ino $t "$p")"$'\n'; done
	expect_eq "the process's namespaces" "$(echo -n "$want" | sort)" "$(sort "$T/out")"
	expect_status "-p of a missing process" 1 "$NSLIST" -p 999999
	expect_grep "one line naming the pid" '^nslist: process 999999: no such process' "$T/err"
	stop "$p"
}

test_namespace_argument() {
	require_tool NSLIST
	local p ino kids
	unshare --net sh -c 'sleep 1000 & sleep 1000 & wait' > /dev/null 2>&1 &
	p=$!
	sleep 0.3
	ino=$(ns_ino net "$p")
	kids=$(pgrep -P "$p" | tr '\n' ' ')
	expect_status "namespace argument" 0 "$NSLIST" -l -n -r -o PID,PPID "$ino"
	local me=$BASHPID
	expect_eq "its processes" "$( (echo "$p $me"; for k in $kids; do echo "$k $p"; done) | sort -n)" \
		"$(sort -n "$T/out")"
	expect_status "default columns" 0 "$NSLIST" "$ino"
	expect_grep "header" '^ +PID +PPID +USER +COMMAND$' "$T/out"
	stop $kids "$p"
}

test_unknown_namespace() {
	require_tool NSLIST
	expect_status "unknown namespace" 1 "$NSLIST" 12345
	expect_eq "message" "nslist: unknown namespace: 12345" "$(cat "$T/err")"
}

test_usage_errors() {
	require_tool NSLIST
	expect_status "unknown column" 2 "$NSLIST" -o NS,BOGUS
	expect_eq "column message" "nslist: unknown column: 'BOGUS'" "$(head -1 "$T/err")"
	expect_grep "hint" "^Try 'nslist --help' for more information.$" "$T/err"
	expect_status "unknown type" 2 "$NSLIST" -t bogus
	expect_eq "type message" "nslist: unknown namespace type: 'bogus'" "$(head -1 "$T/err")"
	expect_status "prefix of a type" 2 "$NSLIST" -t ne
	expect_status "-J -r" 2 "$NSLIST" -J -r
	expect_grep "json raw" 'mutually exclusive' "$T/err"
	expect_status "-P -p" 2 "$NSLIST" -P -p 1
	expect_status "-l -T" 2 "$NSLIST" -l -T
	expect_status "bad tree" 2 "$NSLIST" --tree=bogus
	expect_status "bad pid" 2 "$NSLIST" -p 12x
	expect_status "bad option" 2 "$NSLIST" --bogus
	expect_status "two namespaces" 2 "$NSLIST" 1 2
	expect_status "bad filter" 2 "$NSLIST" -Q 'NS =='
	expect_status "filter column" 2 "$NSLIST" -Q 'BOGUS == 1'
	expect_status "bad --host-pid" 2 "$NSLIST" --host-pid 5
	expect_status "both translations" 2 "$NSLIST" --host-pid pid=1:1 --ns-pid 1
}

test_output_columns() {
	require_tool NSLIST
	expect_status "-o +PATH" 0 "$NSLIST" -l -o +PATH -t uts
	expect_grep "appended" '^ +NS +TYPE +NPROCS +PID +USER +COMMAND +PATH$' "$T/out"
	expect_grep "path" "^ *$(ns_ino uts) +uts +.* /proc/1/ns/uts$" "$T/out"
	expect_status "--output-all" 0 "$NSLIST" -l --output-all -r -t uts
	expect_eq "all columns" "NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS HOST NSID HOLDERS NSPID CHAIN PIDNS LEVEL" \
		"$(head -1 "$T/out")"
	expect_status "-n" 0 "$NSLIST" -l -n -o NS -t uts
	expect_eq "no heading" "$(ns_ino uts)" "$(tr -d ' ' < "$T/out")"
	expect_status "lower-case column" 0 "$NSLIST" -l -n -o ns,type -t uts -r
	expect_eq "case" "$(ns_ino uts) uts" "$(cat "$T/out")"
}

test_list_columns() {
	require_tool NSLIST
	expect_status "-H" 0 "$NSLIST" -H
	local c
	for c in NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS HOST NSID HOLDERS; do
		expect_grep "column $c" "^ *$c " "$T/out"
	done
	"$NSLIST" -H -J | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["columns"]) >= 16' ||
		fail "-H -J"
}

test_host_column() {
	require_tool NSLIST
	local p
	start_in --net; p=$P
	expect_status "HOST" 0 "$NSLIST" -p "$p" -l -n -r -o TYPE,HOST
	local t want=""
	for t in $TYPES; do
		[ $t = net ] && want+="$t no"$'\n' || want+="$t yes"$'\n'
	done
	expect_eq "shared with PID 1" "$(echo -n "$want" | sort)" "$(sort "$T/out")"
	"$NSLIST" -J -l -o NS,HOST -p "$p" | python3 -c '
import json,sys
rows = json.load(sys.stdin)["namespaces"]
assert all(type(r["host"]) is bool for r in rows), rows' || fail "HOST is not boolean in JSON"
	stop "$p"
}

test_nsid_column() {
	require_tool NSLIST
	local id
	id=$("$NSLIST" -l -n -r -o NSID -t net -Q "NS == $(ns_ino net)")
	case $id in ''|*[!0-9]*) skip_test "no NS_GET_ID here ($id)" ;; esac
	[ "$id" -gt 0 ] || fail "NSID $id"
	local id2
	id2=$("$NSLIST" -l -n -r -o NSID -t uts -Q "NS == $(ns_ino uts)")
	expect_ne "ids differ between namespaces" "$id" "$id2"
	"$NSLIST" -J -l -o NSID -t net | python3 -c '
import json,sys
assert all(type(r["nsid"]) is int for r in json.load(sys.stdin)["namespaces"])' || fail "NSID type"
}

test_filter() {
	require_tool NSLIST
	local p q
	start_in --net; p=$P
	start_in --net --uts; q=$P
	expect_status "==" 0 "$NSLIST" -l -n -r -o NS -Q "TYPE == \"net\" and NPROCS == 1"
	expect_eq "two single-process net namespaces" \
		"$(printf '%s\n' "$(ns_ino net "$p")" "$(ns_ino net "$q")" | sort)" "$(sort "$T/out")"
	expect_status "numeric <" 0 "$NSLIST" -l -n -r -o TYPE -Q "NPROCS < 2 && TYPE != 'net'"
	expect_eq "uts only" "uts" "$(cat "$T/out")"
	expect_status "regex, not, parens" 0 "$NSLIST" -l -n -r -o PID \
		-Q "not (TYPE =~ \"^(mnt|pid|ipc|user|cgroup|time|uts)\$\") and PID >= $p and PID <= $q"
	expect_eq "pids" "$(printf '%s\n' "$p" "$q")" "$(sort -n "$T/out")"
	expect_status "or" 0 "$NSLIST" -l -n -r -o NS -Q "NS == $(ns_ino net "$p") or NS == $(ns_ino uts "$q")"
	expect_eq "or rows" 2 "$(wc -l < "$T/out")"
	expect_status "no match" 0 "$NSLIST" -l -n -r -Q 'COMMAND !~ "."'
	expect_eq "nothing" "" "$(cat "$T/out")"
	stop "$p" "$q"
}

test_persistent_mount() {
	require_tool NSLIST
	local p ino
	start_in --net; p=$P
	ino=$(ns_ino net "$p")
	touch "$T/netns"
	mount --bind "/proc/$p/ns/net" "$T/netns" || { stop "$p"; fail "bind"; }
	stop "$p"
	expect_status "-P" 0 "$NSLIST" -P -l -n -r -o NS,TYPE,NPROCS,NSFS,PATH,HOLDERS
	expect_eq "persistent row" "$ino net 0 $T/netns $T/netns mount\\x20$T/netns" "$(cat "$T/out")"
	# no process: the namespace's owner stands in for UID and USER; PID
	# and COMMAND stay empty (null in JSON)
	expect_status "owner" 0 "$NSLIST" -P -J -l -o NS,PID,UID,USER,COMMAND
	python3 - "$T/out" "$ino" <<'EOF' || fail "row without process"
import json, sys
r = json.load(open(sys.argv[1]))["namespaces"]
assert r == [{"ns": int(sys.argv[2]), "pid": None, "uid": 0, "user": "root",
              "command": None}], r
EOF
	expect_status "in the full list" 0 "$NSLIST" -l -n -r -o NS,NPROCS,NSFS -t net
	expect_grep "row" "^$ino 0 $T/netns$" "$T/out"
	umount "$T/netns"
	expect_status "gone" 0 "$NSLIST" -P -l -n -r
	expect_eq "no persistent namespaces" "" "$(cat "$T/out")"
}

test_nsfs_two_mounts() {
	require_tool NSLIST
	local p ino
	start_in --net; p=$P
	ino=$(ns_ino net "$p")
	touch "$T/a" "$T/b"
	mount --bind "/proc/$p/ns/net" "$T/a" && mount --bind "/proc/$p/ns/net" "$T/b" || fail "bind"
	expect_status "-W" 0 "$NSLIST" -W -l -n -o NSFS -Q "NS == $ino"
	expect_eq "one line" "$T/a,$T/b" "$(tr -d ' ' < "$T/out")"
	expect_status "multi-line" 0 "$NSLIST" -l -n -o NSFS -Q "NS == $ino"
	expect_eq "two lines" "$T/a"$'\n'"$T/b" "$(sed 's/ *$//' "$T/out")"
	umount "$T/a" "$T/b"
	stop "$p"
}

test_fd_held() {
	require_tool NSLIST
	local p h ino
	start_in --net; p=$P
	ino=$(ns_ino net "$p")
	bash -c "exec 3</proc/$p/ns/net; exec sleep 1000" &
	h=$!
	sleep 0.2
	stop "$p"
	expect_status "fd-held" 0 "$NSLIST" -l -n -r -o NS,TYPE,NPROCS,HOLDERS -P
	expect_eq "held by fd 3 of $h" "$ino net 0 fd\\x20$h:3" "$(cat "$T/out")"
	stop "$h"
}

test_socket_held() {
	require_tool NSLIST
	# the socket's namespace is asked through a copy of the socket
	# (pidfd_open + pidfd_getfd, Linux 5.6); there is no other way
	fault_active pidfd_open && skip_test "no pidfd_open: sockets cannot be inspected"
	local p ino
	unshare --net python3 -c '
import ctypes, os, socket, sys, time
s = socket.socket(socket.AF_UNIX)
print(os.stat("/proc/self/ns/net").st_ino, s.fileno(), flush=True)
fd = os.open("/proc/1/ns/net", os.O_RDONLY)
if ctypes.CDLL(None, use_errno=True).setns(fd, 0x40000000) != 0:
    sys.exit(1)
os.close(fd)
print("left", flush=True)
time.sleep(1000)' > "$T/py" &
	p=$!
	for i in $(seq 100); do grep -q left "$T/py" && break; sleep 0.05; done
	grep -q left "$T/py" || { stop "$p"; skip_test "could not leave the network namespace"; }
	read -r ino sfd < "$T/py"
	expect_status "socket-held" 0 "$NSLIST" -l -n -r -o NS,TYPE,NPROCS,HOLDERS -P
	expect_eq "held by a socket" "$ino net 0 socket\\x20$p:$sfd" "$(cat "$T/out")"
	stop "$p"
}

# nested PID namespaces: host -> ns1 (unshare's child is 1) -> ns2 (sleep)
start_nested() {
	unshare --pid --fork --mount-proc unshare --pid --fork --mount-proc sleep 1000 > /dev/null 2>&1 &
	OUTER=$!
	INNER= SLEEP=
	local i
	for i in $(seq 100); do
		INNER=$(pgrep -x unshare -P "$OUTER")
		[ -n "$INNER" ] && SLEEP=$(pgrep -x sleep -P "$INNER")
		[ -n "$SLEEP" ] && break
		sleep 0.05
	done
	[ -n "$SLEEP" ] || fail "nested sleep did not start"
}

test_pid_map_nested() {
	require_tool NSLIST
	start_nested
	expect_status "--pid-map" 0 "$NSLIST" --pid-map -r -n -o PID,NSPID,CHAIN,PIDNS,LEVEL
	expect_grep "sleep: three levels" "^$SLEEP 1 $SLEEP\\\\x202\\\\x201 $(ns_ino pid "$SLEEP") 2$" "$T/out"
	expect_grep "inner unshare: pid 1 of ns1" "^$INNER 1 $INNER\\\\x201 $(ns_ino pid "$INNER") 1$" "$T/out"
	expect_grep "host process: one level" "^$OUTER $OUTER $OUTER $(ns_ino pid) 0$" "$T/out"
	expect_status "--pid-map -J" 0 "$NSLIST" --pid-map -J -o PID,CHAIN,LEVEL
	python3 - "$T/out" "$SLEEP" <<'EOF' || fail "JSON chain"
import json, sys
rows = json.load(open(sys.argv[1]))["processes"]
r = [x for x in rows if x["pid"] == int(sys.argv[2])][0]
assert r["chain"] == [int(sys.argv[2]), 2, 1] and r["level"] == 2, r
EOF
	expect_status "--pid-map of a namespace" 0 "$NSLIST" --pid-map -r -n -o PID "$(ns_ino pid "$INNER")"
	expect_eq "ns1 and what is nested in it" "$(printf '%s\n' "$INNER" "$SLEEP")" "$(sort -n "$T/out")"
	expect_status "--pid-map -p" 0 "$NSLIST" --pid-map -r -n -o PID -p "$SLEEP"
	expect_eq "the container of the sleep" "$SLEEP" "$(cat "$T/out")"
	expect_status "--pid-map -Q" 0 "$NSLIST" --pid-map -r -n -o PID -Q 'LEVEL > 0'
	expect_eq "nested processes" "$(printf '%s\n' "$INNER" "$SLEEP")" "$(sort -n "$T/out")"
	stop_forked "$INNER" "$OUTER"
}

test_translations() {
	require_tool NSLIST
	start_nested
	local ns1 ns2
	ns1=$(ns_ino pid "$INNER")
	ns2=$(ns_ino pid "$SLEEP")
	expect_status "--ns-pid own" 0 "$NSLIST" --ns-pid "$SLEEP"
	expect_eq "inside its own" 1 "$(cat "$T/out")"
	expect_status "--ns-pid @inode" 0 "$NSLIST" --ns-pid "$SLEEP@$ns1"
	expect_eq "in ns1" 2 "$(cat "$T/out")"
	expect_status "--ns-pid @pid=" 0 "$NSLIST" --ns-pid "$SLEEP@pid=$INNER"
	expect_eq "in ns1 via pid=" 2 "$(cat "$T/out")"
	expect_status "--ns-pid @file" 0 "$NSLIST" --ns-pid "$SLEEP@/proc/$SLEEP/ns/pid"
	expect_eq "in ns2 via file" 1 "$(cat "$T/out")"
	expect_status "--ns-pid not visible" 1 "$NSLIST" --ns-pid "$OUTER@$ns2"
	expect_eq "nothing on stdout" "" "$(cat "$T/out")"
	expect_status "--host-pid inode" 0 "$NSLIST" --host-pid "$ns1:2"
	expect_eq "host pid of ns1's 2" "$SLEEP" "$(cat "$T/out")"
	expect_status "--host-pid pid=" 0 "$NSLIST" --host-pid "pid=$SLEEP:1"
	expect_eq "host pid of ns2's 1" "$SLEEP" "$(cat "$T/out")"
	expect_status "--host-pid ns1's 1" 0 "$NSLIST" --host-pid "pid=$INNER:1"
	expect_eq "host pid of ns1's 1" "$INNER" "$(cat "$T/out")"
	expect_status "--host-pid missing" 1 "$NSLIST" --host-pid "$ns1:99"
	expect_eq "nothing on stdout" "" "$(cat "$T/out")"
	expect_status "--host-pid unknown ns" 1 "$NSLIST" --host-pid "12345:1"
	# where the kernel has the translation ioctls, they are what answers
	# (the NSpid fallback is exercised by "meson test --setup oldkernel")
	if ! fault_active ns_get_pid_from_pidns && command -v strace >/dev/null; then
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -f -o "$T/st" -e trace=ioctl "$NSLIST" --host-pid "$ns1:2" > "$T/out" ||
			fail "under strace"
		expect_eq "answer under strace" "$SLEEP" "$(cat "$T/out")"
		grep -qE 'NS_GET_PID_FROM_PIDNS|_IOC\(_IOC_READ, 0xb7, 0x6' "$T/st" ||
			fail "NS_GET_PID_FROM_PIDNS not used: $(grep ioctl "$T/st")"
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -f -o "$T/st" -e trace=ioctl "$NSLIST" --ns-pid "$SLEEP@$ns1" > "$T/out" ||
			fail "under strace"
		expect_eq "answer under strace" 2 "$(cat "$T/out")"
		grep -qE 'NS_GET_PID_IN_PIDNS|_IOC\(_IOC_READ, 0xb7, 0x8' "$T/st" ||
			fail "NS_GET_PID_IN_PIDNS not used: $(grep ioctl "$T/st")"
	fi
	stop_forked "$INNER" "$OUTER"
}

test_translation_pin() {
	require_tool NSLIST
	start_nested
	mkdir -p /run/nspin/box
	touch /run/nspin/box/pid
	mount --bind "/proc/$INNER/ns/pid" /run/nspin/box/pid || fail "bind"
	expect_status "--host-pid pin" 0 "$NSLIST" --host-pid "box:2"
	expect_eq "via pin name" "$SLEEP" "$(cat "$T/out")"
	umount /run/nspin/box/pid
	rm -rf /run/nspin
	stop_forked "$INNER" "$OUTER"
}

test_threads() {
	require_tool NSLIST
	local p tid ino
	python3 -c '
import ctypes, os, threading, time
def t():
    ctypes.CDLL(None).unshare(0x40000000)
    print(threading.get_native_id(), os.stat("/proc/thread-self/ns/net").st_ino, flush=True)
    time.sleep(1000)
threading.Thread(target=t, daemon=True).start()
time.sleep(1000)' > "$T/py" &
	p=$!
	for i in $(seq 100); do [ -s "$T/py" ] && break; sleep 0.05; done
	read -r tid ino < "$T/py"
	[ -n "$ino" ] || { stop "$p"; fail "thread did not unshare"; }
	expect_status "--threads" 0 "$NSLIST" --threads -l -n -r -o NS,NPROCS,PID -t net
	expect_grep "thread's namespace" "^$ino 1 $tid$" "$T/out"
	expect_status "without --threads" 0 "$NSLIST" -l -n -r -o NS -t net
	grep -q "^$ino$" "$T/out" && fail "thread namespace listed without --threads"
	stop "$p"
}

test_vanishing_processes() {
	require_tool NSLIST
	local churn i
	# processes that come and go in their own namespaces during the scans
	( while [ ! -e "$T/stop" ]; do unshare --net --uts true; done ) > /dev/null 2>&1 &
	churn=$!
	for i in $(seq 30); do
		"$NSLIST" --output-all > /dev/null 2> "$T/err" || fail "run $i failed: $(cat "$T/err")"
		[ -s "$T/err" ] && fail "run $i complained: $(cat "$T/err")"
		"$NSLIST" --pid-map > /dev/null 2> "$T/err" || fail "pid-map run $i failed: $(cat "$T/err")"
	done
	touch "$T/stop"
	wait "$churn"
	return 0
}

test_escaping() {
	require_tool NSLIST
	local name p
	name=$(printf 'x\033]0;pwned\007y\tz')
	cp /bin/sleep "$T/$name"
	unshare --net "$T/$name" 1000 &
	p=$!
	sleep 0.2
	expect_status "listing" 0 "$NSLIST" -l -n -o COMMAND "$(ns_ino net "$p")"
	expect_eq "escaped command" "$T/x\\x1b]0;pwned\\x07y\\x09z 1000" "$(sed 's/ *$//' "$T/out")"
	grep -q $'\033' "$T/out" && fail "raw escape character in output"
	stop "$p"
	rm -f "$T/$name"
}

test_notruncate() {
	require_tool NSLIST
	command -v script >/dev/null || skip_test "script(1) not installed"
	local p ino long
	long=$(printf 'x%.0s' $(seq 120))
	unshare --uts bash -c 'exec -a "sleep-$0" sleep 1000' "$long" > /dev/null 2>&1 &
	p=$!
	sleep 0.2
	ino=$(ns_ino uts "$p")
	# a 50-column terminal: COMMAND is cut, unless -u
	script -qec "stty cols 50; \"$NSLIST\" -l -n -o NS,COMMAND -Q 'NS == $ino'" /dev/null > "$T/cut"
	script -qec "stty cols 50; \"$NSLIST\" -u -l -n -o NS,COMMAND -Q 'NS == $ino'" /dev/null > "$T/full"
	expect_eq "truncated to the terminal" 50 "$(tr -d '\r' < "$T/cut" | awk '{ print length }')"
	expect_eq "-u keeps it whole" "$ino sleep-$long 1000" "$(tr -d '\r' < "$T/full" | sed 's/ *$//')"
	stop "$p"
}

test_closed_pipe_and_full_disk() {
	require_tool NSLIST
	local err rc
	err=$( { "$NSLIST" --output-all -u | head -c 1 >/dev/null; } 2>&1 )
	expect_eq "quiet on a closed pipe" "" "$err"
	"$NSLIST" > /dev/full 2> "$T/err"
	rc=$?
	expect_eq "exit status on /dev/full" 1 "$rc"
	expect_grep "write error" '^nslist: write error: No space left on device$' "$T/err"
}

test_unprivileged() {
	require_tool NSLIST
	local p
	start_in --net; p=$P
	as_user "$NSLIST" -l -n -r -o TYPE,NPROCS,UID > "$T/out" 2> "$T/err" || fail "as_user failed: $(cat "$T/err")"
	expect_eq "no errors" "" "$(cat "$T/err")"
	# only its own process is visible to nobody: every type, one process
	expect_eq "its own namespaces" "$(for t in $TYPES; do echo "$t 1 $NSU_TEST_UID"; done | sort)" "$(sort "$T/out")"
	stop "$p"
}

test_help_version() {
	require_tool NSLIST
	expect_status "--help" 0 "$NSLIST" --help
	expect_grep "usage" '^Usage:$' "$T/out"
	expect_grep "man tail" '^For more details see nslist\(8\)\.$' "$T/out"
	[ "$(awk '{ if (length > 80) print }' "$T/out")" = "" ] || fail "help wider than 80 columns"
	expect_status "--version" 0 "$NSLIST" --version
	expect_grep "version" '^nslist from nsutil [0-9]' "$T/out"
}

run_test "default listing: lsns header, a row per namespace type" test_default_listing
run_test "exact row for a new namespace (every process column)" test_rows_exact
run_test "same namespaces, NPROCS, PIDs, paths, PNS/ONS/NETNSID as lsns" test_differential_lsns
run_test "default output, JSON and namespace listing as lsns prints them" test_default_output_as_lsns
run_test "JSON parses and matches lsns -J keys, types and values" test_json_parity
run_test "-J -T parent nests child PID namespaces under children" test_json_tree_children
run_test "--tree=owner puts a namespace under its user namespace" test_tree_owner
run_test "owner tree shows a user namespace no process is in" test_tree_ghost_user_namespace
run_test "process tree: a child namespace row drawn under its parent" test_process_tree_text
run_test "-t is repeatable and exact" test_type_filter_repeatable
run_test "-p lists exactly the process's namespaces; missing pid exits 1" test_task_option
run_test "namespace argument lists its processes" test_namespace_argument
run_test "unknown namespace: one line, exit 1" test_unknown_namespace
run_test "usage errors exit 2 with one line" test_usage_errors
run_test "-o, +LIST, --output-all, -n, case-insensitive names" test_output_columns
run_test "-H lists every column (text and JSON)" test_list_columns
run_test "HOST column: shared with PID 1 or not, boolean in JSON" test_host_column
run_test "NSID column: NS_GET_ID numbers" test_nsid_column
run_test "-Q: comparisons, regex, and/or/not, parentheses" test_filter
run_test "-P: namespace kept by a bind mount (NSFS, HOLDERS, PATH)" test_persistent_mount
run_test "NSFS with two mounts: -W one line, else multi-line" test_nsfs_two_mounts
run_test "namespace held by an open fd shows NPROCS 0 and its holder" test_fd_held
run_test "network namespace held by a socket only" test_socket_held
run_test "--pid-map: NSpid chains in nested PID namespaces" test_pid_map_nested
run_test "--ns-pid and --host-pid across nested PID namespaces" test_translations
run_test "--host-pid resolves a pin name" test_translation_pin
run_test "--threads finds a thread's own namespace" test_threads
run_test "processes vanishing mid-scan are skipped, never fatal" test_vanishing_processes
run_test "control characters in a command are escaped" test_escaping
run_test "-u: no truncation on a narrow terminal" test_notruncate
run_test "closed pipe is quiet, /dev/full is an error" test_closed_pipe_and_full_disk
run_test "unprivileged: sees its own namespaces, no errors" test_unprivileged
run_test "--help and --version" test_help_version
finish
