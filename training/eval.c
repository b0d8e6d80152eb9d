/*
 * eval.c - evaluating a model on labeled data (tv_evaluate): classifies
 * every example, fills one confusion matrix per head, and formats the
 * metrics as text or JSON.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

typedef struct eval_head {
    char *name;
    char **labels;     /* the model's labels, then unknown gold labels */
    size_t label_count;
    size_t model_labels;
    size_t *conf;      /* label_count^2 */
    size_t n;
} eval_head;

struct tv_eval {
    char model_id[64];
    size_t examples;
    eval_head *heads;
    size_t head_count;
};

void tv_eval_free(tv_eval **eval)
{
    if (!eval || !*eval)
        return;
    tv_eval *e = *eval;
    for (size_t h = 0; h < e->head_count; h++) {
        for (size_t l = 0; l < e->heads[h].label_count; l++)
            free(e->heads[h].labels[l]);
        free(e->heads[h].labels);
        free(e->heads[h].conf);
        free(e->heads[h].name);
    }
    free(e->heads);
    free(e);
    *eval = NULL;
}

/* Index of a gold label, adding it (and growing the matrix) if unknown. */
static size_t gold_index(eval_head *eh, const char *label, int *added)
{
    *added = 0;
    for (size_t l = 0; l < eh->label_count; l++)
        if (strcmp(eh->labels[l], label) == 0)
            return l;
    size_t old = eh->label_count, k = old + 1;
    size_t *conf = tv_xcalloc(k * k, sizeof *conf);
    for (size_t g = 0; g < old; g++)
        for (size_t p = 0; p < old; p++)
            conf[g * k + p] = eh->conf[g * old + p];
    free(eh->conf);
    eh->conf = conf;
    eh->labels = tv_xreallocarray(eh->labels, k, sizeof *eh->labels);
    eh->labels[old] = tv_xstrdup(label);
    eh->label_count = k;
    *added = 1;
    return old;
}

tv_status tv_evaluate(const tv_model *model, const tv_dataset *data, tv_error_fn on_error,
                      void *ctx, tv_eval **out, tv_error *err)
{
    *out = NULL;
    size_t dh = tv_dataset_head_count(data);
    size_t *model_head = tv_xcalloc(dh + 1, sizeof *model_head);
    tv_eval *e = tv_xcalloc(1, sizeof *e);
    snprintf(e->model_id, sizeof e->model_id, "%s", tv_model_id(model));
    e->heads = tv_xcalloc(dh + 1, sizeof *e->heads);
    for (size_t h = 0; h < dh; h++) {
        size_t mh = tv_model_find_head(model, tv_dataset_head_name(data, h));
        if (mh == (size_t)-1) {
            free(model_head);
            tv_eval_free(&e);
            return tv_fail(err, TV_ERR_ARG, "", 0, "the model has no head \"%s\"",
                           tv_dataset_head_name(data, h));
        }
        model_head[h] = mh;
        eval_head *eh = &e->heads[e->head_count++];
        eh->name = tv_xstrdup(tv_model_head_name(model, mh));
        eh->label_count = eh->model_labels = tv_model_label_count(model, mh);
        eh->labels = tv_xcalloc(eh->label_count, sizeof *eh->labels);
        for (size_t l = 0; l < eh->label_count; l++)
            eh->labels[l] = tv_xstrdup(tv_model_label_name(model, mh, l));
        eh->conf = tv_xcalloc(eh->label_count * eh->label_count, sizeof *eh->conf);
    }
    tv_worker *w = tv_worker_new(model);
    for (size_t i = 0; i < tv_dataset_size(data); i++) {
        size_t len;
        const char *text = tv_dataset_text(data, i, &len);
        tv_result res;
        tv_classify(w, text, len, &res);
        e->examples++;
        for (size_t h = 0; h < dh; h++) {
            const char *gold = tv_dataset_label(data, i, h);
            if (!gold)
                continue;
            eval_head *eh = &e->heads[h];
            int added;
            size_t g = gold_index(eh, gold, &added);
            if (added && on_error) {
                tv_error warn;
                tv_fail(&warn, TV_ERR_DATA, tv_dataset_file(data, i), tv_dataset_line(data, i),
                        "label \"%s\" of head \"%s\" is unknown to the model (counted as wrong)",
                        gold, eh->name);
                on_error(ctx, &warn);
            }
            eh->conf[g * eh->label_count + res.heads[model_head[h]].label]++;
            eh->n++;
        }
    }
    tv_worker_free(&w);
    free(model_head);
    *out = e;
    return TV_OK;
}

static const eval_head *find(const tv_eval *e, const char *head)
{
    for (size_t h = 0; h < e->head_count; h++)
        if (strcmp(e->heads[h].name, head) == 0)
            return &e->heads[h];
    return NULL;
}

double tv_eval_macro_f1(const tv_eval *e, const char *head)
{
    const eval_head *eh = find(e, head);
    return eh ? tv_macro_f1(eh->conf, eh->label_count) : -1.0;
}

double tv_eval_accuracy(const tv_eval *e, const char *head)
{
    const eval_head *eh = find(e, head);
    return eh ? tv_accuracy(eh->conf, eh->label_count) : -1.0;
}

void tv_eval_append_text(const tv_eval *e, tv_buf *out)
{
    tv_buf_printf(out, "model %s, %zu examples\n", e->model_id, e->examples);
    for (size_t h = 0; h < e->head_count; h++) {
        const eval_head *eh = &e->heads[h];
        size_t k = eh->label_count;
        tv_buf_printf(out, "\n%s: accuracy %.3f  macro-F1 %.3f  (n=%zu)\n", eh->name,
                      tv_accuracy(eh->conf, k), tv_macro_f1(eh->conf, k), eh->n);
        tv_buf_printf(out, "  %-20s %9s %9s %9s %9s\n", "label", "precision", "recall", "f1",
                      "support");
        for (size_t l = 0; l < k; l++) {
            tv_label_scores s;
            tv_label_metrics(eh->conf, k, l, &s);
            tv_buf_printf(out, "  %-20s %9.3f %9.3f %9.3f %9zu\n", eh->labels[l], s.precision,
                          s.recall, s.f1, s.support);
        }
        tv_buf_puts(out, "  confusion (rows: gold, columns: predicted)\n");
        tv_buf_printf(out, "  %-20s", "");
        for (size_t p = 0; p < eh->model_labels; p++)
            tv_buf_printf(out, " %10.10s", eh->labels[p]);
        tv_buf_putc(out, '\n');
        for (size_t g = 0; g < k; g++) {
            tv_buf_printf(out, "  %-20s", eh->labels[g]);
            for (size_t p = 0; p < eh->model_labels; p++)
                tv_buf_printf(out, " %10zu", eh->conf[g * k + p]);
            tv_buf_putc(out, '\n');
        }
    }
}

void tv_eval_append_json(const tv_eval *e, tv_buf *out)
{
    json_t *heads = json_object();
    for (size_t h = 0; h < e->head_count; h++) {
        const eval_head *eh = &e->heads[h];
        size_t k = eh->label_count;
        json_t *labels = json_object();
        json_t *names = json_array();
        json_t *matrix = json_array();
        for (size_t l = 0; l < k; l++) {
            tv_label_scores s;
            tv_label_metrics(eh->conf, k, l, &s);
            json_object_set_new(labels, eh->labels[l],
                                json_pack("{s:f, s:f, s:f, s:I}", "precision", s.precision,
                                          "recall", s.recall, "f1", s.f1, "support",
                                          (json_int_t)s.support));
            json_array_append_new(names, json_string(eh->labels[l]));
            json_t *row = json_array();
            for (size_t p = 0; p < k; p++)
                json_array_append_new(row, json_integer((json_int_t)eh->conf[l * k + p]));
            json_array_append_new(matrix, row);
        }
        json_object_set_new(
            heads, eh->name,
            json_pack("{s:I, s:f, s:f, s:o, s:{s:o, s:o}}", "n", (json_int_t)eh->n, "accuracy",
                      tv_accuracy(eh->conf, k), "macro_f1", tv_macro_f1(eh->conf, k), "labels",
                      labels, "confusion", "labels", names, "matrix", matrix));
    }
    json_t *root = json_pack("{s:s, s:I, s:o}", "model", e->model_id, "examples",
                             (json_int_t)e->examples, "heads", heads);
    char *s = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (s) {
        tv_buf_puts(out, s);
        tv_buf_putc(out, '\n');
        free(s);
    }
    json_decref(root);
}
