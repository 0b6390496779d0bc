#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-install.sh BUILDDIR - `meson install --destdir` into a temporary
# directory, then check what landed and that a program compiled against
# `pkg-config --cflags --libs nsutil` links and runs. Prints TAP.
set -u
build=$1
stage=$(mktemp -d "${TMPDIR:-/tmp}/nsu-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

if ! meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >"$stage.log" 2>&1; then
	not_ok "meson install --destdir"
	sed 's/^/# /' "$stage.log"
	rm -f "$stage.log"
	echo "1..$n"
	exit 1
fi
rm -f "$stage.log"
ok "meson install --destdir"

prefix=$(meson introspect "$build" --buildoptions |
	 python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root=$stage$prefix
lib=$(find "$root" -name 'libnsutil.so.0*' -type f | head -n 1)
pc=$(find "$root" -name nsutil.pc | head -n 1)

check "shared library installed" '[ -n "$lib" ]'
check "public header installed" '[ -f "$root/include/nsutil.h" ]'
check "only the public header is installed" '[ "$(find "$root/include" -type f | wc -l)" = 1 ]'
check "nsutil.pc installed" '[ -n "$pc" ]'
check "exported symbols all start with nsu_" \
	'[ -n "$lib" ] && ! nm -D --defined-only "$lib" | awk "\$2 ~ /[TDBR]/ {print \$3}" | grep -v "^nsu_" | grep -q .'
check "symbols carry the NSUTIL_0.1 version" \
	'[ -n "$lib" ] && objdump -T "$lib" | grep -q "NSUTIL_0.1 *nsu_ctx_new"'

for t in nsunshare nsenter2 nslist nspin; do
	if [ -e "$build/tools/$t" ]; then
		check "$t installed" '[ -x "$root/bin/'$t'" ]'
		check "$t bash completion installed" \
			'[ -n "$(find "$stage" -path "*completions/'$t'" -type f)" ]'
		if command -v scdoc >/dev/null; then
			check "$t man page installed" \
				'[ -n "$(find "$root" -path "*/man/man*/'$t'.*" -type f)" ]'
		fi
	fi
done
if command -v scdoc >/dev/null && [ -f "$(dirname "$0")/../../man/libnsutil.3.scd" ]; then
	check "libnsutil(3) installed" '[ -f "$root/share/man/man3/libnsutil.3" ]'
fi

# A client program built the way a user would build it.
cat > "$stage/client.c" <<'C'
#include <nsutil.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	int t = nsu_nstype_from_name("net");
	if (!ctx || t != NSU_NS_NET)
		return 1;
	printf("%s %s\n", nsu_version(), nsu_nstype_name(t));
	nsu_ctx_free(ctx);
	return 0;
}
C
pcdir=$(dirname "$pc")
# A sanitized library needs a sanitized client (the runtime must come first).
san=$(meson introspect "$build" --buildoptions |
      python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="b_sanitize"][0])')
[ "$san" = none ] && san= || san=-fsanitize=$san
flags=$(PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$stage pkg-config --cflags --libs nsutil 2>&1)
if cc -Wall -Werror $san -o "$stage/client" "$stage/client.c" $flags 2>"$stage/cc.log"; then
	ok "a client compiles and links with pkg-config --cflags --libs nsutil"
	out=$(LD_LIBRARY_PATH=$(dirname "$lib") "$stage/client")
	check "the client runs against the installed library" \
		'[ "$out" = "$(meson introspect "$build" --projectinfo | python3 -c "import json,sys; print(json.load(sys.stdin)[\"version\"])") net" ]'
else
	not_ok "a client compiles and links with pkg-config --cflags --libs nsutil"
	echo "# flags: $flags"
	sed 's/^/# /' "$stage/cc.log"
fi
echo "1..$n"
[ $failed = 0 ]
