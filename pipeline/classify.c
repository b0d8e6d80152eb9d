/*
 * classify.c - classifying one paragraph (tv_worker, tv_classify): terms to
 * vocabulary ids, TF-IDF vector, then each head's libsvm probability
 * estimates, mapped to the head's label order.
 */
#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "fastlinear.h"
#include "model_internal.h"
#include "util.h"

struct tv_worker {
    const tv_model *model;
    tv_scratch *scratch;
    size_t *ids;               /* distinct term ids of the paragraph */
    uint32_t *tf;              /* their counts */
    uint32_t *slot;            /* per vocabulary term: 1 + index in ids, or 0 */
    size_t id_count;
    size_t id_cap;
    uint64_t *pack;            /* sorting scratch, id_cap entries */
    struct svm_node *nodes;
    size_t node_cap;
    double *svm_probs;         /* libsvm's order, max label count */
    double *probs;             /* all heads' probabilities, label order */
    tv_head_result *heads;
    const char **actors;
    double *fast_scratch;
    int use_libsvm;            /* compare: libsvm's support-vector path */
    size_t explain_max;        /* terms per head in "why", 0 = off */
    tv_term_weight *why;       /* head_count * explain_max */
    tv_term_weight *candidates; /* node_cap entries, for ranking */
    size_t candidate_cap;
};

tv_worker *tv_worker_new(const tv_model *model)
{
    tv_worker *w = tv_xcalloc(1, sizeof *w);
    w->model = model;
    w->scratch = tv_scratch_new(model->analyzer);
    w->slot = tv_xcalloc(tv_vocab_size(model->vocab) + 1, sizeof *w->slot);
    size_t total = 0, widest = 0;
    for (size_t h = 0; h < model->head_count; h++) {
        total += model->heads[h].label_count;
        if (model->heads[h].label_count > widest)
            widest = model->heads[h].label_count;
    }
    w->svm_probs = tv_xcalloc(widest, sizeof *w->svm_probs);
    w->probs = tv_xcalloc(total, sizeof *w->probs);
    w->heads = tv_xcalloc(model->head_count, sizeof *w->heads);
    size_t offset = 0;
    for (size_t h = 0; h < model->head_count; h++) {
        w->heads[h].probs = w->probs + offset;
        offset += model->heads[h].label_count;
    }
    w->actors = tv_xcalloc(tv_actors_count(model->actors) + 1, sizeof *w->actors);
    size_t scratch = 0;
    for (size_t h = 0; h < model->head_count; h++)
        if (model->heads[h].fast && tv_fastlinear_scratch_size(model->heads[h].fast) > scratch)
            scratch = tv_fastlinear_scratch_size(model->heads[h].fast);
    w->fast_scratch = tv_xcalloc(scratch + 1, sizeof *w->fast_scratch);
    return w;
}

void tv_worker_use_libsvm(tv_worker *worker, int on)
{
    worker->use_libsvm = on;
}

void tv_worker_explain(tv_worker *worker, size_t max)
{
    free(worker->why);
    worker->why = NULL;
    worker->explain_max = max;
    if (max)
        worker->why = tv_xcalloc(worker->model->head_count * max, sizeof *worker->why);
}

void tv_worker_free(tv_worker **worker)
{
    if (!worker || !*worker)
        return;
    tv_worker *w = *worker;
    tv_scratch_free(&w->scratch);
    free(w->ids);
    free(w->tf);
    free(w->pack);
    free(w->slot);
    free(w->nodes);
    free(w->svm_probs);
    free(w->probs);
    free(w->heads);
    free(w->actors);
    free(w->fast_scratch);
    free(w->why);
    free(w->candidates);
    free(w);
    *worker = NULL;
}

/* Counts a term: distinct ids in w->ids, their counts in w->tf. */
static void collect_id(void *ctx, const char *term, size_t len)
{
    tv_worker *w = ctx;
    size_t id = tv_vocab_find(w->model->vocab, term, len);
    if (id == TV_NO_TERM)
        return;
    if (w->slot[id]) {
        w->tf[w->slot[id] - 1]++;
        return;
    }
    if (w->id_count == w->id_cap) {
        w->id_cap = w->id_cap ? w->id_cap * 2 : 256;
        w->ids = tv_xreallocarray(w->ids, w->id_cap, sizeof *w->ids);
        w->tf = tv_xreallocarray(w->tf, w->id_cap, sizeof *w->tf);
        w->pack = tv_xreallocarray(w->pack, w->id_cap, sizeof *w->pack);
    }
    w->ids[w->id_count] = id;
    w->tf[w->id_count] = 1;
    w->slot[id] = (uint32_t)++w->id_count;
}

static int cmp_id_count(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the distinct ids ascending (with their counts) and clears slots. */
static void sort_counts(tv_worker *w)
{
    size_t n = w->id_count;
    for (size_t i = 0; i < n; i++)
        w->slot[w->ids[i]] = 0;
    if (n < 2)
        return;
    /* Pack (id, count) into one 64-bit key: ids < 2^32 by construction. */
    uint64_t *packed = (uint64_t *)w->pack;
    for (size_t i = 0; i < n; i++)
        packed[i] = ((uint64_t)w->ids[i] << 32) | w->tf[i];
    qsort(packed, n, sizeof *packed, cmp_id_count);
    for (size_t i = 0; i < n; i++) {
        w->ids[i] = (size_t)(packed[i] >> 32);
        w->tf[i] = (uint32_t)packed[i];
    }
}

static void predict_head(tv_worker *w, size_t h)
{
    const tv_head *head = &w->model->heads[h];
    double *probs = w->probs + (w->heads[h].probs - w->probs);
    memset(probs, 0, head->label_count * sizeof *probs);
    if (head->fast && !w->use_libsvm) {
        tv_fastlinear_predict(head->fast, w->nodes, w->svm_probs, w->fast_scratch);
        int k = svm_get_nr_class(head->svm);
        for (int i = 0; i < k; i++)
            probs[head->svm_to_label[i]] = w->svm_probs[i];
    } else if (head->has_probability) {
        svm_predict_probability(head->svm, w->nodes, w->svm_probs);
        int k = svm_get_nr_class(head->svm);
        for (int i = 0; i < k; i++)
            probs[head->svm_to_label[i]] = w->svm_probs[i];
    } else {
        /* A model without probability estimates: all mass on its decision. */
        double label = svm_predict(head->svm, w->nodes);
        if (label >= 0 && label < (double)head->label_count)
            probs[(size_t)label] = 1.0;
    }
    size_t best = 0;
    for (size_t i = 1; i < head->label_count; i++)
        if (probs[i] > probs[best])
            best = i;
    w->heads[h].label = best;
}

/* Largest contribution first; equal ones by term bytes, so output is stable. */
static int by_contribution(const void *a, const void *b)
{
    const tv_term_weight *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* Fills head h's "why": the paragraph's terms that push most toward its
 * chosen label (linear heads only). */
static void explain_head(tv_worker *w, size_t h)
{
    const tv_head *head = &w->model->heads[h];
    tv_head_result *hr = &w->heads[h];
    hr->why = w->why + h * w->explain_max;
    hr->why_count = 0;
    if (!head->fast)
        return;
    int cls = -1;
    for (int c = 0; c < tv_fastlinear_classes(head->fast); c++)
        if ((size_t)head->svm_to_label[c] == hr->label)
            cls = c;
    if (cls < 0)
        return;
    size_t n = 0;
    for (const struct svm_node *x = w->nodes; x->index != -1; x++)
        n++;
    if (n > w->candidate_cap) {
        w->candidate_cap = n;
        w->candidates = tv_xreallocarray(w->candidates, n, sizeof *w->candidates);
    }
    size_t kept = 0;
    for (const struct svm_node *x = w->nodes; x->index != -1; x++) {
        double c = tv_fastlinear_toward(head->fast, cls, (size_t)x->index) * x->value;
        if (!(c > 0))
            continue;
        size_t term_len;
        w->candidates[kept].term = tv_vocab_term(w->model->vocab, (size_t)x->index - 1,
                                                 &term_len);
        w->candidates[kept].weight = c;
        kept++;
    }
    if (kept > 1)
        qsort(w->candidates, kept, sizeof *w->candidates, by_contribution);
    hr->why_count = kept < w->explain_max ? kept : w->explain_max;
    memcpy(w->why + h * w->explain_max, w->candidates, hr->why_count * sizeof *w->why);
}

void tv_classify(tv_worker *w, const char *text, size_t len, tv_result *out)
{
    const tv_model *m = w->model;
    w->id_count = 0;
    size_t read = tv_paragraph_cap(text, len);
    int truncated = read < len;
    len = read;
    int invalid = tv_analyze(m->analyzer, w->scratch, text, len, collect_id, w);
    sort_counts(w);
    tv_vectorize_counts(w->ids, w->tf, w->id_count, m->idf, m->cfg.sublinear_tf, &w->nodes,
                        &w->node_cap);
    for (size_t h = 0; h < m->head_count; h++) {
        predict_head(w, h);
        w->heads[h].why = NULL;
        w->heads[h].why_count = 0;
        if (w->explain_max)
            explain_head(w, h);
    }
    const unsigned char *seen = tv_scratch_actors(w->scratch);
    size_t na = 0;
    for (size_t i = 0; i < tv_actors_count(m->actors); i++)
        if (seen[i])
            w->actors[na++] = tv_actors_name(m->actors, i);
    out->head_count = m->head_count;
    out->heads = w->heads;
    out->actor_count = na;
    out->actors = w->actors;
    out->invalid_utf8 = invalid;
    out->truncated = truncated;
    out->explained = w->explain_max > 0;
}
