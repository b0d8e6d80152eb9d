/* test_model_damage.c - a corpus of damaged models: every one is refused
 * with TV_ERR_MODEL naming the damaged file, or (for harmless bit flips)
 * loads and classifies; none crashes.  Damaged files get their manifest
 * checksum updated, so the damage reaches the loader's own checks rather
 * than stopping at the SHA-256 comparison. */
#include "testutil.h"

#include <jansson.h>

static char *base, *good, *work;

static int setup(void **state)
{
    (void)state;
    base = tu_mkdtemp();
    good = tu_path(base, "good");
    work = tu_path(base, "work");
    tu_train_fixture(good, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(base);
    free(base);
    free(good);
    free(work);
    return 0;
}

/* Copies the good model to work, replaces file name with data, and
 * updates its digest in the manifest. */
static void damage(const char *name, const char *data, size_t len)
{
    char *cmd;
    if (asprintf(&cmd, "rm -rf '%s' && cp -r '%s' '%s'", work, good, work) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *path = tu_path(work, name);
    tu_write(path, data, len);
    free(path);
    char *mpath = tu_path(work, "manifest.json");
    json_t *m = json_load_file(mpath, 0, NULL);
    assert_non_null(m);
    char hex[65];
    tv_sha256_hex(data, len, hex);
    json_object_set_new(json_object_get(m, "files"), name, json_string(hex));
    assert_int_equal(json_dump_file(m, mpath, JSON_INDENT(2)), 0);
    json_decref(m);
    free(mpath);
}

/* Loads work: refused naming the file, or (if allowed) loaded and usable. */
static void expect(const char *name, int may_load)
{
    tv_model *m = NULL;
    tv_error err;
    tv_status st = tv_model_load(work, &m, &err);
    if (st == TV_OK) {
        if (!may_load)
            fail_msg("damaged %s was accepted", name);
        tv_worker *w = tv_worker_new(m);
        tv_result r;
        tv_classify(w, "Tehran hosted al-Qaeda.", 23, &r);
        tv_worker_free(&w);
        tv_model_free(&m);
        return;
    }
    assert_int_equal(st, TV_ERR_MODEL);
    assert_null(m);
    /* Damage to one file can show up as an inconsistency in another (a
     * shorter vocabulary makes a head's features out of range): the error
     * must name a file of the model and say what is wrong. */
    if (strncmp(err.file, work, strlen(work)) != 0 || !err.message[0])
        fail_msg("error for damaged %s names \"%s\": %s", name, err.file, err.message);
}

static char *good_file(const char *name, size_t *len)
{
    char *path = tu_path(good, name);
    char *data = tu_read(path, len);
    assert_non_null(data);
    free(path);
    return data;
}

/* Replaces the first occurrence of from with to in a copy of data. */
static char *replaced(const char *data, const char *from, const char *to, size_t *len)
{
    const char *at = strstr(data, from);
    assert_non_null(at);
    size_t pre = (size_t)(at - data), fl = strlen(from), tl = strlen(to), rest = strlen(at + fl);
    char *out = malloc(pre + tl + rest + 1);
    memcpy(out, data, pre);
    memcpy(out + pre, to, tl);
    memcpy(out + pre + tl, at + fl, rest + 1);
    *len = pre + tl + rest;
    return out;
}

static void test_crafted_headers(void **state)
{
    (void)state;
    size_t len;
    char *svm = good_file("head-0.svm", &len);
    const char *cases[][2] = {
        {"nr_class 3", "nr_class 1000000"},
        {"nr_class 3", "nr_class 1"},
        {"nr_class 3", "nr_class -3"},
        {"total_sv ", "total_sv 99999999999"},
        {"label 0 1 2", "label 0 1 7"},
        {"label 0 1 2", "label 0 0 2"},
        {"label 0 1 2", "label 0 1"},
        {"kernel_type linear", "kernel_type precomputed"},
        {"kernel_type linear", "kernel_type poly"},
        {"svm_type c_svc", "svm_type nu_svc"},
        {"rho ", "rho nan "},
        {"rho ", "rho inf "},
        {"probA ", "probA 1e999 "},
        {"nr_sv ", "nr_sv 1 "},
        {"SV\n", "SV\n1 1 1:nan\n"},
        {"svm_type", "colour blue\nsvm_type"},
        {"rho ", "rho_extra "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t dl;
        char *d = replaced(svm, cases[i][0], cases[i][1], &dl);
        damage("head-0.svm", d, dl);
        expect("head-0.svm", 0);
        free(d);
    }
    free(svm);
}

static void test_bad_support_vectors(void **state)
{
    (void)state;
    size_t len;
    char *svm = good_file("head-0.svm", &len);
    /* The first support vector line follows "SV\n". */
    const char *sv = strstr(svm, "SV\n") + 3;
    const char *eol = strchr(sv, '\n');
    char first[4096];
    snprintf(first, sizeof first, "%.*s", (int)(eol - sv), sv);
    const char *bad_lines[] = {
        "0.5 0.5 0:1\n",          /* index 0 */
        "0.5 0.5 -4:1\n",         /* negative index */
        "0.5 0.5 99999999:1\n",   /* beyond the vocabulary */
        "0.5 0.5 5:1 3:1\n",      /* not increasing */
        "0.5 0.5 5:1 5:1\n",      /* repeated */
        "0.5 0.5 5:x\n",          /* not a number */
        "0.5 nan 5:1\n",          /* non-finite coefficient */
        "0.5\n",                  /* too few coefficients */
        "0.5 0.5 5\n",            /* index without value */
    };
    for (size_t i = 0; i < sizeof bad_lines / sizeof *bad_lines; i++) {
        char line[4200];
        snprintf(line, sizeof line, "%s\n", first);
        size_t dl;
        char *d = replaced(svm, line, bad_lines[i], &dl);
        damage("head-0.svm", d, dl);
        expect("head-0.svm", 0);
        free(d);
    }
    /* Trailing garbage, and one support vector too many. */
    size_t dl = len + 16;
    char *d = malloc(dl + 1);
    memcpy(d, svm, len);
    memcpy(d + len, "garbage here!!\n\n", 16);
    damage("head-0.svm", d, dl);
    expect("head-0.svm", 0);
    free(d);
    free(svm);
}

static void test_truncations(void **state)
{
    (void)state;
    const char *files[] = {"head-0.svm", "head-1.svm", "vocab.tsv", "actors.tsv"};
    for (size_t f = 0; f < 4; f++) {
        size_t len;
        char *data = good_file(files[f], &len);
        size_t cuts[] = {0, 1, len / 7, len / 3, len / 2, len - 3};
        for (size_t c = 0; c < 6; c++) {
            damage(files[f], data, cuts[c]);
            /* A cut table may still parse (it just lists fewer actors). */
            expect(files[f], strcmp(files[f], "actors.tsv") == 0);
        }
        free(data);
    }
}

static void test_random_bit_flips(void **state)
{
    (void)state;
    const char *files[] = {"head-0.svm", "head-1.svm", "vocab.tsv", "actors.tsv"};
    uint64_t x = 88172645463325252ULL;
    for (size_t f = 0; f < 4; f++) {
        size_t len;
        char *data = good_file(files[f], &len);
        for (int round = 0; round < 100; round++) {
            char *d = malloc(len);
            memcpy(d, data, len);
            for (int k = 0; k < 3; k++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                d[x % len] ^= (char)(1u << (x >> 40) % 8);
            }
            damage(files[f], d, len);
            expect(files[f], 1); /* refused or harmless; never a crash */
            free(d);
        }
        free(data);
    }
}

static void test_binary_and_missing(void **state)
{
    (void)state;
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 131 + 7);
    damage("head-1.svm", junk, sizeof junk);
    expect("head-1.svm", 0);
    damage("vocab.tsv", junk, sizeof junk);
    expect("vocab.tsv", 0);
    /* A file listed in the manifest but missing. */
    damage("head-0.svm", "x", 1);
    char *path = tu_path(work, "head-0.svm");
    unlink(path);
    free(path);
    expect("head-0.svm", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted_headers),
        cmocka_unit_test(test_bad_support_vectors),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_random_bit_flips),
        cmocka_unit_test(test_binary_and_missing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
