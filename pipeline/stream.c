/*
 * stream.c - bulk classification (tv_classify_stream): reads documents in
 * batches, segments them, classifies the paragraphs on N threads with one
 * tv_worker each, and writes the records in input order.  Memory is bounded
 * by the batch size, not by the input.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BATCH_PARAGRAPHS 4096
#define BATCH_BYTES (8u << 20)
#define CHUNK 16

typedef struct item {
    size_t doc;    /* index into the batch's documents */
    size_t para;
    tv_span span;  /* offsets in the document (0, 0 for an error record) */
    size_t text_at, text_len; /* the bytes to classify, in the doc's text */
    int error;
    size_t out_thread, out_offset, out_len;
} item;

typedef struct batch {
    tv_document *docs;
    size_t doc_count, doc_cap;
    item *items;
    size_t item_count, item_cap;
    size_t bytes;
} batch;

typedef struct shared {
    const tv_model *model;
    const tv_classify_options *opts;
    batch *b;
    atomic_size_t next;
} shared;

typedef struct thread_state {
    shared *sh;
    size_t index;
    tv_worker *worker;
    tv_buf out;
} thread_state;

static void add_item(batch *b, size_t doc, size_t para, tv_span span, size_t text_at,
                     size_t text_len, int error)
{
    if (b->item_count == b->item_cap) {
        b->item_cap = b->item_cap ? b->item_cap * 2 : 1024;
        b->items = tv_xreallocarray(b->items, b->item_cap, sizeof *b->items);
    }
    item *it = &b->items[b->item_count++];
    memset(it, 0, sizeof *it);
    it->doc = doc;
    it->para = para;
    it->span = span;
    it->text_at = text_at;
    it->text_len = text_len;
    it->error = error;
}

static int is_table_format(const tv_classify_options *opts)
{
    return opts->format == TV_OUTPUT_CSV || opts->format == TV_OUTPUT_TSV;
}

static void render(thread_state *ts, item *it)
{
    const batch *b = ts->sh->b;
    const tv_document *doc = &b->docs[it->doc];
    size_t before = ts->out.len;
    if (it->error) {
        char msg[2200];
        tv_error_text(&doc->error, msg, sizeof msg);
        if (is_table_format(ts->sh->opts))
            tv_error_record_append_table(&ts->out, ts->sh->model, doc->name, msg,
                                         ts->sh->opts->format, ts->sh->opts->with_text);
        else
            tv_error_record_append_json(&ts->out, doc->name, msg);
    } else {
        tv_result res;
        const char *text = doc->text + it->text_at;
        size_t len = it->text_len;
        tv_classify(ts->worker, text, len, &res);
        tv_record rec = {doc->name, it->para, it->span.start, it->span.end,
                         ts->sh->opts->with_text ? text : NULL,
                         tv_paragraph_cap(text, len), doc->meta_json,
                         doc->utf16};
        if (is_table_format(ts->sh->opts))
            tv_record_append_table(&ts->out, ts->sh->model, &rec, &res, ts->sh->opts->format);
        else
            tv_record_append_json(&ts->out, ts->sh->model, &rec, &res);
    }
    it->out_thread = ts->index;
    it->out_offset = before;
    it->out_len = ts->out.len - before;
}

static void *run_thread(void *arg)
{
    thread_state *ts = arg;
    batch *b = ts->sh->b;
    for (;;) {
        size_t from = atomic_fetch_add(&ts->sh->next, CHUNK);
        if (from >= b->item_count)
            break;
        size_t to = from + CHUNK < b->item_count ? from + CHUNK : b->item_count;
        for (size_t i = from; i < to; i++)
            render(ts, &b->items[i]);
    }
    return NULL;
}

static void clear_batch(batch *b)
{
    for (size_t i = 0; i < b->doc_count; i++)
        tv_document_clear(&b->docs[i]);
    b->doc_count = b->item_count = b->bytes = 0;
}

/* Reads documents until the batch is full; returns 0 when input is done. */
static int fill_batch(batch *b, tv_reader *reader, tv_classify_stats *stats,
                      tv_error_fn on_doc_error, void *error_ctx)
{
    while (b->item_count < BATCH_PARAGRAPHS && b->bytes < BATCH_BYTES) {
        if (b->doc_count == b->doc_cap) {
            b->doc_cap = b->doc_cap ? b->doc_cap * 2 : 64;
            b->docs = tv_xreallocarray(b->docs, b->doc_cap, sizeof *b->docs);
        }
        tv_document *doc = &b->docs[b->doc_count];
        if (!tv_reader_next(reader, doc))
            return 0;
        size_t index = b->doc_count++;
        if (!doc->continues)
            stats->documents++;
        if (doc->failed) {
            stats->failed++;
            if (on_doc_error)
                on_doc_error(error_ctx, &doc->error);
            tv_span none = {0, 0};
            add_item(b, index, 0, none, 0, 0, 1);
            continue;
        }
        stats->bytes += doc->input_bytes;
        b->bytes += doc->len;
        if (doc->paragraphs) {
            /* A text file's part, split while reading. */
            for (size_t p = 0; p < doc->paragraph_count; p++) {
                const tv_paragraph *para = &doc->paragraphs[p];
                tv_span span = {para->start, para->end};
                add_item(b, index, doc->first_para + p, span, para->text_at, para->text_len, 0);
            }
            continue;
        }
        tv_span *spans;
        size_t n;
        tv_segment(doc->text, doc->len, &spans, &n);
        for (size_t p = 0; p < n; p++)
            add_item(b, index, p, spans[p], spans[p].start, spans[p].end - spans[p].start, 0);
        free(spans);
    }
    return 1;
}

tv_status tv_classify_stream(const tv_model *model, tv_reader *reader,
                             const tv_classify_options *opts, tv_write_fn write,
                             void *write_ctx, tv_error_fn on_doc_error, void *error_ctx,
                             tv_classify_stats *stats, tv_error *err)
{
    tv_classify_stats local_stats;
    if (!stats)
        stats = &local_stats;
    memset(stats, 0, sizeof *stats);
    size_t nthreads = opts->threads < 1 ? 1 : (size_t)opts->threads;
    if (nthreads > 256)
        nthreads = 256;
    batch b = {0};
    shared sh = {.model = model, .opts = opts, .b = &b};
    thread_state *ts = tv_xcalloc(nthreads, sizeof *ts);
    for (size_t t = 0; t < nthreads; t++) {
        ts[t].sh = &sh;
        ts[t].index = t;
        ts[t].worker = tv_worker_new(model);
        tv_worker_explain(ts[t].worker, opts->explain);
    }
    pthread_t *tids = tv_xcalloc(nthreads, sizeof *tids);
    tv_buf joined = {0};
    tv_status status = TV_OK;
    /* Two batches: with several threads, the main thread reads and segments
     * the next batch while the workers classify the current one. */
    batch next = {0};
    size_t records = 0;
    tv_output_append_begin(&joined, model, opts->format, opts->with_text);
    int more = fill_batch(&b, reader, stats, on_doc_error, error_ctx);
    for (;;) {
        atomic_store(&sh.next, 0);
        sh.b = &b;
        for (size_t t = 0; t < nthreads; t++)
            tv_buf_clear(&ts[t].out);
        size_t started = 0;
        if (nthreads > 1 && b.item_count > CHUNK) {
            for (; started < nthreads; started++)
                if (pthread_create(&tids[started], NULL, run_thread, &ts[started]) != 0)
                    break;
        }
        int next_more = 0;
        if (started == 0) {
            run_thread(&ts[0]);
            if (more)
                next_more = fill_batch(&next, reader, stats, on_doc_error, error_ctx);
        } else {
            if (more)
                next_more = fill_batch(&next, reader, stats, on_doc_error, error_ctx);
            for (size_t t = 0; t < started; t++)
                pthread_join(tids[t], NULL);
        }
        for (size_t i = 0; i < b.item_count; i++) {
            const item *it = &b.items[i];
            tv_output_append_record(&joined, opts->format,
                                    ts[it->out_thread].out.data + it->out_offset, it->out_len,
                                    records++);
            if (!it->error)
                stats->paragraphs++;
        }
        if (status == TV_OK && joined.len && write(write_ctx, joined.data, joined.len) != 0)
            status = tv_fail(err, TV_ERR_IO, "", 0, "cannot write output");
        if (opts->on_progress)
            opts->on_progress(opts->progress_ctx, stats);
        tv_buf_clear(&joined);
        clear_batch(&b);
        if (!more || status != TV_OK)
            break;
        batch tmp = b;
        b = next;
        next = tmp;
        more = next_more;
        if (b.item_count == 0 && !more)
            break;
    }
    tv_output_append_end(&joined, opts->format, records);
    if (status == TV_OK && joined.len && write(write_ctx, joined.data, joined.len) != 0)
        status = tv_fail(err, TV_ERR_IO, "", 0, "cannot write output");
    clear_batch(&next);
    free(next.docs);
    free(next.items);
    for (size_t t = 0; t < nthreads; t++) {
        tv_worker_free(&ts[t].worker);
        tv_buf_free(&ts[t].out);
    }
    free(ts);
    free(tids);
    tv_buf_free(&joined);
    clear_batch(&b);
    free(b.docs);
    free(b.items);
    return status;
}
