/*
 * textstream.h - reads one text file in bounded memory and splits it into
 * paragraphs as it goes, by the same rule as tv_segment (runs of non-blank
 * lines, offsets into the file).  The paragraphs come out in parts of a few
 * megabytes (tv_document with "paragraphs" set), so a 1 GB file, even one
 * without a single blank line, never sits in memory: of a paragraph longer
 * than TV_MAX_PARAGRAPH only the first bytes are kept.  Internal.
 */
#ifndef TV_TEXTSTREAM_H
#define TV_TEXTSTREAM_H

#include <stdio.h>

#include "tiesvm.h"

typedef struct tv_textstream tv_textstream;

/* Opens path ("-" is stdin).  On failure returns NULL and fills err. */
tv_textstream *tv_textstream_open(const char *path, tv_error *err);
void tv_textstream_close(tv_textstream **ts);

/* 1 if the file starts with a UTF-16 byte order mark (such files are read
 * whole and transcoded instead). */
int tv_textstream_is_utf16(tv_textstream *ts);

/*
 * The next part of the file as a document named name: its paragraphs, with
 * their kept bytes in doc->text.  A read error yields a failed part.
 * Returns 0 when the file is done (doc untouched).
 */
int tv_textstream_next(tv_textstream *ts, const char *name, tv_document *doc);

/* Reads what is left of the file whole (for UTF-16), appending to *data
 * after the bytes already buffered; 0 on success. */
tv_status tv_textstream_read_rest(tv_textstream *ts, char **data, size_t *len, tv_error *err);

/* The segmenter's white space: the length of the space character at s, or 0. */
size_t tv_space_len(const char *s, size_t len);

#endif
