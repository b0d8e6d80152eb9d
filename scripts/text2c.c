/*
 * text2c.c - build-time helper: writes a file's bytes as a C array, so a
 * text file (the review page) can be compiled into the tiesvm binary
 * without xxd.
 *
 *   text2c NAME INPUT > OUTPUT.h
 *
 * defines  static const char NAME[]   (the bytes plus a closing NUL) and
 *          static const size_t NAME_LEN (the byte count, NUL excluded).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: text2c NAME INPUT > OUTPUT.h\n", stderr);
        return 1;
    }
    const char *name = argv[1], *input = argv[2];
    FILE *in = fopen(input, "rb");
    if (!in) {
        perror(input);
        return 1;
    }
    printf("/* Generated from %s by scripts/text2c.c; do not edit. */\n", input);
    printf("static const char %s[] = {\n", name);
    unsigned long count = 0;
    int c;
    while ((c = getc(in)) != EOF) {
        printf("0x%02x,%s", (unsigned)c, ++count % 16 == 0 ? "\n" : "");
    }
    int read_failed = ferror(in);
    fclose(in);
    if (read_failed) {
        perror(input);
        return 1;
    }
    printf("0x00};\nstatic const size_t %s_LEN = %lu;\n", name, count);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
