/* test_model.c - training, saving and loading models through the library:
 * deterministic files, round trip, damaged models, bad training data,
 * grouped cross-validation folds. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

static char *dir_a, *dir_b, *model_a;

static int setup(void **state)
{
    (void)state;
    char *base = tu_mkdtemp();
    dir_a = tu_path(base, "a");
    dir_b = tu_path(base, "b");
    model_a = base;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(model_a);
    free(model_a);
    free(dir_a);
    free(dir_b);
    return 0;
}

static void test_same_seed_same_files(void **state)
{
    (void)state;
    /* Same seed, different numbers of training processes: same bytes. */
    tu_train_fixture_jobs(dir_a, 3, 1);
    tu_train_fixture_jobs(dir_b, 3, 3);
    const char *files[] = {"manifest.json", "vocab.tsv", "actors.tsv", "head-0.svm", "head-1.svm"};
    for (size_t i = 0; i < 5; i++) {
        char *pa = tu_path(dir_a, files[i]), *pb = tu_path(dir_b, files[i]);
        size_t la, lb;
        char *a = tu_read(pa, &la), *b = tu_read(pb, &lb);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
        free(pa);
        free(pb);
    }
}

static void test_load_and_classify(void **state)
{
    (void)state;
    tv_model *m;
    tv_error err;
    assert_int_equal(tv_model_load(dir_a, &m, &err), TV_OK);
    assert_int_equal(tv_model_head_count(m), 2);
    assert_string_equal(tv_model_head_name(m, 0), "stance");
    assert_string_equal(tv_model_head_name(m, 1), "topic");
    assert_int_equal(tv_model_label_count(m, 0), 3);
    assert_string_equal(tv_model_label_name(m, 0, 0), "asserts");
    assert_string_equal(tv_model_label_name(m, 0, 2), "neutral");
    assert_string_equal(tv_model_label_name(m, 1, 4), "taliban-isis");
    assert_int_equal(tv_model_find_head(m, "topic"), 1);
    assert_int_equal(tv_model_find_head(m, "nope"), (size_t)-1);
    assert_int_equal(strncmp(tv_model_id(m), "tv1-", 4), 0);
    assert_non_null(strstr(tv_model_manifest_json(m), tv_model_id(m)));

    tv_worker *w = tv_worker_new(m);
    const char *text = "Since 2015 the Taliban and the Khorasan Province have fought for control "
                       "of Nangarhar.";
    tv_result r;
    tv_classify(w, text, strlen(text), &r);
    assert_int_equal(r.head_count, 2);
    for (size_t h = 0; h < 2; h++) {
        double sum = 0;
        for (size_t l = 0; l < tv_model_label_count(m, h); l++) {
            sum += r.heads[h].probs[l];
            assert_true(r.heads[h].probs[l] <= r.heads[h].probs[r.heads[h].label]);
        }
        assert_true(fabs(sum - 1.0) < 1e-6);
    }
    assert_string_equal(tv_model_label_name(m, 1, r.heads[1].label), "taliban-isis");
    assert_int_equal(r.actor_count, 2);
    assert_string_equal(r.actors[0], "isis");
    assert_string_equal(r.actors[1], "taliban");
    /* Same text twice: the same numbers (scratch state does not leak). */
    double first = r.heads[0].probs[0];
    tv_classify(w, "Skip to content", 15, &r);
    tv_classify(w, text, strlen(text), &r);
    assert_true(r.heads[0].probs[0] == first);
    tv_worker_free(&w);
    assert_null(w);
    tv_model_free(&m);
    assert_null(m);
    tv_model_free(NULL);
}

static void copy_model(const char *from, const char *to)
{
    char *cmd;
    if (asprintf(&cmd, "rm -rf '%s' && cp -r '%s' '%s'", to, from, to) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static void test_damaged_models(void **state)
{
    (void)state;
    tv_model *m;
    tv_error err;
    /* A flipped byte in a head file. */
    copy_model(dir_a, dir_b);
    char *head = tu_path(dir_b, "head-1.svm");
    size_t len = 0;
    char *data = tu_read(head, &len);
    data[len / 2] ^= 0x20;
    tu_write(head, data, len);
    free(data);
    assert_int_equal(tv_model_load(dir_b, &m, &err), TV_ERR_MODEL);
    assert_null(m);
    assert_string_equal(err.file, head);
    assert_non_null(strstr(err.message, "checksum"));
    free(head);
    /* A truncated vocabulary. */
    copy_model(dir_a, dir_b);
    char *vocab = tu_path(dir_b, "vocab.tsv");
    data = tu_read(vocab, &len);
    tu_write(vocab, data, len / 2);
    free(data);
    assert_int_equal(tv_model_load(dir_b, &m, &err), TV_ERR_MODEL);
    free(vocab);
    /* An unknown format version. */
    copy_model(dir_a, dir_b);
    char *manifest = tu_path(dir_b, "manifest.json");
    data = tu_read(manifest, &len);
    char *v = strstr(data, "\"format_version\": 1");
    assert_non_null(v);
    v[18] = '9';
    tu_write(manifest, data, len);
    free(data);
    assert_int_equal(tv_model_load(dir_b, &m, &err), TV_ERR_MODEL);
    assert_non_null(strstr(err.message, "not supported"));
    /* Not JSON at all; then no directory. */
    tu_write(manifest, "{ nope", 6);
    assert_int_equal(tv_model_load(dir_b, &m, &err), TV_ERR_MODEL);
    assert_non_null(strstr(err.message, "malformed manifest"));
    free(manifest);
    assert_int_equal(tv_model_load("/nonexistent/model", &m, &err), TV_ERR_MODEL);
    assert_non_null(strstr(err.file, "/nonexistent/model"));
}

typedef struct seen_errors {
    long lines[16];
    char messages[16][1024];
    size_t count;
} seen_errors;

static void record_error(void *ctx, const tv_error *err)
{
    seen_errors *s = ctx;
    if (s->count < 16) {
        s->lines[s->count] = err->line;
        memcpy(s->messages[s->count], err->message, sizeof err->message);
        s->count++;
    }
}

static void test_bad_training_lines(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_path(dir, "bad.jsonl");
    const char *lines =
        "{\"text\": \"ok one\", \"stance\": \"a\", \"topic\": \"x\"}\n"  /* 1 */
        "{\"text\": \"broken\", \n"                                  /* 2 */
        "[1, 2]\n"                                                   /* 3 */
        "{\"stance\": \"a\", \"topic\": \"x\"}\n"                    /* 4 */
        "\n"                                                         /* 5: blank, skipped */
        "{\"text\": \"no topic\", \"stance\": \"a\"}\n"              /* 6 */
        "{\"text\": \"empty\", \"stance\": \"\", \"topic\": \"x\"}\n" /* 7 */
        "{\"text\": \"obj\", \"stance\": {\"label\": \"b\"}, \"topic\": {\"label\": \"y\"}}\n"
        "{\"text\": 5, \"stance\": \"a\", \"topic\": \"x\"}\n";      /* 9 */
    tu_write(path, lines, strlen(lines));
    const char *heads[] = {"stance", "topic"};
    tv_dataset *d = tv_dataset_new(heads, 2, 1);
    seen_errors s = {{0}, {{0}}, 0};
    tv_error err;
    assert_int_not_equal(tv_dataset_read(d, path, record_error, &s, &err), TV_OK);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, path);
    long want[] = {2, 3, 4, 7, 9, 6};
    assert_int_equal(s.count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(s.lines[i], want[i]);
    assert_non_null(strstr(s.messages[0], "malformed JSON"));
    assert_non_null(strstr(s.messages[1], "not a JSON object"));
    assert_non_null(strstr(s.messages[2], "no \"text\""));
    assert_non_null(strstr(s.messages[5], "no label for head \"topic\""));
    /* Only the good lines are kept (line 6, reported for its missing topic,
     * is not), and the object form of a head was read as its label. */
    assert_int_equal(tv_dataset_size(d), 2);
    assert_int_equal(tv_dataset_line(d, 1), 8);
    assert_string_equal(tv_dataset_label(d, 1, 0), "b");
    assert_string_equal(tv_dataset_label(d, 1, 1), "y");
    tv_dataset_free(&d);

    /* A head no line has is reported once, as unknown. */
    const char *one_head[] = {"stnace"};
    d = tv_dataset_new(one_head, 1, 1);
    s.count = 0;
    assert_int_equal(tv_dataset_read(d, "tests/fixtures/train.jsonl", record_error, &s, &err),
                     TV_ERR_DATA);
    assert_int_equal(s.count, 1);
    assert_non_null(strstr(s.messages[0], "unknown head \"stnace\""));
    tv_dataset_free(&d);

    /* An empty file. */
    tu_write(path, "", 0);
    d = tv_dataset_new(heads, 2, 1);
    assert_int_equal(tv_dataset_read(d, path, NULL, NULL, &err), TV_ERR_DATA);
    assert_non_null(strstr(err.message, "no examples"));
    tv_dataset_free(&d);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

static void train_expect(const char *jsonl, const char *out, tv_status want, const char *fragment,
                         long want_line)
{
    char *dir = tu_mkdtemp();
    char *path = tu_path(dir, "d.jsonl");
    tu_write(path, jsonl, strlen(jsonl));
    const char *heads[] = {"stance"};
    tv_dataset *d = tv_dataset_new(heads, 1, 1);
    tv_error err;
    assert_int_equal(tv_dataset_read(d, path, NULL, NULL, &err), TV_OK);
    tv_train_options o;
    tv_train_options_init(&o);
    o.actors_path = "models/actors.tsv";
    o.folds = 2;
    char *target = out ? strdup(out) : tu_path(dir, "model");
    assert_int_equal(tv_train(d, &o, target, &err), want);
    if (!strstr(err.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
    if (want_line)
        assert_int_equal(err.line, want_line);
    struct stat st;
    if (!out)
        assert_int_not_equal(stat(target, &st), 0); /* nothing written */
    tv_dataset_free(&d);
    tu_rmrf(dir);
    free(dir);
    free(path);
    free(target);
}

static void test_training_refusals(void **state)
{
    (void)state;
    train_expect("{\"text\": \"a b\", \"stance\": \"x\"}\n{\"text\": \"b c\", \"stance\": \"x\"}\n",
                 NULL, TV_ERR_DATA, "only one label", 0);
    train_expect("{\"text\": \"a b\", \"stance\": \"x\"}\n{\"text\": \"b c\", \"stance\": \"x\"}\n"
                 "{\"text\": \"c d\", \"stance\": \"y\"}\n",
                 NULL, TV_ERR_DATA, "\"y\" of head \"stance\" has only 1", 3);
    /* An existing directory that is not a model is never replaced. */
    train_expect("{\"text\": \"a b\", \"stance\": \"x\"}\n{\"text\": \"b c\", \"stance\": \"x\"}\n"
                 "{\"text\": \"c d\", \"stance\": \"y\"}\n{\"text\": \"d e\", \"stance\": \"y\"}\n",
                 "tests", TV_ERR_ARG, "not a tiesvm model", 0);
}

/* Cross-validated macro-F1 of a one-head model trained on files a and b
 * with 2 folds, stratified or grouped by file; -1 if training refused. */
static double cv_score(const char *a, const char *b, int grouped, tv_error *err)
{
    char *dir = tu_mkdtemp();
    char *out = tu_path(dir, "model");
    const char *heads[] = {"stance"};
    tv_dataset *d = tv_dataset_new(heads, 1, 1);
    assert_int_equal(tv_dataset_read(d, a, NULL, NULL, err), TV_OK);
    if (b)
        assert_int_equal(tv_dataset_read(d, b, NULL, NULL, err), TV_OK);
    tv_train_options o;
    tv_train_options_init(&o);
    o.actors_path = "models/actors.tsv";
    o.folds = 2;
    o.min_df = 1;
    o.group_folds = grouped;
    static const double one_c[] = {1.0};
    o.c_values = one_c;
    o.c_count = 1;
    double score = -1.0;
    if (tv_train(d, &o, out, err) == TV_OK) {
        tv_model *m;
        assert_int_equal(tv_model_load(out, &m, err), TV_OK);
        json_t *root = json_loads(tv_model_manifest_json(m), 0, NULL);
        assert_non_null(root);
        const char *by = json_string_value(
            json_object_get(json_object_get(root, "training"), "fold_by"));
        assert_string_equal(by, grouped ? "file" : "example");
        json_t *head = json_array_get(json_object_get(root, "heads"), 0);
        score = json_real_value(json_object_get(head, "cv_macro_f1"));
        json_decref(root);
        tv_model_free(&m);
    }
    tv_dataset_free(&d);
    tu_rmrf(dir);
    free(dir);
    free(out);
    return score;
}

static void test_grouped_folds(void **state)
{
    (void)state;
    /* Two sources that say the same labels in different words: shuffled
     * folds see both vocabularies in training and score near perfectly;
     * folds grouped by file must predict one source from the other and
     * cannot, so their score is far lower. */
    char *dir = tu_mkdtemp();
    char *a = tu_path(dir, "a.jsonl"), *b = tu_path(dir, "b.jsonl");
    char ta[1024] = "", tb[1024] = "";
    size_t la = 0, lb = 0;
    for (int i = 0; i < 8; i++) {
        la += (size_t)snprintf(ta + la, sizeof ta - la,
                               "{\"text\": \"alpha amber %d\", \"stance\": \"x\"}\n"
                               "{\"text\": \"beta basil %d\", \"stance\": \"y\"}\n", i, i);
        lb += (size_t)snprintf(tb + lb, sizeof tb - lb,
                               "{\"text\": \"gamma garnet %d\", \"stance\": \"x\"}\n"
                               "{\"text\": \"delta dill %d\", \"stance\": \"y\"}\n", i, i);
    }
    tu_write(a, ta, la);
    tu_write(b, tb, lb);
    tv_error err;
    double shuffled = cv_score(a, b, 0, &err);
    double grouped = cv_score(a, b, 1, &err);
    assert_true(shuffled > 0.9);
    assert_true(grouped < 0.7);
    /* One file cannot fill two grouped folds: refused, with a reason. */
    assert_true(cv_score(a, NULL, 1, &err) < 0);
    assert_int_equal(err.status, TV_ERR_ARG);
    assert_non_null(strstr(err.message, "grouped folds need"));
    tu_rmrf(dir);
    free(dir);
    free(a);
    free(b);
}

static void test_replace_previous_model(void **state)
{
    (void)state;
    /* Training over an existing model replaces it whole. */
    tu_rmrf(dir_b);
    tu_train_fixture(dir_b, 3);
    tu_train_fixture(dir_b, 4);
    tv_model *m;
    tv_error err;
    assert_int_equal(tv_model_load(dir_b, &m, &err), TV_OK);
    assert_non_null(strstr(tv_model_manifest_json(m), "\"seed\": 4"));
    tv_model_free(&m);
    char *parent = strdup(dir_b);
    *strrchr(parent, '/') = '\0';
    char *cmd;
    if (asprintf(&cmd, "ls '%s' | grep -c tmp- >/dev/null", parent) < 0)
        abort();
    assert_int_not_equal(system(cmd), 0); /* no temporary directory left */
    free(cmd);
    free(parent);
}

static void test_evaluate(void **state)
{
    (void)state;
    tv_model *m;
    tv_error err;
    assert_int_equal(tv_model_load(dir_a, &m, &err), TV_OK);
    const char *heads[] = {"stance", "topic"};
    tv_dataset *d = tv_dataset_new(heads, 2, 0);
    assert_int_equal(tv_dataset_read(d, "tests/fixtures/train.jsonl", NULL, NULL, &err), TV_OK);
    tv_eval *e;
    assert_int_equal(tv_evaluate(m, d, NULL, NULL, &e, &err), TV_OK);
    /* On its own training data the topic model fits most examples. */
    assert_true(tv_eval_accuracy(e, "topic") > 0.8);
    assert_true(tv_eval_macro_f1(e, "nope") < 0);
    /* Eval's accuracy agrees with classifying every example here. */
    tv_worker *w = tv_worker_new(m);
    size_t right = 0;
    for (size_t i = 0; i < tv_dataset_size(d); i++) {
        size_t len;
        const char *text = tv_dataset_text(d, i, &len);
        tv_result r;
        tv_classify(w, text, len, &r);
        right += strcmp(tv_model_label_name(m, 0, r.heads[0].label), tv_dataset_label(d, i, 0)) == 0;
    }
    tv_worker_free(&w);
    assert_true(fabs(tv_eval_accuracy(e, "stance") - (double)right / (double)tv_dataset_size(d)) < 1e-12);
    tv_buf out = {0};
    tv_eval_append_text(e, &out);
    assert_non_null(strstr(out.data, "stance: accuracy"));
    assert_non_null(strstr(out.data, "confusion"));
    tv_buf_free(&out);
    tv_eval_free(&e);
    tv_dataset_free(&d);
    tv_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_files),
        cmocka_unit_test(test_load_and_classify),
        cmocka_unit_test(test_damaged_models),
        cmocka_unit_test(test_bad_training_lines),
        cmocka_unit_test(test_training_refusals),
        cmocka_unit_test(test_grouped_folds),
        cmocka_unit_test(test_replace_previous_model),
        cmocka_unit_test(test_evaluate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
