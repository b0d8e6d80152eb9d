/*
 * ceiling.c - the throughput ceiling of any bag-of-words pipeline: read the
 * bytes, split them into words at non-alphanumeric ASCII bytes, hash each
 * word.  Prints MB/s.  usage: ceiling FILE
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ceiling FILE\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static unsigned char buf[1 << 20];
    double start = now();
    uint64_t total = 0, words = 0, sink = 0, h = 1469598103934665603ULL;
    int in_word = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        total += n;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            int alnum = (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u || c >= 0x80;
            if (alnum) {
                h = (h ^ (c | 32)) * 1099511628211ULL;
                in_word = 1;
            } else if (in_word) {
                sink ^= h;
                words++;
                h = 1469598103934665603ULL;
                in_word = 0;
            }
        }
    }
    fclose(f);
    double secs = now() - start;
    printf("%.1f\n", (double)total / 1048576.0 / secs);
    fprintf(stderr, "ceiling: %llu words, %.1f MB in %.3f s (checksum %llx)\n",
            (unsigned long long)words, (double)total / 1048576.0, secs,
            (unsigned long long)sink);
    return 0;
}
