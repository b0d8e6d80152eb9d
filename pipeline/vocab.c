/*
 * vocab.c - the vocabulary hash table: terms live in one byte arena, the
 * table holds (hash, id) slots with linear probing at load factor <= 1/2.
 */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct slot {
    uint64_t hash;
    size_t id; /* TV_NO_TERM when empty */
} slot;

struct tv_vocab {
    slot *slots;
    size_t mask;      /* slot count - 1 (a power of two) */
    size_t count;
    size_t *offset;   /* id -> start in arena; offset[count] = arena end */
    size_t offset_cap;
    tv_buf arena;
};

uint64_t tv_hash_bytes(const void *data, size_t len)
{
    /* Eight bytes at a time, each word mixed by a multiply and a shift; the
     * tail is read byte by byte.  Only the table layout depends on it. */
    const unsigned char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    h = (h ^ tail) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

static void init_slots(tv_vocab *v, size_t n)
{
    v->slots = tv_xreallocarray(NULL, n, sizeof *v->slots);
    for (size_t i = 0; i < n; i++)
        v->slots[i].id = TV_NO_TERM;
    v->mask = n - 1;
}

tv_vocab *tv_vocab_new(void)
{
    tv_vocab *v = tv_xcalloc(1, sizeof *v);
    init_slots(v, 1024);
    v->offset_cap = 1024;
    v->offset = tv_xreallocarray(NULL, v->offset_cap, sizeof *v->offset);
    v->offset[0] = 0;
    return v;
}

void tv_vocab_free(tv_vocab **vocab)
{
    if (!vocab || !*vocab)
        return;
    free((*vocab)->slots);
    free((*vocab)->offset);
    tv_buf_free(&(*vocab)->arena);
    free(*vocab);
    *vocab = NULL;
}

size_t tv_vocab_size(const tv_vocab *vocab)
{
    return vocab->count;
}

const char *tv_vocab_term(const tv_vocab *vocab, size_t id, size_t *len)
{
    *len = vocab->offset[id + 1] - vocab->offset[id] - 1;
    return vocab->arena.data + vocab->offset[id];
}

static int same_term(const tv_vocab *v, size_t id, const char *term, size_t len)
{
    size_t tl;
    const char *t = tv_vocab_term(v, id, &tl);
    return tl == len && memcmp(t, term, len) == 0;
}

size_t tv_vocab_find(const tv_vocab *vocab, const char *term, size_t len)
{
    uint64_t h = tv_hash_bytes(term, len);
    for (size_t i = h & vocab->mask;; i = (i + 1) & vocab->mask) {
        const slot *s = &vocab->slots[i];
        if (s->id == TV_NO_TERM)
            return TV_NO_TERM;
        if (s->hash == h && same_term(vocab, s->id, term, len))
            return s->id;
    }
}

static void grow(tv_vocab *v)
{
    slot *old = v->slots;
    size_t old_n = v->mask + 1;
    init_slots(v, old_n * 2);
    for (size_t i = 0; i < old_n; i++) {
        if (old[i].id == TV_NO_TERM)
            continue;
        size_t j = old[i].hash & v->mask;
        while (v->slots[j].id != TV_NO_TERM)
            j = (j + 1) & v->mask;
        v->slots[j] = old[i];
    }
    free(old);
}

size_t tv_vocab_add(tv_vocab *vocab, const char *term, size_t len)
{
    uint64_t h = tv_hash_bytes(term, len);
    size_t i = h & vocab->mask;
    for (;; i = (i + 1) & vocab->mask) {
        slot *s = &vocab->slots[i];
        if (s->id == TV_NO_TERM)
            break;
        if (s->hash == h && same_term(vocab, s->id, term, len))
            return s->id;
    }
    size_t id = vocab->count++;
    vocab->slots[i].hash = h;
    vocab->slots[i].id = id;
    tv_buf_append(&vocab->arena, term, len);
    tv_buf_putc(&vocab->arena, '\0');
    if (vocab->count + 1 > vocab->offset_cap) {
        vocab->offset_cap *= 2;
        vocab->offset = tv_xreallocarray(vocab->offset, vocab->offset_cap, sizeof *vocab->offset);
    }
    vocab->offset[vocab->count] = vocab->arena.len;
    if (vocab->count * 2 > vocab->mask + 1)
        grow(vocab);
    return id;
}
