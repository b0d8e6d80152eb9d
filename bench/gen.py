#!/usr/bin/env python3
"""Builds the benchmark's data from the project's own corpus (nothing is downloaded).

usage: gen.py CORPUS_DIR OUT_DIR MEGABYTES

Writes, deterministically (fixed seed):
  articles.jsonl   articles of 3-12 corpus paragraphs joined by blank lines, one
                   {"id", "text"} a line, until the texts total MEGABYTES;
  paragraphs.txt   the same paragraphs, one a line (input for fastText and the
                   tokenize-and-hash ceiling);
  ft-stance.txt, ft-topic.txt   the corpus in fastText's __label__ format;
  train-N.jsonl    training sets of N = 1000, 3000, 10000, 30000 examples: the corpus,
                   repeated where it is smaller, each repeat perturbed a little (one
                   word dropped and two neighbouring words swapped) so that no two
                   examples are identical.
"""
import glob
import json
import os
import random
import sys


def perturb(text, rnd):
    words = text.split(" ")
    if len(words) > 3:
        del words[rnd.randrange(len(words))]
        i = rnd.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def main():
    corpus_dir, out_dir, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rows = []
    for path in sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    os.makedirs(out_dir, exist_ok=True)
    rnd = random.Random(2026)
    target = int(megabytes * 1024 * 1024)
    size = n = 0
    with open(os.path.join(out_dir, "articles.jsonl"), "w", encoding="utf-8") as art, \
         open(os.path.join(out_dir, "paragraphs.txt"), "w", encoding="utf-8") as par:
        while size < target:
            paras = [rows[rnd.randrange(len(rows))]["text"] for _ in range(rnd.randint(3, 12))]
            text = "\n\n".join(paras)
            art.write(json.dumps({"id": f"a{n}", "text": text}, ensure_ascii=False) + "\n")
            for p in paras:
                par.write(p.replace("\n", " ") + "\n")
            size += len(text.encode("utf-8"))
            n += 1
    for head in ("stance", "topic"):
        with open(os.path.join(out_dir, f"ft-{head}.txt"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(f"__label__{r[head]} {r['text']}\n")
    for want in (1000, 3000, 10000, 30000):
        with open(os.path.join(out_dir, f"train-{want}.jsonl"), "w", encoding="utf-8") as f:
            rnd_n = random.Random(want)
            order = list(range(len(rows)))
            out = 0
            rep = 0
            while out < want:
                rnd_n.shuffle(order)
                for i in order:
                    if out == want:
                        break
                    r = rows[i]
                    text = r["text"] if rep == 0 else perturb(r["text"], rnd_n)
                    f.write(json.dumps({"text": text, "stance": r["stance"], "topic": r["topic"]},
                                       ensure_ascii=False) + "\n")
                    out += 1
                rep += 1
    print(f"gen: {n} articles, {size / 1048576:.1f} MB of text, corpus of {len(rows)} paragraphs")


if __name__ == "__main__":
    main()
