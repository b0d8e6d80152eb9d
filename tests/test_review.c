/* test_review.c - end-to-end tests of "tiesvm review" through the binary:
 * the page embeds every record (read back from its JSON block), hostile text
 * cannot leave that block, bad lines give exit 2 and FILE:LINE on stderr and
 * still reach the page, empty input, --out, and byte-identical output.
 * What the page does in a browser is tests/browser/review.test.mjs. */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>

static const char DATA_START[] = "<script type=\"application/json\" id=\"records\">";

static char *work;

static int setup(void **state)
{
    (void)state;
    work = tu_mkdtemp();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(work);
    free(work);
    return 0;
}

/* The page's JSON block: a malloc'd copy of the bytes between the opening
 * tag and the first "</script>" after it. */
static char *data_block(const char *page)
{
    const char *start = strstr(page, DATA_START);
    assert_non_null(start);
    start += strlen(DATA_START);
    const char *end = strstr(start, "</script>");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

/* The page's {"source", "records"} object, parsed. */
static json_t *page_data(const char *page)
{
    char *block = data_block(page);
    json_error_t e;
    json_t *data = json_loads(block, JSON_ALLOW_NUL, &e);
    if (!json_is_object(data))
        fail_msg("the page's JSON block does not parse: %s", e.text);
    free(block);
    return data;
}

static json_t *page_records(json_t *data)
{
    json_t *records = json_object_get(data, "records");
    assert_true(json_is_array(records));
    return records;
}

/* Writes text to a new file in the work directory; the caller frees the path. */
static char *write_input(const char *name, const char *text)
{
    char *path = tu_path(work, name);
    tu_write(path, text, strlen(text));
    return path;
}

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    tu_run r = tu_tiesvm(NULL, "review --help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: tiesvm review"));
    assert_non_null(strstr(r.out, "example"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "--help");
    assert_non_null(strstr(r.out, "review"));
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "review a.jsonl b.jsonl");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "one LABELS file"));
    assert_int_equal(r.out_len, 0);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "review '%s/missing.jsonl'", work);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "missing.jsonl: cannot open"));
    assert_int_equal(r.out_len, 0);
    tu_run_free(&r);
    r = tu_tiesvm(NULL, "review --frobnicate");
    assert_int_equal(r.status, 1);
    tu_run_free(&r);
}

/* classify examples/ -> review: the page holds every record as read. */
static void test_page_holds_every_record(void **state)
{
    (void)state;
    tu_run classified = tu_tiesvm(NULL, "classify examples/");
    assert_int_equal(classified.status, 0);
    char *labels = write_input("labels.jsonl", classified.out);
    tu_run r = tu_tiesvm(NULL, "review '%s'", labels);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "<!DOCTYPE html>"));
    json_t *data = page_data(r.out);
    assert_string_equal(json_string_value(json_object_get(data, "source")), labels);
    json_t *records = page_records(data);
    size_t count = tu_count_lines(classified.out);
    assert_true(count > 10);
    assert_int_equal(json_array_size(records), count);
    const char *line = classified.out;
    for (size_t i = 0; i < count; i++) {
        const char *nl = strchr(line, '\n');
        json_t *want = json_loadb(line, (size_t)(nl - line), 0, NULL);
        json_t *got = json_array_get(records, i);
        if (!json_equal(want, got))
            fail_msg("record %zu differs from input line %zu", i, i + 1);
        assert_non_null(json_string_value(json_object_get(got, "text")));
        json_decref(want);
        line = nl + 1;
    }
    json_decref(data);
    tu_run_free(&r);
    tu_run_free(&classified);
    free(labels);
}

/* Text that would end the script block, open a comment, or end a line for
 * a JavaScript parser stays inside the JSON block, escaped. */
static void test_hostile_text_stays_in_its_block(void **state)
{
    (void)state;
    const char *hostile = "</script><img src=x onerror=alert(1)><script>alert(2)</script>"
                          "<!-- & \xE2\x80\xA8 \xE2\x80\xA9 </SCRIPT ";
    json_t *record = json_pack("{s:s, s:s, s:{s:s}}", "doc", "</script>.txt", "text", hostile,
                               "stance", "label", "<b>asserts</b>");
    char *line = json_dumps(record, JSON_COMPACT);
    char *input;
    if (asprintf(&input, "%s\n", line) < 0)
        abort();
    char *labels = write_input("hostile.jsonl", input);
    tu_run r = tu_tiesvm(NULL, "review '%s'", labels);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "<img"));
    assert_null(strstr(r.out, "<script>alert"));
    char *block = data_block(r.out);
    for (const char *p = block; *p; p++)
        if (strchr("<>&", *p))
            fail_msg("unescaped '%c' in the JSON block", *p);
    assert_null(strstr(block, "\xE2\x80\xA8"));
    assert_null(strstr(block, "\xE2\x80\xA9"));
    assert_non_null(strstr(block, "\\u003c/script\\u003e"));
    assert_non_null(strstr(block, "\\u2028"));
    /* The block is followed by the page's own script, not by record text. */
    const char *after = strstr(r.out, DATA_START) + strlen(DATA_START) + strlen(block);
    assert_int_equal(strncmp(after, "</script>\n<script>", 18), 0);
    json_t *data = page_data(r.out);
    json_t *got = json_array_get(page_records(data), 0);
    assert_true(json_equal(got, record));
    free(block);
    json_decref(data);
    tu_run_free(&r);
    free(labels);
    free(input);
    free(line);
    json_decref(record);
}

/* Lines that are not JSON objects: a message with file and line each, exit
 * 2, and the page still has everything else, plus an error record each. */
static void test_bad_lines(void **state)
{
    (void)state;
    const char *text = "{\"doc\":\"a.txt\",\"text\":\"first\"}\n"
                       "not json at all\n"
                       "[1, 2]\n"
                       "\n"
                       "{\"doc\":\"a.txt\",\"text\":\"cut off\"\n"
                       "{\"doc\":\"b.txt\",\"error\":\"b.txt: cannot open: gone\"}\n"
                       "{\"doc\":\"a.txt\",\"text\":\"last\"}";
    char *labels = write_input("bad.jsonl", text);
    tu_run r = tu_tiesvm(NULL, "review '%s'", labels);
    assert_int_equal(r.status, 2);
    const long bad[] = {2, 3, 5};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *where;
        if (asprintf(&where, "%s:%ld: not a JSON object", labels, bad[i]) < 0)
            abort();
        assert_non_null(strstr(r.err, where));
        free(where);
    }
    assert_null(strstr(r.err, ":4:"));
    assert_non_null(strstr(r.err, "3 of 7 lines"));
    json_t *data = page_data(r.out);
    json_t *records = page_records(data);
    assert_int_equal(json_array_size(records), 6);
    const char *texts[] = {"first", NULL, NULL, NULL, NULL, "last"};
    for (size_t i = 0; i < 6; i++) {
        json_t *rec = json_array_get(records, i);
        if (texts[i])
            assert_string_equal(json_string_value(json_object_get(rec, "text")), texts[i]);
        else
            assert_non_null(json_string_value(json_object_get(rec, "error")));
    }
    char *where;
    if (asprintf(&where, "%s:5: not a JSON object", labels) < 0)
        abort();
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(records, 3), "error")),
                           where));
    assert_string_equal(json_string_value(json_object_get(json_array_get(records, 4), "error")),
                        "b.txt: cannot open: gone");
    free(where);
    json_decref(data);
    tu_run_free(&r);
    free(labels);
}

static void test_empty_input(void **state)
{
    (void)state;
    char *labels = write_input("empty.jsonl", "");
    tu_run r = tu_tiesvm(labels, "review");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    json_t *data = page_data(r.out);
    assert_string_equal(json_string_value(json_object_get(data, "source")), "stdin");
    assert_int_equal(json_array_size(page_records(data)), 0);
    /* Self-contained: nothing is fetched from anywhere, no markup from data. */
    assert_null(strstr(r.out, "://"));
    assert_null(strstr(r.out, "src="));
    assert_null(strstr(r.out, "innerHTML"));
    assert_null(strstr(r.out, "@@TIESVM_RECORDS@@"));
    json_decref(data);
    tu_run_free(&r);
    free(labels);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Same input, same bytes: twice to stdout, from stdin, and with --out. */
static void test_deterministic_and_out(void **state)
{
    (void)state;
    tu_run classified = tu_tiesvm(NULL, "classify examples/");
    char *labels = write_input("det.jsonl", classified.out);
    char *dir = tu_path(work, "out");
    assert_int_equal(mkdir(dir, 0777), 0);
    char *page = tu_path(dir, "review.html");
    tu_write(page, "old", 3);
    tu_run first = tu_tiesvm(NULL, "review '%s'", labels);
    tu_run second = tu_tiesvm(NULL, "review '%s'", labels);
    assert_int_equal(first.out_len, second.out_len);
    assert_memory_equal(first.out, second.out, first.out_len);
    tu_run to_file = tu_tiesvm(NULL, "review '%s' --out '%s'", labels, page);
    assert_int_equal(to_file.status, 0);
    assert_int_equal(to_file.out_len, 0);
    size_t len;
    char *written = tu_read(page, &len);
    assert_int_equal(len, first.out_len);
    assert_memory_equal(written, first.out, len);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    tu_run from_stdin = tu_tiesvm(labels, "review - -o '%s'", page);
    assert_int_equal(from_stdin.status, 0);
    free(written);
    written = tu_read(page, &len);
    json_t *a = page_data(first.out), *b = page_data(written);
    assert_true(json_equal(json_object_get(a, "records"), json_object_get(b, "records")));
    json_decref(a);
    json_decref(b);
    tu_run bad_dir = tu_tiesvm(NULL, "review '%s' -o '%s/no/such/dir/p.html'", labels, work);
    assert_int_equal(bad_dir.status, 1);
    assert_non_null(strstr(bad_dir.err, "cannot create"));
    tu_run_free(&bad_dir);
    tu_run_free(&from_stdin);
    tu_run_free(&to_file);
    tu_run_free(&first);
    tu_run_free(&second);
    tu_run_free(&classified);
    free(written);
    free(page);
    free(dir);
    free(labels);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_page_holds_every_record),
        cmocka_unit_test(test_hostile_text_stays_in_its_block),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_deterministic_and_out),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
