/*
 * jsonio.c - what the hand-over commands (export, import, edges) share:
 * reading the items of a JSON Lines file or of a JSON array, each with the
 * line it starts on; writing JSON lines; the annotation tools' names; XML
 * text escaping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Whole file ("-" = stdin) into a NUL-terminated buffer; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    if (!data)
        abort();
    size_t got;
    while ((got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

typedef struct scanner {
    const char *data;
    size_t len, pos;
    long line;
} scanner;

static void skip_space(scanner *s)
{
    while (s->pos < s->len && is_space(s->data[s->pos])) {
        if (s->data[s->pos] == '\n')
            s->line++;
        s->pos++;
    }
}

/* Moves past one JSON value (not checking it: the parser does) up to the
 * ',' or ']' that ends it at depth 0; returns 0 there, -1 at the end of the
 * data. */
static int skip_value(scanner *s)
{
    int depth = 0, in_string = 0;
    for (; s->pos < s->len; s->pos++) {
        char c = s->data[s->pos];
        if (c == '\n')
            s->line++;
        if (in_string) {
            if (c == '\\' && s->pos + 1 < s->len && s->data[s->pos + 1] != '\n')
                s->pos++; /* an escaped character (a newline is counted above) */
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        } else if ((c == ',' || c == ']') && depth == 0) {
            return 0;
        }
    }
    return -1;
}

static void report_parse_error(const char *path, long line, const json_error_t *e)
{
    cli_message("%s:%ld: malformed JSON: %s", path, line, e->text);
}

/* Parses data[start, end) and hands it to fn; 1 if the item was bad. */
static int parse_item(const char *path, long line, const char *data, size_t len,
                      cli_json_item_fn fn, void *ctx)
{
    json_error_t e;
    json_t *item = json_loadb(data, len, JSON_DECODE_ANY, &e);
    if (!item) {
        report_parse_error(path, line + (e.line > 1 ? e.line - 1 : 0), &e);
        return 1;
    }
    int bad = fn(ctx, item, path, line) != 0;
    json_decref(item);
    return bad;
}

static size_t each_array_item(const char *path, scanner *s, cli_json_item_fn fn, void *ctx)
{
    size_t bad = 0;
    s->pos++; /* '[' */
    for (;;) {
        skip_space(s);
        if (s->pos < s->len && s->data[s->pos] == ']')
            return bad;
        size_t start = s->pos;
        long line = s->line;
        if (skip_value(s) != 0) {
            cli_message("%s:%ld: the JSON array is not closed", path, line);
            return bad + 1;
        }
        bad += (size_t)parse_item(path, line, s->data + start, s->pos - start, fn, ctx);
        if (s->data[s->pos] == ']')
            return bad;
        s->pos++; /* ',' */
    }
}

static size_t each_line_item(const char *path, const char *data, size_t len,
                             cli_json_item_fn fn, void *ctx)
{
    size_t bad = 0;
    long line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        line++;
        size_t first = pos;
        while (first < end && is_space(data[first]))
            first++;
        if (first < end)
            bad += (size_t)parse_item(path, line, data + pos, end - pos, fn, ctx);
        pos = end + 1;
    }
    return bad;
}

int cli_each_json_item(const char *path, cli_json_item_fn fn, void *ctx, size_t *bad)
{
    size_t len = 0;
    char *data = slurp(path, &len);
    if (!data) {
        cli_message("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    scanner s = {data, len, bom, 1};
    skip_space(&s);
    if (s.pos < len && data[s.pos] == '[')
        *bad += each_array_item(path, &s, fn, ctx);
    else
        *bad += each_line_item(path, data + bom, len - bom, fn, ctx);
    free(data);
    return 0;
}

int cli_write_json_line(FILE *f, const json_t *value)
{
    int rc = json_dumpf(value, f, CLI_JSON_FLAGS);
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

int cli_parse_annotation_tool(const char *name, cli_annotation_tool *tool)
{
    if (strcmp(name, "doccano") == 0)
        *tool = CLI_TOOL_DOCCANO;
    else if (strcmp(name, "labelstudio") == 0 || strcmp(name, "label-studio") == 0)
        *tool = CLI_TOOL_LABELSTUDIO;
    else
        return -1;
    return 0;
}

void cli_put_xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* XML 1.0 allows no control characters but tab, LF and CR. */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                fputs("\xEF\xBF\xBD", f);
            else
                fputc(c, f);
        }
    }
}
