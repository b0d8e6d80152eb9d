/*
 * targets.c - fuzz targets over libtiesvm (see targets.h).
 */
#define _GNU_SOURCE
#include "targets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <svm.h>
#include <unistd.h>

#include "svmcheck.h"
#include "textstream.h"
#include "tiesvm.h"

static tv_model *model;
static tv_worker *worker;
static char tmp_path[64];

static void quiet(const char *s)
{
    (void)s;
}

int fuzz_setup(void)
{
    if (model)
        return 0;
    const char *dir = getenv("TIESVM_MODEL");
    tv_error err;
    if (tv_model_load(dir && dir[0] ? dir : "models/default", &model, &err) != TV_OK) {
        fprintf(stderr, "fuzz: cannot load the model: %s\n", err.message);
        abort();
    }
    worker = tv_worker_new(model);
    snprintf(tmp_path, sizeof tmp_path, "/tmp/tiesvm-fuzz-%d", (int)getpid());
    svm_set_print_string_function(quiet);
    return 0;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: invariant broken: %s\n", what);
        abort();
    }
}

/* Writes the bytes to this process's scratch file. */
static void to_file(const uint8_t *data, size_t len)
{
    FILE *f = fopen(tmp_path, "wb");
    check(f != NULL, "scratch file opens");
    check(fwrite(data, 1, len, f) == len, "scratch file written");
    fclose(f);
}

/* The streaming reader finds the same paragraphs as tv_segment. */
static void stream_matches(const uint8_t *data, size_t len, const tv_span *spans, size_t n)
{
    to_file(data, len);
    tv_error err;
    tv_textstream *ts = tv_textstream_open(tmp_path, &err);
    check(ts != NULL, "scratch file reopens");
    if (tv_textstream_is_utf16(ts)) {
        tv_textstream_close(&ts);
        return;
    }
    tv_document doc;
    memset(&doc, 0, sizeof doc);
    size_t seen = 0;
    while (tv_textstream_next(ts, "fuzz", &doc)) {
        check(!doc.failed, "stream reads");
        for (size_t i = 0; i < doc.paragraph_count; i++, seen++) {
            check(seen < n, "stream finds no extra paragraph");
            check(doc.paragraphs[i].start == spans[seen].start &&
                      doc.paragraphs[i].end == spans[seen].end,
                  "stream paragraph offsets equal tv_segment's");
            check(memcmp(doc.text + doc.paragraphs[i].text_at, data + spans[seen].start,
                         doc.paragraphs[i].text_len) == 0,
                  "stream paragraph bytes equal the input's");
        }
        tv_document_clear(&doc);
    }
    check(seen == n, "stream finds every paragraph");
    tv_textstream_close(&ts);
}

void fuzz_text(const uint8_t *data, size_t len)
{
    fuzz_setup();
    const char *text = (const char *)data;
    tv_span *spans;
    size_t n;
    tv_segment(text, len, &spans, &n);
    tv_buf out = {0};
    size_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        check(spans[i].start < spans[i].end && spans[i].end <= len, "span within input");
        check(spans[i].start >= prev_end, "spans ordered and disjoint");
        prev_end = spans[i].end;
        tv_result r;
        tv_classify(worker, text + spans[i].start, spans[i].end - spans[i].start, &r);
        tv_record rec = {"fuzz", i, spans[i].start, spans[i].end, text + spans[i].start,
                         spans[i].end - spans[i].start, NULL, 0};
        out.len = 0;
        tv_record_append_json(&out, model, &rec, &r);
        json_error_t e;
        json_t *obj = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &e);
        if (!json_is_object(obj))
            fprintf(stderr, "fuzz: bad record (%s): %.*s\n", e.text, (int)out.len, out.data);
        check(json_is_object(obj), "record is a JSON object");
        json_decref(obj);
    }
    tv_buf_free(&out);
    stream_matches(data, len, spans, n);
    free(spans);
}

void fuzz_jsonl(const uint8_t *data, size_t len)
{
    fuzz_setup();
    to_file(data, len);
    const char *paths[] = {tmp_path};
    tv_reader *r = tv_reader_new(paths, 1, TV_INPUT_JSONL);
    tv_document doc;
    while (tv_reader_next(r, &doc)) {
        check(doc.name != NULL, "document has a name");
        check(doc.failed || doc.text != NULL, "document has text or an error");
        tv_document_clear(&doc);
    }
    tv_reader_free(&r);
}

void fuzz_dataset(const uint8_t *data, size_t len)
{
    fuzz_setup();
    to_file(data, len);
    const char *heads[] = {"stance", "topic"};
    tv_dataset *d = tv_dataset_new(heads, 2, 1);
    tv_error err;
    tv_dataset_read(d, tmp_path, NULL, NULL, &err);
    for (size_t i = 0; i < tv_dataset_size(d); i++) {
        size_t l;
        check(tv_dataset_text(d, i, &l) != NULL, "example has text");
        check(tv_dataset_label(d, i, 0) && tv_dataset_label(d, i, 1), "example has labels");
    }
    tv_dataset_free(&d);
}

void fuzz_svm_model(const uint8_t *data, size_t len)
{
    fuzz_setup();
    tv_error err = {0};
    if (tv_svm_check((const char *)data, len, "fuzz.svm", 5, 1000, &err) != TV_OK)
        return;
    /* What the validator lets through, libsvm must load. */
    to_file(data, len);
    struct svm_model *m = svm_load_model(tmp_path);
    check(m != NULL, "libsvm loads a model the validator accepted");
    svm_free_and_destroy_model(&m);
}
