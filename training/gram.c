/*
 * gram.c - the kernel matrix of a training set, and the conversion of a
 * precomputed-kernel libsvm model back to one over real vectors.
 */
#include "gram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "util.h"

static size_t max_index(struct svm_node *const *x, size_t n)
{
    size_t max = 0;
    for (size_t i = 0; i < n; i++)
        for (const struct svm_node *p = x[i]; p->index != -1; p++)
            if ((size_t)p->index > max)
                max = (size_t)p->index;
    return max;
}

struct svm_node **tv_gram_rows(struct svm_node *const *x, size_t n, int rbf, double gamma)
{
    size_t width = n + 2;
    struct svm_node *block = tv_xreallocarray(NULL, n * width, sizeof *block);
    struct svm_node **rows = tv_xcalloc(n + 1, sizeof *rows);
    double *dense = tv_xcalloc(max_index(x, n) + 1, sizeof *dense);
    double *sq = tv_xcalloc(n + 1, sizeof *sq);
    for (size_t i = 0; i < n; i++)
        for (const struct svm_node *p = x[i]; p->index != -1; p++)
            sq[i] += p->value * p->value;
    for (size_t i = 0; i < n; i++) {
        rows[i] = block + i * width;
        rows[i][0].index = 0;
        rows[i][0].value = (double)(i + 1);
        rows[i][n + 1].index = -1;
        rows[i][n + 1].value = 0.0;
    }
    /* Row i against every j <= i through a dense copy of x[i]; mirrored. */
    for (size_t i = 0; i < n; i++) {
        for (const struct svm_node *p = x[i]; p->index != -1; p++)
            dense[p->index] = p->value;
        for (size_t j = 0; j <= i; j++) {
            double dot = 0.0;
            for (const struct svm_node *q = x[j]; q->index != -1; q++)
                dot += dense[q->index] * q->value;
            double k = rbf ? exp(-gamma * (sq[i] + sq[j] - 2.0 * dot)) : dot;
            rows[i][j + 1].index = (int)(j + 1);
            rows[i][j + 1].value = k;
            rows[j][i + 1].index = (int)(i + 1);
            rows[j][i + 1].value = k;
        }
        for (const struct svm_node *p = x[i]; p->index != -1; p++)
            dense[p->index] = 0.0;
    }
    free(dense);
    free(sq);
    return rows;
}

void tv_gram_free(struct svm_node **rows)
{
    if (!rows)
        return;
    free(rows[0]);
    free(rows);
}

struct svm_model *tv_gram_model_to_real(const struct svm_model *pm, struct svm_node *const *x,
                                        const struct svm_parameter *param)
{
    struct svm_model *m = tv_xcalloc(1, sizeof *m);
    *m = *pm;
    m->param = *param;
    m->param.nr_weight = 0;
    m->param.weight_label = NULL;
    m->param.weight = NULL;
    m->SV = tv_xcalloc((size_t)pm->l + 1, sizeof *m->SV);
    for (int k = 0; k < pm->l; k++) {
        /* A support vector's row starts with its 1-based example id. */
        size_t id = (size_t)pm->SV[k][0].value;
        m->SV[k] = x[id - 1];
    }
    m->free_sv = 0;
    return m;
}

void tv_gram_model_release(struct svm_model *m)
{
    if (!m)
        return;
    free(m->SV);
    free(m);
}
