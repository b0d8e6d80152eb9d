#!/bin/sh
# big_input.sh - issue 5's "1 GB file with no blank line": classify must give
# one record for it (the whole span, flagged truncated) with peak memory far
# below the file's size, and the paragraphs around it must come through.
# Run by `make check-big-input` (and CI); needs GNU time.
set -eu
bin=${TIESVM:-./tiesvm}
limit_kb=${LIMIT_KB:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tiesvm-big-XXXXXX")
trap 'rm -rf "$dir"' EXIT
size=1073741824
{
    printf 'A first paragraph.\n\n'
    yes 'Officials said the two groups kept in touch through couriers' | head -c "$size"
    printf '\n\nA last paragraph.\n'
} > "$dir/big.txt"
/usr/bin/time -f %M -o "$dir/rss" "$bin" classify --no-text "$dir/big.txt" > "$dir/out.jsonl"
rss=$(tail -1 "$dir/rss")
records=$(wc -l < "$dir/out.jsonl")
end=$((20 + size))
fail=0
[ "$records" -eq 3 ] || { echo "big_input: $records records, expected 3"; fail=1; }
sed -n 2p "$dir/out.jsonl" | grep -q "\"start\":20,\"end\":$end," ||
    { echo "big_input: the long paragraph's offsets are wrong"; fail=1; }
sed -n 2p "$dir/out.jsonl" | grep -q '"flags":\["truncated"\]' ||
    { echo "big_input: the long paragraph is not flagged truncated"; fail=1; }
sed -n 3p "$dir/out.jsonl" | grep -q '"para":2,' ||
    { echo "big_input: the paragraph after it is missing"; fail=1; }
[ "$rss" -lt "$limit_kb" ] || { echo "big_input: peak RSS $rss KB, limit $limit_kb KB"; fail=1; }
echo "big_input: 1 GB without a blank line: $records records, peak RSS $rss KB (limit $limit_kb KB)"
exit $fail
