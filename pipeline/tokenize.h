/*
 * tokenize.h - splits normalized text into word tokens with one PCRE2
 * pattern (compiled once, JIT when available).  Internal to libtiesvm.
 */
#ifndef TV_TOKENIZE_H
#define TV_TOKENIZE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

typedef struct tv_token {
    size_t start;
    size_t len;
} tv_token;

typedef struct tv_tokenizer tv_tokenizer;

tv_tokenizer *tv_tokenizer_new(void);
void tv_tokenizer_free(tv_tokenizer **tok);
pcre2_match_data *tv_tokenizer_match_data(const tv_tokenizer *tok);

/*
 * Tokens of text (valid UTF-8, already case-folded): "@name" actor tokens,
 * and runs of letters and digits with inner apostrophes ("qa'ida"); a final
 * possessive "'s" is dropped.  Fills *tokens (grown as needed, *cap its
 * capacity) and returns the count.
 */
size_t tv_tokenize(const tv_tokenizer *tok, pcre2_match_data *md, const char *text, size_t len,
                   tv_token **tokens, size_t *cap);

#endif
