#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""summary.py BUILDDIR [LABEL] - count individual test cases from meson's
testlog.json (TAP subtests, Check's "Checks: N, Failures: F, Errors: E") and
print one closing line "LABEL: N passed, N failed, N skipped". Exits 1 if
anything failed or if no test ran at all."""
import json
import os
import re
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
label = sys.argv[2] if len(sys.argv) > 2 else "tests"
passed = failed = skipped = 0
log = os.path.join(build, "meson-logs", "testlog.json")
with open(log, encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout") or ""
        m = re.search(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", out)
        tap = [l for l in out.splitlines() if re.match(r"(not )?ok \d+", l)]
        if m:
            total, fails, errs = map(int, m.groups())
            failed += fails + errs
            passed += total - fails - errs
        elif tap:
            for l in tap:
                if l.startswith("not ok"):
                    failed += 1
                elif re.search(r"#\s*SKIP", l, re.I):
                    skipped += 1
                else:
                    passed += 1
            if re.search(r"^1\.\.0\s*#\s*SKIP", out, re.M | re.I):
                skipped += 1
        elif t["result"] == "SKIP":
            skipped += 1
        elif t["result"] in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
        # a crashed or timed-out binary counts even if its output looked fine
        if t["result"] in ("FAIL", "TIMEOUT", "ERROR") and not failed:
            failed += 1
print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
