/*
 * vocab.h - the term vocabulary: an open-addressing hash table from term
 * strings to dense ids (0..size-1, in insertion order).  Internal.
 */
#ifndef TV_VOCAB_H
#define TV_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define TV_NO_TERM ((size_t)-1)

typedef struct tv_vocab tv_vocab;

tv_vocab *tv_vocab_new(void);
void tv_vocab_free(tv_vocab **vocab);
size_t tv_vocab_size(const tv_vocab *vocab);
/* Id of the term, or TV_NO_TERM. */
size_t tv_vocab_find(const tv_vocab *vocab, const char *term, size_t len);
/* Id of the term, adding it if new. */
size_t tv_vocab_add(tv_vocab *vocab, const char *term, size_t len);
/* The term with this id, NUL-terminated; *len set. */
const char *tv_vocab_term(const tv_vocab *vocab, size_t id, size_t *len);

uint64_t tv_hash_bytes(const void *data, size_t len);

#endif
