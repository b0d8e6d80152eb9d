/*
 * util.c - checked allocation, tv_buf, error filling and file reading: the
 * pieces every other module of libtiesvm leans on.
 */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static void out_of_memory(size_t size)
{
    fprintf(stderr, "tiesvm: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *tv_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *tv_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *tv_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *tv_xreallocarray(void *ptr, size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        out_of_memory((size_t)-1);
    return tv_xrealloc(ptr, count * size);
}

char *tv_xstrndup(const char *s, size_t n)
{
    char *p = tv_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tv_xstrdup(const char *s)
{
    return tv_xstrndup(s, strlen(s));
}

void tv_buf_free(tv_buf *buf)
{
    if (!buf)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

void tv_buf_reserve(tv_buf *buf, size_t extra)
{
    if (extra > (size_t)-1 - buf->len - 1)
        out_of_memory((size_t)-1);
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    buf->data = tv_xrealloc(buf->data, cap);
    buf->cap = cap;
}

void tv_buf_append(tv_buf *buf, const void *data, size_t len)
{
    tv_buf_reserve(buf, len);
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void tv_buf_puts(tv_buf *buf, const char *s)
{
    tv_buf_append(buf, s, strlen(s));
}

void tv_buf_putc(tv_buf *buf, char c)
{
    tv_buf_reserve(buf, 1);
    buf->data[buf->len++] = c;
    buf->data[buf->len] = '\0';
}

void tv_buf_printf(tv_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        tv_buf_append(buf, small, (size_t)n);
        return;
    }
    tv_buf_reserve(buf, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
}

void tv_buf_clear(tv_buf *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

void tv_buf_json_string(tv_buf *buf, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    tv_buf_reserve(buf, len + 2);
    tv_buf_putc(buf, '"');
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        /* Copy runs of plain ASCII that need no escaping in one go. */
        while (run < len) {
            unsigned char c = (unsigned char)s[run];
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
                break;
            run++;
        }
        if (run > i) {
            tv_buf_append(buf, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t n = tv_utf8_valid_prefix(s + i, len - i);
            if (n) {
                tv_buf_append(buf, s + i, n);
                i += n;
            } else {
                tv_buf_append(buf, TV_UTF8_REPLACEMENT, 3);
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': tv_buf_append(buf, "\\\"", 2); break;
        case '\\': tv_buf_append(buf, "\\\\", 2); break;
        case '\n': tv_buf_append(buf, "\\n", 2); break;
        case '\r': tv_buf_append(buf, "\\r", 2); break;
        case '\t': tv_buf_append(buf, "\\t", 2); break;
        case '\b': tv_buf_append(buf, "\\b", 2); break;
        case '\f': tv_buf_append(buf, "\\f", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tv_buf_append(buf, esc, 6);
        }
        }
        i++;
    }
    tv_buf_putc(buf, '"');
}

void tv_buf_json_prob(tv_buf *buf, double value)
{
    if (!isfinite(value))
        value = 0.0;
    /* Fixed decimals keep output byte-stable and short. */
    tv_buf_printf(buf, "%.4f", value);
}

tv_status tv_fail(tv_error *err, tv_status status, const char *file, long line,
                  const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *tv_status_name(tv_status status)
{
    switch (status) {
    case TV_OK: return "ok";
    case TV_ERR_IO: return "i/o error";
    case TV_ERR_PARSE: return "parse error";
    case TV_ERR_DATA: return "data error";
    case TV_ERR_MODEL: return "model error";
    case TV_ERR_ARG: return "invalid argument";
    case TV_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

const char *tv_error_text(const tv_error *err, char *buf, size_t size)
{
    if (!size)
        return buf;
    if (!err) {
        snprintf(buf, size, "unknown error");
    } else if (err->file[0] && err->line > 0) {
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
    } else if (err->file[0]) {
        snprintf(buf, size, "%s: %s", err->file, err->message);
    } else {
        snprintf(buf, size, "%s", err->message);
    }
    return buf;
}

tv_status tv_read_file(const char *path, char **data, size_t *len, tv_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return tv_fail(err, TV_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    tv_buf buf = {0};
    tv_buf_reserve(&buf, 1 << 16);
    for (;;) {
        tv_buf_reserve(&buf, 1 << 16);
        size_t n = fread(buf.data + buf.len, 1, buf.cap - buf.len - 1, f);
        buf.len += n;
        if (n == 0)
            break;
    }
    buf.data[buf.len] = '\0';
    int failed = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (failed) {
        tv_buf_free(&buf);
        return tv_fail(err, TV_ERR_IO, path, 0, "cannot read: %s", strerror(saved));
    }
    *data = buf.data;
    *len = buf.len;
    return TV_OK;
}

size_t tv_paragraph_cap(const char *text, size_t len)
{
    if (len <= TV_MAX_PARAGRAPH)
        return len;
    size_t cut = TV_MAX_PARAGRAPH;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

char *tv_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    char *p = tv_xmalloc(dl + 1 + nl + 1);
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}
