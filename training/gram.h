/*
 * gram.h - precomputed kernel matrices for libsvm training.  With the
 * matrix computed once, every kernel evaluation inside libsvm's solver is
 * a table lookup instead of a sparse dot product.  Internal.
 */
#ifndef TV_GRAM_H
#define TV_GRAM_H

#include <stddef.h>

struct svm_node;
struct svm_model;
struct svm_parameter;

/* Largest training set for which the matrix is built (n*n*16 bytes). */
#define TV_GRAM_MAX_EXAMPLES 12000

/*
 * Rows for libsvm's PRECOMPUTED kernel: row i is {0: i+1}, {1: K(i,0)}, ...
 * {n: K(i,n-1)}, {-1}.  K is the linear kernel, or the RBF kernel with gamma
 * when rbf is set.  x are the examples' sparse vectors.  Free with
 * tv_gram_free().
 */
struct svm_node **tv_gram_rows(struct svm_node *const *x, size_t n, int rbf, double gamma);
void tv_gram_free(struct svm_node **rows);

/*
 * Turns a model trained on precomputed rows into the equivalent model over
 * the real vectors x (kernel and gamma from param), which predicts without
 * the matrix.  The result borrows pm's arrays and x's vectors: release it
 * with tv_gram_model_release() before freeing pm.
 */
struct svm_model *tv_gram_model_to_real(const struct svm_model *pm, struct svm_node *const *x,
                                        const struct svm_parameter *param);
void tv_gram_model_release(struct svm_model *m);

#endif
