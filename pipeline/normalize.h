/*
 * normalize.h - text normalization before tokenizing: typographic folding
 * (quotes, apostrophes, dashes, spaces to ASCII; invalid UTF-8 to U+FFFD)
 * and case folding.  Internal to libtiesvm.
 */
#ifndef TV_NORMALIZE_H
#define TV_NORMALIZE_H

#include <stddef.h>
#include "tiesvm.h"

/* Appends a folded copy of text to out; the copy is valid UTF-8.  '@' becomes
 * a space, since it marks actor tokens.  Returns 1 if the input had invalid
 * UTF-8, else 0. */
int tv_fold_typography(const char *text, size_t len, tv_buf *out);

/* Lowercases UTF-8 text in place (ASCII, Latin-1, Latin Extended-A, Greek
 * and Cyrillic letters; all length-preserving). */
void tv_fold_case(char *text, size_t len);

#endif
