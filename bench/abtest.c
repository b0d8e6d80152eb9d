/*
 * abtest.c - in-process A/B of the two ways to predict a linear head: the
 * collapsed weight vectors (tiesvm's default) against libsvm's own
 * svm_predict_probability over the support vectors, on the same paragraphs.
 * usage: abtest MODEL_DIR PARAGRAPHS.txt MEGABYTES
 * Prints "fast_MBps libsvm_MBps" for the first MEGABYTES of the file.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tiesvm.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(tv_worker *w, char **lines, size_t *lens, size_t n, double *checksum)
{
    double start = now();
    for (size_t i = 0; i < n; i++) {
        tv_result r;
        tv_classify(w, lines[i], lens[i], &r);
        for (size_t h = 0; h < r.head_count; h++)
            *checksum += r.heads[h].probs[r.heads[h].label];
    }
    return now() - start;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: abtest MODEL_DIR PARAGRAPHS.txt MEGABYTES\n");
        return 1;
    }
    tv_model *m;
    tv_error err;
    if (tv_model_load(argv[1], &m, &err) != TV_OK) {
        fprintf(stderr, "abtest: %s: %s\n", err.file, err.message);
        return 1;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t limit = (size_t)(atof(argv[3]) * 1048576), bytes = 0, n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof *lines);
    size_t *lens = malloc(cap * sizeof *lens);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while (bytes < limit && (got = getline(&line, &lcap, f)) > 0) {
        if (n == cap) {
            cap *= 2;
            char **more_lines = realloc(lines, cap * sizeof *lines);
            size_t *more_lens = realloc(lens, cap * sizeof *lens);
            if (!more_lines || !more_lens) {
                fprintf(stderr, "abtest: out of memory\n");
                return 1;
            }
            lines = more_lines;
            lens = more_lens;
        }
        lines[n] = strndup(line, (size_t)got);
        lens[n] = (size_t)got;
        bytes += (size_t)got;
        n++;
    }
    free(line);
    fclose(f);
    tv_worker *fast = tv_worker_new(m), *slow = tv_worker_new(m);
    tv_worker_use_libsvm(slow, 1);
    double c1 = 0, c2 = 0;
    double t_fast = run(fast, lines, lens, n, &c1);
    double t_slow = run(slow, lines, lens, n, &c2);
    double mb = (double)bytes / 1048576.0;
    printf("%.2f %.3f\n", mb / t_fast, mb / t_slow);
    fprintf(stderr, "abtest: %zu paragraphs, %.1f MB: fast %.3f s, libsvm %.3f s (checksums %.6f %.6f)\n",
            n, mb, t_fast, t_slow, c1, c2);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(lens);
    tv_worker_free(&fast);
    tv_worker_free(&slow);
    tv_model_free(&m);
    return 0;
}
