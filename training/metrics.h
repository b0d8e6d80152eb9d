/*
 * metrics.h - classification metrics over a confusion matrix (gold rows,
 * predicted columns): accuracy, per-label precision/recall/F1, macro-F1.
 * Shared by cross-validation and tv_evaluate.  Internal.
 */
#ifndef TV_METRICS_H
#define TV_METRICS_H

#include <stddef.h>

typedef struct tv_label_scores {
    double precision, recall, f1;
    size_t support; /* gold examples of the label */
} tv_label_scores;

/* m is n x n, m[gold * n + predicted]. */
double tv_accuracy(const size_t *m, size_t n);
void tv_label_metrics(const size_t *m, size_t n, size_t label, tv_label_scores *out);
/* Mean F1 over the labels that occur in the gold data (support > 0). */
double tv_macro_f1(const size_t *m, size_t n);

#endif
