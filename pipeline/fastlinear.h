/*
 * fastlinear.h - prediction for linear-kernel heads without support
 * vectors.  At load time each of libsvm's one-vs-one classifiers is
 * collapsed into one weight vector; a prediction is then one pass over the
 * paragraph's features (all pairs at once), followed by libsvm's pairwise
 * Platt sigmoids and pairwise coupling, so that probabilities agree with
 * svm_predict_probability.  Internal.
 */
#ifndef TV_FASTLINEAR_H
#define TV_FASTLINEAR_H

#include <stddef.h>

struct svm_model;
struct svm_node;

typedef struct tv_fastlinear tv_fastlinear;

/* NULL unless svm is a linear C-SVC model with probability estimates.
 * dim is the vocabulary size (features 1..dim). */
tv_fastlinear *tv_fastlinear_new(const struct svm_model *svm, size_t dim);
void tv_fastlinear_free(tv_fastlinear **fl);

/* Scratch doubles that tv_fastlinear_predict needs. */
size_t tv_fastlinear_scratch_size(const tv_fastlinear *fl);

/*
 * Probability of each libsvm class (libsvm's class order) for the sparse
 * vector x, into probs (nr_class entries); scratch holds
 * tv_fastlinear_scratch_size() doubles.
 */
void tv_fastlinear_predict(const tv_fastlinear *fl, const struct svm_node *x, double *probs,
                           double *scratch);

/* The weight of feature (1-based index) toward libsvm class cls: the mean,
 * over the pairwise classifiers involving cls, of its weight for cls. */
double tv_fastlinear_toward(const tv_fastlinear *fl, int cls, size_t feature);

/* The number of classes (libsvm's order). */
int tv_fastlinear_classes(const tv_fastlinear *fl);

#endif
