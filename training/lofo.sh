#!/usr/bin/env bash
# lofo.sh - leave-one-file-out validation of the corpus (make lofo): for each
# corpus file but the page-furniture ones, train on all the other files and
# score the held-out file, then pool the confusion matrices.  Each file was
# written by a different writer or wave, so this estimates how the model
# does on writing it has not seen, which random k-fold CV overstates.
# C is fixed (LOFO_C, default 1) and 2 folds keep it quick; LOFO_ARGS adds
# train options (e.g. LOFO_ARGS="--ngrams 3") to compare feature settings.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TIESVM:-./tiesvm}
out=${LOFO_DIR:-build/lofo}
rm -rf "$out"
mkdir -p "$out"
for f in training/corpus/*.jsonl; do
    b=$(basename "$f" .jsonl)
    case $b in furniture|page-pieces) continue ;; esac
    args=()
    for g in training/corpus/*.jsonl; do [ "$g" = "$f" ] || args+=(--data "$g"); done
    # shellcheck disable=SC2086
    "$bin" train "${args[@]}" --out "$out/model" --seed 1 --c "${LOFO_C:-1}" --folds 2 \
        --quiet ${LOFO_ARGS:-} > /dev/null
    "$bin" eval --model "$out/model" --data "$f" --json > "$out/$b.json"
    rm -rf "$out/model"
done
python3 - "$out" <<'PY'
import glob, json, sys
for head in ("stance", "topic"):
    pooled = {}
    for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
        c = json.load(open(path))["heads"][head]["confusion"]
        for i, gold in enumerate(c["labels"]):
            for k, pred in enumerate(c["labels"]):
                pooled[gold, pred] = pooled.get((gold, pred), 0) + c["matrix"][i][k]
    labels = sorted({g for g, _ in pooled})
    f1s = []
    for l in labels:
        tp = pooled.get((l, l), 0)
        fp = sum(pooled.get((o, l), 0) for o in labels) - tp
        fn = sum(pooled.get((l, o), 0) for o in labels) - tp
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    n = sum(pooled.values())
    acc = sum(pooled.get((l, l), 0) for l in labels) / n
    print(f"lofo {head}: accuracy {acc:.3f}, macro-F1 {sum(f1s) / len(f1s):.3f} ({n} paragraphs)")
PY
