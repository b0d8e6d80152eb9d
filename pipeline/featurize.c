/*
 * featurize.c - the analyzer (text -> terms) and vectorizer (terms -> TF-IDF).
 */
#include "featurize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <svm.h>

#include "actors.h"
#include "normalize.h"
#include "tokenize.h"
#include "utf8.h"
#include "util.h"

struct tv_analyzer {
    const tv_actors *actors;
    const tv_actors *cues;
    tv_tokenizer *tokenizer;
    tv_feature_config cfg;
};

struct tv_scratch {
    tv_buf folded;
    tv_buf rewritten;
    tv_buf term;
    tv_buf word;
    tv_actor_matcher *actor_md;
    tv_actor_matcher *cue_md;
    pcre2_match_data *token_md;
    tv_token *tokens;
    size_t token_cap;
    unsigned char *seen;
    size_t seen_count;
    /* cue_terms' per-token tables */
    size_t *sent_first, *sent_next, *neg_count, *next_actor, *differ;
    size_t sent_first_cap, sent_next_cap, neg_count_cap, next_actor_cap, differ_cap;
};

tv_analyzer *tv_analyzer_new(const tv_actors *actors, const tv_actors *cues,
                             const tv_feature_config *cfg)
{
    tv_analyzer *an = tv_xcalloc(1, sizeof *an);
    an->actors = actors;
    an->cues = cfg->cues ? cues : NULL;
    an->tokenizer = tv_tokenizer_new();
    an->cfg = *cfg;
    return an;
}

void tv_analyzer_free(tv_analyzer **an)
{
    if (!an || !*an)
        return;
    tv_tokenizer_free(&(*an)->tokenizer);
    free(*an);
    *an = NULL;
}

const tv_feature_config *tv_analyzer_config(const tv_analyzer *an)
{
    return &an->cfg;
}

tv_scratch *tv_scratch_new(const tv_analyzer *an)
{
    tv_scratch *sc = tv_xcalloc(1, sizeof *sc);
    sc->actor_md = an->actors ? tv_actor_matcher_new(an->actors) : NULL;
    sc->cue_md = an->cues ? tv_actor_matcher_new(an->cues) : NULL;
    sc->token_md = tv_tokenizer_match_data(an->tokenizer);
    sc->seen_count = tv_actors_count(an->actors);
    sc->seen = tv_xcalloc(sc->seen_count + 1, 1);
    return sc;
}

void tv_scratch_free(tv_scratch **sc)
{
    if (!sc || !*sc)
        return;
    tv_scratch *s = *sc;
    tv_buf_free(&s->folded);
    tv_buf_free(&s->rewritten);
    tv_buf_free(&s->term);
    tv_buf_free(&s->word);
    tv_actor_matcher_free(&s->actor_md);
    tv_actor_matcher_free(&s->cue_md);
    pcre2_match_data_free(s->token_md);
    free(s->tokens);
    free(s->seen);
    free(s->sent_first);
    free(s->sent_next);
    free(s->neg_count);
    free(s->next_actor);
    free(s->differ);
    free(s);
    *sc = NULL;
}

const unsigned char *tv_scratch_actors(const tv_scratch *sc)
{
    return sc->seen;
}

/* Character n-grams of one word, padded with '_' at both ends, as "~gram". */
static void char_ngrams(const tv_analyzer *an, tv_scratch *sc, const char *word, size_t len,
                        tv_term_fn fn, void *ctx)
{
    tv_buf_clear(&sc->word);
    tv_buf_putc(&sc->word, '_');
    tv_buf_append(&sc->word, word, len);
    tv_buf_putc(&sc->word, '_');
    const char *s = sc->word.data;
    size_t slen = sc->word.len;
    /* Code point boundaries; very long words are cut at 255 characters. */
    size_t bounds[257];
    size_t nb = 0;
    size_t pos = 0;
    while (pos < slen && nb < 256) {
        bounds[nb++] = pos;
        size_t n = tv_utf8_valid_prefix(s + pos, slen - pos);
        pos += n ? n : 1;
    }
    bounds[nb] = pos;
    for (int n = an->cfg.char_ngram_min; n <= an->cfg.char_ngram_max; n++) {
        for (size_t i = 0; i + (size_t)n <= nb; i++) {
            tv_buf_clear(&sc->term);
            tv_buf_putc(&sc->term, '~');
            tv_buf_append(&sc->term, s + bounds[i], bounds[i + (size_t)n] - bounds[i]);
            fn(ctx, sc->term.data, sc->term.len);
        }
    }
}

/* Blanks out URLs in folded text (so their words are not read as prose)
 * and returns how many there were. */
static size_t blank_urls(char *s, size_t len)
{
    size_t urls = 0;
    for (size_t i = 0; i < len; i++) {
        int starts = (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '[' ||
                      s[i - 1] == '<' || s[i - 1] == '"') &&
                     ((len - i > 7 && memcmp(s + i, "http://", 7) == 0) ||
                      (len - i > 8 && memcmp(s + i, "https://", 8) == 0) ||
                      (len - i > 4 && (memcmp(s + i, "www.", 4) == 0 ||
                                       memcmp(s + i, "WWW.", 4) == 0)));
        if (!starts)
            continue;
        urls++;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            s[i++] = ' ';
    }
    return urls;
}

static void emit(tv_scratch *sc, tv_term_fn fn, void *ctx, const char *term)
{
    tv_buf_clear(&sc->term);
    tv_buf_puts(&sc->term, term);
    fn(ctx, sc->term.data, sc->term.len);
}

/* Shape terms: how long the paragraph is, and whether it asks or quotes. */
static void shape_terms(tv_scratch *sc, const char *folded, size_t len, size_t words,
                        tv_term_fn fn, void *ctx)
{
    static const size_t limits[] = {3, 8, 15, 40, 100};
    static const char *const names[] = {"%len-1-3", "%len-4-8", "%len-9-15", "%len-16-40",
                                        "%len-41-100", "%len-over-100"};
    size_t bucket = 0;
    while (bucket < 5 && words > limits[bucket])
        bucket++;
    emit(sc, fn, ctx, names[bucket]);
    if (memchr(folded, '?', len))
        emit(sc, fn, ctx, "%question-mark");
    if (memchr(folded, '"', len))
        emit(sc, fn, ctx, "%quotation");
}

static int is_negation(const char *w, size_t len)
{
    static const char *const words[] = {"no", "not", "never", "without", "nor", "neither",
                                        "none", "nothing", "cannot", "don't", "doesn't",
                                        "didn't", "isn't", "aren't", "wasn't", "weren't",
                                        "hasn't", "haven't", "hadn't", "won't", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == len && memcmp(words[i], w, len) == 0)
            return 1;
    return 0;
}

/* 1 if a sentence ends between offsets a and b of text. */
static int sentence_break(const char *text, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == ';')
            return 1;
    return 0;
}

/* Grows a scratch array of size_t to hold n entries. */
static size_t *grow_sizes(size_t **arr, size_t *cap, size_t n)
{
    if (n > *cap) {
        *cap = n * 2;
        *arr = tv_xreallocarray(*arr, *cap, sizeof **arr);
    }
    return *arr;
}

static int same_token(const char *norm, const tv_token *a, const tv_token *b)
{
    return a->len == b->len && memcmp(norm + a->start, norm + b->start, a->len) == 0;
}

/*
 * Cue terms on the normalized text (actor mentions already "@name"):
 * "%cue" for every match, plus, within the match's sentence, "%not-cue"
 * when a negation comes before it and "%cue+pair" when the sentence names
 * two or more actors.  These say who is said to do what, which plain word
 * counts lose in long paragraphs.  Linear in the paragraph: sentence
 * bounds, negation counts and actor pairs are tabled once per paragraph.
 */
static void cue_terms(const tv_analyzer *an, tv_scratch *sc, const char *norm, size_t nlen,
                      size_t nt, tv_term_fn fn, void *ctx)
{
    const tv_token *tok = sc->tokens;
    size_t *first = grow_sizes(&sc->sent_first, &sc->sent_first_cap, nt + 1);
    size_t *next = grow_sizes(&sc->sent_next, &sc->sent_next_cap, nt + 1);
    size_t *negs = grow_sizes(&sc->neg_count, &sc->neg_count_cap, nt + 1);
    size_t *actor = grow_sizes(&sc->next_actor, &sc->next_actor_cap, nt + 1);
    size_t *differ = grow_sizes(&sc->differ, &sc->differ_cap, nt + 1);
    /* first[i]: the first token of i's sentence; negs[i]: negations before i. */
    negs[0] = 0;
    for (size_t i = 0; i < nt; i++) {
        int starts = i == 0 || sentence_break(norm, tok[i - 1].start + tok[i - 1].len, tok[i].start);
        first[i] = starts ? i : first[i - 1];
        negs[i + 1] = negs[i] + (size_t)is_negation(norm + tok[i].start, tok[i].len);
    }
    /* next[i]: the first token after i that starts a sentence (or nt). */
    next[nt] = nt;
    for (size_t i = nt; i-- > 0;)
        next[i] = (i + 1 < nt && first[i + 1] == i + 1) ? i + 1 : next[i + 1];
    /* actor[i]: the first actor token at or after i; differ[a]: the first
     * actor token after a whose text differs from a's (or nt). */
    actor[nt] = nt;
    for (size_t i = nt; i-- > 0;) {
        int is_actor = norm[tok[i].start] == '@';
        if (is_actor) {
            size_t b = actor[i + 1];
            differ[i] = b == nt ? nt : same_token(norm, &tok[i], &tok[b]) ? differ[b] : b;
        }
        actor[i] = is_actor ? i : actor[i + 1];
    }
    /* Cues are tried at word starts only, leftmost first, without overlaps. */
    size_t pos = 0;
    for (size_t t = 0; t < nt; t++) {
        size_t e, k;
        if (tok[t].start < pos || norm[tok[t].start] == '@' ||
            !tv_actors_match_at(sc->cue_md, norm, nlen, tok[t].start, &e, &k))
            continue;
        pos = e;
        const char *name = tv_actors_name(an->cues, k);
        size_t sent_start = first[t];
        int negated = negs[t] > negs[sent_start];
        size_t end = next[t];
        size_t a = actor[sent_start];
        int pair = a < end && differ[a] < end;
        tv_buf_clear(&sc->term);
        tv_buf_printf(&sc->term, "%%%s", name);
        fn(ctx, sc->term.data, sc->term.len);
        if (negated) {
            tv_buf_clear(&sc->term);
            tv_buf_printf(&sc->term, "%%not-%s", name);
            fn(ctx, sc->term.data, sc->term.len);
        }
        if (pair) {
            tv_buf_clear(&sc->term);
            tv_buf_printf(&sc->term, "%%%s+pair", name);
            fn(ctx, sc->term.data, sc->term.len);
        }
    }
}

int tv_analyze(const tv_analyzer *an, tv_scratch *sc, const char *text, size_t len,
               tv_term_fn fn, void *ctx)
{
    tv_buf_clear(&sc->folded);
    tv_buf_clear(&sc->rewritten);
    int invalid = tv_fold_typography(text, len, &sc->folded);
    memset(sc->seen, 0, sc->seen_count);
    if (an->cfg.shape && sc->folded.data) {
        size_t urls = blank_urls(sc->folded.data, sc->folded.len);
        for (size_t u = 0; u < urls; u++)
            emit(sc, fn, ctx, "%url");
    }
    const tv_buf *src = &sc->folded;
    if (sc->actor_md) {
        tv_actors_rewrite(an->actors, sc->actor_md, sc->folded.data, sc->folded.len,
                          &sc->rewritten, sc->seen);
        src = &sc->rewritten;
    }
    char *norm = src->data;
    size_t nlen = src->len;
    if (!norm)
        return invalid;
    tv_fold_case(norm, nlen);
    size_t nt = tv_tokenize(an->tokenizer, sc->token_md, norm, nlen, &sc->tokens, &sc->token_cap);
    if (an->cfg.shape)
        shape_terms(sc, norm, nlen, nt, fn, ctx);
    if (sc->cue_md)
        cue_terms(an, sc, norm, nlen, nt, fn, ctx);
    const tv_token *tok = sc->tokens;
    for (size_t i = 0; i < nt; i++) {
        /* Word n-grams starting at token i, joined by single spaces. */
        tv_buf_clear(&sc->term);
        for (int n = 1; n <= an->cfg.word_ngram_max && i + (size_t)n <= nt; n++) {
            const tv_token *t = &tok[i + (size_t)n - 1];
            if (n > 1)
                tv_buf_putc(&sc->term, ' ');
            tv_buf_append(&sc->term, norm + t->start, t->len);
            fn(ctx, sc->term.data, sc->term.len);
        }
        if (an->cfg.char_ngram_min > 0 && norm[tok[i].start] != '@')
            char_ngrams(an, sc, norm + tok[i].start, tok[i].len, fn, ctx);
    }
    if (an->cfg.actor_pairs) {
        for (size_t a = 0; a < sc->seen_count; a++) {
            if (!sc->seen[a])
                continue;
            for (size_t b = a + 1; b < sc->seen_count; b++) {
                if (!sc->seen[b])
                    continue;
                tv_buf_clear(&sc->term);
                tv_buf_printf(&sc->term, "@%s+@%s", tv_actors_name(an->actors, a),
                              tv_actors_name(an->actors, b));
                fn(ctx, sc->term.data, sc->term.len);
            }
        }
    }
    return invalid;
}

double tv_idf(double n_docs, double df)
{
    return log((1.0 + n_docs) / (1.0 + df)) + 1.0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t tv_vectorize_counts(const size_t *ids, const uint32_t *tf, size_t count,
                           const double *idf, int sublinear, struct svm_node **nodes,
                           size_t *cap)
{
    if (count + 1 > *cap) {
        *cap = count + 1 > 128 ? (count + 1) * 2 : 128;
        *nodes = tv_xreallocarray(*nodes, *cap, sizeof **nodes);
    }
    double norm = 0.0;
    for (size_t i = 0; i < count; i++) {
        double t = (double)tf[i];
        double w = (sublinear ? 1.0 + log(t) : t) * idf[ids[i]];
        (*nodes)[i].index = (int)(ids[i] + 1);
        (*nodes)[i].value = w;
        norm += w * w;
    }
    if (norm > 0.0) {
        norm = sqrt(norm);
        for (size_t i = 0; i < count; i++)
            (*nodes)[i].value /= norm;
    }
    (*nodes)[count].index = -1;
    (*nodes)[count].value = 0.0;
    return count;
}

size_t tv_vectorize(size_t *ids, size_t count, const double *idf, int sublinear,
                    struct svm_node **nodes, size_t *cap)
{
    if (count > 1)
        qsort(ids, count, sizeof *ids, cmp_size);
    /* Collapse runs into (id, count) in place. */
    uint32_t *tf = tv_xcalloc(count + 1, sizeof *tf);
    size_t n = 0;
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && ids[j] == ids[i])
            j++;
        ids[n] = ids[i];
        tf[n] = (uint32_t)(j - i);
        n++;
        i = j;
    }
    size_t out = tv_vectorize_counts(ids, tf, n, idf, sublinear, nodes, cap);
    free(tf);
    return out;
}
