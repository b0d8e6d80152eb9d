/*
 * tokenize.c - the PCRE2 word tokenizer.
 */
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

struct tv_tokenizer {
    pcre2_code *re;
};

static const char TOKEN_PATTERN[] = "@[a-z0-9-]+|[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*";

tv_tokenizer *tv_tokenizer_new(void)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)TOKEN_PATTERN, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
    if (!re) {
        fprintf(stderr, "tiesvm: internal error: token pattern does not compile\n");
        abort();
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    tv_tokenizer *tok = tv_xcalloc(1, sizeof *tok);
    tok->re = re;
    return tok;
}

void tv_tokenizer_free(tv_tokenizer **tok)
{
    if (!tok || !*tok)
        return;
    pcre2_code_free((*tok)->re);
    free(*tok);
    *tok = NULL;
}

pcre2_match_data *tv_tokenizer_match_data(const tv_tokenizer *tok)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(tok->re, NULL);
    if (!md) {
        fprintf(stderr, "tiesvm: out of memory (PCRE2 match data)\n");
        abort();
    }
    return md;
}

size_t tv_tokenize(const tv_tokenizer *tok, pcre2_match_data *md, const char *text, size_t len,
                   tv_token **tokens, size_t *cap)
{
    size_t n = 0, from = 0;
    while (from < len) {
        int rc = pcre2_match(tok->re, (PCRE2_SPTR)text, len, from, PCRE2_NO_UTF_CHECK, md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t s = ov[0], e = ov[1];
        if (e <= s)
            break;
        from = e;
        if (e - s > 2 && text[e - 2] == '\'' && text[e - 1] == 's')
            e -= 2;
        if (n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *tokens = tv_xreallocarray(*tokens, *cap, sizeof **tokens);
        }
        (*tokens)[n].start = s;
        (*tokens)[n].len = e - s;
        n++;
    }
    return n;
}
