/*
 * model_internal.h - the layout of a loaded model, shared by the loader
 * (model.c) and the classifier (classify.c).  Internal to libtiesvm.
 */
#ifndef TV_MODEL_INTERNAL_H
#define TV_MODEL_INTERNAL_H

#include "featurize.h"
#include "tiesvm.h"
#include "vocab.h"

struct svm_model;
struct tv_fastlinear;

#define TV_MAX_HEADS 32
#define TV_MAX_LABELS 1000

typedef struct tv_head {
    char *name;
    char **labels;
    size_t label_count;
    struct svm_model *svm;
    int *svm_to_label;   /* libsvm's internal class k -> our label index */
    int has_probability;
    struct tv_fastlinear *fast; /* linear heads: collapsed weights, else NULL */
} tv_head;

struct tv_model {
    char *dir;
    char id[24];
    char *manifest_text;
    tv_feature_config cfg;
    double documents;
    tv_vocab *vocab;
    double *idf;
    tv_actors *actors;
    tv_actors *cues;      /* NULL unless the features use cues */
    tv_analyzer *analyzer;
    tv_head *heads;
    size_t head_count;
};

#endif
