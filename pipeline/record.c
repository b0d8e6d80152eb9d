/*
 * record.c - formats classification results as JSON Lines records
 * (tv_record_append_json) and per-document error records.
 */
#include <string.h>

#include "model_internal.h"
#include "util.h"

/* "why": {HEAD: [[term, contribution], ...], ...} */
static void append_why(tv_buf *out, const tv_model *model, const tv_result *res)
{
    tv_buf_puts(out, ",\"why\":{");
    for (size_t h = 0; h < res->head_count; h++) {
        const tv_head_result *hr = &res->heads[h];
        if (h)
            tv_buf_putc(out, ',');
        tv_buf_json_string(out, model->heads[h].name, strlen(model->heads[h].name));
        tv_buf_puts(out, ":[");
        for (size_t i = 0; i < hr->why_count; i++) {
            tv_buf_puts(out, i ? ",[" : "[");
            tv_buf_json_string(out, hr->why[i].term, strlen(hr->why[i].term));
            tv_buf_putc(out, ',');
            tv_buf_json_prob(out, hr->why[i].weight);
            tv_buf_putc(out, ']');
        }
        tv_buf_putc(out, ']');
    }
    tv_buf_putc(out, '}');
}

void tv_record_append_json(tv_buf *out, const tv_model *model, const tv_record *rec,
                           const tv_result *res)
{
    tv_buf_puts(out, "{\"doc\":");
    tv_buf_json_string(out, rec->doc, strlen(rec->doc));
    tv_buf_printf(out, ",\"para\":%zu,\"start\":%zu,\"end\":%zu", rec->para, rec->start,
                  rec->end);
    if (rec->text) {
        tv_buf_puts(out, ",\"text\":");
        tv_buf_json_string(out, rec->text, rec->text_len);
    }
    for (size_t h = 0; h < res->head_count; h++) {
        const tv_head *head = &model->heads[h];
        const tv_head_result *hr = &res->heads[h];
        tv_buf_putc(out, ',');
        tv_buf_json_string(out, head->name, strlen(head->name));
        tv_buf_puts(out, ":{\"label\":");
        tv_buf_json_string(out, head->labels[hr->label], strlen(head->labels[hr->label]));
        tv_buf_puts(out, ",\"confidence\":");
        tv_buf_json_prob(out, hr->probs[hr->label]);
        tv_buf_puts(out, ",\"scores\":{");
        for (size_t l = 0; l < head->label_count; l++) {
            if (l)
                tv_buf_putc(out, ',');
            tv_buf_json_string(out, head->labels[l], strlen(head->labels[l]));
            tv_buf_putc(out, ':');
            tv_buf_json_prob(out, hr->probs[l]);
        }
        tv_buf_puts(out, "}}");
    }
    tv_buf_puts(out, ",\"actors\":[");
    for (size_t a = 0; a < res->actor_count; a++) {
        if (a)
            tv_buf_putc(out, ',');
        tv_buf_json_string(out, res->actors[a], strlen(res->actors[a]));
    }
    tv_buf_putc(out, ']');
    if (res->invalid_utf8 || res->truncated || rec->utf16) {
        tv_buf_puts(out, ",\"flags\":[");
        const char *sep = "";
        if (res->invalid_utf8) {
            tv_buf_puts(out, "\"invalid-utf8\"");
            sep = ",";
        }
        if (res->truncated) {
            tv_buf_printf(out, "%s\"truncated\"", sep);
            sep = ",";
        }
        if (rec->utf16)
            tv_buf_printf(out, "%s\"utf16\"", sep);
        tv_buf_putc(out, ']');
    }
    if (res->explained)
        append_why(out, model, res);
    tv_buf_puts(out, ",\"model\":");
    tv_buf_json_string(out, model->id, strlen(model->id));
    if (rec->meta_json) {
        tv_buf_puts(out, ",\"meta\":");
        tv_buf_puts(out, rec->meta_json);
    }
    tv_buf_puts(out, "}\n");
}

void tv_error_record_append_json(tv_buf *out, const char *doc, const char *message)
{
    tv_buf_puts(out, "{\"doc\":");
    tv_buf_json_string(out, doc, strlen(doc));
    tv_buf_puts(out, ",\"error\":");
    tv_buf_json_string(out, message, strlen(message));
    tv_buf_puts(out, "}\n");
}
