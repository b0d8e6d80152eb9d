/*
 * linear.c - collapsing a linear libsvm model's support vectors into
 * weight vectors.
 */
#include "linear.h"

#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "util.h"

int tv_linear_is_linear(const struct svm_model *svm)
{
    return svm->param.kernel_type == LINEAR;
}

static void add_scaled(double *w, size_t dim, const struct svm_node *sv, double coef)
{
    for (const struct svm_node *p = sv; p->index != -1; p++)
        if (p->index >= 1 && (size_t)p->index <= dim)
            w[p->index - 1] += coef * p->value;
}

void tv_linear_pair_weights(const struct svm_model *svm, int a, int b, double *w, size_t dim)
{
    memset(w, 0, dim * sizeof *w);
    int start_a = 0, start_b = 0;
    for (int c = 0; c < a; c++)
        start_a += svm->nSV[c];
    for (int c = 0; c < b; c++)
        start_b += svm->nSV[c];
    /* libsvm keeps the coefficients of class a's SVs for pair (a, b) in
     * row b - 1, and those of class b's SVs in row a. */
    for (int k = 0; k < svm->nSV[a]; k++)
        add_scaled(w, dim, svm->SV[start_a + k], svm->sv_coef[b - 1][start_a + k]);
    for (int k = 0; k < svm->nSV[b]; k++)
        add_scaled(w, dim, svm->SV[start_b + k], svm->sv_coef[a][start_b + k]);
}

void tv_linear_class_weights(const struct svm_model *svm, double *out, size_t dim)
{
    int k = svm->nr_class;
    memset(out, 0, (size_t)k * dim * sizeof *out);
    double *w = tv_xcalloc(dim + 1, sizeof *w);
    for (int a = 0; a < k; a++)
        for (int b = a + 1; b < k; b++) {
            tv_linear_pair_weights(svm, a, b, w, dim);
            for (size_t i = 0; i < dim; i++) {
                out[(size_t)a * dim + i] += w[i] / (k - 1);
                out[(size_t)b * dim + i] -= w[i] / (k - 1);
            }
        }
    free(w);
}
