#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-fault.t - nsu-fault really makes the named syscalls fail, and only
# those. Prints TAP.
fault=$1
n=0
failed=0
t() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
}
py() { python3 -c "$1"; }

t "unshare(CLONE_NEWTIME) fails with EINVAL under unshare_time=EINVAL" \
  '[ "$("$fault" unshare_time=EINVAL -- unshare --time true 2>&1)" != "" ] && ! "$fault" unshare_time=EINVAL -- unshare --time true 2>/dev/null'
t "unshare(CLONE_NEWNET) still works under unshare_time=EINVAL" \
  '"$fault" unshare_time=EINVAL -- unshare --net true'
t "pidfd_open fails with ENOSYS under pidfd_open=ENOSYS" \
  '[ "$("$fault" pidfd_open=ENOSYS -- python3 -c "import os,errno
try:
    os.pidfd_open(os.getpid()); print(\"opened\")
except OSError as e:
    print(errno.errorcode[e.errno])")" = ENOSYS ]'
t "pidfd_open works without the fault" \
  '[ "$(python3 -c "import os; os.pidfd_open(os.getpid()); print(\"opened\")")" = opened ]'
t "NS_GET_ID fails with ENOTTY under ns_get_id=ENOTTY, NS_GET_NSTYPE does not" \
  '[ "$("$fault" ns_get_id=ENOTTY -- python3 -c "import fcntl,os,errno
fd=os.open(\"/proc/self/ns/net\", os.O_RDONLY)
print(fcntl.ioctl(fd, 0xb703))
try:
    fcntl.ioctl(fd, 0x8008b70d, bytes(8)); print(\"ok\")
except OSError as e:
    print(errno.errorcode[e.errno])")" = "$(printf "1073741824\nENOTTY")" ]'
t "unknown fault names are refused with status 125" \
  '"$fault" bogus=ENOSYS -- true 2>/dev/null; [ $? = 125 ]'
echo "1..$n"
[ $failed = 0 ]
