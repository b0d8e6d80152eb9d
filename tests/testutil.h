/*
 * testutil.h - helpers shared by the cmocka tests: temporary directories,
 * whole-file reading, and running the tiesvm binary with its output and
 * exit status captured.  Tests run from the repository root; $TIESVM names
 * the binary (default ./tiesvm; the valgrind target prefixes it).
 */
#ifndef TV_TESTUTIL_H
#define TV_TESTUTIL_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tiesvm.h"

/* Deterministic pseudo-random numbers (xorshift64) from the state given. */
static inline uint32_t tu_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state >> 32);
}

/* A fresh directory under $TMPDIR (or /tmp); the caller frees the string. */
static inline char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char *path;
    if (asprintf(&path, "%s/tiesvm-test-XXXXXX", base && base[0] ? base : "/tmp") < 0)
        abort();
    if (!mkdtemp(path))
        abort();
    return path;
}

static inline void tu_rmrf(const char *path)
{
    char *cmd;
    if (asprintf(&cmd, "rm -rf '%s'", path) < 0)
        abort();
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
    free(cmd);
}

/* Whole file as a NUL-terminated string (NULL if unreadable). */
static inline char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    if (len)
        *len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (!bigger)
                abort();
            buf = bigger;
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline void tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline char *tu_path(const char *dir, const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    return p;
}

typedef struct tu_run {
    int status;   /* exit status, or -1 if it did not exit normally */
    char *out;
    size_t out_len;
    char *err;
} tu_run;

/* Runs "$TIESVM ARGS" through sh, stdin from in_file (or /dev/null). */
static inline tu_run tu_tiesvm(const char *in_file, const char *fmt, ...)
{
    const char *bin = getenv("TIESVM");
    if (!bin || !bin[0])
        bin = "./tiesvm";
    va_list ap;
    va_start(ap, fmt);
    char *args;
    if (vasprintf(&args, fmt, ap) < 0)
        abort();
    va_end(ap);
    char *dir = tu_mkdtemp();
    char *out = tu_path(dir, "out"), *err = tu_path(dir, "err");
    char *cmd;
    if (asprintf(&cmd, "%s %s <'%s' >'%s' 2>'%s'", bin, args, in_file ? in_file : "/dev/null",
                 out, err) < 0)
        abort();
    int rc = system(cmd);
    tu_run r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = tu_read(out, &r.out_len);
    r.err = tu_read(err, NULL);
    tu_rmrf(dir);
    free(dir);
    free(out);
    free(err);
    free(cmd);
    free(args);
    return r;
}

static inline void tu_run_free(tu_run *r)
{
    free(r->out);
    free(r->err);
}

/* Number of lines (records) in a string. */
static inline size_t tu_count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* Trains the fixture model into dir with the library; fails the test on error. */
static inline void tu_train_fixture_jobs(const char *dir, uint64_t seed, int workers)
{
    const char *heads[] = {"stance", "topic"};
    tv_dataset *data = tv_dataset_new(heads, 2, 1);
    tv_error err;
    assert_int_equal(tv_dataset_read(data, "tests/fixtures/train.jsonl", NULL, NULL, &err), TV_OK);
    tv_train_options opts;
    tv_train_options_init(&opts);
    opts.actors_path = "models/actors.tsv";
    opts.seed = seed;
    opts.workers = workers;
    tv_status st = tv_train(data, &opts, dir, &err);
    if (st != TV_OK)
        fail_msg("training failed: %s", err.message);
    tv_dataset_free(&data);
}

static inline void tu_train_fixture(const char *dir, uint64_t seed)
{
    tu_train_fixture_jobs(dir, seed, 0);
}

#endif
