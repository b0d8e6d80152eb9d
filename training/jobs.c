/*
 * jobs.c - a small fork-based process pool: each worker runs every
 * workers-th job and streams (job, length, bytes) records back on a pipe;
 * the parent polls all pipes so no worker blocks on a full one.
 */
#define _GNU_SOURCE
#include "jobs.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void worker(int fd, size_t first, size_t step, size_t count, tv_job_fn fn, void *ctx)
{
    tv_buf out = {0};
    int status = 0;
    for (size_t job = first; job < count && !status; job += step) {
        tv_buf_clear(&out);
        fn(job, ctx, &out);
        uint64_t header[2] = {job, out.len};
        status = write_all(fd, header, sizeof header) || write_all(fd, out.data, out.len);
    }
    tv_buf_free(&out);
    close(fd);
    _exit(status ? 1 : 0);
}

typedef struct progress {
    tv_jobs_progress_fn fn;
    void *ctx;
    size_t done;
} progress;

static void job_done(progress *pr, size_t count)
{
    pr->done++;
    if (pr->fn)
        pr->fn(pr->ctx, pr->done, count);
}

/* Parses complete records from a worker's stream into results. */
static void take_records(tv_buf *stream, size_t count, tv_buf *results, progress *pr)
{
    size_t pos = 0;
    while (stream->len - pos >= 16) {
        uint64_t header[2];
        memcpy(header, stream->data + pos, sizeof header);
        if (stream->len - pos - 16 < header[1])
            break;
        if (header[0] < count) {
            tv_buf_clear(&results[header[0]]);
            tv_buf_append(&results[header[0]], stream->data + pos + 16, (size_t)header[1]);
            job_done(pr, count);
        }
        pos += 16 + (size_t)header[1];
    }
    memmove(stream->data, stream->data + pos, stream->len - pos);
    stream->len -= pos;
}

int tv_run_jobs(size_t count, int workers, tv_job_fn fn, void *ctx, tv_buf *results)
{
    return tv_run_jobs_progress(count, workers, fn, ctx, results, NULL, NULL);
}

int tv_run_jobs_progress(size_t count, int workers, tv_job_fn fn, void *ctx, tv_buf *results,
                         tv_jobs_progress_fn progress_fn, void *progress_ctx)
{
    progress pr = {progress_fn, progress_ctx, 0};
    if (workers < 1)
        workers = 1;
    if ((size_t)workers > count)
        workers = (int)(count ? count : 1);
    if (workers == 1) {
        for (size_t job = 0; job < count; job++) {
            tv_buf_clear(&results[job]);
            fn(job, ctx, &results[job]);
            job_done(&pr, count);
        }
        return 0;
    }
    size_t w = (size_t)workers;
    pid_t *pids = tv_xcalloc(w, sizeof *pids);
    struct pollfd *fds = tv_xcalloc(w, sizeof *fds);
    tv_buf *streams = tv_xcalloc(w, sizeof *streams);
    int failed = 0;
    for (size_t i = 0; i < w; i++) {
        int p[2];
        fds[i].fd = -1;
        if (pipe(p) != 0) {
            failed = 1;
            break;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            close(p[0]);
            close(p[1]);
            failed = 1;
            break;
        }
        if (pid == 0) {
            /* The worker needs none of the parent's bookkeeping. */
            close(p[0]);
            for (size_t k = 0; k < i; k++)
                close(fds[k].fd);
            free(pids);
            free(fds);
            free(streams);
            worker(p[1], i, w, count, fn, ctx);
        }
        close(p[1]);
        pids[i] = pid;
        fds[i].fd = p[0];
        fds[i].events = POLLIN;
    }
    size_t open_fds = 0;
    for (size_t i = 0; i < w; i++)
        open_fds += fds[i].fd >= 0;
    char chunk[1 << 16];
    while (open_fds > 0) {
        if (poll(fds, (nfds_t)w, -1) < 0) {
            if (errno == EINTR)
                continue;
            failed = 1;
            break;
        }
        for (size_t i = 0; i < w; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
                continue;
            }
            tv_buf_append(&streams[i], chunk, (size_t)n);
            take_records(&streams[i], count, results, &pr);
        }
    }
    for (size_t i = 0; i < w; i++) {
        if (fds[i].fd >= 0)
            close(fds[i].fd);
        int status;
        if (pids[i] > 0 && (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
                            WEXITSTATUS(status) != 0))
            failed = 1;
        if (streams[i].len)
            failed = 1;
        tv_buf_free(&streams[i]);
    }
    free(streams);
    free(pids);
    free(fds);
    return failed ? -1 : 0;
}
