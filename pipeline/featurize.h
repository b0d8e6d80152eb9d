/*
 * featurize.h - from paragraph text to terms and TF-IDF vectors: the analyzer
 * runs normalization, actor rewriting, tokenizing and n-gram generation; the
 * vectorizer turns term ids into L2-normalized, sublinear TF-IDF libsvm
 * nodes.  Training and classification share it, so both see the same
 * features.  Internal to libtiesvm.
 */
#ifndef TV_FEATURIZE_H
#define TV_FEATURIZE_H

#include <stddef.h>
#include <stdint.h>

#include "tiesvm.h"

struct svm_node;

typedef struct tv_feature_config {
    int word_ngram_max;  /* 1..3 */
    int char_ngram_min;  /* 0 = no character n-grams */
    int char_ngram_max;
    int actor_pairs;     /* add "@a+@b" for each pair of actors mentioned */
    int sublinear_tf;    /* 1 + ln(tf) instead of tf */
    int cues;            /* add "%cue" terms from a cue table */
    int shape;           /* add terms for the paragraph's shape: length bucket,
                            question mark, quotation; URLs become one "%url" */
} tv_feature_config;

#define TV_MAX_WORD_NGRAM 3
#define TV_MAX_CHAR_NGRAM 8

typedef struct tv_analyzer tv_analyzer; /* shared, read-only after creation */
typedef struct tv_scratch tv_scratch;   /* per thread */

/* actors and cues (a table in the actor-table format, or NULL) are
 * borrowed and must outlive the analyzer. */
tv_analyzer *tv_analyzer_new(const tv_actors *actors, const tv_actors *cues,
                             const tv_feature_config *cfg);
void tv_analyzer_free(tv_analyzer **an);
const tv_feature_config *tv_analyzer_config(const tv_analyzer *an);

tv_scratch *tv_scratch_new(const tv_analyzer *an);
void tv_scratch_free(tv_scratch **sc);

typedef void (*tv_term_fn)(void *ctx, const char *term, size_t len);

/* Calls fn once per term occurrence of text (any bytes).  Returns 1 if the
 * text had invalid UTF-8.  Afterwards tv_scratch_actors() tells which actors
 * the text mentions. */
int tv_analyze(const tv_analyzer *an, tv_scratch *sc, const char *text, size_t len,
               tv_term_fn fn, void *ctx);
/* seen[k] != 0 for each actor name k of the last tv_analyze call. */
const unsigned char *tv_scratch_actors(const tv_scratch *sc);

/* Smoothed inverse document frequency: ln((1 + n_docs) / (1 + df)) + 1. */
double tv_idf(double n_docs, double df);

/*
 * Builds the TF-IDF vector of a bag of term ids (ids is sorted in place):
 * weight = tf' * idf[id], tf' = 1 + ln(tf) when sublinear, L2-normalized.
 * Writes libsvm nodes (index = id + 1, ascending, terminated by index -1)
 * into *nodes (grown as needed) and returns the number of features.
 */
size_t tv_vectorize(size_t *ids, size_t count, const double *idf, int sublinear,
                    struct svm_node **nodes, size_t *cap);

/*
 * The same vector from term counts: ids (distinct, sorted ascending) with
 * their counts tf.  Gives the same values as tv_vectorize on the bag.
 */
size_t tv_vectorize_counts(const size_t *ids, const uint32_t *tf, size_t count,
                           const double *idf, int sublinear, struct svm_node **nodes,
                           size_t *cap);

#endif
