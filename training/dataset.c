/*
 * dataset.c - labeled examples from JSON Lines (tv_dataset): the reader
 * checks every line (JSON, object, text, labels) and reports each bad one
 * with file and line; a head value may be a string or {"label": "..."}.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "util.h"
#include "vocab.h"

struct tv_dataset {
    char **heads;
    size_t head_count;
    int require_all;
    size_t count, cap;
    char **texts;
    size_t *lens;
    char **labels;    /* count * head_count, NULL where missing */
    size_t *file_of;  /* index into files */
    long *lines;
    char **files;
    size_t file_count;
    char **ids;       /* "id" of each example, or NULL */
    tv_vocab *seen;   /* every "id" read, for duplicate checks */
    size_t *seen_file;/* where each seen id was first read */
    long *seen_line;
};

tv_dataset *tv_dataset_new(const char *const *heads, size_t head_count, int require_all)
{
    tv_dataset *d = tv_xcalloc(1, sizeof *d);
    d->heads = tv_xcalloc(head_count, sizeof *d->heads);
    for (size_t i = 0; i < head_count; i++)
        d->heads[i] = tv_xstrdup(heads[i]);
    d->head_count = head_count;
    d->require_all = require_all;
    return d;
}

void tv_dataset_free(tv_dataset **data)
{
    if (!data || !*data)
        return;
    tv_dataset *d = *data;
    for (size_t i = 0; i < d->count; i++) {
        free(d->texts[i]);
        free(d->ids[i]);
        for (size_t h = 0; h < d->head_count; h++)
            free(d->labels[i * d->head_count + h]);
    }
    free(d->ids);
    tv_vocab_free(&d->seen);
    free(d->seen_file);
    free(d->seen_line);
    for (size_t h = 0; h < d->head_count; h++)
        free(d->heads[h]);
    for (size_t f = 0; f < d->file_count; f++)
        free(d->files[f]);
    free(d->heads);
    free(d->texts);
    free(d->lens);
    free(d->labels);
    free(d->file_of);
    free(d->lines);
    free(d->files);
    free(d);
    *data = NULL;
}

size_t tv_dataset_size(const tv_dataset *d) { return d->count; }
size_t tv_dataset_head_count(const tv_dataset *d) { return d->head_count; }
const char *tv_dataset_file(const tv_dataset *d, size_t i) { return d->files[d->file_of[i]]; }
size_t tv_dataset_file_index(const tv_dataset *d, size_t i) { return d->file_of[i]; }
long tv_dataset_line(const tv_dataset *d, size_t i) { return d->lines[i]; }

const char *tv_dataset_head_name(const tv_dataset *d, size_t head)
{
    return head < d->head_count ? d->heads[head] : NULL;
}

const char *tv_dataset_text(const tv_dataset *d, size_t i, size_t *len)
{
    if (len)
        *len = d->lens[i];
    return d->texts[i];
}

const char *tv_dataset_label(const tv_dataset *d, size_t i, size_t head)
{
    return d->labels[i * d->head_count + head];
}

/* The label of a head value: a string or an object with a "label" string. */
static const char *label_of(json_t *value)
{
    if (json_is_object(value))
        value = json_object_get(value, "label");
    return json_is_string(value) ? json_string_value(value) : NULL;
}

static void report(tv_error_fn on_error, void *ctx, tv_status *first, tv_error *err,
                   tv_status status, const char *path, long line, const char *fmt,
                   const char *arg)
{
    tv_error e;
    tv_fail(&e, status, path, line, fmt, arg);
    if (on_error)
        on_error(ctx, &e);
    if (*first == TV_OK) {
        *first = status;
        if (err)
            *err = e;
    }
}

static void append(tv_dataset *d, json_t *text, const char *id, const char **labels,
                   size_t file, long line)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        d->texts = tv_xreallocarray(d->texts, d->cap, sizeof *d->texts);
        d->lens = tv_xreallocarray(d->lens, d->cap, sizeof *d->lens);
        d->labels = tv_xreallocarray(d->labels, d->cap * d->head_count + 1, sizeof *d->labels);
        d->file_of = tv_xreallocarray(d->file_of, d->cap, sizeof *d->file_of);
        d->lines = tv_xreallocarray(d->lines, d->cap, sizeof *d->lines);
        d->ids = tv_xreallocarray(d->ids, d->cap, sizeof *d->ids);
    }
    size_t i = d->count++;
    d->lens[i] = json_string_length(text);
    d->texts[i] = tv_xstrndup(json_string_value(text), d->lens[i]);
    for (size_t h = 0; h < d->head_count; h++)
        d->labels[i * d->head_count + h] = labels[h] ? tv_xstrdup(labels[h]) : NULL;
    d->file_of[i] = file;
    d->lines[i] = line;
    d->ids[i] = id ? tv_xstrdup(id) : NULL;
}

/* Records id as read at file:line; returns the index into seen_file and
 * seen_line of its first sighting if it was read before, else (size_t)-1. */
static size_t note_id(tv_dataset *d, const char *id, size_t len, size_t file, long line)
{
    if (!d->seen)
        d->seen = tv_vocab_new();
    size_t before = tv_vocab_size(d->seen);
    size_t k = tv_vocab_add(d->seen, id, len);
    if (k < before)
        return k;
    d->seen_file = tv_xreallocarray(d->seen_file, k + 1, sizeof *d->seen_file);
    d->seen_line = tv_xreallocarray(d->seen_line, k + 1, sizeof *d->seen_line);
    d->seen_file[k] = file;
    d->seen_line[k] = line;
    return (size_t)-1;
}

tv_status tv_dataset_read(tv_dataset *d, const char *path, tv_error_fn on_error, void *ctx,
                          tv_error *err)
{
    tv_lines lines;
    tv_status st = tv_lines_open(&lines, path, err);
    if (st != TV_OK) {
        if (on_error)
            on_error(ctx, err);
        return st;
    }
    d->files = tv_xreallocarray(d->files, d->file_count + 1, sizeof *d->files);
    size_t file = d->file_count++;
    d->files[file] = tv_xstrdup(path);
    size_t first_new = d->count;
    size_t *present = tv_xcalloc(d->head_count + 1, sizeof *present);
    const char **labels = tv_xcalloc(d->head_count + 1, sizeof *labels);
    tv_status first = TV_OK;
    const char *text;
    size_t len;
    int rc;
    size_t good_lines = 0;
    while ((rc = tv_lines_next(&lines, &text, &len)) == 1) {
        long line = lines.line;
        if (tv_line_is_blank(text, len))
            continue;
        json_error_t jerr;
        json_t *obj = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
        json_t *t = json_object_get(obj, "text");
        if (!obj) {
            report(on_error, ctx, &first, err, TV_ERR_PARSE, path, line, "malformed JSON: %s",
                   jerr.text);
        } else if (!json_is_object(obj)) {
            report(on_error, ctx, &first, err, TV_ERR_PARSE, path, line, "%s",
                   "not a JSON object");
        } else if (!json_is_string(t)) {
            report(on_error, ctx, &first, err, TV_ERR_DATA, path, line, "%s",
                   t ? "\"text\" is not a string" : "no \"text\" field");
        } else if (json_string_length(t) == 0) {
            report(on_error, ctx, &first, err, TV_ERR_DATA, path, line, "%s", "empty \"text\"");
        } else {
            int bad = 0;
            for (size_t h = 0; h < d->head_count && !bad; h++) {
                json_t *v = json_object_get(obj, d->heads[h]);
                labels[h] = label_of(v);
                if (labels[h] && !labels[h][0]) {
                    report(on_error, ctx, &first, err, TV_ERR_DATA, path, line,
                           "empty label for head \"%s\"", d->heads[h]);
                    bad = 1;
                } else if (v && !labels[h]) {
                    report(on_error, ctx, &first, err, TV_ERR_DATA, path, line,
                           "head \"%s\" must be a string or an object with a \"label\" string",
                           d->heads[h]);
                    bad = 1;
                } else if (labels[h]) {
                    present[h]++;
                }
            }
            json_t *idv = json_object_get(obj, "id");
            const char *id = json_is_string(idv) ? json_string_value(idv) : NULL;
            /* Ids with NUL bytes cannot be compared as strings: skip them. */
            size_t earlier = !bad && id && !memchr(id, '\0', json_string_length(idv))
                                 ? note_id(d, id, json_string_length(idv), file, line)
                                 : (size_t)-1;
            if (earlier != (size_t)-1) {
                char where[1200];
                snprintf(where, sizeof where, "duplicate id \"%.200s\" (first at %.900s:%ld)", id,
                         d->files[d->seen_file[earlier]], d->seen_line[earlier]);
                report(on_error, ctx, &first, err, TV_ERR_DATA, path, line, "%s", where);
                bad = 1;
            }
            if (!bad) {
                good_lines++;
                append(d, t, id, labels, file, line);
            }
        }
        json_decref(obj);
    }
    if (rc < 0)
        report(on_error, ctx, &first, err, TV_ERR_IO, path, lines.line + 1, "%s", "read error");
    tv_lines_close(&lines);
    /* Missing labels: one message for a head no line has (a typo, most
     * likely), else one per line that lacks it. */
    for (size_t h = 0; d->require_all && h < d->head_count; h++) {
        if (good_lines > 0 && present[h] == 0) {
            report(on_error, ctx, &first, err, TV_ERR_DATA, path, 0,
                   "unknown head \"%s\": no example in this file has it", d->heads[h]);
            continue;
        }
        for (size_t i = first_new; i < d->count; i++)
            if (!d->labels[i * d->head_count + h])
                report(on_error, ctx, &first, err, TV_ERR_DATA, path, d->lines[i],
                       "no label for head \"%s\"", d->heads[h]);
    }
    /* Lines reported above for a missing label are not kept. */
    if (d->require_all) {
        size_t kept = first_new;
        for (size_t i = first_new; i < d->count; i++) {
            int complete = 1;
            for (size_t h = 0; h < d->head_count; h++)
                complete &= d->labels[i * d->head_count + h] != NULL;
            if (!complete) {
                free(d->texts[i]);
                free(d->ids[i]);
                for (size_t h = 0; h < d->head_count; h++)
                    free(d->labels[i * d->head_count + h]);
                continue;
            }
            d->texts[kept] = d->texts[i];
            d->lens[kept] = d->lens[i];
            for (size_t h = 0; h < d->head_count; h++)
                d->labels[kept * d->head_count + h] = d->labels[i * d->head_count + h];
            d->file_of[kept] = d->file_of[i];
            d->lines[kept] = d->lines[i];
            d->ids[kept] = d->ids[i];
            kept++;
        }
        d->count = kept;
    }
    if (good_lines == 0 && first == TV_OK)
        report(on_error, ctx, &first, err, TV_ERR_DATA, path, 0, "%s", "no examples in file");
    free(present);
    free(labels);
    return first;
}
