/*
 * lines.h - reading a file line by line with line numbers (JSON Lines input
 * of classify and of training data).  Internal to libtiesvm.
 */
#ifndef TV_LINES_H
#define TV_LINES_H

#include <stdio.h>

#include "tiesvm.h"

typedef struct tv_lines {
    FILE *file;
    int owns_file;
    const char *path;
    long line;      /* number of the line last returned */
    char *buf;
    size_t cap;
} tv_lines;

/* Opens path ("-" = stdin). */
tv_status tv_lines_open(tv_lines *lines, const char *path, tv_error *err);
/* Next line without its "\n" or "\r\n": returns 1 and sets *text, *len (valid
 * until the next call), 0 at end of file, -1 on a read error. */
int tv_lines_next(tv_lines *lines, const char **text, size_t *len);
void tv_lines_close(tv_lines *lines);

/* 1 if the line holds only ASCII white space. */
int tv_line_is_blank(const char *text, size_t len);

#endif
