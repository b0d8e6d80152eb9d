#!/bin/sh
# parallel_test.sh - classify is a clean stream filter: GNU parallel cutting
# a 10,000-article JSONL set into jobs of 500 lines (`parallel --pipe -N 500`)
# gives exactly the records of one single run, in the same order.  The set
# is built from the project's corpus.  (Error records name the line within
# each job's input, so broken lines are left out of this comparison.)
set -eu
bin=${TIESVM:-./tiesvm}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tiesvm-parallel-XXXXXX")
trap 'rm -rf "$dir"' EXIT
command -v parallel >/dev/null || { echo "parallel_test: GNU parallel is not installed" >&2; exit 1; }
python3 - training/corpus "$dir/articles.jsonl" <<'PY'
import glob, json, random, sys
paragraphs = []
for path in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    with open(path, encoding="utf-8") as f:
        paragraphs += [json.loads(line)["text"] for line in f]
rnd = random.Random(7)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(10000):
        text = "\n\n".join(rnd.choice(paragraphs) for _ in range(rnd.randint(1, 4)))
        out.write(json.dumps({"id": f"a{i:05d}", "text": text, "source": "test"}) + "\n")
PY
status=0
"$bin" classify --quiet --input-format jsonl < "$dir/articles.jsonl" > "$dir/single.jsonl" 2>/dev/null || status=$?
[ "$status" -eq 0 ] || { echo "parallel_test: single run exit $status"; exit 1; }
parallel --will-cite --pipe -N 500 --keep-order -j 2 \
    "$bin" classify --quiet --threads 1 --input-format jsonl \
    < "$dir/articles.jsonl" > "$dir/parallel.jsonl" ||
    { echo "parallel_test: a parallel job failed" >&2; exit 1; }
lines=$(wc -l < "$dir/single.jsonl")
if ! cmp -s "$dir/single.jsonl" "$dir/parallel.jsonl"; then
    echo "parallel_test: parallel --pipe output differs from a single run" >&2
    diff "$dir/single.jsonl" "$dir/parallel.jsonl" | head -5 >&2
    exit 1
fi
[ "$lines" -gt 20000 ] || { echo "parallel_test: only $lines records" >&2; exit 1; }
echo "parallel_test: 10000 articles, $lines records: parallel --pipe -N 500 == single run"
