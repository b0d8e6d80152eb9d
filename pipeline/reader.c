/*
 * reader.c - the document reader (tv_reader): expands paths (recursive,
 * sorted directory walks), reads text files in parts already split into
 * paragraphs (textstream.c; UTF-16 files whole) and JSONL files a line at a
 * time, and turns every failure into a failed document in its place.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lines.h"
#include "textstream.h"
#include "utf8.h"
#include "util.h"

struct tv_reader {
    tv_input_format format;
    char **paths;       /* given paths, not yet expanded */
    size_t path_count;
    size_t next_path;
    char **queue;       /* expanded files waiting to be read */
    size_t queue_len, queue_pos, queue_cap;
    char **errors;      /* expansion failures, reported in the queue's place */
    tv_lines lines;     /* the open JSONL file, if any */
    int lines_open;
    char *lines_path;
    tv_textstream *text;  /* the open text file, if any */
    char *text_path;
};

tv_reader *tv_reader_new(const char *const *paths, size_t count, tv_input_format format)
{
    tv_reader *r = tv_xcalloc(1, sizeof *r);
    r->format = format;
    if (count == 0) {
        static const char *const stdin_path[] = {"-"};
        paths = stdin_path;
        count = 1;
    }
    r->paths = tv_xcalloc(count, sizeof *r->paths);
    for (size_t i = 0; i < count; i++)
        r->paths[i] = tv_xstrdup(paths[i]);
    r->path_count = count;
    return r;
}

void tv_reader_free(tv_reader **reader)
{
    if (!reader || !*reader)
        return;
    tv_reader *r = *reader;
    for (size_t i = 0; i < r->path_count; i++)
        free(r->paths[i]);
    free(r->paths);
    for (size_t i = r->queue_pos; i < r->queue_len; i++) {
        free(r->queue[i]);
        free(r->errors[i]);
    }
    free(r->queue);
    free(r->errors);
    if (r->lines_open)
        tv_lines_close(&r->lines);
    free(r->lines_path);
    tv_textstream_close(&r->text);
    free(r->text_path);
    free(r);
    *reader = NULL;
}

void tv_document_clear(tv_document *doc)
{
    free(doc->name);
    free(doc->text);
    free(doc->meta_json);
    free(doc->paragraphs);
    memset(doc, 0, sizeof *doc);
}

static void enqueue(tv_reader *r, char *path, char *error)
{
    if (r->queue_len == r->queue_cap) {
        r->queue_cap = r->queue_cap ? r->queue_cap * 2 : 64;
        r->queue = tv_xreallocarray(r->queue, r->queue_cap, sizeof *r->queue);
        r->errors = tv_xreallocarray(r->errors, r->queue_cap, sizeof *r->errors);
    }
    r->queue[r->queue_len] = path;
    r->errors[r->queue_len] = error;
    r->queue_len++;
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && strcmp(name + n - s, suffix) == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *errno_message(const char *what)
{
    tv_buf b = {0};
    tv_buf_printf(&b, "%s: %s", what, strerror(errno));
    return b.data;
}

/* Adds the matching files under dir, depth first, in byte order. */
static void walk(tv_reader *r, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        enqueue(r, tv_xstrdup(dir), errno_message("cannot open directory"));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = tv_xreallocarray(names, cap, sizeof *names);
        }
        names[n++] = tv_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    const char *suffix = r->format == TV_INPUT_JSONL ? ".jsonl" : ".txt";
    for (size_t i = 0; i < n; i++) {
        char *path = tv_path_join(dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0) {
            enqueue(r, path, errno_message("cannot stat"));
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < 64)
                walk(r, path, depth + 1);
            free(path);
        } else if (S_ISREG(st.st_mode) && has_suffix(names[i], suffix)) {
            enqueue(r, path, NULL);
        } else {
            free(path);
        }
        free(names[i]);
    }
    free(names);
}

/* Makes sure the queue holds something, expanding the next given path. */
static int refill(tv_reader *r)
{
    while (r->queue_pos == r->queue_len) {
        if (r->next_path == r->path_count)
            return 0;
        r->queue_pos = r->queue_len = 0;
        const char *p = r->paths[r->next_path++];
        struct stat st;
        if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            walk(r, p, 0);
        else
            enqueue(r, tv_xstrdup(p), NULL);
    }
    return 1;
}

static void fail_doc(tv_document *doc, const char *name, const char *file, long line,
                     const char *message)
{
    doc->name = tv_xstrdup(name);
    doc->failed = 1;
    tv_fail(&doc->error, TV_ERR_IO, file, line, "%s", message);
}

/* A UTF-16 text (with a byte order mark) as UTF-8; unpaired surrogates and
 * a dangling odd byte become U+FFFD. */
static void utf16_to_utf8(tv_document *doc)
{
    const unsigned char *in = (const unsigned char *)doc->text;
    size_t n = doc->len;
    int big = in[0] == 0xFE;
    tv_buf out = {0};
    tv_buf_reserve(&out, n + n / 2);
    for (size_t i = 2; i < n; i += 2) {
        if (i + 1 >= n) {
            tv_buf_append(&out, TV_UTF8_REPLACEMENT, 3);
            break;
        }
        uint32_t u = big ? (uint32_t)(in[i] << 8 | in[i + 1]) : (uint32_t)(in[i + 1] << 8 | in[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t lo = big ? (uint32_t)(in[i + 2] << 8 | in[i + 3])
                              : (uint32_t)(in[i + 3] << 8 | in[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        char enc[4];
        tv_buf_append(&out, enc, tv_utf8_encode(u, enc));
    }
    if (!out.data)
        tv_buf_puts(&out, "");
    free(doc->text);
    doc->text = out.data;
    doc->len = out.len;
    doc->utf16 = 1;
}

/* Next part of the open text file; 0 when that file is done. */
static int next_text(tv_reader *r, tv_document *doc)
{
    if (tv_textstream_next(r->text, r->text_path, doc))
        return 1;
    tv_textstream_close(&r->text);
    free(r->text_path);
    r->text_path = NULL;
    return 0;
}

/* Opens a text file: UTF-16 ones are read whole into doc (returns 1);
 * others are left open for next_text (returns 0). */
static int open_text(tv_reader *r, char *path, tv_document *doc)
{
    r->text = tv_textstream_open(path, &doc->error);
    if (!r->text) {
        doc->name = path;
        doc->failed = 1;
        return 1;
    }
    if (!tv_textstream_is_utf16(r->text)) {
        r->text_path = path;
        return 0;
    }
    doc->name = path;
    if (tv_textstream_read_rest(r->text, &doc->text, &doc->len, &doc->error) != TV_OK)
        doc->failed = 1;
    else
        utf16_to_utf8(doc);
    doc->input_bytes = doc->len;
    tv_textstream_close(&r->text);
    return 1;
}

/* The document of one JSONL line. */
static void parse_jsonl_doc(const char *path, long line, const char *text, size_t len,
                            tv_document *doc)
{
    char where[64];
    json_error_t jerr;
    json_t *obj = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
    json_t *id = json_object_get(obj, "id");
    char *name;
    if (json_is_string(id)) {
        name = tv_xstrndup(json_string_value(id), json_string_length(id));
    } else if (json_is_integer(id)) {
        snprintf(where, sizeof where, "%lld", (long long)json_integer_value(id));
        name = tv_xstrdup(where);
    } else {
        tv_buf b = {0};
        tv_buf_printf(&b, "%s:%ld", path, line);
        name = b.data;
    }
    json_t *t = json_object_get(obj, "text");
    if (!obj) {
        fail_doc(doc, name, path, line, "malformed JSON");
        snprintf(doc->error.message, sizeof doc->error.message, "malformed JSON: %s", jerr.text);
        doc->error.status = TV_ERR_PARSE;
    } else if (!json_is_object(obj)) {
        fail_doc(doc, name, path, line, "not a JSON object");
        doc->error.status = TV_ERR_PARSE;
    } else if (!t) {
        fail_doc(doc, name, path, line, "no \"text\" field");
        doc->error.status = TV_ERR_DATA;
    } else if (!json_is_string(t)) {
        fail_doc(doc, name, path, line, "\"text\" is not a string");
        doc->error.status = TV_ERR_DATA;
    } else {
        doc->name = name;
        name = NULL;
        doc->len = json_string_length(t);
        doc->text = tv_xstrndup(json_string_value(t), doc->len);
        doc->input_bytes = len;
        json_t *meta = json_deep_copy(obj);
        json_object_del(meta, "id");
        json_object_del(meta, "text");
        if (json_object_size(meta) > 0)
            doc->meta_json = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(meta);
    }
    free(name);
    json_decref(obj);
}

/* Next document from the open JSONL file; 0 when that file is done. */
static int next_jsonl(tv_reader *r, tv_document *doc)
{
    const char *text;
    size_t len;
    int rc;
    while ((rc = tv_lines_next(&r->lines, &text, &len)) == 1) {
        if (tv_line_is_blank(text, len))
            continue;
        parse_jsonl_doc(r->lines_path, r->lines.line, text, len, doc);
        return 1;
    }
    if (rc < 0) {
        fail_doc(doc, r->lines_path, r->lines_path, r->lines.line + 1,
                 "read error; the rest of the file was skipped");
        rc = 1;
    }
    tv_lines_close(&r->lines);
    r->lines_open = 0;
    free(r->lines_path);
    r->lines_path = NULL;
    return rc;
}

int tv_reader_next(tv_reader *r, tv_document *doc)
{
    memset(doc, 0, sizeof *doc);
    for (;;) {
        if (r->lines_open && next_jsonl(r, doc))
            return 1;
        if (r->text && next_text(r, doc))
            return 1;
        if (!refill(r))
            return 0;
        char *path = r->queue[r->queue_pos];
        char *error = r->errors[r->queue_pos];
        r->queue_pos++;
        if (error) {
            fail_doc(doc, path, path, 0, error);
        } else if (r->format == TV_INPUT_TEXT) {
            free(error);
            if (open_text(r, path, doc))
                return 1;
            continue;
        } else {
            tv_error err;
            if (tv_lines_open(&r->lines, path, &err) != TV_OK) {
                fail_doc(doc, path, path, 0, err.message);
            } else {
                r->lines_open = 1;
                r->lines_path = path;
                path = NULL;
                free(error);
                continue;
            }
        }
        free(path);
        free(error);
        return 1;
    }
}
