/* test_cli.c - end-to-end tests of every tiesvm command through the binary:
 * help and version, classify (text, directories, stdin, JSONL, failures),
 * train -> classify -> eval, the corrected-labels round trip, determinism. */
#include "testutil.h"

#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <jansson.h>

static char *work, *model;

static int setup(void **state)
{
    (void)state;
    work = tu_mkdtemp();
    model = tu_path(work, "model");
    tu_run r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s' --seed 5",
                         model);
    int ok = r.status == 0;
    if (!ok)
        fprintf(stderr, "setup: train failed (%d): %s\n", r.status, r.err);
    tu_run_free(&r);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(work);
    free(work);
    free(model);
    return 0;
}

/* Parses every line of out as a JSON object; returns the count. */
static size_t parse_records(const char *out, json_t **records, size_t max)
{
    size_t n = 0;
    const char *p = out;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        json_error_t e;
        json_t *obj = json_loadb(p, (size_t)(nl - p), 0, &e);
        if (!json_is_object(obj))
            fail_msg("not a JSON object: %.*s", (int)(nl - p), p);
        if (n < max)
            records[n] = obj;
        else
            json_decref(obj);
        n++;
        p = nl + 1;
    }
    return n;
}

static void free_records(json_t **records, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(records[i]);
}

static void test_help_and_version(void **state)
{
    (void)state;
    tu_run r = tu_tiesvm(NULL, "--version");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "tiesvm " TIESVM_VERSION));
    tu_run_free(&r);
    const char *commands[] = {"",        "classify ", "train ",  "eval ", "inspect ",
                              "review ", "export ",   "import ", "edges "};
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        r = tu_tiesvm(NULL, "%s--help", commands[i]);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "usage: tiesvm"));
        assert_non_null(strstr(r.out, "example"));
        tu_run_free(&r);
    }
    r = tu_tiesvm(NULL, "frobnicate");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "unknown command"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "classify --threads 0");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--threads"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "");
    assert_int_equal(r.status, 1);
    tu_run_free(&r);
}

static void test_classify_text_files(void **state)
{
    (void)state;
    /* Two articles in nested directories, one with CRLF and a BOM, one
     * file that is not *.txt and is skipped. */
    char *dir = tu_path(work, "articles");
    char *sub = tu_path(dir, "sub");
    char *cmd;
    if (asprintf(&cmd, "mkdir -p '%s'", sub) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *a = tu_path(dir, "a.txt"), *b = tu_path(sub, "b.txt"), *c = tu_path(dir, "c.md");
    const char *ta = "\xEF\xBB\xBFTitle\r\n\r\nThe Taliban still host al-Qaeda.\r\n";
    const char *tb = "Skip to content\n\n\nTehran denied it.";
    tu_write(a, ta, strlen(ta));
    tu_write(b, tb, strlen(tb));
    tu_write(c, "ignored\n", 8);
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' '%s'", model, dir);
    assert_int_equal(r.status, 0);
    json_t *rec[8];
    size_t n = parse_records(r.out, rec, 8);
    assert_int_equal(n, 4);
    /* In input order: a.txt then sub/b.txt, paragraphs in order. */
    assert_string_equal(json_string_value(json_object_get(rec[0], "doc")), a);
    assert_int_equal(json_integer_value(json_object_get(rec[0], "para")), 0);
    assert_int_equal(json_integer_value(json_object_get(rec[0], "start")), 3);
    assert_int_equal(json_integer_value(json_object_get(rec[0], "end")), 8);
    assert_string_equal(json_string_value(json_object_get(rec[1], "text")),
                        "The Taliban still host al-Qaeda.");
    assert_int_equal(json_integer_value(json_object_get(rec[1], "start")), 12);
    json_t *actors = json_object_get(rec[1], "actors");
    assert_int_equal(json_array_size(actors), 2);
    assert_string_equal(json_string_value(json_array_get(actors, 0)), "al-qaeda");
    assert_string_equal(json_string_value(json_object_get(rec[2], "doc")), b);
    assert_int_equal(json_integer_value(json_object_get(rec[3], "para")), 1);
    for (size_t i = 0; i < n; i++) {
        json_t *stance = json_object_get(rec[i], "stance");
        const char *label = json_string_value(json_object_get(stance, "label"));
        json_t *scores = json_object_get(stance, "scores");
        assert_int_equal(json_object_size(scores), 3);
        assert_true(json_real_value(json_object_get(stance, "confidence")) ==
                    json_real_value(json_object_get(scores, label)));
        assert_true(json_is_object(json_object_get(rec[i], "topic")));
        assert_non_null(json_string_value(json_object_get(rec[i], "model")));
    }
    free_records(rec, n);
    tu_run_free(&r);
    /* --no-text drops only the text. */
    r = tu_tiesvm(NULL, "classify --model '%s' --no-text '%s'", model, b);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "\"text\""));
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_run_free(&r);
    free(a);
    free(b);
    free(c);
    free(sub);
    free(dir);
}

static void test_classify_stdin_and_jsonl(void **state)
{
    (void)state;
    char *in = tu_path(work, "in.txt");
    tu_write(in, "One.\n\nTwo.\n", 11);
    tu_run r = tu_tiesvm(in, "classify --model '%s'", model);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 2);
    assert_non_null(strstr(r.out, "\"doc\":\"-\""));
    tu_run_free(&r);

    char *jl = tu_path(work, "in.jsonl");
    const char *lines = "{\"id\": \"n1\", \"text\": \"Iran hosts al-Qaeda.\\n\\nSecond.\", "
                        "\"source\": \"wire\", \"tags\": [1, 2]}\n"
                        "\n"
                        "{\"text\": \"No id here.\"}\n";
    tu_write(jl, lines, strlen(lines));
    r = tu_tiesvm(jl, "classify --model '%s' --input-format jsonl", model);
    assert_int_equal(r.status, 0);
    json_t *rec[4];
    size_t n = parse_records(r.out, rec, 4);
    assert_int_equal(n, 3);
    assert_string_equal(json_string_value(json_object_get(rec[0], "doc")), "n1");
    assert_int_equal(json_integer_value(json_object_get(rec[1], "para")), 1);
    json_t *meta = json_object_get(rec[0], "meta");
    assert_string_equal(json_string_value(json_object_get(meta, "source")), "wire");
    assert_int_equal(json_array_size(json_object_get(meta, "tags")), 2);
    assert_null(json_object_get(meta, "text"));
    assert_string_equal(json_string_value(json_object_get(rec[2], "doc")), "-:3");
    assert_null(json_object_get(rec[2], "meta"));
    free_records(rec, n);
    tu_run_free(&r);
    free(in);
    free(jl);
}

/* --explain N: each head gets at most N [term, contribution] pairs, largest
 * first, all positive, terms taken from the paragraph; none without it. */
static void test_classify_explain(void **state)
{
    (void)state;
    char *in = tu_path(work, "explain.txt");
    const char *text = "Officials denied any alliance and said there was no evidence that "
                       "Iran sheltered al-Qaeda.\n\nSubscribe to our newsletter.\n";
    tu_write(in, text, strlen(text));
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --explain 3 '%s'", model, in);
    assert_int_equal(r.status, 0);
    json_t *rec[2];
    size_t n = parse_records(r.out, rec, 2);
    assert_int_equal(n, 2);
    const char *heads[] = {"stance", "topic"};
    for (size_t i = 0; i < n; i++) {
        json_t *why = json_object_get(rec[i], "why");
        assert_true(json_is_object(why));
        assert_int_equal(json_object_size(why), 2);
        for (size_t h = 0; h < 2; h++) {
            json_t *terms = json_object_get(why, heads[h]);
            assert_true(json_is_array(terms));
            assert_true(json_array_size(terms) <= 3);
            double previous = 1e9;
            for (size_t t = 0; t < json_array_size(terms); t++) {
                json_t *pair = json_array_get(terms, t);
                assert_int_equal(json_array_size(pair), 2);
                const char *term = json_string_value(json_array_get(pair, 0));
                double weight = json_real_value(json_array_get(pair, 1));
                assert_non_null(term);
                assert_true(weight > 0 && weight <= previous);
                previous = weight;
                /* Plain word terms come from the paragraph itself. */
                if (isalpha((unsigned char)term[0]) && !strchr(term, '@'))
                    assert_non_null(strcasestr(text, term));
            }
        }
    }
    /* The first paragraph is long enough to have three stance terms. */
    assert_int_equal(json_array_size(json_object_get(json_object_get(rec[0], "why"), "stance")),
                     3);
    free_records(rec, n);
    tu_run_free(&r);

    r = tu_tiesvm(NULL, "classify --model '%s' '%s'", model, in);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "\"why\""));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "classify --model '%s' --explain -1 '%s'", model, in);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--explain"));
    tu_run_free(&r);
    free(in);
}

/* Progress goes to stderr only (forced with --progress, since stderr is not
 * a terminal here), never into the records; --quiet and a non-terminal
 * stderr print none. */
static void test_progress_on_stderr_only(void **state)
{
    (void)state;
    tu_run plain = tu_tiesvm(NULL, "classify --model '%s' examples", model);
    assert_int_equal(plain.status, 0);
    assert_string_equal(plain.err, "");
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --progress examples", model);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, plain.out);
    assert_non_null(strstr(r.err, "3 documents, 20 paragraphs"));
    assert_non_null(strstr(r.err, "MB/s"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "classify --model '%s' --quiet examples", model);
    assert_string_equal(r.out, plain.out);
    assert_string_equal(r.err, "");
    tu_run_free(&r);
    tu_run_free(&plain);

    char *out = tu_path(work, "progress-model");
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s' --progress --jobs 2",
                  out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "cross-validation: "));
    assert_non_null(strstr(r.err, "training: 2 of 2 fits"));
    assert_null(strstr(r.out, "fits"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s' --quiet", out);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    tu_run_free(&r);
    free(out);
}

static void test_classify_failures_keep_going(void **state)
{
    (void)state;
    char *jl = tu_path(work, "bad.jsonl");
    const char *lines = "{\"id\": \"a\", \"text\": \"Fine.\"}\n"
                        "{\"id\": \"b\", \"text\": \n"
                        "{\"id\": \"c\", \"body\": \"no text\"}\n"
                        "{\"id\": \"d\", \"text\": 42}\n"
                        "\"just a string\"\n"
                        "{\"id\": \"e\", \"text\": \"Also fine.\"}\n";
    tu_write(jl, lines, strlen(lines));
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --input-format jsonl '%s' /nonexistent.jsonl",
                         model, jl);
    assert_int_equal(r.status, 2);
    json_t *rec[10];
    size_t n = parse_records(r.out, rec, 10);
    assert_int_equal(n, 7); /* 2 paragraphs + 5 error records, in input order */
    const char *want_doc[] = {"a", NULL, "c", "d", NULL, "e", "/nonexistent.jsonl"};
    int want_error[] = {0, 1, 1, 1, 1, 0, 1};
    for (size_t i = 0; i < n; i++) {
        if (want_doc[i])
            assert_string_equal(json_string_value(json_object_get(rec[i], "doc")), want_doc[i]);
        assert_int_equal(json_object_get(rec[i], "error") != NULL, want_error[i]);
    }
    assert_non_null(strstr(json_string_value(json_object_get(rec[1], "error")), ":2:"));
    free_records(rec, n);
    /* stderr names file and line of each failure, and sums up. */
    assert_non_null(strstr(r.err, "bad.jsonl:2: malformed JSON"));
    assert_non_null(strstr(r.err, "bad.jsonl:3: no \"text\" field"));
    assert_non_null(strstr(r.err, "bad.jsonl:4: \"text\" is not a string"));
    assert_non_null(strstr(r.err, "/nonexistent.jsonl: cannot open"));
    assert_non_null(strstr(r.err, "5 of 7 documents failed"));
    tu_run_free(&r);
    free(jl);
    /* A model that does not exist: nothing runs, status 1. */
    r = tu_tiesvm(NULL, "classify --model /nonexistent/model");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/nonexistent/model"));
    tu_run_free(&r);
}

static void test_deterministic_output(void **state)
{
    (void)state;
    tu_run a = tu_tiesvm(NULL, "classify --model '%s' --threads 1 examples", model);
    tu_run b = tu_tiesvm(NULL, "classify --model '%s' --threads 1 examples", model);
    tu_run c = tu_tiesvm(NULL, "classify --model '%s' --threads 2 examples", model);
    assert_int_equal(a.status, 0);
    assert_true(a.out_len > 0);
    assert_int_equal(a.out_len, b.out_len);
    assert_memory_equal(a.out, b.out, a.out_len);
    assert_int_equal(a.out_len, c.out_len);
    assert_memory_equal(a.out, c.out, a.out_len);
    tu_run_free(&a);
    tu_run_free(&b);
    tu_run_free(&c);
}

static void test_classify_out_file(void **state)
{
    (void)state;
    char *out = tu_path(work, "labels.jsonl");
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --out '%s' examples", model, out);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.out_len, 0);
    size_t len;
    char *data = tu_read(out, &len);
    assert_non_null(data);
    assert_true(tu_count_lines(data) > 3);
    free(data);
    tu_run_free(&r);
    free(out);
}

/* --out to something that is not a regular file (here a FIFO; /dev/null
 * in real use) writes into it and never replaces it with a file. */
static void test_out_to_fifo_is_not_replaced(void **state)
{
    (void)state;
    char *fifo = tu_path(work, "records.fifo");
    char *copy = tu_path(work, "records.copy");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *commands[] = {"classify --model '%s' --out '%s' examples",
                              "review --out '%s' '%s'"};
    char *labels = tu_path(work, "labels-for-fifo.jsonl");
    tu_run r = tu_tiesvm(NULL, "classify --model '%s' --out '%s' examples", model, labels);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    for (int i = 0; i < 2; i++) {
        pid_t reader = fork();
        assert_true(reader >= 0);
        if (reader == 0) {
            /* cat itself, so that killing reader ends the read. */
            int fd = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
                _exit(1);
            execlp("cat", "cat", fifo, (char *)NULL);
            _exit(127);
        }
        if (i == 0)
            r = tu_tiesvm(NULL, commands[0], model, fifo);
        else
            r = tu_tiesvm(NULL, commands[1], fifo, labels);
        struct stat st;
        int still_fifo = stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode);
        if (!still_fifo)
            kill(reader, SIGKILL); /* it would wait for a writer forever */
        int status;
        waitpid(reader, &status, 0);
        assert_int_equal(r.status, 0);
        tu_run_free(&r);
        if (!still_fifo)
            fail_msg("%s was replaced by the output", fifo);
        size_t len;
        char *got = tu_read(copy, &len);
        assert_non_null(got);
        assert_non_null(strstr(got, i == 0 ? "\"stance\":{\"label\"" : "<html"));
        free(got);
    }
    free(labels);
    free(fifo);
    free(copy);
}

static void test_default_model_from_env(void **state)
{
    (void)state;
    char *in = tu_path(work, "one.txt");
    tu_write(in, "Iran.\n", 6);
    /* Without --model or $TIESVM_MODEL: the shipped model next to the binary. */
    unsetenv("TIESVM_MODEL");
    size_t len;
    char *manifest = tu_read("models/default/manifest.json", &len);
    assert_non_null(manifest);
    json_t *m = json_loads(manifest, 0, NULL);
    char *want;
    if (asprintf(&want, "\"model\":\"%s\"", json_string_value(json_object_get(m, "model_id"))) < 0)
        abort();
    json_decref(m);
    free(manifest);
    tu_run r = tu_tiesvm(in, "classify --no-text");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, want));
    tu_run_free(&r);
    free(want);
    /* $TIESVM_MODEL overrides it, and --model overrides that. */
    setenv("TIESVM_MODEL", model, 1);
    r = tu_tiesvm(in, "classify --no-text");
    tu_run e = tu_tiesvm(in, "classify --no-text --model '%s'", model);
    tu_run bad = tu_tiesvm(in, "classify --no-text --model /nonexistent");
    unsetenv("TIESVM_MODEL");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, e.out);
    assert_int_equal(bad.status, 1);
    tu_run_free(&r);
    tu_run_free(&e);
    tu_run_free(&bad);
    free(in);
}

static void test_train_eval_and_round_trip(void **state)
{
    (void)state;
    /* eval: text and JSON. */
    tu_run r = tu_tiesvm(NULL, "eval --model '%s' --data tests/fixtures/heldout.jsonl", model);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "stance: accuracy"));
    assert_non_null(strstr(r.out, "topic: accuracy"));
    assert_non_null(strstr(r.out, "confusion"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "eval --model '%s' --data tests/fixtures/heldout.jsonl --json", model);
    assert_int_equal(r.status, 0);
    json_t *e = json_loads(r.out, 0, NULL);
    assert_non_null(e);
    json_t *topic = json_object_get(json_object_get(e, "heads"), "topic");
    assert_int_equal(json_integer_value(json_object_get(topic, "n")), 6);
    double acc = json_real_value(json_object_get(topic, "accuracy"));
    assert_true(acc >= 0.0 && acc <= 1.0);
    json_t *matrix = json_object_get(json_object_get(topic, "confusion"), "matrix");
    json_int_t total = 0;
    for (size_t g = 0; g < json_array_size(matrix); g++)
        for (size_t p = 0; p < json_array_size(json_array_get(matrix, g)); p++)
            total += json_integer_value(json_array_get(json_array_get(matrix, g), p));
    assert_int_equal(total, 6);
    json_decref(e);
    tu_run_free(&r);

    /* Round trip: classify output, labels corrected, trains as it stands. */
    char *in = tu_path(work, "fresh.jsonl");
    const char *docs =
        "{\"id\": \"x1\", \"text\": \"Tehran gave al-Qaeda couriers safe passage.\\n\\n"
        "Analysts doubt the claim; no evidence was offered.\"}\n"
        "{\"id\": \"x2\", \"text\": \"The Taliban fought ISKP in Kunar.\\n\\nSubscribe now.\"}\n";
    tu_write(in, docs, strlen(docs));
    r = tu_tiesvm(in, "classify --model '%s' --input-format jsonl", model);
    assert_int_equal(r.status, 0);
    json_t *rec[4];
    size_t n = parse_records(r.out, rec, 4);
    assert_int_equal(n, 4);
    const char *stance[] = {"asserts", "disputes", "disputes", "neutral"};
    const char *topics[] = {"iran-alqaeda", "iran-alqaeda", "taliban-isis", "other"};
    char *corrected = tu_path(work, "corrected.jsonl");
    FILE *f = fopen(corrected, "w");
    for (int copy = 0; copy < 2; copy++)
        for (size_t i = 0; i < n; i++) {
            json_object_set_new(json_object_get(rec[i], "stance"), "label",
                                json_string(stance[i]));
            json_object_set_new(json_object_get(rec[i], "topic"), "label",
                                json_string(topics[i]));
            json_object_set_new(rec[i], "reviewed", json_true());
            char *line = json_dumps(rec[i], JSON_COMPACT);
            fprintf(f, "%s\n", line);
            free(line);
        }
    fclose(f);
    free_records(rec, n);
    tu_run_free(&r);
    char *retrained = tu_path(work, "retrained");
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --data '%s' --out '%s'",
                  corrected, retrained);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "62 examples"));
    assert_non_null(strstr(r.out, "stance: C="));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "eval --model '%s' --data '%s' --json", retrained, corrected);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    /* --data also takes a directory: its *.jsonl files (54 + 6 examples). */
    r = tu_tiesvm(NULL, "train --data tests/fixtures --out '%s'", retrained);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "60 examples"));
    tu_run_free(&r);
    free(in);
    free(corrected);
    free(retrained);
}

static void test_train_refuses_bad_data(void **state)
{
    (void)state;
    char *bad = tu_path(work, "bad-train.jsonl");
    const char *lines = "{\"text\": \"fine\", \"stance\": \"asserts\", \"topic\": \"other\"}\n"
                        "not json\n"
                        "{\"text\": \"no topic\", \"stance\": \"neutral\"}\n";
    tu_write(bad, lines, strlen(lines));
    char *out = tu_path(work, "never");
    tu_run r = tu_tiesvm(NULL, "train --data '%s' --out '%s'", bad, out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "bad-train.jsonl:2: malformed JSON"));
    assert_non_null(strstr(r.err, "bad-train.jsonl:3: no label for head \"topic\""));
    assert_non_null(strstr(r.err, "training refused"));
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    tu_run_free(&r);
    /* --skip-bad trains on the good lines and says how many it skipped. */
    char *mixed = tu_path(work, "mixed.jsonl");
    char *cmd;
    if (asprintf(&cmd, "cat tests/fixtures/train.jsonl '%s' > '%s'", bad, mixed) < 0)
        abort();
    assert_int_equal(system(cmd), 0);
    free(cmd);
    r = tu_tiesvm(NULL, "train --data '%s' --out '%s' --skip-bad", mixed, out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "skipped 2 bad lines"));
    assert_non_null(strstr(r.out, "55 examples"));
    tu_run_free(&r);
    tu_rmrf(out);
    /* Duplicate ids, here across two files, are reported at each repeat. */
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --data tests/fixtures/train.jsonl "
                        "--out '%s'",
                  out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "train.jsonl:1: duplicate id \"f01\" (first at "
                                  "tests/fixtures/train.jsonl:1)"));
    assert_int_equal(stat(out, &st), -1);
    tu_run_free(&r);
    free(mixed);
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s' --heads stance,tpoic",
                  out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "unknown head \"tpoic\""));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "train --data /nonexistent.jsonl --out '%s'", out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/nonexistent.jsonl: cannot open"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--out"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "train --data tests/fixtures/train.jsonl --out '%s' --c 0,1", out);
    assert_int_equal(r.status, 1);
    tu_run_free(&r);
    free(bad);
    free(out);
}

static void test_custom_heads(void **state)
{
    (void)state;
    /* Any head and label set trains: here one head called "register". */
    char *data = tu_path(work, "reg.jsonl");
    const char *lines = "{\"text\": \"Subscribe to our newsletter\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Share this story\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Sign up for updates\", \"kind\": \"furniture\"}\n"
                        "{\"text\": \"Tehran hosted al-Qaeda leaders for years.\", \"kind\": \"body\"}\n"
                        "{\"text\": \"The Taliban fought ISKP in Kunar.\", \"kind\": \"body\"}\n"
                        "{\"text\": \"Officials denied the report.\", \"kind\": \"body\"}\n";
    tu_write(data, lines, strlen(lines));
    char *out = tu_path(work, "kind-model");
    tu_run r = tu_tiesvm(NULL, "train --data '%s' --out '%s' --heads kind --folds 3 --min-df 1",
                         data, out);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    r = tu_tiesvm(data, "classify --model '%s' --no-text", out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"kind\":{\"label\":"));
    assert_null(strstr(r.out, "\"stance\""));
    tu_run_free(&r);
    /* --group-folds: one file cannot fill 3 grouped folds (refused, exit 1,
     * nothing written); three files can, and the manifest says how the
     * folds were made. */
    char *grouped = tu_path(work, "kind-grouped");
    r = tu_tiesvm(NULL, "train --data '%s' --out '%s' --heads kind --folds 3 --min-df 1 "
                        "--group-folds",
                  data, grouped);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "grouped folds need"));
    tu_run_free(&r);
    struct stat st;
    assert_int_not_equal(stat(grouped, &st), 0);
    char *part = tu_path(work, "parts");
    assert_int_equal(mkdir(part, 0700), 0);
    /* Each part: one furniture line and one body line. */
    const char *const parts[] = {
        "{\"text\": \"Subscribe to our newsletter\", \"kind\": \"furniture\"}\n"
        "{\"text\": \"Tehran hosted al-Qaeda leaders for years.\", \"kind\": \"body\"}\n",
        "{\"text\": \"Share this story\", \"kind\": \"furniture\"}\n"
        "{\"text\": \"The Taliban fought ISKP in Kunar.\", \"kind\": \"body\"}\n",
        "{\"text\": \"Sign up for updates\", \"kind\": \"furniture\"}\n"
        "{\"text\": \"Officials denied the report.\", \"kind\": \"body\"}\n",
    };
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "part%d.jsonl", i);
        char *path = tu_path(part, name);
        tu_write(path, parts[i], strlen(parts[i]));
        free(path);
    }
    r = tu_tiesvm(NULL, "train --data '%s' --out '%s' --heads kind --folds 3 --min-df 1 "
                        "--group-folds --quiet",
                  part, grouped);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    char *manifest = tu_path(grouped, "manifest.json");
    char *text = tu_read(manifest, NULL);
    assert_non_null(strstr(text, "\"fold_by\": \"file\""));
    free(text);
    free(manifest);
    free(part);
    free(grouped);
    free(data);
    free(out);
}

static void test_inspect(void **state)
{
    (void)state;
    /* The shipped model: summary, grouped folds, per-label top terms with
     * weights, and --top limits them. */
    tu_run r = tu_tiesvm(NULL, "inspect --model models/default --top 3");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "5 folds grouped by file"));
    assert_non_null(strstr(r.out, "stance: C="));
    assert_non_null(strstr(r.out, "  disputes ("));
    assert_non_null(strstr(r.out, "topic: C="));
    /* taliban-isis lists exactly 3 terms: 2 separators on its line. */
    const char *line = strstr(r.out, "taliban-isis (");
    assert_non_null(line);
    line = strchr(line, '\n') + 1;
    size_t commas = 0;
    for (const char *c = line; *c && *c != '\n'; c++)
        commas += *c == ',';
    assert_int_equal(commas, 2);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "inspect --model models/default --top 2 --json");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"fold_by\": \"file\""));
    tu_run_free(&r);
    /* No model there: exit 1, the path named. */
    r = tu_tiesvm(NULL, "inspect --model '%s/none'", work);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/none/manifest.json"));
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_classify_text_files),
        cmocka_unit_test(test_classify_stdin_and_jsonl),
        cmocka_unit_test(test_classify_explain),
        cmocka_unit_test(test_progress_on_stderr_only),
        cmocka_unit_test(test_classify_failures_keep_going),
        cmocka_unit_test(test_deterministic_output),
        cmocka_unit_test(test_classify_out_file),
        cmocka_unit_test(test_out_to_fifo_is_not_replaced),
        cmocka_unit_test(test_default_model_from_env),
        cmocka_unit_test(test_train_eval_and_round_trip),
        cmocka_unit_test(test_train_refuses_bad_data),
        cmocka_unit_test(test_custom_heads),
        cmocka_unit_test(test_inspect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
