/* test_inputs.c - hostile input through classify: every bad input is safe,
 * flagged where promised, and nothing is lost (records = paragraphs + failed
 * documents, for random article sets with broken members); output is
 * byte-identical for 1 and 8 threads. */
#include "testutil.h"

#include <jansson.h>

#include "util.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(dir);
    free(dir);
    return 0;
}

static char *write_file(const char *name, const char *data, size_t len)
{
    char *path = tu_path(dir, name);
    tu_write(path, data, len);
    return path;
}

/* The records of out (JSON with NUL allowed), checked to be objects. */
static size_t records(const char *out, size_t out_len, json_t **first)
{
    size_t n = 0;
    const char *p = out, *end = out + out_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        json_error_t e;
        json_t *obj = json_loadb(p, (size_t)(nl - p), JSON_ALLOW_NUL, &e);
        if (!json_is_object(obj))
            fail_msg("not a JSON record: %s", e.text);
        if (first && n == 0)
            *first = obj;
        else
            json_decref(obj);
        n++;
        p = nl + 1;
    }
    return n;
}

static int has_flag(json_t *rec, const char *flag)
{
    json_t *flags = json_object_get(rec, "flags");
    for (size_t i = 0; i < json_array_size(flags); i++)
        if (strcmp(json_string_value(json_array_get(flags, i)), flag) == 0)
            return 1;
    return 0;
}

static void test_odd_bytes(void **state)
{
    (void)state;
    struct {
        const char *name;
        const char *data;
        size_t len;
        size_t want_records;
        const char *flag;
    } cases[] = {
#define CASE(name, literal, records, flag) {name, literal, sizeof(literal) - 1, records, flag}
        CASE("invalid.txt", "caf\xC3 and \xFF\xFE bytes\n", 1, "invalid-utf8"),
        CASE("nul.txt", "a\0b\n\nc\0", 2, NULL),
        CASE("empty.txt", "", 0, NULL),
        CASE("nonewline.txt", "no newline at all", 1, NULL),
        CASE("blank.txt", " \n\t\n\r\n", 0, NULL),
        CASE("utf16le.txt", "\xFF\xFEH\0i\0\n\0\n\0I\0r\0a\0n\0", 2, "utf16"),
        CASE("utf16be.txt", "\xFE\xFF\0H\0i", 1, "utf16"),
        CASE("binary.txt", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\n\n\x01\0\0\0", 2, NULL),
#undef CASE
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *path = write_file(cases[i].name, cases[i].data, cases[i].len);
        tu_run r = tu_tiesvm(NULL, "classify '%s'", path);
        if (r.status != 0)
            fail_msg("%s: exit %d: %s", cases[i].name, r.status, r.err);
        json_t *first = NULL;
        size_t n = records(r.out, r.out_len, &first);
        if (n != cases[i].want_records)
            fail_msg("%s: %zu records, expected %zu", cases[i].name, n, cases[i].want_records);
        if (cases[i].flag)
            assert_true(has_flag(first, cases[i].flag));
        else if (first)
            assert_null(json_object_get(first, "flags"));
        json_decref(first);
        tu_run_free(&r);
        free(path);
    }
}

static void test_huge_paragraph_is_truncated(void **state)
{
    (void)state;
    size_t len = 3u << 20; /* 3 MB without a blank line */
    char *big = malloc(len);
    for (size_t i = 0; i < len; i++)
        big[i] = (i % 50 == 49) ? '\n' : "Tehran hosts them "[i % 18];
    char *path = write_file("big.txt", big, len);
    free(big);
    tu_run r = tu_tiesvm(NULL, "classify '%s'", path);
    assert_int_equal(r.status, 0);
    json_t *first = NULL;
    assert_int_equal(records(r.out, r.out_len, &first), 1);
    assert_true(has_flag(first, "truncated"));
    /* The record spans the whole paragraph; its text is the part read. */
    assert_int_equal(json_integer_value(json_object_get(first, "end")), (json_int_t)len);
    assert_int_equal(json_string_length(json_object_get(first, "text")), TV_MAX_PARAGRAPH);
    json_decref(first);
    tu_run_free(&r);
    free(path);
}

/* Deterministic pseudo-random numbers for the invariant test. */
static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint32_t next(void)
{
    return tu_random(&rng);
}

static void test_nothing_lost(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "The Taliban hosted al-Qaeda.", "\n", "\n\n", "  \n", "Tehran denied it.", "\r\n",
        "\xFF\xFE", "\xC2\xA0\n", "Subscribe!", "\0", "ISIS and al-Qaeda fought.", "\t",
    };
    for (int round = 0; round < 5; round++) {
        char *set;
        if (asprintf(&set, "%s/set%d", dir, round) < 0)
            abort();
        char *cmd;
        if (asprintf(&cmd, "mkdir -p '%s'", set) < 0)
            abort();
        assert_int_equal(system(cmd), 0);
        free(cmd);
        size_t expected = 0;
        int files = 3 + (int)(next() % 6);
        for (int f = 0; f < files; f++) {
            char name[32];
            snprintf(name, sizeof name, "a%02d.txt", f);
            char *path = tu_path(set, name);
            if (next() % 5 == 0) {
                /* A broken member: a directory named like an article. */
                if (asprintf(&cmd, "mkdir -p '%s'", path) < 0)
                    abort();
                assert_int_equal(system(cmd), 0);
                free(cmd);
                char *inner = tu_path(path, "inner.txt");
                tu_write(inner, "Inner text.", 11);
                expected += 1; /* inner.txt has one paragraph */
                free(inner);
                free(path);
                continue;
            }
            /* Start with text: a file opening with FF FE would be read as
             * UTF-16, which is right but not what this test counts. */
            tv_buf content = {0};
            tv_buf_puts(&content, "Start. ");
            int parts = (int)(next() % 30);
            for (int k = 0; k < parts; k++) {
                const char *piece = pieces[next() % (sizeof pieces / sizeof *pieces)];
                tv_buf_append(&content, piece, piece[0] ? strlen(piece) : 1);
            }
            tu_write(path, content.data ? content.data : "", content.len);
            tv_span *spans;
            size_t n;
            tv_segment(content.data ? content.data : "", content.len, &spans, &n);
            expected += n;
            free(spans);
            tv_buf_free(&content);
            free(path);
        }
        /* A dangling link that looks like an article fails as a document. */
        char *link = tu_path(set, "zz-missing.txt");
        if (asprintf(&cmd, "ln -sf /nonexistent/target '%s'", link) < 0)
            abort();
        assert_int_equal(system(cmd), 0);
        free(cmd);
        free(link);
        expected += 1;
        tu_run one = tu_tiesvm(NULL, "classify --threads 1 '%s'", set);
        tu_run eight = tu_tiesvm(NULL, "classify --threads 8 '%s'", set);
        assert_int_equal(one.status, 2); /* the dangling link failed */
        size_t got = records(one.out, one.out_len, NULL);
        if (got != expected)
            fail_msg("round %d: %zu records, expected %zu", round, got, expected);
        assert_int_equal(one.out_len, eight.out_len);
        assert_memory_equal(one.out, eight.out, one.out_len);
        tu_run_free(&one);
        tu_run_free(&eight);
        free(set);
    }
}

static void test_write_error_is_reported(void **state)
{
    (void)state;
    char *cmd;
    const char *bin = getenv("TIESVM") && getenv("TIESVM")[0] ? getenv("TIESVM") : "./tiesvm";
    if (asprintf(&cmd, "%s classify examples > /dev/full 2>/dev/null", bin) < 0)
        abort();
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odd_bytes),
        cmocka_unit_test(test_huge_paragraph_is_truncated),
        cmocka_unit_test(test_nothing_lost),
        cmocka_unit_test(test_write_error_is_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
