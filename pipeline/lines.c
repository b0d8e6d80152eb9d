/*
 * lines.c - line reader over stdio's getline.
 */
#define _GNU_SOURCE
#include "lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

tv_status tv_lines_open(tv_lines *lines, const char *path, tv_error *err)
{
    memset(lines, 0, sizeof *lines);
    lines->path = path;
    if (strcmp(path, "-") == 0) {
        lines->file = stdin;
        return TV_OK;
    }
    lines->file = fopen(path, "rb");
    if (!lines->file)
        return tv_fail(err, TV_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    lines->owns_file = 1;
    return TV_OK;
}

int tv_lines_next(tv_lines *lines, const char **text, size_t *len)
{
    ssize_t n = getline(&lines->buf, &lines->cap, lines->file);
    if (n < 0)
        return ferror(lines->file) ? -1 : 0;
    lines->line++;
    size_t l = (size_t)n;
    if (l && lines->buf[l - 1] == '\n')
        l--;
    if (l && lines->buf[l - 1] == '\r')
        l--;
    lines->buf[l] = '\0';
    *text = lines->buf;
    *len = l;
    return 1;
}

void tv_lines_close(tv_lines *lines)
{
    if (lines->owns_file && lines->file)
        fclose(lines->file);
    free(lines->buf);
    memset(lines, 0, sizeof *lines);
}

int tv_line_is_blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\f' &&
            text[i] != '\v')
            return 0;
    return 1;
}
