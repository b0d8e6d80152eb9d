/*
 * jobs.h - runs independent jobs in forked worker processes and collects
 * their results in job order.  libsvm's training keeps global state
 * (rand(), the print hook), so each training call runs isolated in its own
 * process; results do not depend on how jobs are spread over workers.
 * Internal.
 */
#ifndef TV_JOBS_H
#define TV_JOBS_H

#include <stddef.h>

#include "tiesvm.h"

/* Runs in a worker: appends job's result bytes to out. */
typedef void (*tv_job_fn)(size_t job, void *ctx, tv_buf *out);

/*
 * Runs jobs 0..count-1 over up to workers processes (1 = in this process)
 * and fills results[job].  Returns 0, or -1 if a worker failed (results are
 * then incomplete).
 */
int tv_run_jobs(size_t count, int workers, tv_job_fn fn, void *ctx, tv_buf *results);

/* Called in the calling process each time a job's result is in (may be
 * NULL): done of count jobs finished. */
typedef void (*tv_jobs_progress_fn)(void *ctx, size_t done, size_t count);
int tv_run_jobs_progress(size_t count, int workers, tv_job_fn fn, void *ctx, tv_buf *results,
                         tv_jobs_progress_fn progress, void *progress_ctx);

#endif
