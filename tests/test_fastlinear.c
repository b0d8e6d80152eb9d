/* test_fastlinear.c - the collapsed linear path agrees with libsvm's own
 * svm_predict_probability: identical labels, probabilities within 1e-6,
 * on every paragraph of the corpus, for the shipped model and for one with
 * two labels.  TV_TEST_STRIDE=k checks every k-th paragraph only (for
 * valgrind, which runs libsvm's path about fifty times slower). */
#include "testutil.h"

#include <glob.h>
#include <math.h>

static size_t test_stride(void)
{
    const char *env = getenv("TV_TEST_STRIDE");
    return env && atoi(env) > 0 ? (size_t)atoi(env) : 1;
}

static size_t compare(const char *model_dir, const char *const *heads, size_t nheads,
                      double *worst)
{
    tv_model *m;
    tv_error err;
    if (tv_model_load(model_dir, &m, &err) != TV_OK)
        fail_msg("%s: %s", err.file, err.message);
    tv_dataset *d = tv_dataset_new(heads, nheads, 0);
    glob_t g;
    assert_int_equal(glob("training/corpus/*.jsonl", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++)
        assert_int_equal(tv_dataset_read(d, g.gl_pathv[i], NULL, NULL, &err), TV_OK);
    globfree(&g);
    tv_worker *fast = tv_worker_new(m), *slow = tv_worker_new(m);
    tv_worker_use_libsvm(slow, 1);
    size_t n = tv_dataset_size(d);
    size_t stride = test_stride();
    *worst = 0.0;
    for (size_t i = 0; i < n; i += stride) {
        size_t len;
        const char *text = tv_dataset_text(d, i, &len);
        tv_result a, b;
        tv_classify(fast, text, len, &a);
        tv_classify(slow, text, len, &b);
        for (size_t h = 0; h < a.head_count; h++) {
            if (a.heads[h].label != b.heads[h].label)
                fail_msg("example %zu head %zu: label %zu vs libsvm %zu", i, h, a.heads[h].label,
                         b.heads[h].label);
            for (size_t l = 0; l < tv_model_label_count(m, h); l++) {
                double diff = fabs(a.heads[h].probs[l] - b.heads[h].probs[l]);
                if (diff > *worst)
                    *worst = diff;
            }
        }
    }
    tv_worker_free(&fast);
    tv_worker_free(&slow);
    tv_dataset_free(&d);
    tv_model_free(&m);
    return (n + stride - 1) / stride;
}

static void test_default_model_matches_libsvm(void **state)
{
    (void)state;
    const char *heads[] = {"stance", "topic"};
    double worst;
    size_t n = compare("models/default", heads, 2, &worst);
    assert_true(n >= 3000 / test_stride());
    printf("# %zu paragraphs, largest probability difference %.3g\n", n, worst);
    assert_true(worst < 1e-6);
}

static void test_two_label_model_matches_libsvm(void **state)
{
    (void)state;
    /* Two labels take libsvm's binary branch (no coupling). */
    char *dir = tu_mkdtemp();
    char *model = tu_path(dir, "m");
    char *data = tu_path(dir, "d.jsonl");
    char *cmd;
    if (asprintf(&cmd,
                 "sed -e 's/\"stance\": \"asserts\"/\"tie\": \"yes\"/' "
                 "-e 's/\"stance\": \"[a-z]*\"/\"tie\": \"no\"/' tests/fixtures/train.jsonl > '%s'",
                 data) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
    tu_run r = tu_tiesvm(NULL, "train --data '%s' --heads tie --out '%s'", data, model);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    const char *heads[] = {"tie"};
    double worst;
    compare(model, heads, 1, &worst);
    assert_true(worst < 1e-6);
    tu_rmrf(dir);
    free(dir);
    free(model);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_model_matches_libsvm),
        cmocka_unit_test(test_two_label_model_matches_libsvm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
