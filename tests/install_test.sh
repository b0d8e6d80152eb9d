#!/bin/sh
# install_test.sh - `make install` into a scratch prefix, then checks that
# what was installed works on its own: the binary finds its default model,
# a program builds against the library through pkg-config, the man page
# renders and covers every command; `make uninstall` removes it all.
set -eu
root=$(mktemp -d "${TMPDIR:-/tmp}/tiesvm-install-XXXXXX")
trap 'rm -rf "$root"' EXIT
prefix=$root/prefix
fail() { echo "install_test: $*" >&2; exit 1; }

make -s install PREFIX="$prefix" >/dev/null
for f in bin/tiesvm lib/libtiesvm.a include/tiesvm.h lib/pkgconfig/tiesvm.pc \
         share/man/man1/tiesvm.1 share/tiesvm/models/actors.tsv share/tiesvm/models/cues.tsv \
         share/tiesvm/models/default/manifest.json; do
    [ -f "$prefix/$f" ] || fail "missing $f"
done

# The installed binary, run from elsewhere, labels with the installed model.
(cd "$root" && env -u TIESVM_MODEL "$prefix/bin/tiesvm" classify --quiet) \
    < examples/iran-letters.txt > "$root/out.jsonl" || fail "installed classify failed"
grep -q '"stance":{"label"' "$root/out.jsonl" || fail "no records from the installed binary"
./tiesvm classify --quiet < examples/iran-letters.txt | cmp -s - "$root/out.jsonl" ||
    fail "installed binary labels differently from the built one"

# A program against the installed library, flags from pkg-config.
cat > "$root/use.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tiesvm.h>
int main(int argc, char **argv)
{
    tv_model *model;
    tv_error err;
    if (argc < 2 || tv_model_load(argv[1], &model, &err) != TV_OK)
        return 1;
    tv_worker *w = tv_worker_new(model);
    tv_result r;
    const char *text = "Tehran let al-Qaeda's leaders live in Iran for years.";
    tv_classify(w, text, strlen(text), &r);
    printf("%zu heads\n", r.head_count);
    tv_worker_free(&w);
    tv_model_free(&model);
    return 0;
}
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists tiesvm || fail "pkg-config does not find tiesvm"
# shellcheck disable=SC2046
cc -std=c11 -o "$root/use" "$root/use.c" $(pkg-config --cflags tiesvm) \
    $(pkg-config --libs --static tiesvm) || fail "cannot build against the library"
[ "$("$root/use" "$prefix/share/tiesvm/models/default")" = "2 heads" ] ||
    fail "the library program did not classify"

# The man page renders and names every command of 'tiesvm --help'.
MANWIDTH=80 man -l "$prefix/share/man/man1/tiesvm.1" > "$root/man.txt" 2>/dev/null ||
    fail "the man page does not render"
for cmd in $(./tiesvm --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
    grep -q "tiesvm $cmd" "$root/man.txt" || fail "the man page lacks 'tiesvm $cmd'"
done

make -s uninstall PREFIX="$prefix" >/dev/null
left=$(find "$prefix" -type f | wc -l)
[ "$left" -eq 0 ] || fail "$left files left after make uninstall"
echo "install_test: install, pkg-config, man page and uninstall all work"
