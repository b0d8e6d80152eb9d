/*
 * fastlinear.c - collapsed linear one-vs-one classifiers with pairwise
 * coupling of probabilities.
 *
 * Weights are stored feature-major (for feature f, the weights of all
 * pairs are adjacent), so one pass over a paragraph's features updates
 * every pair's decision value with sequential memory access.
 *
 * The probability step follows libsvm's documented method: each pair's
 * decision value d gives r = 1 / (1 + exp(A d + B)) (Platt), clipped to
 * [1e-7, 1 - 1e-7]; the class probabilities p are then the solution of
 * Wu, Lin and Weng's second coupling method (2004), min p'Qp subject to
 * sum(p) = 1, found by the same fixed-point iteration libsvm uses (at most
 * max(100, k) rounds, stopping when every |(Qp)_t - p'Qp| < 0.005 / k).
 */
#include "fastlinear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "linear.h"
#include "util.h"

struct tv_fastlinear {
    int k;            /* classes */
    size_t pairs;     /* k (k - 1) / 2 */
    size_t dim;
    double *w;        /* dim * pairs, feature-major */
    double *rho;      /* per pair */
    double *prob_a;   /* per pair */
    double *prob_b;
};

tv_fastlinear *tv_fastlinear_new(const struct svm_model *svm, size_t dim)
{
    if (!tv_linear_is_linear(svm) || svm->param.svm_type != C_SVC || !svm->probA ||
        !svm->probB || svm->nr_class < 2)
        return NULL;
    tv_fastlinear *fl = tv_xcalloc(1, sizeof *fl);
    fl->k = svm->nr_class;
    fl->pairs = (size_t)fl->k * (size_t)(fl->k - 1) / 2;
    fl->dim = dim;
    fl->w = tv_xreallocarray(NULL, dim * fl->pairs + 1, sizeof *fl->w);
    fl->rho = tv_xcalloc(fl->pairs, sizeof *fl->rho);
    fl->prob_a = tv_xcalloc(fl->pairs, sizeof *fl->prob_a);
    fl->prob_b = tv_xcalloc(fl->pairs, sizeof *fl->prob_b);
    double *pair_w = tv_xcalloc(dim + 1, sizeof *pair_w);
    size_t p = 0;
    for (int a = 0; a < fl->k; a++)
        for (int b = a + 1; b < fl->k; b++, p++) {
            tv_linear_pair_weights(svm, a, b, pair_w, dim);
            for (size_t f = 0; f < dim; f++)
                fl->w[f * fl->pairs + p] = pair_w[f];
            fl->rho[p] = svm->rho[p];
            fl->prob_a[p] = svm->probA[p];
            fl->prob_b[p] = svm->probB[p];
        }
    free(pair_w);
    return fl;
}

void tv_fastlinear_free(tv_fastlinear **fl)
{
    if (!fl || !*fl)
        return;
    free((*fl)->w);
    free((*fl)->rho);
    free((*fl)->prob_a);
    free((*fl)->prob_b);
    free(*fl);
    *fl = NULL;
}

size_t tv_fastlinear_scratch_size(const tv_fastlinear *fl)
{
    size_t k = (size_t)fl->k;
    /* decision values, r (k x k), Q (k x k), Qp (k) */
    return fl->pairs + 2 * k * k + k;
}

/* Platt's sigmoid, written to avoid overflow for either sign. */
static double platt(double dec, double a, double b)
{
    double z = dec * a + b;
    if (z >= 0)
        return exp(-z) / (1.0 + exp(-z));
    return 1.0 / (1.0 + exp(z));
}

/* Pairwise coupling: r[i*k+j] = P(i beats j); writes p (k entries). */
static void couple(int k, const double *r, double *p, double *Q, double *Qp)
{
    size_t n = (size_t)k;
    for (size_t t = 0; t < n; t++) {
        p[t] = 1.0 / k;
        Q[t * n + t] = 0.0;
        for (size_t j = 0; j < n; j++) {
            if (j == t)
                continue;
            Q[t * n + t] += r[j * n + t] * r[j * n + t];
            Q[t * n + j] = -r[j * n + t] * r[t * n + j];
        }
    }
    int rounds = k > 100 ? k : 100;
    double eps = 0.005 / k;
    for (int it = 0; it < rounds; it++) {
        double pQp = 0.0;
        for (size_t t = 0; t < n; t++) {
            Qp[t] = 0.0;
            for (size_t j = 0; j < n; j++)
                Qp[t] += Q[t * n + j] * p[j];
            pQp += p[t] * Qp[t];
        }
        double worst = 0.0;
        for (size_t t = 0; t < n; t++) {
            double e = fabs(Qp[t] - pQp);
            if (e > worst)
                worst = e;
        }
        if (worst < eps)
            break;
        for (size_t t = 0; t < n; t++) {
            double diff = (-Qp[t] + pQp) / Q[t * n + t];
            p[t] += diff;
            pQp = (pQp + diff * (diff * Q[t * n + t] + 2.0 * Qp[t])) / (1.0 + diff) / (1.0 + diff);
            for (size_t j = 0; j < n; j++) {
                Qp[j] = (Qp[j] + diff * Q[t * n + j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
}

void tv_fastlinear_predict(const tv_fastlinear *fl, const struct svm_node *x, double *probs,
                           double *scratch)
{
    size_t pairs = fl->pairs, k = (size_t)fl->k;
    double *dec = scratch;
    double *r = dec + pairs;
    double *Q = r + k * k;
    double *Qp = Q + k * k;
    for (size_t p = 0; p < pairs; p++)
        dec[p] = 0.0;
    for (const struct svm_node *n = x; n->index != -1; n++) {
        if (n->index < 1 || (size_t)n->index > fl->dim)
            continue;
        const double *w = fl->w + (size_t)(n->index - 1) * pairs;
        for (size_t p = 0; p < pairs; p++)
            dec[p] += n->value * w[p];
    }
    const double min_prob = 1e-7;
    size_t p = 0;
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++, p++) {
            double v = platt(dec[p] - fl->rho[p], fl->prob_a[p], fl->prob_b[p]);
            if (v < min_prob)
                v = min_prob;
            if (v > 1.0 - min_prob)
                v = 1.0 - min_prob;
            r[a * k + b] = v;
            r[b * k + a] = 1.0 - v;
        }
    if (k == 2) {
        probs[0] = r[1];
        probs[1] = r[k];
        return;
    }
    couple(fl->k, r, probs, Q, Qp);
}

int tv_fastlinear_classes(const tv_fastlinear *fl)
{
    return fl->k;
}

double tv_fastlinear_toward(const tv_fastlinear *fl, int cls, size_t feature)
{
    if (feature < 1 || feature > fl->dim || cls < 0 || cls >= fl->k)
        return 0.0;
    const double *w = fl->w + (feature - 1) * fl->pairs;
    double sum = 0.0;
    size_t p = 0;
    for (int a = 0; a < fl->k; a++)
        for (int b = a + 1; b < fl->k; b++, p++) {
            if (a == cls)
                sum += w[p];
            else if (b == cls)
                sum -= w[p];
        }
    return sum / (double)(fl->k - 1);
}
