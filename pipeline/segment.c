/*
 * segment.c - splits an article into paragraphs (tv_segment): runs of
 * non-blank lines, with byte offsets into the original input.
 */
#include <string.h>

#include "tiesvm.h"
#include "textstream.h"
#include "utf8.h"
#include "util.h"

/* Length of the white-space character at s (ASCII or Unicode space), or 0. */
size_t tv_space_len(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c < 0x80)
        return 0;
    uint32_t cp;
    size_t n = tv_utf8_decode(s, len, &cp);
    if (cp == 0xFFFD && n == 1)
        return 0;
    if (cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
        cp == 0x205F || cp == 0x3000 || cp == 0xFEFF || cp == 0x2028)
        return n;
    return 0;
}

/* Offset just past the white space starting at from (stops at '\n'). */
static size_t skip_space(const char *text, size_t from, size_t end)
{
    while (from < end) {
        size_t n = tv_space_len(text + from, end - from);
        if (!n)
            break;
        from += n;
    }
    return from;
}

/* Offset of the end of the last non-space character in [from, end). */
static size_t trim_right(const char *text, size_t from, size_t end)
{
    size_t last = from;
    size_t i = from;
    while (i < end) {
        size_t n = tv_space_len(text + i, end - i);
        if (n) {
            i += n;
            continue;
        }
        size_t step = tv_utf8_valid_prefix(text + i, end - i);
        i += step ? step : 1;
        last = i;
    }
    return last;
}

static void push_span(tv_span **out, size_t *n, size_t *cap, size_t start, size_t end)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *out = tv_xreallocarray(*out, *cap, sizeof **out);
    }
    (*out)[*n].start = start;
    (*out)[*n].end = end;
    (*n)++;
}

void tv_segment(const char *text, size_t len, tv_span **spans, size_t *count)
{
    tv_span *out = NULL;
    size_t n = 0, cap = 0;
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    size_t para_start = 0, para_end = 0;
    int in_para = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_end = nl ? (size_t)(nl - text) : len;
        size_t content = skip_space(text, pos, line_end);
        if (content == line_end) {
            /* A blank line closes the open paragraph. */
            if (in_para)
                push_span(&out, &n, &cap, para_start, para_end);
            in_para = 0;
        } else {
            if (!in_para) {
                para_start = content;
                in_para = 1;
            }
            para_end = trim_right(text, content, line_end);
        }
        pos = nl ? line_end + 1 : len;
    }
    if (in_para)
        push_span(&out, &n, &cap, para_start, para_end);
    *spans = out;
    *count = n;
}
