/*
 * modelfile.c - reading and writing the parts of a model directory that
 * the loader and the trainer share (see modelfile.h).
 */
#include "modelfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"

int tv_vocab_write(const tv_vocab *vocab, const double *df, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = tv_vocab_size(vocab);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *t = tv_vocab_term(vocab, i, &len);
        fprintf(f, "%.0f\t%.*s\n", df[i], (int)len, t);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return -1;
    return 0;
}

tv_status tv_vocab_read(const char *path, tv_vocab **vocab, double **df, tv_error *err)
{
    char *data;
    size_t len;
    tv_status st = tv_read_file(path, &data, &len, err);
    if (st != TV_OK)
        return st;
    tv_vocab *v = tv_vocab_new();
    double *d = NULL;
    size_t cap = 0;
    long line = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        line++;
        if (!nl) {
            st = tv_fail(err, TV_ERR_MODEL, path, line, "truncated vocabulary (no final newline)");
            break;
        }
        size_t end = (size_t)(nl - data);
        const char *s = data + pos;
        const char *tab = memchr(s, '\t', end - pos);
        char *num_end = NULL;
        double value = tab ? strtod(s, &num_end) : -1.0;
        if (!tab || num_end != tab || !isfinite(value) || value < 1.0 || tab + 1 == nl ||
            memchr(tab + 1, '\0', (size_t)(nl - tab - 1))) {
            st = tv_fail(err, TV_ERR_MODEL, path, line, "malformed vocabulary line");
            break;
        }
        size_t before = tv_vocab_size(v);
        if (before >= 0xFFFFFFF0u) {
            st = tv_fail(err, TV_ERR_MODEL, path, line, "vocabulary too large");
            break;
        }
        tv_vocab_add(v, tab + 1, (size_t)(nl - tab - 1));
        if (tv_vocab_size(v) == before) {
            st = tv_fail(err, TV_ERR_MODEL, path, line, "duplicate vocabulary term");
            break;
        }
        if (before == cap) {
            cap = cap ? cap * 2 : 1024;
            d = tv_xreallocarray(d, cap, sizeof *d);
        }
        d[before] = value;
        pos = end + 1;
    }
    free(data);
    if (st != TV_OK) {
        tv_vocab_free(&v);
        free(d);
        return st;
    }
    *vocab = v;
    *df = d;
    return TV_OK;
}

json_t *tv_feature_config_to_json(const tv_feature_config *cfg, int min_df, double documents,
                                  size_t vocab_size)
{
    return json_pack("{s:s, s:i, s:i, s:i, s:b, s:b, s:b, s:b, s:i, s:s, s:s, s:I, s:I}",
                     "tokens", "pcre2 words, actor names folded to @canonical",
                     "word_ngram_max", cfg->word_ngram_max,
                     "char_ngram_min", cfg->char_ngram_min,
                     "char_ngram_max", cfg->char_ngram_max,
                     "actor_pairs", cfg->actor_pairs,
                     "sublinear_tf", cfg->sublinear_tf,
                     "cues", cfg->cues,
                     "shape", cfg->shape,
                     "min_df", min_df,
                     "idf", "ln((1+documents)/(1+df))+1",
                     "norm", "l2",
                     "documents", (json_int_t)documents,
                     "vocabulary_size", (json_int_t)vocab_size);
}

static int get_int(const json_t *obj, const char *key, int lo, int hi, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return -1;
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return -1;
    *out = (int)x;
    return 0;
}

tv_status tv_feature_config_from_json(const json_t *obj, tv_feature_config *cfg,
                                      double *documents, const char *file, tv_error *err)
{
    if (!json_is_object(obj))
        return tv_fail(err, TV_ERR_MODEL, file, 0, "manifest lacks a \"features\" object");
    memset(cfg, 0, sizeof *cfg);
    json_t *pairs = json_object_get(obj, "actor_pairs");
    json_t *sub = json_object_get(obj, "sublinear_tf");
    json_t *docs = json_object_get(obj, "documents");
    if (get_int(obj, "word_ngram_max", 1, TV_MAX_WORD_NGRAM, &cfg->word_ngram_max) ||
        get_int(obj, "char_ngram_min", 0, TV_MAX_CHAR_NGRAM, &cfg->char_ngram_min) ||
        get_int(obj, "char_ngram_max", 0, TV_MAX_CHAR_NGRAM, &cfg->char_ngram_max) ||
        !json_is_boolean(pairs) || !json_is_boolean(sub) || !json_is_number(docs) ||
        cfg->char_ngram_min > cfg->char_ngram_max || json_number_value(docs) < 1 ||
        !isfinite(json_number_value(docs)))
        return tv_fail(err, TV_ERR_MODEL, file, 0, "manifest has invalid feature settings");
    cfg->actor_pairs = json_is_true(pairs);
    cfg->sublinear_tf = json_is_true(sub);
    json_t *cues = json_object_get(obj, "cues");
    if (cues && !json_is_boolean(cues))
        return tv_fail(err, TV_ERR_MODEL, file, 0, "manifest has invalid feature settings");
    cfg->cues = json_is_true(cues);
    json_t *shape = json_object_get(obj, "shape");
    if (shape && !json_is_boolean(shape))
        return tv_fail(err, TV_ERR_MODEL, file, 0, "manifest has invalid feature settings");
    cfg->shape = json_is_true(shape);
    *documents = json_number_value(docs);
    return TV_OK;
}

void tv_model_id_from_files(const json_t *files, char out[24])
{
    /* Keys are hashed in sorted order so the id does not depend on the
     * manifest's layout. */
    const char *keys[64];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)files, key, value)
    {
        if (n < 64)
            keys[n++] = key;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    tv_sha256 ctx;
    tv_sha256_init(&ctx);
    for (size_t i = 0; i < n; i++) {
        const char *digest = json_string_value(json_object_get(files, keys[i]));
        tv_sha256_update(&ctx, keys[i], strlen(keys[i]) + 1);
        if (digest)
            tv_sha256_update(&ctx, digest, strlen(digest) + 1);
    }
    char hex[65];
    tv_sha256_final_hex(&ctx, hex);
    snprintf(out, 24, "tv1-%.16s", hex);
}
