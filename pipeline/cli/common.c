/*
 * common.c - helpers shared by the tiesvm commands (see cli.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef TIESVM_DATADIR
#define TIESVM_DATADIR "/usr/local/share/tiesvm"
#endif

void cli_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tiesvm: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_error(const tv_error *err)
{
    char text[2200];
    cli_message("%s", tv_error_text(err, text, sizeof text));
}

void cli_error_cb(void *ctx, const tv_error *err)
{
    size_t *count = ctx;
    if (count) {
        (*count)++;
        if (*count == 51)
            cli_message("(more errors follow; only the first 50 are shown)");
        if (*count > 50)
            return;
    }
    cli_error(err);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Directory of the running executable, or "" if unknown. */
static void exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) {
        buf[0] = '\0';
        return;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
}

static const char *find_data(const char *option, const char *env, const char *rel,
                             int want_dir, char *buf, size_t size)
{
    if (option)
        return option;
    const char *e = env ? getenv(env) : NULL;
    if (e && e[0])
        return e;
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    if (dir[0]) {
        /* The source tree (models/ beside the binary), then an installed
         * tree moved as a whole (PREFIX/bin and PREFIX/share/tiesvm). */
        snprintf(buf, size, "%s/models/%s", dir, rel);
        if (want_dir ? is_dir(buf) : is_file(buf))
            return buf;
        snprintf(buf, size, "%s/../share/tiesvm/models/%s", dir, rel);
        if (want_dir ? is_dir(buf) : is_file(buf))
            return buf;
    }
    snprintf(buf, size, "%s/models/%s", TIESVM_DATADIR, rel);
    return buf;
}

const char *cli_default_model(const char *option, char *buf, size_t size)
{
    return find_data(option, "TIESVM_MODEL", "default", 1, buf, size);
}

const char *cli_default_actors(const char *option, char *buf, size_t size)
{
    return find_data(option, NULL, "actors.tsv", 0, buf, size);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_path(char ***list, size_t *count, char *path)
{
    *list = realloc(*list, (*count + 1) * sizeof **list);
    if (!*list || !path)
        abort();
    (*list)[(*count)++] = path;
}

void cli_add_data_path(const char *path, char ***list, size_t *count)
{
    DIR *d = is_dir(path) ? opendir(path) : NULL;
    if (!d) {
        push_path(list, count, strdup(path));
        return;
    }
    size_t first = *count;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n <= 6 || strcmp(e->d_name + n - 6, ".jsonl") != 0)
            continue;
        char *full;
        if (asprintf(&full, "%s/%s", path, e->d_name) < 0)
            abort();
        push_path(list, count, full);
    }
    closedir(d);
    qsort(*list + first, *count - first, sizeof **list, cmp_names);
}

const char *cli_default_cues(const char *option, char *buf, size_t size)
{
    return find_data(option, NULL, "cues.tsv", 0, buf, size);
}

char **cli_split(const char *list, size_t *count)
{
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    char **out = calloc(n, sizeof *out);
    if (!out)
        abort();
    size_t k = 0;
    const char *start = list;
    for (const char *p = list;; p++) {
        if (*p == ',' || *p == '\0') {
            size_t len = (size_t)(p - start);
            if (len) {
                out[k] = strndup(start, len);
                if (!out[k])
                    abort();
                k++;
            }
            if (!*p)
                break;
            start = p + 1;
        }
    }
    *count = k;
    return out;
}

void cli_free_list(char **list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(list[i]);
    free(list);
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static char cleanup_path[PATH_MAX];
static int cleanup_is_dir;

/* Only async-signal-safe calls here: unlink, rmdir, _exit. */
static void on_signal(int sig)
{
    if (cleanup_path[0] && !cleanup_is_dir) {
        unlink(cleanup_path);
    } else if (cleanup_path[0]) {
        static const char *const names[] = {"manifest.json", "vocab.tsv", "actors.tsv",
                                            "cues.tsv", NULL};
        char path[PATH_MAX + 32];
        size_t base = strlen(cleanup_path);
        memcpy(path, cleanup_path, base);
        path[base] = '/';
        for (size_t i = 0; names[i]; i++) {
            size_t n = strlen(names[i]);
            memcpy(path + base + 1, names[i], n + 1);
            unlink(path);
        }
        for (int h = 0; h < 32; h++) {
            /* head-N.svm */
            char *p = path + base + 1;
            memcpy(p, "head-", 5);
            p += 5;
            if (h >= 10)
                *p++ = (char)('0' + h / 10);
            *p++ = (char)('0' + h % 10);
            memcpy(p, ".svm", 5);
            unlink(path);
        }
        rmdir(cleanup_path);
    }
    _exit(128 + sig);
}

void cli_cleanup_on_signal(const char *path, int is_dir)
{
    snprintf(cleanup_path, sizeof cleanup_path, "%s", path);
    cleanup_is_dir = is_dir;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_write_stdout(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int cli_finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_message("error writing output: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int cli_output_open(cli_output *out, const char *path)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->f = stdout;
        return 0;
    }
    out->path = path;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or pipe: renaming over it would replace it. */
        out->f = fopen(path, "wb");
        if (!out->f) {
            cli_message("%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (asprintf(&out->tmp, "%s.tmp-XXXXXX", path) < 0)
        abort();
    int fd = mkstemp(out->tmp);
    if (fd >= 0) {
        cli_cleanup_on_signal(out->tmp, 0);
        /* mkstemp makes the file private; the output is an ordinary file. */
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) == 0)
            out->f = fdopen(fd, "wb");
    }
    if (!out->f) {
        cli_message("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(out->tmp);
        }
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    return 0;
}

int cli_output_close(cli_output *out, int ok)
{
    if (!out->path)
        return cli_finish_stdout() == 0 && ok ? 0 : -1;
    int failed = fflush(out->f) != 0 || ferror(out->f);
    if (out->tmp)
        failed |= fsync(fileno(out->f)) != 0;
    failed |= fclose(out->f) != 0;
    if (out->tmp && ok && !failed && rename(out->tmp, out->path) != 0)
        failed = 1;
    if (failed)
        cli_message("%s: cannot write output: %s", out->path, strerror(errno));
    if (out->tmp && (failed || !ok))
        unlink(out->tmp);
    free(out->tmp);
    out->tmp = NULL;
    return failed || !ok ? -1 : 0;
}
