#!/usr/bin/env python3
"""Checks the labeled corpus (training/corpus/*.jsonl); `make corpus-check` runs it.

usage: corpus_check.py [--against DIR_OR_FILE ...] CORPUS_DIR

Fails (exit 1) on any of:
  - a line that is not a JSON object with exactly the keys id, text, stance, topic, register;
  - an empty text or a text holding a newline (one paragraph per example);
  - a label outside the codebook's sets, or an unknown register;
  - a duplicate id;
  - an exact duplicate text (after folding case, quotes, dashes and white space);
  - a near duplicate: two texts of 8+ words whose word 3-gram sets have a Jaccard
    similarity >= 0.70 (see below);
  - a (topic, stance) cell under 100 examples, fewer than 300 page-furniture
    paragraphs, or fewer than 3000 examples in all;
  - with --against: a corpus text sharing a run of 8 or more words with those files
    (the seed articles and the development set: the corpus must not copy them).
Pairs with similarity 0.50-0.70 are listed as warnings for a human look.

Threshold: a one-word substitution in a 20-word paragraph keeps about 0.75 of its
3-grams (18 shingles, 3 changed: 15/21 = 0.71), so 0.70 catches template slot-filling
and light edits, while independently written paragraphs on the same subject measure
below 0.3 (see the distribution this script prints).
"""
import glob
import json
import os
import re
import sys
from collections import Counter, defaultdict

STANCES = {"asserts", "disputes", "neutral"}
TOPICS = {"iran-alqaeda", "taliban-alqaeda", "alqaeda-isis", "taliban-isis", "other"}
REGISTERS = {"news", "analysis", "oped", "statement", "report", "rebuttal", "interview",
             "heading", "furniture"}
KEYS = {"id", "text", "stance", "topic", "register"}
NEAR_FAIL, NEAR_WARN, MIN_WORDS = 0.70, 0.50, 8
CELL_MIN, FURNITURE_MIN, TOTAL_MIN, COPY_RUN = 100, 300, 3000, 8

FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                      "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def words(text):
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.translate(FOLD).lower())


def shingles(ws, n=3):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def load(corpus_dir, errors):
    rows = []
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl")))
    if not files:
        errors.append(f"{corpus_dir}: no *.jsonl files")
    for path in files:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                where = f"{path}:{lineno}"
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    errors.append(f"{where}: malformed JSON: {e}")
                    continue
                if not isinstance(obj, dict) or set(obj) != KEYS:
                    errors.append(f"{where}: expected exactly the keys {sorted(KEYS)}")
                    continue
                bad = [k for k in KEYS if not isinstance(obj[k], str) or not obj[k].strip()]
                if bad:
                    errors.append(f"{where}: empty or non-string {bad}")
                    continue
                if "\n" in obj["text"]:
                    errors.append(f"{where}: text holds a newline (one paragraph per example)")
                if obj["stance"] not in STANCES:
                    errors.append(f"{where}: unknown stance {obj['stance']!r}")
                if obj["topic"] not in TOPICS:
                    errors.append(f"{where}: unknown topic {obj['topic']!r}")
                if obj["register"] not in REGISTERS:
                    errors.append(f"{where}: unknown register {obj['register']!r}")
                obj["_where"] = where
                rows.append(obj)
    return rows


def check_duplicates(rows, errors, warnings):
    seen_ids, seen_texts = {}, {}
    for r in rows:
        if r["id"] in seen_ids:
            errors.append(f"{r['_where']}: duplicate id {r['id']} (first at {seen_ids[r['id']]})")
        seen_ids.setdefault(r["id"], r["_where"])
        key = " ".join(words(r["text"]))
        if key in seen_texts:
            errors.append(f"{r['_where']}: same text as {seen_texts[key]}")
        seen_texts.setdefault(key, r["_where"])
    # Near duplicates: candidate pairs share at least one rare-enough 3-gram.
    sh = [shingles(words(r["text"])) if len(words(r["text"])) >= MIN_WORDS else set()
          for r in rows]
    index = defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    shared = Counter()
    for g, ids in index.items():
        if len(ids) > 50:  # stock phrases say nothing about duplication
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                shared[(ids[a], ids[b])] += 1
    buckets = Counter()
    for (a, b), common in shared.items():
        jac = common / len(sh[a] | sh[b])
        buckets[min(int(jac * 10), 9)] += 1
        if jac >= NEAR_FAIL:
            errors.append(f"{rows[b]['_where']}: near duplicate of {rows[a]['_where']} "
                          f"(3-gram Jaccard {jac:.2f})")
        elif jac >= NEAR_WARN:
            warnings.append(f"{rows[b]['_where']}: similar to {rows[a]['_where']} ({jac:.2f})")
    return buckets


def check_copies(rows, against, errors):
    runs = set()
    for target in against:
        paths = sorted(glob.glob(os.path.join(target, "*"))) if os.path.isdir(target) else [target]
        for path in paths:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if path.endswith(".jsonl"):
                text = "\n".join(json.loads(l).get("text", "") for l in text.splitlines() if l.strip())
            ws = words(text)
            runs.update(tuple(ws[i:i + COPY_RUN]) for i in range(len(ws) - COPY_RUN + 1))
    for r in rows:
        ws = words(r["text"])
        for i in range(len(ws) - COPY_RUN + 1):
            if tuple(ws[i:i + COPY_RUN]) in runs:
                errors.append(f"{r['_where']}: shares {COPY_RUN}+ words with the reference "
                              f"texts: \"{' '.join(ws[i:i + COPY_RUN])}\"")
                break


def main(argv):
    against = []
    args = list(argv)
    while args and args[0] == "--against":
        against.append(args[1])
        args = args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    errors, warnings = [], []
    rows = load(args[0], errors)
    buckets = check_duplicates(rows, errors, warnings)
    if against:
        check_copies(rows, against, errors)
    cells = Counter((r["topic"], r["stance"]) for r in rows)
    print(f"corpus: {len(rows)} examples in {args[0]}")
    print("  (topic, stance) cells:")
    for t in sorted(TOPICS):
        line = "  ".join(f"{s} {cells[(t, s)]:4d}" for s in sorted(STANCES))
        print(f"    {t:16s} {line}")
        for s in sorted(STANCES):
            if cells[(t, s)] < CELL_MIN:
                errors.append(f"cell ({t}, {s}) has {cells[(t, s)]} examples; needs {CELL_MIN}")
    furniture = sum(1 for r in rows if r["register"] == "furniture")
    print(f"  page furniture: {furniture}")
    if furniture < FURNITURE_MIN:
        errors.append(f"{furniture} page-furniture paragraphs; needs {FURNITURE_MIN}")
    if len(rows) < TOTAL_MIN:
        errors.append(f"{len(rows)} examples; needs {TOTAL_MIN}")
    regs = Counter(r["register"] for r in rows)
    print("  registers: " + ", ".join(f"{k} {v}" for k, v in sorted(regs.items())))
    lengths = sorted(len(words(r["text"])) for r in rows)
    if lengths:
        q = lambda p: lengths[min(len(lengths) - 1, int(p * len(lengths)))]
        print(f"  words per text: min {lengths[0]}, median {q(0.5)}, 90th {q(0.9)}, max {lengths[-1]}")
    print("  candidate pairs by 3-gram Jaccard: " +
          ", ".join(f"{b / 10:.1f}-{(b + 1) / 10:.1f}: {buckets[b]}" for b in sorted(buckets)))
    for w in warnings[:40]:
        print(f"warning: {w}")
    if len(warnings) > 40:
        print(f"warning: ... and {len(warnings) - 40} more similar pairs")
    for e in errors[:200]:
        print(f"error: {e}")
    if errors:
        print(f"corpus-check: FAILED with {len(errors)} error(s)")
        return 1
    print("corpus-check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
