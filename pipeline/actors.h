/*
 * actors.h - internal side of the actor table (tv_actors): rewriting actor
 * mentions in folded text to canonical "@name" tokens.
 */
#ifndef TV_ACTORS_H
#define TV_ACTORS_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tiesvm.h"

/*
 * A matcher finds an actor table's mentions in one text at a time; it holds
 * PCRE2 match data, so each thread needs its own.
 */
typedef struct tv_actor_matcher tv_actor_matcher;
tv_actor_matcher *tv_actor_matcher_new(const tv_actors *actors);
void tv_actor_matcher_free(tv_actor_matcher **matcher);

/*
 * Starts a scan of text (valid UTF-8, which must outlive the scan); then
 * each tv_actors_next returns 1 with the next mention [*start, *end) and its
 * canonical name index *name, or 0 when there are no more.  Mentions do not
 * overlap: the leftmost wins, and on a tie the entry listed first.
 */
void tv_actors_scan(tv_actor_matcher *m, const char *text, size_t len);
int tv_actors_next(tv_actor_matcher *m, size_t *start, size_t *end, size_t *name);

/*
 * The mention that starts exactly at byte at of text, if any: returns 1 and
 * sets its end and canonical name index (the first-listed entry wins).
 * Cheaper than a scan when only word starts need trying.
 */
int tv_actors_match_at(tv_actor_matcher *m, const char *text, size_t len, size_t at,
                       size_t *end, size_t *name);

/*
 * Appends text (valid UTF-8) to out with every actor mention replaced by
 * " @canonical ", and sets seen[k] = 1 for each canonical name k mentioned
 * (seen has tv_actors_count() entries).
 */
void tv_actors_rewrite(const tv_actors *actors, tv_actor_matcher *m, const char *text,
                       size_t len, tv_buf *out, unsigned char *seen);

/* The table's source text, as loaded (copied into model directories). */
const char *tv_actors_source(const tv_actors *actors, size_t *len);

#endif
