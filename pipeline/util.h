/*
 * util.h - the small shared base of libtiesvm: checked allocation, the byte
 * buffer (tv_buf) appenders, error filling, and whole-file reading.
 * Internal: not part of the public API.
 */
#ifndef TV_UTIL_H
#define TV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include "tiesvm.h"

/* Allocation: abort with a message on exhaustion or size overflow. */
void *tv_xmalloc(size_t size);
void *tv_xcalloc(size_t count, size_t size);
void *tv_xrealloc(void *ptr, size_t size);
/* realloc for an array of count elements of size bytes, overflow-checked. */
void *tv_xreallocarray(void *ptr, size_t count, size_t size);
char *tv_xstrdup(const char *s);
char *tv_xstrndup(const char *s, size_t n);

/* Buffer appenders; all keep data NUL-terminated. */
void tv_buf_reserve(tv_buf *buf, size_t extra);
void tv_buf_append(tv_buf *buf, const void *data, size_t len);
void tv_buf_puts(tv_buf *buf, const char *s);
void tv_buf_putc(tv_buf *buf, char c);
void tv_buf_printf(tv_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tv_buf_clear(tv_buf *buf); /* len = 0, keeps the allocation */
/* Appends s as a JSON string literal (quoted, escaped); invalid UTF-8 is
 * written as U+FFFD so the output is always valid JSON. */
void tv_buf_json_string(tv_buf *buf, const char *s, size_t len);
/* Appends a finite double as JSON with 4 decimals (non-finite -> 0). */
void tv_buf_json_prob(tv_buf *buf, double value);

/* Fills err (if non-NULL) and returns status. */
tv_status tv_fail(tv_error *err, tv_status status, const char *file, long line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reads a whole file ("-" = stdin) into a malloc'd, NUL-terminated buffer. */
tv_status tv_read_file(const char *path, char **data, size_t *len, tv_error *err);

/* The length of a paragraph as read: len, or at most TV_MAX_PARAGRAPH bytes
 * cut back to a UTF-8 character boundary. */
size_t tv_paragraph_cap(const char *text, size_t len);

/* Joins dir and name with one '/'; malloc'd. */
char *tv_path_join(const char *dir, const char *name);

#endif
