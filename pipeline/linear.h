/*
 * linear.h - weight vectors of linear-kernel heads: libsvm's one-vs-one
 * classifiers collapsed to w = sum(coefficient * support vector), and a
 * per-label view for explaining what a model learned.  Internal.
 */
#ifndef TV_LINEAR_H
#define TV_LINEAR_H

#include <stddef.h>

struct svm_model;

/* 1 if the model's kernel is linear. */
int tv_linear_is_linear(const struct svm_model *svm);

/*
 * Dense weight vector (dim entries, feature index i at [i - 1]) of the
 * pairwise classifier between libsvm classes a < b: its decision value is
 * w.x - rho[pair], positive for class a.  w must hold dim doubles.
 */
void tv_linear_pair_weights(const struct svm_model *svm, int a, int b, double *w, size_t dim);

/*
 * Per-class weights: for class c, the mean over the pairs involving c of
 * +w (c first) or -w (c second).  out holds nr_class * dim doubles.
 */
void tv_linear_class_weights(const struct svm_model *svm, double *out, size_t dim);

#endif
