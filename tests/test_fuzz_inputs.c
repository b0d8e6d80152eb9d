/* test_fuzz_inputs.c - replays every saved fuzz input (the seed corpora in
 * tests/fuzz/corpus/ and each crash the fuzzers ever found, kept in
 * tests/fuzz/regressions/) through the same targets, so they stay fixed. */
#include "testutil.h"

#include <dirent.h>

#include "fuzz/targets.h"

typedef void (*target_fn)(const uint8_t *, size_t);

static size_t replay(const char *dir, target_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = tu_path(dir, e->d_name);
        size_t len = 0;
        char *data = tu_read(path, &len);
        assert_non_null(data);
        fn((const uint8_t *)data, len);
        free(data);
        free(path);
        n++;
    }
    closedir(d);
    return n;
}

static void run(const char *name, target_fn fn, size_t min_inputs)
{
    char *corpus, *regressions;
    if (asprintf(&corpus, "tests/fuzz/corpus/%s", name) < 0 ||
        asprintf(&regressions, "tests/fuzz/regressions/%s", name) < 0)
        abort();
    size_t n = replay(corpus, fn) + replay(regressions, fn);
    assert_true(n >= min_inputs);
    free(corpus);
    free(regressions);
}

static void test_text(void **state) { (void)state; run("text", fuzz_text, 2); }
static void test_jsonl(void **state) { (void)state; run("jsonl", fuzz_jsonl, 2); }
static void test_dataset(void **state) { (void)state; run("dataset", fuzz_dataset, 2); }
static void test_svm_model(void **state) { (void)state; run("svm_model", fuzz_svm_model, 1); }

int main(void)
{
    fuzz_setup();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_dataset),
        cmocka_unit_test(test_svm_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
