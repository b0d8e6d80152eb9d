/*
 * svmcheck.h - validates a libsvm model file before libsvm parses it.
 * libsvm's loader trusts its input (no bounds on counts, no consistency
 * checks); this reader checks every line so that a truncated, damaged or
 * crafted file is refused with a message instead of crashing.  Internal.
 */
#ifndef TV_SVMCHECK_H
#define TV_SVMCHECK_H

#include <stddef.h>

#include "tiesvm.h"

/* Upper bounds a model file may declare. */
#define TV_SVM_MAX_CLASSES 1000
#define TV_SVM_MAX_SV 10000000

/*
 * Checks the libsvm model text in data[0..len) (name is used in messages):
 * a C-SVC model with a linear or RBF kernel, 2..max_labels classes whose
 * labels are distinct integers in [0, max_labels), consistent counts, finite
 * numbers, and support vectors whose feature indices increase within
 * [1, dim].  Returns TV_OK or TV_ERR_MODEL with the offending line.
 */
tv_status tv_svm_check(const char *data, size_t len, const char *name, size_t max_labels,
                       size_t dim, tv_error *err);

#endif
