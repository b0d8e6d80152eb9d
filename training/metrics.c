/*
 * metrics.c - accuracy, precision, recall and F1 from a confusion matrix.
 */
#include "metrics.h"

double tv_accuracy(const size_t *m, size_t n)
{
    size_t right = 0, total = 0;
    for (size_t g = 0; g < n; g++)
        for (size_t p = 0; p < n; p++) {
            total += m[g * n + p];
            if (g == p)
                right += m[g * n + p];
        }
    return total ? (double)right / (double)total : 0.0;
}

void tv_label_metrics(const size_t *m, size_t n, size_t label, tv_label_scores *out)
{
    size_t tp = m[label * n + label], gold = 0, predicted = 0;
    for (size_t k = 0; k < n; k++) {
        gold += m[label * n + k];
        predicted += m[k * n + label];
    }
    out->support = gold;
    out->precision = predicted ? (double)tp / (double)predicted : 0.0;
    out->recall = gold ? (double)tp / (double)gold : 0.0;
    double s = out->precision + out->recall;
    out->f1 = s > 0 ? 2.0 * out->precision * out->recall / s : 0.0;
}

double tv_macro_f1(const size_t *m, size_t n)
{
    double sum = 0.0;
    size_t labels = 0;
    for (size_t l = 0; l < n; l++) {
        tv_label_scores s;
        tv_label_metrics(m, n, l, &s);
        if (s.support == 0)
            continue;
        sum += s.f1;
        labels++;
    }
    return labels ? sum / (double)labels : 0.0;
}
