#!/usr/bin/env bash
# The tiesvm benchmark (make bench): builds ~50 MB of news-style articles from the
# project's corpus, then measures, in one run on this machine, classify throughput and
# peak memory, the fast linear path against libsvm's support-vector path, fastText,
# a tokenize-and-hash ceiling, and training time by corpus size.  Prints one table.
#   BENCH_MB=50 BENCH_TRAIN_SIZES="1000 3000 10000 30000" BENCH_TRAIN_TIMEOUT=900
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${BENCH_MB:-50}
SIZES=${BENCH_TRAIN_SIZES:-"1000 3000 10000 30000"}
TRAIN_TIMEOUT=${BENCH_TRAIN_TIMEOUT:-900}
AB_MB=${BENCH_AB_MB:-2}
D=${BENCH_DIR:-build/bench}
mkdir -p "$D"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

python3 bench/gen.py training/corpus "$D" "$MB" >&2
bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1])))" "$D/articles.jsonl")
paras=$(wc -l < "$D/paragraphs.txt")
mb=$(python3 -c "print(f'{$bytes/1048576:.1f}')")

# time_run OUT CMD...: runs CMD, stdout to /dev/null; prints "seconds max_rss_kb"
time_run() {
    local out=$1; shift
    $TIME -f "%e %M" -o "$out" "$@" > /dev/null
    cat "$out"
}

row() { printf "| %-44s | %9s | %12s | %9s | %s |\n" "$@"; }
rate() { python3 -c "import sys; b,s=float(sys.argv[1]),float(sys.argv[2]); print(f'{b/1048576/s:.1f}' if s>0 else 'inf')" "$1" "$2"; }
prate() { python3 -c "import sys; n,s=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/s:,.0f}' if s>0 else 'inf')" "$1" "$2"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.1f}x' if b>0 else '-')" "$1" "$2"; }

echo
echo "tiesvm benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(date -u +%Y-%m-%d)"
echo "input: $mb MB of article text, $paras paragraphs in $(wc -l < "$D/articles.jsonl") articles (JSON Lines), built from training/corpus"
echo
row "classify (both heads, default model)" "MB/s" "paragraphs/s" "peak RSS" "note"
row "---" "---" "---" "---" "---"
declare -A speed
for threads in 1 2; do
    for text in no-text text; do
        flag=""; [ $text = no-text ] && flag="--no-text"
        read -r secs rss < <(time_run "$D/t.txt" ./tiesvm classify --threads $threads $flag --input-format jsonl "$D/articles.jsonl")
        speed[$threads-$text]=$(rate "$bytes" "$secs")
        row "tiesvm --threads $threads $([ $text = no-text ] && echo --no-text || echo '(with text)')" "${speed[$threads-$text]}" "$(prate "$paras" "$secs")" "$((rss / 1024)) MB" "$secs s"
    done
done
base=${speed[1-no-text]}

read -r fast_mbps svm_mbps < <(./build/bench/abtest models/default "$D/paragraphs.txt" "$AB_MB")
row "in-process, fast linear path (${AB_MB} MB)" "$fast_mbps" "" "" "1 thread, no I/O"
row "in-process, libsvm svm_predict_probability" "$svm_mbps" "" "" "fast path is $(ratio "$fast_mbps" "$svm_mbps") faster"

if command -v fasttext > /dev/null; then
    ft_secs=0; ft_rss=0
    for head in stance topic; do
        fasttext supervised -input "$D/ft-$head.txt" -output "$D/ft-$head" -wordNgrams 2 -epoch 10 -thread 1 -verbose 0 > /dev/null
        read -r s r < <(time_run "$D/t.txt" fasttext predict-prob "$D/ft-$head.bin" "$D/paragraphs.txt" -1)
        ft_secs=$(python3 -c "print($ft_secs + $s)"); [ "$r" -gt "$ft_rss" ] && ft_rss=$r
    done
    ft_bytes=$(wc -c < "$D/paragraphs.txt")
    ft=$(rate "$ft_bytes" "$ft_secs")
    row "fastText predict-prob, both heads, 1 thread" "$ft" "$(prate "$paras" "$ft_secs")" "$((ft_rss / 1024)) MB" "tiesvm 1 thread is $(ratio "$base" "$ft") faster"
else
    row "fastText predict-prob" "n/a" "" "" "fasttext not installed (apt-get install fasttext)"
fi
ceil=$(./build/bench/ceiling "$D/paragraphs.txt" 2> /dev/null)
row "ceiling: tokenize-and-hash loop, 1 thread" "$ceil" "" "" "tiesvm 1 thread is at $(python3 -c "print(f'{100*$base/$ceil:.0f}%')") of it"

echo
printf "| %-44s | %9s | %9s | %s |\n" "train (stance + topic, 5-fold CV over 3 C)" "seconds" "peak RSS" "note"
printf "| %-44s | %9s | %9s | %s |\n" "---" "---" "---" "---"
read -r secs rss < <(time_run "$D/t.txt" ./tiesvm train --data training/corpus --out "$D/model-default" --seed 1)
n=$(cat training/corpus/*.jsonl | wc -l)
printf "| %-44s | %9s | %9s | %s |\n" "default corpus ($n examples)" "$secs" "$((rss / 1024)) MB" "same as make model"
for size in $SIZES; do
    if out=$(timeout "$TRAIN_TIMEOUT" $TIME -f "%e %M" -o "$D/t.txt" ./tiesvm train --data "$D/train-$size.jsonl" --out "$D/model-$size" 2>&1 > /dev/null); then
        read -r secs rss < "$D/t.txt"
        note=$([ "$size" -gt 12000 ] && echo "above 12,000: no kernel matrix, libsvm's sparse path" || echo "")
        printf "| %-44s | %9s | %9s | %s |\n" "$size examples" "$secs" "$((rss / 1024)) MB" "$note"
    else
        printf "| %-44s | %9s | %9s | %s |\n" "$size examples" "> $TRAIN_TIMEOUT" "-" "stopped after ${TRAIN_TIMEOUT} s"
    fi
done
echo
echo "(rerun: make bench; BENCH_MB, BENCH_TRAIN_SIZES, BENCH_TRAIN_TIMEOUT adjust it)"
