/*
 * model.c - loading a model directory (tv_model_load): manifest checks,
 * SHA-256 verification of every listed file, vocabulary and IDF, actor
 * table, and one libsvm model per head; plus the model accessors.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "fastlinear.h"
#include "linear.h"
#include "model_internal.h"
#include "modelfile.h"
#include "svmcheck.h"
#include "util.h"

static int safe_file_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < 200;
}

/* Checks every file listed in the manifest against its SHA-256. */
static tv_status verify_files(const char *dir, const json_t *files, const char *mpath,
                              tv_error *err)
{
    if (!json_is_object(files) || json_object_size(files) == 0)
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "manifest lacks a \"files\" object");
    const char *name;
    json_t *digest;
    json_object_foreach((json_t *)files, name, digest)
    {
        if (!safe_file_name(name) || !json_is_string(digest))
            return tv_fail(err, TV_ERR_MODEL, mpath, 0, "bad entry in \"files\": %s", name);
        char *path = tv_path_join(dir, name);
        char hex[65];
        tv_status st = tv_sha256_file(path, hex, err);
        if (st == TV_OK && strcmp(hex, json_string_value(digest)) != 0)
            st = tv_fail(err, TV_ERR_MODEL, path, 0,
                         "checksum mismatch: the file was changed or damaged after training");
        else if (st != TV_OK)
            err->status = st = TV_ERR_MODEL;
        free(path);
        if (st != TV_OK)
            return st;
    }
    return TV_OK;
}

static tv_status load_head(tv_model *m, size_t index, const json_t *h, const json_t *files,
                           const char *mpath, tv_error *err)
{
    tv_head *head = &m->heads[index];
    json_t *name = json_object_get(h, "name");
    json_t *file = json_object_get(h, "file");
    json_t *labels = json_object_get(h, "labels");
    if (!json_is_string(name) || !json_is_string(file) || !json_is_array(labels) ||
        json_array_size(labels) < 2 || json_array_size(labels) > TV_MAX_LABELS)
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "head %zu: needs name, file and 2+ labels",
                       index);
    const char *fname = json_string_value(file);
    if (!safe_file_name(fname) || !json_object_get(files, fname))
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "head %zu: file %s is not listed in \"files\"",
                       index, fname);
    head->name = tv_xstrdup(json_string_value(name));
    head->label_count = json_array_size(labels);
    head->labels = tv_xcalloc(head->label_count, sizeof *head->labels);
    for (size_t i = 0; i < head->label_count; i++) {
        json_t *l = json_array_get(labels, i);
        if (!json_is_string(l))
            return tv_fail(err, TV_ERR_MODEL, mpath, 0, "head %s: label %zu is not a string",
                           head->name, i);
        head->labels[i] = tv_xstrdup(json_string_value(l));
    }
    char *path = tv_path_join(m->dir, fname);
    /* libsvm's loader trusts its input: check the file first. */
    char *text;
    size_t text_len;
    tv_status checked = tv_read_file(path, &text, &text_len, err);
    if (checked == TV_OK) {
        checked = tv_svm_check(text, text_len, path, head->label_count,
                               tv_vocab_size(m->vocab), err);
        free(text);
    }
    if (checked != TV_OK) {
        free(path);
        err->status = TV_ERR_MODEL;
        return TV_ERR_MODEL;
    }
    head->svm = svm_load_model(path);
    if (!head->svm) {
        tv_status st = tv_fail(err, TV_ERR_MODEL, path, 0, "not a valid libsvm model");
        free(path);
        return st;
    }
    int k = svm_get_nr_class(head->svm);
    if (svm_get_svm_type(head->svm) != C_SVC || k < 2 || (size_t)k > head->label_count) {
        tv_status st = tv_fail(err, TV_ERR_MODEL, path, 0,
                               "libsvm model has %d classes, manifest lists %zu labels", k,
                               head->label_count);
        free(path);
        return st;
    }
    int *svm_labels = tv_xcalloc((size_t)k, sizeof *svm_labels);
    svm_get_labels(head->svm, svm_labels);
    head->svm_to_label = tv_xcalloc((size_t)k, sizeof *head->svm_to_label);
    for (int i = 0; i < k; i++) {
        if (svm_labels[i] < 0 || (size_t)svm_labels[i] >= head->label_count) {
            tv_status st = tv_fail(err, TV_ERR_MODEL, path, 0, "libsvm label %d out of range",
                                   svm_labels[i]);
            free(svm_labels);
            free(path);
            return st;
        }
        head->svm_to_label[i] = svm_labels[i];
    }
    free(svm_labels);
    free(path);
    head->has_probability = svm_check_probability_model(head->svm);
    if (head->has_probability)
        head->fast = tv_fastlinear_new(head->svm, tv_vocab_size(m->vocab));
    return TV_OK;
}

/* Loads a table (actor or cue format) from the model directory. */
static tv_status load_table(const char *dir, const char *name, tv_actors **out, tv_error *err)
{
    char *path = tv_path_join(dir, name);
    tv_status st = tv_actors_load(path, out, err);
    free(path);
    if (st != TV_OK)
        st = err->status = TV_ERR_MODEL;
    return st;
}

static tv_status load_parts(tv_model *m, json_t *root, const char *mpath, tv_error *err)
{
    json_t *format = json_object_get(root, "format");
    json_t *version = json_object_get(root, "format_version");
    if (!json_is_string(format) || strcmp(json_string_value(format), TV_MODEL_FORMAT) != 0)
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "not a tiesvm model manifest");
    if (!json_is_integer(version) || json_integer_value(version) != TIESVM_MODEL_FORMAT_VERSION)
        return tv_fail(err, TV_ERR_MODEL, mpath, 0,
                       "model format version %lld is not supported (this tiesvm reads %d)",
                       json_is_integer(version) ? (long long)json_integer_value(version) : -1LL,
                       TIESVM_MODEL_FORMAT_VERSION);
    json_t *files = json_object_get(root, "files");
    tv_status st = verify_files(m->dir, files, mpath, err);
    if (st != TV_OK)
        return st;
    tv_model_id_from_files(files, m->id);
    st = tv_feature_config_from_json(json_object_get(root, "features"), &m->cfg, &m->documents,
                                     mpath, err);
    if (st != TV_OK)
        return st;
    if (!json_object_get(files, TV_VOCAB_FILE) || !json_object_get(files, TV_ACTORS_FILE))
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "manifest must list %s and %s",
                       TV_VOCAB_FILE, TV_ACTORS_FILE);
    char *path = tv_path_join(m->dir, TV_VOCAB_FILE);
    double *df = NULL;
    st = tv_vocab_read(path, &m->vocab, &df, err);
    free(path);
    if (st != TV_OK)
        return st;
    size_t v = tv_vocab_size(m->vocab);
    m->idf = tv_xcalloc(v, sizeof *m->idf);
    for (size_t i = 0; i < v; i++)
        m->idf[i] = tv_idf(m->documents, df[i]);
    free(df);
    if ((st = load_table(m->dir, TV_ACTORS_FILE, &m->actors, err)) != TV_OK)
        return st;
    if (m->cfg.cues) {
        if (!json_object_get(files, TV_CUES_FILE))
            return tv_fail(err, TV_ERR_MODEL, mpath, 0, "manifest must list %s", TV_CUES_FILE);
        if ((st = load_table(m->dir, TV_CUES_FILE, &m->cues, err)) != TV_OK)
            return st;
    }
    m->analyzer = tv_analyzer_new(m->actors, m->cues, &m->cfg);
    json_t *heads = json_object_get(root, "heads");
    if (!json_is_array(heads) || json_array_size(heads) == 0 ||
        json_array_size(heads) > TV_MAX_HEADS)
        return tv_fail(err, TV_ERR_MODEL, mpath, 0, "manifest needs 1 to %d heads",
                       TV_MAX_HEADS);
    m->head_count = json_array_size(heads);
    m->heads = tv_xcalloc(m->head_count, sizeof *m->heads);
    for (size_t i = 0; i < m->head_count; i++) {
        st = load_head(m, i, json_array_get(heads, i), files, mpath, err);
        if (st != TV_OK)
            return st;
    }
    return TV_OK;
}

tv_status tv_model_load(const char *dir, tv_model **out, tv_error *err)
{
    tv_error scratch;
    if (!err)
        err = &scratch;
    *out = NULL;
    tv_model *m = tv_xcalloc(1, sizeof *m);
    m->dir = tv_xstrdup(dir);
    char *mpath = tv_path_join(dir, TV_MANIFEST_FILE);
    size_t len;
    tv_status st = tv_read_file(mpath, &m->manifest_text, &len, err);
    if (st != TV_OK) {
        err->status = st = TV_ERR_MODEL;
        free(mpath);
        tv_model_free(&m);
        return st;
    }
    json_error_t jerr;
    json_t *root = json_loadb(m->manifest_text, len, 0, &jerr);
    if (!json_is_object(root)) {
        st = root ? tv_fail(err, TV_ERR_MODEL, mpath, 0, "manifest is not a JSON object")
                  : tv_fail(err, TV_ERR_MODEL, mpath, jerr.line, "malformed manifest: %s",
                            jerr.text);
    } else {
        st = load_parts(m, root, mpath, err);
    }
    json_decref(root);
    free(mpath);
    if (st != TV_OK) {
        tv_model_free(&m);
        return st;
    }
    *out = m;
    return TV_OK;
}

void tv_model_free(tv_model **model)
{
    if (!model || !*model)
        return;
    tv_model *m = *model;
    for (size_t i = 0; i < m->head_count; i++) {
        tv_head *h = &m->heads[i];
        free(h->name);
        for (size_t k = 0; h->labels && k < h->label_count; k++)
            free(h->labels[k]);
        free(h->labels);
        free(h->svm_to_label);
        tv_fastlinear_free(&h->fast);
        if (h->svm)
            svm_free_and_destroy_model(&h->svm);
    }
    free(m->heads);
    tv_analyzer_free(&m->analyzer);
    tv_actors_free(&m->actors);
    tv_actors_free(&m->cues);
    tv_vocab_free(&m->vocab);
    free(m->idf);
    free(m->manifest_text);
    free(m->dir);
    free(m);
    *model = NULL;
}

const char *tv_model_id(const tv_model *model) { return model->id; }
const char *tv_model_dir(const tv_model *model) { return model->dir; }
size_t tv_model_head_count(const tv_model *model) { return model->head_count; }
const char *tv_model_manifest_json(const tv_model *model) { return model->manifest_text; }
size_t tv_model_vocab_size(const tv_model *model) { return tv_vocab_size(model->vocab); }
const tv_actors *tv_model_actors(const tv_model *model) { return model->actors; }

const char *tv_model_head_name(const tv_model *model, size_t head)
{
    return head < model->head_count ? model->heads[head].name : NULL;
}

size_t tv_model_find_head(const tv_model *model, const char *name)
{
    for (size_t i = 0; i < model->head_count; i++)
        if (strcmp(model->heads[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

size_t tv_model_label_count(const tv_model *model, size_t head)
{
    return head < model->head_count ? model->heads[head].label_count : 0;
}

const char *tv_model_label_name(const tv_model *model, size_t head, size_t label)
{
    if (head >= model->head_count || label >= model->heads[head].label_count)
        return NULL;
    return model->heads[head].labels[label];
}

typedef struct ranked {
    size_t id;
    double weight;
} ranked;

static int by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return (x->id > y->id) - (x->id < y->id);
}

tv_status tv_model_top_terms(const tv_model *model, size_t head, size_t label, size_t max,
                             tv_term_weight *out, size_t *count, tv_error *err)
{
    *count = 0;
    if (head >= model->head_count || label >= model->heads[head].label_count)
        return tv_fail(err, TV_ERR_ARG, "", 0, "no such head or label");
    const tv_head *h = &model->heads[head];
    if (!tv_linear_is_linear(h->svm))
        return tv_fail(err, TV_ERR_ARG, "", 0, "head \"%s\" does not use a linear kernel",
                       h->name);
    int k = svm_get_nr_class(h->svm);
    int cls = -1;
    for (int c = 0; c < k; c++)
        if ((size_t)h->svm_to_label[c] == label)
            cls = c;
    if (cls < 0)
        return TV_OK; /* a label the model never saw in training */
    size_t dim = tv_vocab_size(model->vocab);
    double *w = tv_xcalloc((size_t)k * dim + 1, sizeof *w);
    tv_linear_class_weights(h->svm, w, dim);
    ranked *r = tv_xcalloc(dim + 1, sizeof *r);
    for (size_t i = 0; i < dim; i++) {
        r[i].id = i;
        r[i].weight = w[(size_t)cls * dim + i];
    }
    qsort(r, dim, sizeof *r, by_weight);
    for (size_t i = 0; i < dim && *count < max && r[i].weight > 0; i++) {
        size_t len;
        out[*count].term = tv_vocab_term(model->vocab, r[i].id, &len);
        out[*count].weight = r[i].weight;
        (*count)++;
    }
    free(r);
    free(w);
    return TV_OK;
}
