#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check-options.py - every long option of every tool appears in its --help,
its man page and its bash completion, and nothing documents an option the tool
does not have. The tool's getopt_long table (struct option in tools/TOOL.c) is
the source of truth. Prints TAP."""
import os
import re
import subprocess
import sys

TOOLS = {"nsunshare": "1", "nsenter2": "1", "nslist": "8", "nspin": "8"}

src = sys.argv[1] if len(sys.argv) > 1 else "."
n = 0
failed = 0


def report(ok, desc, detail=""):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {desc}")
    if not ok:
        failed += 1
        for line in detail.splitlines():
            print("# " + line)


def skip(desc, why):
    global n
    n += 1
    print(f"ok {n} - {desc} # SKIP {why}")


def getopt_table(path):
    """Long option names from the struct option arrays of a C file."""
    text = open(path, encoding="utf-8").read()
    names = set()
    for block in re.findall(r"struct\s+option\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\};",
                            text, re.S):
        names.update(re.findall(r'\{\s*"([a-z0-9][a-z0-9-]*)"\s*,', block))
    return names


def options_in(text):
    return set(re.findall(r"--([a-z0-9][a-z0-9-]+)", text))


for tool, section in TOOLS.items():
    exe = os.environ.get("NSU_" + tool.upper())
    csrc = os.path.join(src, "tools", tool + ".c")
    if not exe or not os.path.exists(csrc):
        for what in ("--help", "man page", "bash completion"):
            skip(f"{tool}: options in {what}", f"{tool} is not built yet")
        continue
    opts = getopt_table(csrc)
    if not opts:
        report(False, f"{tool}: getopt_long table found in {csrc}")
        continue
    help_text = subprocess.run([exe, "--help"], capture_output=True,
                               text=True).stdout
    sources = {
        "--help": help_text,
        "man page": None,
        "bash completion": None,
    }
    man = os.path.join(src, "man", f"{tool}.{section}.scd")
    comp = os.path.join(src, "completions", "bash", tool)
    if os.path.exists(man):
        # scdoc escapes nothing in option names, but bold markers surround
        # them: *--net*
        sources["man page"] = open(man, encoding="utf-8").read()
    if os.path.exists(comp):
        sources["bash completion"] = open(comp, encoding="utf-8").read()
    for what, text in sources.items():
        if text is None:
            report(False, f"{tool}: options in {what}", f"{what} is missing")
            continue
        found = options_in(text)
        missing = sorted(opts - found)
        # options documented that the tool does not have
        extra = sorted(o for o in found - opts
                       if what != "man page" or o in ("help", "version"))
        detail = ""
        if missing:
            detail += "missing: " + " ".join("--" + o for o in missing) + "\n"
        if extra:
            detail += "unknown to the tool: " + " ".join("--" + o for o in extra)
        report(not missing and not extra, f"{tool}: options in {what}", detail)

print(f"1..{n}")
sys.exit(1 if failed else 0)
