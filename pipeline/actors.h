/*
 * actors.h - internal side of the actor table (tv_actors): rewriting actor
 * mentions in folded text to canonical "@name" tokens.
 */
#ifndef TV_ACTORS_H
#define TV_ACTORS_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tiesvm.h"

/* Match data sized for the table's combined pattern (one per thread). */
pcre2_match_data *tv_actors_match_data(const tv_actors *actors);

/*
 * Appends text (valid UTF-8) to out with every actor mention replaced by
 * " @canonical ", and sets seen[k] = 1 for each canonical name k mentioned
 * (seen has tv_actors_count() entries).
 */
void tv_actors_rewrite(const tv_actors *actors, pcre2_match_data *md, const char *text,
                       size_t len, tv_buf *out, unsigned char *seen);

/*
 * Finds the next mention at or after *from in text (valid UTF-8): returns 1
 * and sets [*start, *end) and the canonical name index *name, and moves
 * *from past it; returns 0 when there is none.
 */
int tv_actors_next(const tv_actors *actors, pcre2_match_data *md, const char *text, size_t len,
                   size_t *from, size_t *start, size_t *end, size_t *name);

/* The table's source text, as loaded (copied into model directories). */
const char *tv_actors_source(const tv_actors *actors, size_t *len);

#endif
