/*
 * modelfile.h - the on-disk model directory format, in one place: file
 * names, the vocabulary file, and the feature settings in the manifest.
 * Used by the loader (model.c) and the trainer (training/train.c).
 *
 *   manifest.json   format, version, id, features, training, heads, files
 *   vocab.tsv       one term a line: DF <TAB> TERM; the line order is the id
 *   actors.tsv      the actor table used at training time
 *   cues.tsv        the cue table, when the features use cues
 *   head-N.svm      libsvm model of head N; libsvm label k = the head's k-th label
 */
#ifndef TV_MODELFILE_H
#define TV_MODELFILE_H

#include <jansson.h>

#include "featurize.h"
#include "vocab.h"

#define TV_MANIFEST_FILE "manifest.json"
#define TV_VOCAB_FILE "vocab.tsv"
#define TV_ACTORS_FILE "actors.tsv"
#define TV_CUES_FILE "cues.tsv"
#define TV_MODEL_FORMAT "tiesvm-model"

/* Writes the vocabulary with document frequencies; returns 0 or -1 (errno). */
int tv_vocab_write(const tv_vocab *vocab, const double *df, const char *path);
/* Reads vocab.tsv; *df gets one entry per term (malloc'd). */
tv_status tv_vocab_read(const char *path, tv_vocab **vocab, double **df, tv_error *err);

json_t *tv_feature_config_to_json(const tv_feature_config *cfg, int min_df, double documents,
                                  size_t vocab_size);
tv_status tv_feature_config_from_json(const json_t *obj, tv_feature_config *cfg,
                                      double *documents, const char *file, tv_error *err);

/* Model id from the file digests: "tv1-" + 16 hex digits. */
void tv_model_id_from_files(const json_t *files, char out[24]);

#endif
