/*
 * actors.c - the actor table: parses "CANONICAL<TAB>PATTERN" lines, compiles
 * the patterns into PCRE2 alternations (JIT when available) whose (*MARK)
 * names the entry that matched, and finds and rewrites mentions.  A table
 * too large for one compiled pattern is split into consecutive parts; the
 * scan merges them so that it finds what one alternation would: the
 * leftmost mention, and on a tie the entry listed first.
 */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct tv_actors {
    char **names;         /* sorted distinct canonical names */
    size_t name_count;
    size_t *entry_name;   /* entry index -> name index */
    size_t entry_count;
    pcre2_code **parts;   /* compiled alternations over consecutive entries */
    size_t part_count;
    /* Word-start matching by first byte: by_byte[c] indexes buckets, each
     * the alternatives (in table order) that can start with byte c. */
    unsigned short by_byte[256];
    pcre2_code **buckets;  /* [0] is NULL: no alternative starts there */
    size_t bucket_count;
    uint32_t max_pairs;    /* ovector pairs any of the patterns needs */
    char *source;
    size_t source_len;
};

/* One part's next mention, found from the scan position it was asked at. */
typedef struct part_hit {
    size_t start, end, entry;
    int found;
} part_hit;

struct tv_actor_matcher {
    const tv_actors *actors;
    pcre2_match_data **md; /* one per part */
    part_hit *next;        /* one per part */
    const char *text;
    size_t len;
    size_t pos;            /* where the next mention may start */
};

static int valid_canonical(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks one pattern on its own, so that errors can name its line. */
static tv_status check_pattern(const char *pat, size_t len, const char *name, long line,
                               tv_error *err)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                                   &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        return tv_fail(err, TV_ERR_PARSE, name, line, "bad actor pattern at offset %zu: %s",
                       (size_t)offset, (const char *)msg);
    }
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (rc >= 0)
        return tv_fail(err, TV_ERR_PARSE, name, line, "actor pattern matches the empty string");
    return TV_OK;
}

typedef struct entry {
    char *canonical;
    char *pattern;
} entry;

static void free_entries(entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(entries[i].canonical);
        free(entries[i].pattern);
    }
    free(entries);
}

/* Splits the table into entries; reports the first bad line. */
static tv_status parse_lines(const char *text, size_t len, const char *name, entry **out,
                             size_t *count, tv_error *err)
{
    entry *entries = NULL;
    size_t n = 0;
    long line = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + pos;
        size_t l = end - pos;
        line++;
        pos = nl ? end + 1 : len;
        if (l && s[l - 1] == '\r')
            l--;
        size_t lead = 0;
        while (lead < l && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (lead == l || s[lead] == '#')
            continue;
        if (memchr(s, '\0', l)) {
            free_entries(entries, n);
            return tv_fail(err, TV_ERR_PARSE, name, line, "NUL byte in actor table");
        }
        const char *tab = memchr(s, '\t', l);
        if (!tab) {
            free_entries(entries, n);
            return tv_fail(err, TV_ERR_PARSE, name, line,
                           "expected CANONICAL<TAB>PATTERN");
        }
        size_t clen = (size_t)(tab - s);
        while (clen && s[clen - 1] == ' ')
            clen--;
        const char *p = tab + 1;
        size_t plen = l - (size_t)(p - s);
        while (plen && (*p == ' ' || *p == '\t')) {
            p++;
            plen--;
        }
        while (plen && (p[plen - 1] == ' ' || p[plen - 1] == '\t'))
            plen--;
        if (!valid_canonical(s, clen)) {
            free_entries(entries, n);
            return tv_fail(err, TV_ERR_PARSE, name, line,
                           "canonical name must be 1-64 characters of a-z, 0-9 and '-'");
        }
        if (plen == 0) {
            free_entries(entries, n);
            return tv_fail(err, TV_ERR_PARSE, name, line, "empty pattern");
        }
        tv_status st = check_pattern(p, plen, name, line, err);
        if (st != TV_OK) {
            free_entries(entries, n);
            return st;
        }
        entries = tv_xreallocarray(entries, n + 1, sizeof *entries);
        entries[n].canonical = tv_xstrndup(s, clen);
        entries[n].pattern = tv_xstrndup(p, plen);
        n++;
    }
    *out = entries;
    *count = n;
    return TV_OK;
}

/*
 * Compiles entries [lo, hi) into one alternation, each branch leaving a mark
 * with its entry index; when that is too large for PCRE2, compiles the two
 * halves instead, in order.
 */
static tv_status compile_parts(tv_actors *a, const entry *entries, size_t lo, size_t hi,
                               const char *name, tv_error *err)
{
    tv_buf pat = {0};
    tv_buf_puts(&pat, "(?<![\\p{L}\\p{N}])(?:");
    for (size_t i = lo; i < hi; i++)
        tv_buf_printf(&pat, "%s(?i:%s)(*MARK:%zu)", i > lo ? "|" : "", entries[i].pattern, i);
    tv_buf_puts(&pat, ")(?![\\p{L}\\p{N}])");
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat.data, pat.len, PCRE2_UTF | PCRE2_UCP, &code,
                                   &offset, NULL);
    tv_buf_free(&pat);
    if (!re && code == PCRE2_ERROR_PATTERN_TOO_LARGE && hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        tv_status st = compile_parts(a, entries, lo, mid, name, err);
        return st != TV_OK ? st : compile_parts(a, entries, mid, hi, name, err);
    }
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        return tv_fail(err, TV_ERR_PARSE, name, 0, "cannot combine actor patterns: %s",
                       (const char *)msg);
    }
    /* JIT is an optimisation only: the interpreter is used if it fails. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    a->parts = tv_xreallocarray(a->parts, a->part_count + 1, sizeof *a->parts);
    a->parts[a->part_count++] = re;
    return TV_OK;
}

/*
 * Splits pattern p at its top-level '|' into out (offsets of each start, and
 * of the end plus one) and returns how many alternatives, or 0 when p uses
 * something whose meaning could change if split (option settings that run
 * on, backreferences, \\Q, branch resets, verbs): then it stays whole.
 */
static size_t split_alternatives(const char *p, size_t **out)
{
    size_t len = strlen(p), n = 0, depth = 0;
    size_t *at = tv_xcalloc(len + 2, sizeof *at);
    at[n++] = 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '\\') {
            char d = p[i + 1];
            if ((d >= '0' && d <= '9') || d == 'g' || d == 'k' || d == 'Q' || d == 'K')
                goto whole;
            i++;
        } else if (c == '[') {
            size_t j = i + 1;
            if (p[j] == '^')
                j++;
            if (p[j] == ']')
                j++;
            while (j < len && p[j] != ']')
                j += p[j] == '\\' ? 2 : 1;
            if (j >= len)
                goto whole;
            i = j;
        } else if (c == '(') {
            if (p[i + 1] == '*')
                goto whole;
            if (p[i + 1] == '?') {
                size_t j = i + 2;
                while (j < len && ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
                                   p[j] == '-' || p[j] == '^'))
                    j++;
                int scoped = p[j] == ':' ||
                             (j == i + 2 && (p[j] == '=' || p[j] == '!' ||
                                             (p[j] == '<' && (p[j + 1] == '=' || p[j + 1] == '!'))));
                if (!scoped)
                    goto whole;
            }
            depth++;
        } else if (c == ')') {
            if (depth == 0)
                goto whole;
            depth--;
        } else if (c == '|' && depth == 0) {
            at[n++] = i + 1;
        }
    }
    at[n] = len + 1;
    *out = at;
    return n;
whole:
    free(at);
    *out = NULL;
    return 0;
}

/* Sets in starts[] every first byte that alternative alt can match with. */
static void first_bytes(const char *alt, size_t len, unsigned char starts[256])
{
    tv_buf pat = {0};
    tv_buf_printf(&pat, "(?i:%.*s)", (int)len, alt);
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat.data, pat.len, PCRE2_UTF | PCRE2_UCP, &code,
                                   &offset, NULL);
    tv_buf_free(&pat);
    uint32_t type = 0, unit = 0;
    const uint8_t *bitmap = NULL;
    if (re) {
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    }
    if (re && type == 1 && unit < 0x80) {
        starts[unit] = 1;
        if (unit >= 'a' && unit <= 'z')
            starts[unit - 32] = 1;
        else if (unit >= 'A' && unit <= 'Z')
            starts[unit + 32] = 1;
    } else if (re && type == 0 && bitmap) {
        for (int c = 0; c < 256; c++)
            starts[c] = (unsigned char)(starts[c] | ((bitmap[c / 8] >> (c % 8)) & 1));
    } else {
        memset(starts, 1, 256); /* unknown: may start anywhere */
    }
    pcre2_code_free(re);
}

/*
 * Builds the first-byte buckets for tv_actors_match_at: each entry is split
 * into its alternatives, and each distinct set of alternatives that can
 * start with one byte is compiled, in table order, as one anchored
 * alternation.  Leaves no buckets (match_at then searches the parts) if
 * anything does not compile.
 */
static void build_buckets(tv_actors *a, const entry *entries, size_t n)
{
    typedef struct alt {
        const char *text;
        size_t len, entry;
        unsigned char starts[256];
    } alt;
    alt *alts = NULL;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t *at = NULL;
        size_t k = split_alternatives(entries[i].pattern, &at);
        size_t whole[2] = {0, strlen(entries[i].pattern) + 1};
        const size_t *cut = k ? at : whole;
        size_t pieces = k ? k : 1;
        alts = tv_xreallocarray(alts, count + pieces, sizeof *alts);
        for (size_t j = 0; j < pieces; j++) {
            alt *x = &alts[count++];
            x->text = entries[i].pattern + cut[j];
            x->len = cut[j + 1] - 1 - cut[j];
            x->entry = i;
            memset(x->starts, 0, sizeof x->starts);
            first_bytes(x->text, x->len, x->starts);
        }
        free(at);
    }
    /* Bytes with the same members share a bucket; bucket 0 is empty. */
    a->buckets = tv_xcalloc(257, sizeof *a->buckets);
    a->bucket_count = 1;
    int owner[257] = {0}; /* bucket -> a byte that has it */
    int ok = 1;
    for (int c = 0; c < 256 && ok; c++) {
        size_t members = 0;
        for (size_t k = 0; k < count; k++)
            members += alts[k].starts[c];
        if (members == 0) {
            a->by_byte[c] = 0;
            continue;
        }
        size_t b = 1;
        for (; b < a->bucket_count; b++) {
            size_t k = 0;
            while (k < count && alts[k].starts[c] == alts[k].starts[owner[b]])
                k++;
            if (k == count)
                break;
        }
        a->by_byte[c] = (unsigned short)b;
        if (b < a->bucket_count)
            continue;
        tv_buf pat = {0};
        tv_buf_puts(&pat, "(?<![\\p{L}\\p{N}])(?:");
        int first = 1;
        for (size_t k = 0; k < count; k++) {
            if (!alts[k].starts[c])
                continue;
            tv_buf_printf(&pat, "%s(?i:%.*s)(*MARK:%zu)", first ? "" : "|", (int)alts[k].len,
                          alts[k].text, alts[k].entry);
            first = 0;
        }
        tv_buf_puts(&pat, ")(?![\\p{L}\\p{N}])");
        int code;
        PCRE2_SIZE offset;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
                                       PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &code, &offset,
                                       NULL);
        tv_buf_free(&pat);
        if (!re) {
            ok = 0;
            break;
        }
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        owner[b] = c;
        a->buckets[a->bucket_count++] = re;
    }
    free(alts);
    if (!ok) {
        for (size_t b = 1; b < a->bucket_count; b++)
            pcre2_code_free(a->buckets[b]);
        free(a->buckets);
        a->buckets = NULL;
        a->bucket_count = 0;
    }
}

/* The most ovector pairs that any compiled pattern of the table needs. */
static uint32_t pairs_needed(const tv_actors *a)
{
    uint32_t most = 1;
    for (size_t i = 0; i < a->part_count + a->bucket_count; i++) {
        const pcre2_code *re = i < a->part_count ? a->parts[i] : a->buckets[i - a->part_count];
        uint32_t captures = 0;
        if (re && pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &captures) == 0 &&
            captures + 1 > most)
            most = captures + 1;
    }
    return most;
}

tv_status tv_actors_parse(const char *text, size_t len, const char *name, tv_actors **out,
                          tv_error *err)
{
    *out = NULL;
    entry *entries = NULL;
    size_t n = 0;
    tv_status st = parse_lines(text, len, name, &entries, &n, err);
    if (st != TV_OK)
        return st;
    tv_actors *a = tv_xcalloc(1, sizeof *a);
    a->source = tv_xstrndup(text, len);
    a->source_len = len;
    a->entry_count = n;
    a->entry_name = tv_xcalloc(n, sizeof *a->entry_name);
    a->names = tv_xcalloc(n, sizeof *a->names);
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t k = 0; k < a->name_count; k++)
            dup |= strcmp(a->names[k], entries[i].canonical) == 0;
        if (!dup)
            a->names[a->name_count++] = tv_xstrdup(entries[i].canonical);
    }
    qsort(a->names, a->name_count, sizeof *a->names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char **hit = bsearch(&entries[i].canonical, a->names, a->name_count,
                             sizeof *a->names, cmp_str);
        a->entry_name[i] = (size_t)(hit - a->names);
    }
    if (n > 0)
        st = compile_parts(a, entries, 0, n, name, err);
    if (n > 0 && st == TV_OK)
        build_buckets(a, entries, n);
    a->max_pairs = pairs_needed(a);
    free_entries(entries, n);
    if (st != TV_OK) {
        tv_actors_free(&a);
        return st;
    }
    *out = a;
    return TV_OK;
}

tv_status tv_actors_load(const char *path, tv_actors **out, tv_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    tv_status st = tv_read_file(path, &data, &len, err);
    if (st != TV_OK)
        return st;
    st = tv_actors_parse(data, len, path, out, err);
    free(data);
    return st;
}

void tv_actors_free(tv_actors **actors)
{
    if (!actors || !*actors)
        return;
    tv_actors *a = *actors;
    for (size_t i = 0; i < a->name_count; i++)
        free(a->names[i]);
    free(a->names);
    free(a->entry_name);
    for (size_t i = 0; i < a->part_count; i++)
        pcre2_code_free(a->parts[i]);
    for (size_t i = 0; i < a->bucket_count; i++)
        pcre2_code_free(a->buckets[i]);
    free(a->buckets);
    free(a->parts);
    free(a->source);
    free(a);
    *actors = NULL;
}

size_t tv_actors_count(const tv_actors *actors)
{
    return actors ? actors->name_count : 0;
}

const char *tv_actors_name(const tv_actors *actors, size_t i)
{
    return actors && i < actors->name_count ? actors->names[i] : NULL;
}

const char *tv_actors_source(const tv_actors *actors, size_t *len)
{
    *len = actors->source_len;
    return actors->source;
}

tv_actor_matcher *tv_actor_matcher_new(const tv_actors *actors)
{
    tv_actor_matcher *m = tv_xcalloc(1, sizeof *m);
    m->actors = actors;
    m->md = tv_xcalloc(actors->part_count + 1, sizeof *m->md);
    m->next = tv_xcalloc(actors->part_count + 1, sizeof *m->next);
    for (size_t i = 0; i <= actors->part_count; i++) {
        /* One per part for scans, and the last one for tv_actors_match_at. */
        m->md[i] = pcre2_match_data_create(actors->max_pairs, NULL);
        if (!m->md[i]) {
            fprintf(stderr, "tiesvm: out of memory (PCRE2 match data)\n");
            abort();
        }
    }
    return m;
}

void tv_actor_matcher_free(tv_actor_matcher **matcher)
{
    if (!matcher || !*matcher)
        return;
    tv_actor_matcher *m = *matcher;
    for (size_t i = 0; i <= m->actors->part_count; i++)
        pcre2_match_data_free(m->md[i]);
    free(m->md);
    free(m->next);
    free(m);
    *matcher = NULL;
}

/* Part p's first mention that starts at or after m->pos. */
static void find_in_part(tv_actor_matcher *m, size_t p)
{
    const tv_actors *a = m->actors;
    part_hit *h = &m->next[p];
    size_t from = m->pos;
    h->found = 0;
    while (from <= m->len) {
        int rc = pcre2_match(a->parts[p], (PCRE2_SPTR)m->text, m->len, from,
                             PCRE2_NO_UTF_CHECK, m->md[p], NULL);
        if (rc < 0)
            return;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md[p]);
        PCRE2_SPTR mark = pcre2_get_mark(m->md[p]);
        size_t s = ov[0], e = ov[1];
        size_t index = mark ? strtoul((const char *)mark, NULL, 10) : a->entry_count;
        if (e <= s || index >= a->entry_count) {
            /* Cannot happen with checked patterns; step past one character. */
            from = s + 1;
            while (from < m->len && ((unsigned char)m->text[from] & 0xC0) == 0x80)
                from++;
            continue;
        }
        h->start = s;
        h->end = e;
        h->entry = index;
        h->found = 1;
        return;
    }
}

void tv_actors_scan(tv_actor_matcher *m, const char *text, size_t len)
{
    m->text = text;
    m->len = len;
    m->pos = 0;
    for (size_t p = 0; p < m->actors->part_count; p++)
        find_in_part(m, p);
}

int tv_actors_next(tv_actor_matcher *m, size_t *start, size_t *end, size_t *name)
{
    const tv_actors *a = m->actors;
    size_t best = a->part_count;
    for (size_t p = 0; p < a->part_count; p++)
        if (m->next[p].found && (best == a->part_count || m->next[p].start < m->next[best].start))
            best = p;
    if (best == a->part_count)
        return 0;
    const part_hit *h = &m->next[best];
    *start = h->start;
    *end = h->end;
    *name = a->entry_name[h->entry];
    m->pos = h->end;
    /* Parts whose next mention began before this one ended look again. */
    for (size_t p = 0; p < a->part_count; p++)
        if (m->next[p].found && m->next[p].start < m->pos)
            find_in_part(m, p);
    return 1;
}

/* A match of re that starts at byte at (re is anchored, or searches on
 * from at): 1 with its end and entry, else 0. */
static int match_starting_at(const tv_actors *a, const pcre2_code *re, pcre2_match_data *md,
                             const char *text, size_t len, size_t at, size_t *end, size_t *which)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, md, NULL);
    if (rc < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    PCRE2_SPTR mark = pcre2_get_mark(md);
    size_t index = mark ? strtoul((const char *)mark, NULL, 10) : a->entry_count;
    if (ov[0] != at || ov[1] <= at || index >= a->entry_count)
        return 0;
    *end = ov[1];
    *which = index;
    return 1;
}

int tv_actors_match_at(tv_actor_matcher *m, const char *text, size_t len, size_t at,
                       size_t *end, size_t *name)
{
    const tv_actors *a = m->actors;
    pcre2_match_data *md = m->md[a->part_count];
    size_t which;
    if (at >= len)
        return 0;
    if (a->bucket_count) {
        size_t b = a->by_byte[(unsigned char)text[at]];
        if (b == 0 || !match_starting_at(a, a->buckets[b], md, text, len, at, end, &which))
            return 0;
        *name = a->entry_name[which];
        return 1;
    }
    for (size_t p = 0; p < a->part_count; p++)
        if (match_starting_at(a, a->parts[p], md, text, len, at, end, &which)) {
            *name = a->entry_name[which];
            return 1;
        }
    return 0;
}

void tv_actors_rewrite(const tv_actors *actors, tv_actor_matcher *m, const char *text,
                       size_t len, tv_buf *out, unsigned char *seen)
{
    size_t prev = 0, s, e, k;
    tv_actors_scan(m, text, len);
    while (tv_actors_next(m, &s, &e, &k)) {
        tv_buf_append(out, text + prev, s - prev);
        tv_buf_puts(out, " @");
        tv_buf_puts(out, actors->names[k]);
        tv_buf_putc(out, ' ');
        seen[k] = 1;
        prev = e;
    }
    tv_buf_append(out, text + prev, len - prev);
}
