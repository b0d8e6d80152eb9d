/*
 * textstream.c - reads one text file in bounded memory, splitting it into
 * paragraphs on the fly by tv_segment's rule (see textstream.h).  Memory:
 * one read chunk, the part being filled (about PART_BYTES) and the open
 * paragraph's kept bytes (at most KEEP_BYTES).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "textstream.h"
#include "utf8.h"
#include "util.h"

#define CHUNK_BYTES (1u << 16)
/* A part is handed over once its kept text reaches this size. */
#define PART_BYTES (4u << 20)
/* Bytes kept of an open paragraph: past the cap, so that tv_classify sees
 * that it is longer and cuts it at the same character boundary. */
#define KEEP_BYTES (TV_MAX_PARAGRAPH + 8u)

struct tv_textstream {
    FILE *f;
    int is_stdin;
    char *path;
    unsigned char chunk[CHUNK_BYTES];
    size_t chunk_len, chunk_pos;
    size_t offset;          /* file offset of chunk[chunk_pos] */
    int eof, failed, done;
    int saved_errno;
    /* segmenter state, as in tv_segment's loop */
    int line_has_content;
    int in_para;
    size_t para_start, para_end;
    tv_buf kept;            /* bytes of the open paragraph from para_start */
    size_t paragraphs;      /* paragraphs handed out so far */
    /* the part being filled */
    tv_buf text;
    tv_paragraph *list;
    size_t list_count, list_cap;
    size_t part_from;       /* file offset where the part begins */
    int started;            /* a part has been handed out */
};

tv_textstream *tv_textstream_open(const char *path, tv_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        tv_fail(err, TV_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    tv_textstream *ts = tv_xcalloc(1, sizeof *ts);
    ts->f = f;
    ts->is_stdin = is_stdin;
    ts->path = tv_xstrdup(path);
    return ts;
}

void tv_textstream_close(tv_textstream **ts)
{
    if (!ts || !*ts)
        return;
    tv_textstream *t = *ts;
    if (!t->is_stdin)
        fclose(t->f);
    free(t->path);
    tv_buf_free(&t->kept);
    tv_buf_free(&t->text);
    free(t->list);
    free(t);
    *ts = NULL;
}

/* Reads up to room bytes into to; notes the end of input or an error. */
static size_t read_some(tv_textstream *ts, void *to, size_t room)
{
    size_t n = fread(to, 1, room, ts->f);
    if (n == 0) {
        if (ferror(ts->f)) {
            ts->failed = 1;
            ts->saved_errno = errno;
        } else {
            ts->eof = 1;
        }
    }
    return n;
}

/* Moves what is left of the chunk to its front and reads more. */
static void refill(tv_textstream *ts)
{
    size_t left = ts->chunk_len - ts->chunk_pos;
    memmove(ts->chunk, ts->chunk + ts->chunk_pos, left);
    ts->chunk_len = left;
    ts->chunk_pos = 0;
    while (!ts->eof && !ts->failed && ts->chunk_len < CHUNK_BYTES)
        ts->chunk_len += read_some(ts, ts->chunk + ts->chunk_len, CHUNK_BYTES - ts->chunk_len);
}

int tv_textstream_is_utf16(tv_textstream *ts)
{
    if (ts->chunk_len - ts->chunk_pos < 2)
        refill(ts);
    const unsigned char *c = ts->chunk + ts->chunk_pos;
    return ts->offset == 0 && ts->chunk_len - ts->chunk_pos >= 2 &&
           ((c[0] == 0xFF && c[1] == 0xFE) || (c[0] == 0xFE && c[1] == 0xFF));
}

tv_status tv_textstream_read_rest(tv_textstream *ts, char **data, size_t *len, tv_error *err)
{
    tv_buf buf = {0};
    tv_buf_append(&buf, (const char *)ts->chunk + ts->chunk_pos, ts->chunk_len - ts->chunk_pos);
    ts->chunk_pos = ts->chunk_len;
    while (!ts->eof && !ts->failed) {
        tv_buf_reserve(&buf, CHUNK_BYTES);
        buf.len += read_some(ts, buf.data + buf.len, buf.cap - buf.len - 1);
    }
    if (buf.data)
        buf.data[buf.len] = '\0';
    ts->done = 1;
    if (ts->failed) {
        tv_buf_free(&buf);
        return tv_fail(err, TV_ERR_IO, ts->path, 0, "cannot read: %s",
                       strerror(ts->saved_errno));
    }
    if (!buf.data)
        tv_buf_puts(&buf, "");
    *data = buf.data;
    *len = buf.len;
    return TV_OK;
}

/* Closes the open paragraph: its kept bytes join the part. */
static void close_paragraph(tv_textstream *ts)
{
    if (ts->list_count == ts->list_cap) {
        ts->list_cap = ts->list_cap ? ts->list_cap * 2 : 64;
        ts->list = tv_xreallocarray(ts->list, ts->list_cap, sizeof *ts->list);
    }
    size_t length = ts->para_end - ts->para_start;
    size_t keep = length < ts->kept.len ? length : ts->kept.len;
    tv_paragraph *p = &ts->list[ts->list_count++];
    p->start = ts->para_start;
    p->end = ts->para_end;
    p->text_at = ts->text.len;
    p->text_len = keep;
    tv_buf_append(&ts->text, ts->kept.data, keep);
    tv_buf_clear(&ts->kept);
    ts->in_para = 0;
}

/* Keeps the bytes of the open paragraph, up to KEEP_BYTES of them. */
static void keep_bytes(tv_textstream *ts, const unsigned char *c, size_t n)
{
    if (!ts->in_para || ts->kept.len >= KEEP_BYTES)
        return;
    size_t room = KEEP_BYTES - ts->kept.len;
    tv_buf_append(&ts->kept, (const char *)c, n < room ? n : room);
}

/* Feeds the characters of the chunk to the segmenter until the part is
 * full or the chunk runs low (a character may need 4 bytes). */
static void scan(tv_textstream *ts)
{
    while (ts->text.len < PART_BYTES) {
        size_t avail = ts->chunk_len - ts->chunk_pos;
        if (avail == 0 || (avail < 4 && !ts->eof && !ts->failed))
            return;
        const unsigned char *c = ts->chunk + ts->chunk_pos;
        size_t n;
        if (*c == '\n') {
            n = 1;
            if (!ts->line_has_content && ts->in_para)
                close_paragraph(ts);
            keep_bytes(ts, c, n);
            ts->line_has_content = 0;
        } else if ((n = tv_space_len((const char *)c, avail)) > 0) {
            keep_bytes(ts, c, n);
        } else {
            n = tv_utf8_valid_prefix((const char *)c, avail);
            n = n ? n : 1;
            if (!ts->in_para) {
                ts->in_para = 1;
                ts->para_start = ts->offset;
            }
            keep_bytes(ts, c, n);
            ts->line_has_content = 1;
            ts->para_end = ts->offset + n;
        }
        ts->chunk_pos += n;
        ts->offset += n;
    }
}

/* Hands the filled part over as doc and starts a new one. */
static void hand_over(tv_textstream *ts, const char *name, tv_document *doc)
{
    doc->name = tv_xstrdup(name);
    if (!ts->text.data)
        tv_buf_puts(&ts->text, "");
    doc->text = ts->text.data;
    doc->len = ts->text.len;
    doc->paragraphs = ts->list;
    doc->paragraph_count = ts->list_count;
    doc->first_para = ts->paragraphs;
    doc->continues = ts->started;
    doc->input_bytes = ts->offset - ts->part_from;
    ts->paragraphs += ts->list_count;
    ts->part_from = ts->offset;
    ts->started = 1;
    memset(&ts->text, 0, sizeof ts->text);
    ts->list = NULL;
    ts->list_count = ts->list_cap = 0;
}

int tv_textstream_next(tv_textstream *ts, const char *name, tv_document *doc)
{
    if (ts->done)
        return 0;
    for (;;) {
        scan(ts);
        if (ts->text.len >= PART_BYTES) {
            hand_over(ts, name, doc);
            return 1;
        }
        if (ts->chunk_pos < ts->chunk_len || (!ts->eof && !ts->failed)) {
            refill(ts);
            if (ts->chunk_pos < ts->chunk_len || (!ts->eof && !ts->failed))
                continue;
        }
        /* The input is over (or broken): close the last paragraph, hand
         * over what was read, then report a read error. */
        if (ts->in_para)
            close_paragraph(ts);
        if (ts->list_count > 0 || (!ts->started && !ts->failed)) {
            hand_over(ts, name, doc);
            return 1;
        }
        ts->done = 1;
        if (!ts->failed)
            return 0;
        doc->name = tv_xstrdup(name);
        doc->failed = 1;
        doc->continues = ts->started;
        if (ts->offset == 0)
            tv_fail(&doc->error, TV_ERR_IO, ts->path, 0, "cannot read: %s",
                    strerror(ts->saved_errno));
        else
            tv_fail(&doc->error, TV_ERR_IO, ts->path, 0,
                    "cannot read past byte %zu: %s (the paragraphs before it are labeled)",
                    ts->offset, strerror(ts->saved_errno));
        return 1;
    }
}
