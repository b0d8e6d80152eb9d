/*
 * progress.c - progress lines on stderr for long runs: shown when stderr is
 * a terminal (or with --progress), never with --quiet, at most a few times
 * a second.  Nothing goes to stdout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, int mode)
{
    memset(p, 0, sizeof *p);
    p->terminal = isatty(STDERR_FILENO);
    p->on = mode == CLI_PROGRESS_ALWAYS || (mode == CLI_PROGRESS_AUTO && p->terminal);
    p->started = now_seconds();
}

/* Prints one progress line: rewritten in place on a terminal, one line per
 * update otherwise.  final forces it out and ends the line. */
static void show(cli_progress *p, int final, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void show(cli_progress *p, int final, const char *fmt, ...)
{
    double t = now_seconds();
    if (!p->on || (!final && t - p->last < 0.5))
        return;
    p->last = t;
    va_list ap;
    va_start(ap, fmt);
    if (p->terminal)
        fputs("\r\033[K", stderr);
    fputs("tiesvm: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (!p->terminal || final)
        fputc('\n', stderr);
    fflush(stderr);
    p->shown = 1;
}

void cli_progress_classify(void *ctx, const tv_classify_stats *stats)
{
    cli_progress *p = ctx;
    double elapsed = now_seconds() - p->started;
    double mb = (double)stats->bytes / 1e6;
    double rate = elapsed > 0 ? mb / elapsed : 0;
    char eta[48] = "";
    if (p->total_bytes > 0 && rate > 0 && stats->bytes < p->total_bytes) {
        double left = ((double)p->total_bytes - (double)stats->bytes) / 1e6 / rate;
        snprintf(eta, sizeof eta, ", ETA %.0f s", left);
    }
    show(p, 0, "%zu documents, %zu paragraphs, %.1f MB, %.1f MB/s%s", stats->documents,
         stats->paragraphs, mb, rate, eta);
    p->classify_stats = *stats;
    p->have_stats = 1;
}

void cli_progress_train(void *ctx, const char *stage, size_t done, size_t total)
{
    cli_progress *p = ctx;
    show(p, done == total && strcmp(stage, "training") == 0, "%s: %zu of %zu fits (%.0f s)",
         stage, done, total, now_seconds() - p->started);
}

void cli_progress_finish(cli_progress *p)
{
    if (!p->on || !p->have_stats)
        return;
    const tv_classify_stats *s = &p->classify_stats;
    double elapsed = now_seconds() - p->started;
    show(p, 1, "%zu documents, %zu paragraphs, %.1f MB in %.1f s", s->documents, s->paragraphs,
         (double)s->bytes / 1e6, elapsed);
}

/* Bytes of the input files under path (the reader's choice of files). */
static uint64_t path_bytes(const char *path, const char *suffix, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    DIR *d = depth < 64 ? opendir(path) : NULL;
    if (!d)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(e->d_name), s = strlen(suffix);
        char sub[4096];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
            continue;
        struct stat es;
        if (stat(sub, &es) != 0)
            continue;
        if (S_ISDIR(es.st_mode))
            total += path_bytes(sub, suffix, depth + 1);
        else if (S_ISREG(es.st_mode) && n > s && strcmp(e->d_name + n - s, suffix) == 0)
            total += (uint64_t)es.st_size;
    }
    closedir(d);
    return total;
}

uint64_t cli_input_bytes(char *const *paths, size_t count, const char *suffix)
{
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(paths[i], "-") == 0)
            return 0; /* stdin: size unknown */
        total += path_bytes(paths[i], suffix, 0);
    }
    return total;
}
