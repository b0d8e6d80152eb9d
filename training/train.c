/*
 * train.c - training a model directory (tv_train): builds the vocabulary
 * and IDF from the examples, chooses C per head by k-fold cross-validation
 * (macro-F1; folds stratified by label, or grouped by data file), trains
 * the final libsvm models with probability estimates, and writes
 * everything to a temporary directory that is then swapped into place.
 *
 * libsvm keeps global state (its print hook and rand()), so every call into
 * its training is preceded by srand() with a seed derived from the options:
 * the same data and options give the same files.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <svm.h>
#include <unistd.h>

#include "actors.h"
#include "featurize.h"
#include "gram.h"
#include "jobs.h"
#include "metrics.h"
#include "modelfile.h"
#include "sha256.h"
#include "util.h"
#include "vocab.h"

#define MAX_HEADS 32

static const char *const RESERVED_HEADS[] = {"doc", "para", "start", "end", "text", "actors",
                                             "model", "meta", "id", "error", "why",
                                             "reviewed", "register", NULL};

void tv_train_options_init(tv_train_options *opts)
{
    static const double default_c[] = {0.1, 1.0, 10.0};
    memset(opts, 0, sizeof *opts);
    opts->folds = 5;
    opts->c_values = default_c;
    opts->c_count = 3;
    opts->kernel = TV_KERNEL_LINEAR;
    opts->gamma = 1.0;
    opts->balanced = 1;
    opts->seed = 1;
    opts->min_df = 2;
    opts->word_ngram_max = 2;
    opts->actor_pairs = 1;
    opts->shape = 1;
}

static void quiet(const char *s)
{
    (void)s;
}

/* ------------------------------------------------------------ features */

typedef struct term_ctx {
    tv_vocab *vocab;
    size_t *ids;
    size_t count, cap;
} term_ctx;

static void push_id(term_ctx *c, size_t id)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->ids = tv_xreallocarray(c->ids, c->cap, sizeof *c->ids);
    }
    c->ids[c->count++] = id;
}

static void add_term(void *ctx, const char *term, size_t len)
{
    term_ctx *c = ctx;
    push_id(c, tv_vocab_add(c->vocab, term, len));
}

static void find_term(void *ctx, const char *term, size_t len)
{
    term_ctx *c = ctx;
    size_t id = tv_vocab_find(c->vocab, term, len);
    if (id != TV_NO_TERM)
        push_id(c, id);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

typedef struct term_ref {
    const char *s;
    size_t len;
    size_t df;
} term_ref;

static int cmp_term(const void *a, const void *b)
{
    const term_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

/* Counts document frequencies over all examples and keeps the terms with
 * df >= min_df, sorted bytewise (so ids do not depend on example order). */
static tv_vocab *build_vocab(const tv_dataset *data, const tv_analyzer *an, int min_df,
                             double **df_out)
{
    tv_scratch *sc = tv_scratch_new(an);
    term_ctx all = {.vocab = tv_vocab_new()};
    size_t *df = NULL, df_cap = 0;
    size_t n = tv_dataset_size(data);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *text = tv_dataset_text(data, i, &len);
        all.count = 0;
        tv_analyze(an, sc, text, len, add_term, &all);
        if (all.count > 1)
            qsort(all.ids, all.count, sizeof *all.ids, cmp_size);
        size_t v = tv_vocab_size(all.vocab);
        if (v > df_cap) {
            size_t old = df_cap;
            df_cap = v * 2;
            df = tv_xreallocarray(df, df_cap, sizeof *df);
            memset(df + old, 0, (df_cap - old) * sizeof *df);
        }
        for (size_t k = 0; k < all.count; k++)
            if (k == 0 || all.ids[k] != all.ids[k - 1])
                df[all.ids[k]]++;
    }
    size_t v = tv_vocab_size(all.vocab);
    term_ref *keep = tv_xcalloc(v + 1, sizeof *keep);
    size_t kept = 0;
    for (size_t id = 0; id < v; id++) {
        if (df[id] < (size_t)min_df)
            continue;
        keep[kept].s = tv_vocab_term(all.vocab, id, &keep[kept].len);
        keep[kept].df = df[id];
        kept++;
    }
    qsort(keep, kept, sizeof *keep, cmp_term);
    tv_vocab *vocab = tv_vocab_new();
    double *out_df = tv_xcalloc(kept + 1, sizeof *out_df);
    for (size_t k = 0; k < kept; k++) {
        tv_vocab_add(vocab, keep[k].s, keep[k].len);
        out_df[k] = (double)keep[k].df;
    }
    free(keep);
    free(df);
    free(all.ids);
    tv_vocab_free(&all.vocab);
    tv_scratch_free(&sc);
    *df_out = out_df;
    return vocab;
}

/* All examples as TF-IDF vectors, through the same path as classification. */
static struct svm_node **vectorize_all(const tv_dataset *data, const tv_analyzer *an,
                                       tv_vocab *vocab, const double *idf, int sublinear)
{
    size_t n = tv_dataset_size(data);
    struct svm_node **x = tv_xcalloc(n + 1, sizeof *x);
    tv_scratch *sc = tv_scratch_new(an);
    term_ctx c = {.vocab = vocab};
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *text = tv_dataset_text(data, i, &len);
        c.count = 0;
        tv_analyze(an, sc, text, len, find_term, &c);
        size_t cap = 0;
        x[i] = NULL;
        tv_vectorize(c.ids, c.count, idf, sublinear, &x[i], &cap);
    }
    free(c.ids);
    tv_scratch_free(&sc);
    return x;
}

/* ---------------------------------------------------------------- heads */

typedef struct head_plan {
    const char *name;
    char **labels;        /* sorted distinct labels */
    size_t label_count;
    size_t *counts;
    double *y;            /* label index per example */
    double chosen_c;
    double *cv_f1;        /* per candidate C */
    double *cv_acc;
} head_plan;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_plan(head_plan *p)
{
    free(p->labels); /* strings belong to the dataset */
    free(p->counts);
    free(p->y);
    free(p->cv_f1);
    free(p->cv_acc);
}

static tv_status plan_head(const tv_dataset *data, size_t h, head_plan *p, tv_error *err)
{
    size_t n = tv_dataset_size(data);
    memset(p, 0, sizeof *p);
    p->name = tv_dataset_head_name(data, h);
    char **all = tv_xcalloc(n + 1, sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = (char *)tv_dataset_label(data, i, h);
    qsort(all, n, sizeof *all, cmp_str);
    p->labels = tv_xcalloc(n + 1, sizeof *p->labels);
    p->counts = tv_xcalloc(n + 1, sizeof *p->counts);
    for (size_t i = 0; i < n; i++) {
        if (p->label_count == 0 || strcmp(all[i], p->labels[p->label_count - 1]) != 0)
            p->labels[p->label_count++] = all[i];
        p->counts[p->label_count - 1]++;
    }
    free(all);
    if (p->label_count < 2)
        return tv_fail(err, TV_ERR_DATA, tv_dataset_file(data, 0), 0,
                       "head \"%s\" has only one label (\"%s\"); it needs at least two", p->name,
                       p->labels[0]);
    for (size_t l = 0; l < p->label_count; l++) {
        if (p->counts[l] < 2) {
            size_t first = 0;
            while (strcmp(tv_dataset_label(data, first, h), p->labels[l]) != 0)
                first++;
            return tv_fail(err, TV_ERR_DATA, tv_dataset_file(data, first),
                           tv_dataset_line(data, first),
                           "label \"%s\" of head \"%s\" has only %zu example; it needs at least 2",
                           p->labels[l], p->name, p->counts[l]);
        }
    }
    p->y = tv_xcalloc(n + 1, sizeof *p->y);
    for (size_t i = 0; i < n; i++) {
        const char *label = tv_dataset_label(data, i, h);
        char **hit = bsearch(&label, p->labels, p->label_count, sizeof *p->labels, cmp_str);
        p->y[i] = (double)(hit - p->labels);
    }
    return TV_OK;
}

static void set_params(struct svm_parameter *param, const tv_train_options *opts,
                       const head_plan *p, double c, int probability, int *weight_label,
                       double *weight, size_t n)
{
    memset(param, 0, sizeof *param);
    param->svm_type = C_SVC;
    param->kernel_type = opts->kernel == TV_KERNEL_RBF ? RBF : LINEAR;
    param->gamma = opts->gamma;
    param->cache_size = 200;
    param->eps = 1e-3;
    param->C = c;
    param->shrinking = 1;
    param->probability = probability;
    if (opts->balanced) {
        /* weight = n / (k * count): every label weighs the same in total. */
        for (size_t l = 0; l < p->label_count; l++) {
            weight_label[l] = (int)l;
            weight[l] = (double)n / ((double)p->label_count * (double)p->counts[l]);
        }
        param->nr_weight = (int)p->label_count;
        param->weight_label = weight_label;
        param->weight = weight;
    }
}

/* splitmix64: small, portable, and the same on every machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Stratified folds: each label's examples shuffled and dealt round-robin. */
static size_t *assign_folds(const head_plan *p, size_t n, int folds, uint64_t seed)
{
    size_t *fold = tv_xcalloc(n + 1, sizeof *fold);
    size_t *members = tv_xcalloc(n + 1, sizeof *members);
    uint64_t state = seed ^ 0x74696573766dULL;
    size_t dealt = 0;
    for (size_t l = 0; l < p->label_count; l++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)p->y[i] == l)
                members[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)(next_random(&state) % i);
            size_t t = members[i - 1];
            members[i - 1] = members[j];
            members[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            fold[members[i]] = (dealt++) % (size_t)folds;
    }
    free(members);
    return fold;
}

/* Examples per data file (indexed by file number; *files is one past the
 * highest), and how many files have any. */
static size_t *file_sizes(const tv_dataset *data, size_t *files, size_t *non_empty)
{
    size_t n = tv_dataset_size(data);
    *files = n ? tv_dataset_file_index(data, n - 1) + 1 : 0;
    size_t *sizes = tv_xcalloc(*files + 1, sizeof *sizes);
    *non_empty = 0;
    for (size_t i = 0; i < n; i++)
        if (sizes[tv_dataset_file_index(data, i)]++ == 0)
            (*non_empty)++;
    return sizes;
}

/*
 * Grouped folds: all the examples of one data file share a fold, so the
 * score says how the model does on a file (a source, a writer) it has not
 * seen, which shuffled folds overstate.  Files are dealt largest first to
 * the fold with the fewest examples so far (ties: lower file, lower fold).
 * check_options has made sure there are at least as many files as folds.
 */
static size_t *assign_group_folds(const tv_dataset *data, int folds)
{
    size_t files, non_empty;
    size_t *sizes = file_sizes(data, &files, &non_empty);
    size_t *fold_of_file = tv_xcalloc(files + 1, sizeof *fold_of_file);
    size_t *fold_size = tv_xcalloc((size_t)folds, sizeof *fold_size);
    for (size_t round = 0; round < non_empty; round++) {
        size_t largest = 0;
        for (size_t k = 1; k < files; k++)
            if (sizes[k] > sizes[largest])
                largest = k;
        size_t f = 0;
        for (size_t k = 1; k < (size_t)folds; k++)
            if (fold_size[k] < fold_size[f])
                f = k;
        fold_of_file[largest] = f;
        fold_size[f] += sizes[largest];
        sizes[largest] = 0; /* dealt */
    }
    size_t n = tv_dataset_size(data);
    size_t *fold = tv_xcalloc(n + 1, sizeof *fold);
    for (size_t i = 0; i < n; i++)
        fold[i] = fold_of_file[tv_dataset_file_index(data, i)];
    free(sizes);
    free(fold_of_file);
    free(fold_size);
    return fold;
}

/* Everything the training jobs read; shared with the workers by fork. */
typedef struct train_ctx {
    const tv_train_options *opts;
    struct svm_node **x;      /* sparse TF-IDF vectors */
    struct svm_node **gram;   /* precomputed kernel rows, or NULL */
    size_t n;
    head_plan *plans;
    size_t head_count;
    size_t **folds;           /* per head: fold of each example */
    const char *dir;          /* where the final models go */
} train_ctx;

static struct svm_node **inputs(const train_ctx *c)
{
    return c->gram ? c->gram : c->x;
}

static void job_params(const train_ctx *c, const head_plan *p, double C, int probability,
                       size_t n, struct svm_parameter *param, int *wl, double *w)
{
    set_params(param, c->opts, p, C, probability, wl, w, n);
    if (c->gram)
        param->kernel_type = PRECOMPUTED;
}

/* CV job (head, C, fold): train without the fold, predict it.  Output: one
 * int32 label per held-out example, in example order. */
static void cv_job(size_t job, void *arg, tv_buf *out)
{
    const train_ctx *c = arg;
    size_t per_head = c->opts->c_count * (size_t)c->opts->folds;
    size_t h = job / per_head;
    size_t ci = (job % per_head) / (size_t)c->opts->folds;
    size_t f = job % (size_t)c->opts->folds;
    const head_plan *p = &c->plans[h];
    const size_t *fold = c->folds[h];
    struct svm_node **x = inputs(c);
    struct svm_node **sub_x = tv_xcalloc(c->n + 1, sizeof *sub_x);
    double *sub_y = tv_xcalloc(c->n + 1, sizeof *sub_y);
    struct svm_problem prob = {0, sub_y, sub_x};
    for (size_t i = 0; i < c->n; i++)
        if (fold[i] != f) {
            sub_x[prob.l] = x[i];
            sub_y[prob.l] = p->y[i];
            prob.l++;
        }
    int *wl = tv_xcalloc(p->label_count, sizeof *wl);
    double *w = tv_xcalloc(p->label_count, sizeof *w);
    struct svm_parameter param;
    job_params(c, p, c->opts->c_values[ci], 0, (size_t)prob.l, &param, wl, w);
    srand((unsigned)(c->opts->seed * 7919 + h * 131 + ci * 17 + f));
    struct svm_model *model = svm_train(&prob, &param);
    for (size_t i = 0; i < c->n; i++)
        if (fold[i] == f) {
            int32_t pred = (int32_t)svm_predict(model, x[i]);
            tv_buf_append(out, &pred, sizeof pred);
        }
    svm_free_and_destroy_model(&model);
    free(sub_x);
    free(sub_y);
    free(wl);
    free(w);
}

/* Final job (head): train on everything with probability estimates and save
 * as a model over the real vectors.  Output: "" on success, else a message. */
static void final_job(size_t h, void *arg, tv_buf *out)
{
    const train_ctx *c = arg;
    const head_plan *p = &c->plans[h];
    int *wl = tv_xcalloc(p->label_count, sizeof *wl);
    double *w = tv_xcalloc(p->label_count, sizeof *w);
    struct svm_problem prob = {(int)c->n, p->y, inputs(c)};
    struct svm_parameter param;
    job_params(c, p, p->chosen_c, 1, c->n, &param, wl, w);
    const char *why = svm_check_parameter(&prob, &param);
    char file[32];
    snprintf(file, sizeof file, "head-%zu.svm", h);
    char *path = tv_path_join(c->dir, file);
    if (why) {
        tv_buf_printf(out, "libsvm rejected the parameters: %s", why);
    } else {
        srand((unsigned)(c->opts->seed * 104729 + h));
        struct svm_model *model = svm_train(&prob, &param);
        struct svm_model *real = model;
        struct svm_parameter real_param;
        if (c->gram) {
            set_params(&real_param, c->opts, p, p->chosen_c, 1, wl, w, c->n);
            real = tv_gram_model_to_real(model, c->x, &real_param);
        }
        if (svm_save_model(path, real) != 0)
            tv_buf_printf(out, "%s: cannot write model: %s", path, strerror(errno));
        if (real != model)
            tv_gram_model_release(real);
        svm_free_and_destroy_model(&model);
    }
    free(path);
    free(wl);
    free(w);
}

static int workers_for(const tv_train_options *opts)
{
    if (opts->workers > 0)
        return opts->workers;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int)cores : 1;
}

static void cv_progress(void *ctx, size_t done, size_t total)
{
    const tv_train_options *o = ctx;
    if (o->on_progress)
        o->on_progress(o->progress_ctx, "cross-validation", done, total);
}

static void final_progress(void *ctx, size_t done, size_t total)
{
    const tv_train_options *o = ctx;
    if (o->on_progress)
        o->on_progress(o->progress_ctx, "training", done, total);
}

/* Cross-validates every head over the C grid, then picks each head's C. */
static tv_status run_cross_validation(train_ctx *c, tv_error *err)
{
    const tv_train_options *o = c->opts;
    size_t per_head = o->c_count * (size_t)o->folds;
    size_t jobs = c->head_count * per_head;
    tv_buf *results = tv_xcalloc(jobs, sizeof *results);
    int rc = tv_run_jobs_progress(jobs, workers_for(o), cv_job, c, results, cv_progress,
                                  (void *)o);
    tv_status st = rc == 0 ? TV_OK
                           : tv_fail(err, TV_ERR_INTERNAL, "", 0, "a cross-validation worker failed");
    for (size_t h = 0; st == TV_OK && h < c->head_count; h++) {
        head_plan *p = &c->plans[h];
        size_t k = p->label_count;
        size_t *conf = tv_xcalloc(k * k, sizeof *conf);
        p->cv_f1 = tv_xcalloc(o->c_count, sizeof *p->cv_f1);
        p->cv_acc = tv_xcalloc(o->c_count, sizeof *p->cv_acc);
        size_t best = 0;
        for (size_t ci = 0; ci < o->c_count && st == TV_OK; ci++) {
            memset(conf, 0, k * k * sizeof *conf);
            for (size_t f = 0; f < (size_t)o->folds; f++) {
                const tv_buf *r = &results[h * per_head + ci * (size_t)o->folds + f];
                size_t m = 0;
                for (size_t i = 0; i < c->n; i++) {
                    if (c->folds[h][i] != f)
                        continue;
                    int32_t pred;
                    if ((m + 1) * sizeof pred > r->len) {
                        st = tv_fail(err, TV_ERR_INTERNAL, "", 0, "incomplete cross-validation");
                        break;
                    }
                    memcpy(&pred, r->data + m * sizeof pred, sizeof pred);
                    m++;
                    if (pred >= 0 && (size_t)pred < k)
                        conf[(size_t)p->y[i] * k + (size_t)pred]++;
                }
            }
            p->cv_f1[ci] = tv_macro_f1(conf, k);
            p->cv_acc[ci] = tv_accuracy(conf, k);
            /* Best macro-F1; on a tie, the smaller C (simpler model). */
            if (p->cv_f1[ci] > p->cv_f1[best] ||
                (p->cv_f1[ci] == p->cv_f1[best] && o->c_values[ci] < o->c_values[best]))
                best = ci;
        }
        p->chosen_c = o->c_values[best];
        free(conf);
    }
    for (size_t j = 0; j < jobs; j++)
        tv_buf_free(&results[j]);
    free(results);
    return st;
}

static tv_status run_final_training(train_ctx *c, tv_error *err)
{
    tv_buf *results = tv_xcalloc(c->head_count, sizeof *results);
    int rc = tv_run_jobs_progress(c->head_count, workers_for(c->opts), final_job, c, results,
                                  final_progress, (void *)c->opts);
    tv_status st = rc == 0 ? TV_OK
                           : tv_fail(err, TV_ERR_INTERNAL, "", 0, "a training worker failed");
    for (size_t h = 0; h < c->head_count; h++) {
        if (st == TV_OK && results[h].len)
            st = tv_fail(err, TV_ERR_IO, "", 0, "%s", results[h].data);
        tv_buf_free(&results[h]);
    }
    free(results);
    return st;
}

/* ----------------------------------------------------------- manifest */

static char *training_digest(const tv_dataset *data)
{
    tv_sha256 ctx;
    tv_sha256_init(&ctx);
    for (size_t i = 0; i < tv_dataset_size(data); i++) {
        size_t len;
        const char *text = tv_dataset_text(data, i, &len);
        tv_sha256_update(&ctx, text, len);
        tv_sha256_update(&ctx, "", 1);
        for (size_t h = 0; h < tv_dataset_head_count(data); h++) {
            const char *label = tv_dataset_label(data, i, h);
            tv_sha256_update(&ctx, label, strlen(label) + 1);
        }
    }
    char *hex = tv_xmalloc(65);
    tv_sha256_final_hex(&ctx, hex);
    return hex;
}

static json_t *head_json(const head_plan *p, const tv_train_options *opts, const char *file)
{
    json_t *labels = json_array();
    json_t *counts = json_object();
    for (size_t l = 0; l < p->label_count; l++) {
        json_array_append_new(labels, json_string(p->labels[l]));
        json_object_set_new(counts, p->labels[l], json_integer((json_int_t)p->counts[l]));
    }
    json_t *cv = json_array();
    double best = 0.0;
    for (size_t ci = 0; ci < opts->c_count; ci++) {
        json_array_append_new(cv, json_pack("{s:f, s:f, s:f}", "C", opts->c_values[ci],
                                            "macro_f1", p->cv_f1[ci], "accuracy",
                                            p->cv_acc[ci]));
        if (opts->c_values[ci] == p->chosen_c)
            best = p->cv_f1[ci];
    }
    return json_pack("{s:s, s:s, s:o, s:o, s:f, s:f, s:o}", "name", p->name, "file", file,
                     "labels", labels, "counts", counts, "C", p->chosen_c, "cv_macro_f1", best,
                     "cv", cv);
}

static json_t *training_json(const tv_dataset *data, const tv_train_options *opts)
{
    json_t *files = json_array();
    for (size_t i = 0; i < opts->data_name_count; i++) {
        /* Base names only: a model must not carry paths of the machine. */
        const char *slash = strrchr(opts->data_names[i], '/');
        json_array_append_new(files, json_string(slash ? slash + 1 : opts->data_names[i]));
    }
    json_t *grid = json_array();
    for (size_t ci = 0; ci < opts->c_count; ci++)
        json_array_append_new(grid, json_real(opts->c_values[ci]));
    char *digest = training_digest(data);
    json_t *t = json_pack("{s:I, s:s, s:o, s:I, s:i, s:s, s:o, s:s, s:f, s:s}", "examples",
                          (json_int_t)tv_dataset_size(data), "sha256", digest, "files", files,
                          "seed", (json_int_t)opts->seed, "folds", opts->folds, "fold_by",
                          opts->group_folds ? "file" : "example", "c_grid", grid,
                          "kernel", opts->kernel == TV_KERNEL_RBF ? "rbf" : "linear", "gamma",
                          opts->gamma, "class_weight", opts->balanced ? "balanced" : "none");
    free(digest);
    return t;
}

/* Writes the manifest: file digests last, computed from what is on disk. */
static tv_status write_manifest(const char *dir, json_t *manifest, const char *const *names,
                                size_t name_count, tv_error *err)
{
    json_t *files = json_object();
    for (size_t i = 0; i < name_count; i++) {
        char *path = tv_path_join(dir, names[i]);
        char hex[65];
        tv_status st = tv_sha256_file(path, hex, err);
        free(path);
        if (st != TV_OK) {
            json_decref(files);
            return st;
        }
        json_object_set_new(files, names[i], json_string(hex));
    }
    char id[24];
    tv_model_id_from_files(files, id);
    json_object_set_new(manifest, "model_id", json_string(id));
    json_object_set_new(manifest, "files", files);
    char *path = tv_path_join(dir, TV_MANIFEST_FILE);
    int rc = json_dump_file(manifest, path, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    tv_status st = rc == 0 ? TV_OK : tv_fail(err, TV_ERR_IO, path, 0, "cannot write manifest");
    free(path);
    return st;
}

/* --------------------------------------------------------- directories */

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = tv_path_join(dir, e->d_name);
        unlink(path);
        free(path);
    }
    closedir(d);
    rmdir(dir);
}

/* 1 if dir exists and is a tiesvm model directory (safe to replace). */
static int is_model_dir(const char *dir)
{
    char *path = tv_path_join(dir, TV_MANIFEST_FILE);
    char *data = NULL;
    size_t len;
    int ok = 0;
    if (tv_read_file(path, &data, &len, NULL) == TV_OK) {
        json_t *root = json_loadb(data, len, 0, NULL);
        json_t *format = json_object_get(root, "format");
        ok = json_is_string(format) && strcmp(json_string_value(format), TV_MODEL_FORMAT) == 0;
        json_decref(root);
    }
    free(data);
    free(path);
    return ok;
}

static int dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

/* Moves the finished temporary directory to out: an atomic exchange when a
 * previous model is there, then the old one is removed. */
static tv_status install_dir(const char *tmp, const char *out, tv_error *err)
{
    struct stat st;
    if (stat(out, &st) != 0) {
        if (rename(tmp, out) != 0)
            return tv_fail(err, TV_ERR_IO, out, 0, "cannot move the model into place: %s",
                           strerror(errno));
        return TV_OK;
    }
    if (dir_is_empty(out)) {
        rmdir(out);
        if (rename(tmp, out) != 0)
            return tv_fail(err, TV_ERR_IO, out, 0, "cannot move the model into place: %s",
                           strerror(errno));
        return TV_OK;
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) != 0)
        return tv_fail(err, TV_ERR_IO, out, 0, "cannot replace the previous model: %s",
                       strerror(errno));
    remove_dir(tmp); /* now holds the previous model */
    return TV_OK;
}

/* ---------------------------------------------------------------- main */

static tv_status check_options(const tv_dataset *data, const tv_train_options *o,
                               const char *out_dir, tv_error *err)
{
    if (o->folds < 2 || o->folds > 100)
        return tv_fail(err, TV_ERR_ARG, "", 0, "folds must be 2 to 100");
    if (o->c_count == 0 || o->c_count > 64)
        return tv_fail(err, TV_ERR_ARG, "", 0, "give 1 to 64 values of C");
    for (size_t i = 0; i < o->c_count; i++)
        if (!(o->c_values[i] > 0) || !isfinite(o->c_values[i]))
            return tv_fail(err, TV_ERR_ARG, "", 0, "C must be a positive number");
    if (o->kernel == TV_KERNEL_RBF && (!(o->gamma > 0) || !isfinite(o->gamma)))
        return tv_fail(err, TV_ERR_ARG, "", 0, "gamma must be a positive number");
    if (o->min_df < 1)
        return tv_fail(err, TV_ERR_ARG, "", 0, "min-df must be at least 1");
    if (o->word_ngram_max < 1 || o->word_ngram_max > TV_MAX_WORD_NGRAM)
        return tv_fail(err, TV_ERR_ARG, "", 0, "word n-grams must be 1 to %d",
                       TV_MAX_WORD_NGRAM);
    if (o->char_ngram_min < 0 || o->char_ngram_max > TV_MAX_CHAR_NGRAM ||
        o->char_ngram_min > o->char_ngram_max || (o->char_ngram_min == 0) != (o->char_ngram_max == 0))
        return tv_fail(err, TV_ERR_ARG, "", 0, "character n-grams must be a range within 1-%d",
                       TV_MAX_CHAR_NGRAM);
    size_t heads = tv_dataset_head_count(data);
    if (heads == 0 || heads > MAX_HEADS)
        return tv_fail(err, TV_ERR_ARG, "", 0, "train 1 to %d heads", MAX_HEADS);
    for (size_t h = 0; h < heads; h++) {
        const char *name = tv_dataset_head_name(data, h);
        for (size_t r = 0; RESERVED_HEADS[r]; r++)
            if (strcmp(name, RESERVED_HEADS[r]) == 0)
                return tv_fail(err, TV_ERR_ARG, "", 0,
                               "\"%s\" is a field of the output records and cannot be a head",
                               name);
        for (size_t g = 0; g < h; g++)
            if (strcmp(name, tv_dataset_head_name(data, g)) == 0)
                return tv_fail(err, TV_ERR_ARG, "", 0, "head \"%s\" is given twice", name);
    }
    if (tv_dataset_size(data) == 0)
        return tv_fail(err, TV_ERR_DATA, "", 0, "no training examples");
    if (o->group_folds) {
        size_t files, non_empty;
        free(file_sizes(data, &files, &non_empty));
        if (non_empty < (size_t)o->folds)
            return tv_fail(err, TV_ERR_ARG, "", 0,
                           "grouped folds need at least as many data files as folds (%d); "
                           "use fewer folds or more files",
                           o->folds);
    }
    if (!out_dir[0])
        return tv_fail(err, TV_ERR_ARG, "", 0, "no output directory");
    struct stat st;
    if (stat(out_dir, &st) == 0 && (!S_ISDIR(st.st_mode) ||
                                    (!dir_is_empty(out_dir) && !is_model_dir(out_dir))))
        return tv_fail(err, TV_ERR_ARG, out_dir, 0,
                       "exists and is not a tiesvm model directory; refusing to replace it");
    return TV_OK;
}

/* Writes a table's source text to dir/name. */
static tv_status write_table(const tv_actors *table, const char *dir, const char *name,
                             tv_error *err)
{
    char *path = tv_path_join(dir, name);
    size_t src_len;
    const char *src = tv_actors_source(table, &src_len);
    FILE *f = fopen(path, "wb");
    int written = f && fwrite(src, 1, src_len, f) == src_len;
    if (f && fclose(f) != 0)
        written = 0;
    tv_status st = written ? TV_OK
                           : tv_fail(err, TV_ERR_IO, path, 0, "cannot write: %s", strerror(errno));
    free(path);
    return st;
}

static tv_status write_model(const tv_dataset *data, const tv_train_options *opts,
                             const tv_actors *actors, const tv_actors *cues,
                             const tv_feature_config *cfg,
                             tv_vocab *vocab, const double *df, struct svm_node **x,
                             const char *tmp, tv_error *err)
{
    size_t heads = tv_dataset_head_count(data);
    size_t n = tv_dataset_size(data);
    size_t fixed = cues ? 3 : 2;
    char **names = tv_xcalloc(heads + fixed, sizeof *names);
    names[0] = tv_xstrdup(TV_ACTORS_FILE);
    names[1] = tv_xstrdup(TV_VOCAB_FILE);
    if (cues)
        names[2] = tv_xstrdup(TV_CUES_FILE);
    json_t *head_list = json_array();
    tv_status st = write_table(actors, tmp, TV_ACTORS_FILE, err);
    if (st == TV_OK && cues)
        st = write_table(cues, tmp, TV_CUES_FILE, err);
    char *path;
    path = tv_path_join(tmp, TV_VOCAB_FILE);
    if (st == TV_OK && tv_vocab_write(vocab, df, path) != 0)
        st = tv_fail(err, TV_ERR_IO, path, 0, "cannot write: %s", strerror(errno));
    free(path);
    head_plan *plans = tv_xcalloc(heads, sizeof *plans);
    size_t planned = 0;
    for (; st == TV_OK && planned < heads; planned++)
        st = plan_head(data, planned, &plans[planned], err);
    train_ctx ctx = {opts, x, NULL, n, plans, heads, NULL, tmp};
    if (st == TV_OK) {
        ctx.folds = tv_xcalloc(heads, sizeof *ctx.folds);
        /* Grouped folds do not depend on the head: made once, copied. */
        for (size_t h = 0; h < heads; h++) {
            if (!opts->group_folds)
                ctx.folds[h] = assign_folds(&plans[h], n, opts->folds, opts->seed + h);
            else if (h == 0)
                ctx.folds[h] = assign_group_folds(data, opts->folds);
            else
                ctx.folds[h] = memcpy(tv_xcalloc(n + 1, sizeof *ctx.folds[h]), ctx.folds[0],
                                      n * sizeof *ctx.folds[h]);
        }
        if (n <= TV_GRAM_MAX_EXAMPLES)
            ctx.gram = tv_gram_rows(x, n, opts->kernel == TV_KERNEL_RBF, opts->gamma);
        st = run_cross_validation(&ctx, err);
    }
    if (st == TV_OK)
        st = run_final_training(&ctx, err);
    for (size_t h = 0; st == TV_OK && h < heads; h++) {
        char file[32];
        snprintf(file, sizeof file, "head-%zu.svm", h);
        names[fixed + h] = tv_xstrdup(file);
        json_array_append_new(head_list, head_json(&plans[h], opts, file));
    }
    tv_gram_free(ctx.gram);
    for (size_t h = 0; ctx.folds && h < heads; h++)
        free(ctx.folds[h]);
    free(ctx.folds);
    for (size_t h = 0; h < planned; h++)
        free_plan(&plans[h]);
    free(plans);
    if (st == TV_OK) {
        json_t *manifest = json_pack(
            "{s:s, s:i, s:s, s:o, s:o, s:o}", "format", TV_MODEL_FORMAT, "format_version",
            TIESVM_MODEL_FORMAT_VERSION, "tiesvm_version", TIESVM_VERSION, "features",
            tv_feature_config_to_json(cfg, opts->min_df, (double)n, tv_vocab_size(vocab)),
            "training", training_json(data, opts), "heads", head_list);
        head_list = NULL;
        st = write_manifest(tmp, manifest, (const char *const *)names, heads + fixed, err);
        json_decref(manifest);
    }
    json_decref(head_list);
    for (size_t i = 0; i < heads + fixed; i++)
        free(names[i]);
    free(names);
    return st;
}

tv_status tv_train(const tv_dataset *data, const tv_train_options *opts, const char *out_dir,
                   tv_error *err)
{
    tv_error scratch;
    if (!err)
        err = &scratch;
    tv_status st = check_options(data, opts, out_dir, err);
    if (st != TV_OK)
        return st;
    tv_actors *actors = NULL;
    if (!opts->actors_path)
        return tv_fail(err, TV_ERR_ARG, "", 0, "no actor table given");
    st = tv_actors_load(opts->actors_path, &actors, err);
    if (st != TV_OK)
        return st;
    svm_set_print_string_function(quiet);
    tv_actors *cues = NULL;
    if (opts->cues_path && (st = tv_actors_load(opts->cues_path, &cues, err)) != TV_OK) {
        tv_actors_free(&actors);
        return st;
    }
    tv_feature_config cfg = {opts->word_ngram_max, opts->char_ngram_min, opts->char_ngram_max,
                             opts->actor_pairs, 1, cues != NULL, opts->shape};
    tv_analyzer *an = tv_analyzer_new(actors, cues, &cfg);
    double *df = NULL;
    tv_vocab *vocab = build_vocab(data, an, opts->min_df, &df);
    size_t n = tv_dataset_size(data);
    size_t v = tv_vocab_size(vocab);
    double *idf = tv_xcalloc(v + 1, sizeof *idf);
    for (size_t i = 0; i < v; i++)
        idf[i] = tv_idf((double)n, df[i]);
    struct svm_node **x = vectorize_all(data, an, vocab, idf, cfg.sublinear_tf);

    tv_buf tmp = {0};
    size_t out_len = strlen(out_dir);
    while (out_len > 1 && out_dir[out_len - 1] == '/')
        out_len--;
    tv_buf_printf(&tmp, "%.*s.tmp-XXXXXX", (int)out_len, out_dir);
    int made = mkdtemp(tmp.data) != NULL;
    if (made && opts->on_temp_dir)
        opts->on_temp_dir(opts->temp_ctx, tmp.data);
    if (!made || chmod(tmp.data, 0755) != 0) {
        st = tv_fail(err, TV_ERR_IO, out_dir, 0, "cannot create a temporary directory: %s",
                     strerror(errno));
    } else {
        st = write_model(data, opts, actors, cues, &cfg, vocab, df, x, tmp.data, err);
        if (st == TV_OK)
            st = install_dir(tmp.data, out_dir, err);
        if (st != TV_OK)
            remove_dir(tmp.data);
    }
    tv_buf_free(&tmp);
    for (size_t i = 0; i < n; i++)
        free(x[i]);
    free(x);
    free(idf);
    free(df);
    tv_vocab_free(&vocab);
    tv_analyzer_free(&an);
    tv_actors_free(&actors);
    tv_actors_free(&cues);
    return st;
}
